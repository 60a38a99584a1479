// libxml2 for CaseXML. Only CaseXML imports this module; no libxml2 type appears in a public API.
// Debian's libxml2 is built with ICU, so encoding.h would pull in the system ICU headers, whose UErrorCode clashes
// with Foundation's bundled ICU in any Swift module that sees both (a clean build fails). CaseBridge never touches
// the ICU converter fields (they sit at the end of xmlCharEncodingHandler, which is only used by pointer), so the
// headers are read without them.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
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

// xmlGenericErrorFunc is variadic: Swift cannot define one. This swallows everything sent to it.
static void casebridge_swallowGenericError(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static void casebridge_swallowStructuredError(void *ctx, xmlErrorPtr error) { (void)ctx; (void)error; }

// Routes libxml2's generic and global structured errors of the calling thread (and, as defaults, of threads that
// first use libxml2 later) into the void, so nothing reaches stderr. Readers collect their own structured errors.
static inline void casebridge_silenceThreadErrors(void) {
  xmlSetGenericErrorFunc(NULL, casebridge_swallowGenericError);
  xmlSetStructuredErrorFunc(NULL, casebridge_swallowStructuredError);
}
static inline void casebridge_silenceDefaultErrors(void) {
  xmlThrDefSetGenericErrorFunc(NULL, casebridge_swallowGenericError);
  xmlThrDefSetStructuredErrorFunc(NULL, casebridge_swallowStructuredError);
  casebridge_silenceThreadErrors();
}
