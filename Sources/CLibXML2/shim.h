// libxml2 for CaseXML. Only CaseXML imports this module; no libxml2 type appears in a public API.
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

// xmlFree is a global function pointer: Swift 6 refuses it as shared mutable state. Call it through this.
static inline void casebridge_xmlFree(void *p) { xmlFree(p); }
