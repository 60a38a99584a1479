/*
 * Bare C libxml2 reader walk for scripts/bench_xml.sh: the baseline that CaseBridge's XML -> JSONL path is
 * compared with. It reads a CaseBridge XML document with libxml2's xmlTextReader, validates it against the XSD,
 * and counts records (children of the root) and the records with at least one schema validity error. It builds
 * no entities, converts nothing and writes nothing but the counts.
 *
 *   bench_xml_walk stream|expand|none SCHEMA.xsd IN.xml [COUNTS.json]
 *
 *   stream  streaming XSD validation of the whole document by the reader (xmlTextReaderSetSchema): libxml2's
 *           own streaming validator sees every node once as the reader passes it. This is "the same streaming
 *           XSD validation" baseline of the performance issue.
 *   expand  what CaseBridge does for exact per-record attribution: at each child of the root,
 *           xmlTextReaderExpand builds the record's subtree, xmlSchemaValidateOneElement validates it against
 *           its global element declaration, and xmlTextReaderNext skips past it (the reader frees it).
 *   none    the same walk as stream without any validation (the cost of parsing alone).
 *
 * Input and options as CaseBridge's reader (Sources/CaseXML/XMLRecordReaderCore.swift): xmlReaderForIO fed by
 * read(2) of 1 MiB chunks, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES
 * (no XML_PARSE_NOENT, no XML_PARSE_DTDLOAD), and an external entity loader that refuses everything, installed
 * after the schema is compiled. A DOCTYPE or entity reference node stops the walk with exit 3, as CaseBridge
 * rejects such a document.
 *
 * Exit: 0 when the document was read to its end (whatever was invalid), 2 on usage or I/O errors, 3 when the
 * document is not well-formed or cannot be read on. Counts go to stdout (and COUNTS.json) as JSON:
 *   {"mode": ..., "records": N, "invalidRecords": N, "validityErrors": N, "wellFormed": true, "bytes": N}
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#define CHUNK (1 << 20)

struct feed {
  int fd;
  char *buf;
  size_t len, pos;
  long long total;
  int failed;
};

/* libxml2 asks for `len` bytes; hand it what is left of the current 1 MiB chunk, reading the next one when empty. */
static int feed_read(void *ctx, char *out, int len) {
  struct feed *f = ctx;
  if (f->pos == f->len) {
    ssize_t n;
    do {
      n = read(f->fd, f->buf, CHUNK);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      f->failed = 1;
      return -1;
    }
    f->len = (size_t)n;
    f->pos = 0;
    f->total += n;
    if (n == 0) return 0;
  }
  size_t k = f->len - f->pos;
  if (k > (size_t)len) k = (size_t)len;
  memcpy(out, f->buf + f->pos, k);
  f->pos += k;
  return (int)k;
}

static int feed_close(void *ctx) {
  (void)ctx;
  return 0;
}

static xmlParserInputPtr refuse_all(const char *url, const char *id, xmlParserCtxtPtr ctxt) {
  (void)url;
  (void)id;
  (void)ctxt;
  return NULL;
}

struct tally {
  long long records;        /* children of the root seen so far */
  long long invalidRecords; /* records with at least one schema validity error */
  long long validityErrors; /* schema validity errors in all */
  long long lastInvalid;    /* the record (1-based) last counted as invalid */
  long long parseErrors;    /* errors from the parser itself */
};

static void on_error(void *ctx, xmlErrorPtr e) {
  struct tally *t = ctx;
  if (e == NULL) return;
  if (e->domain == XML_FROM_SCHEMASV) {
    t->validityErrors++;
    /* In stream mode the error arrives while the reader is inside record t->records. */
    if (t->records > 0 && t->lastInvalid != t->records) {
      t->lastInvalid = t->records;
      t->invalidRecords++;
    }
  } else if (e->level >= XML_ERR_ERROR) {
    t->parseErrors++;
  }
}

int main(int argc, char **argv) {
  if (argc < 4 || argc > 5 ||
      (strcmp(argv[1], "stream") != 0 && strcmp(argv[1], "expand") != 0 && strcmp(argv[1], "none") != 0)) {
    fprintf(stderr, "usage: %s stream|expand|none SCHEMA.xsd IN.xml [COUNTS.json]\n", argv[0]);
    return 2;
  }
  const char *mode = argv[1];
  LIBXML_TEST_VERSION

  struct tally t = {0, 0, 0, 0, 0};
  xmlSchemaPtr schema = NULL;
  if (strcmp(mode, "none") != 0) {
    xmlSchemaParserCtxtPtr pctxt = xmlSchemaNewParserCtxt(argv[2]);
    if (pctxt == NULL) return 2;
    schema = xmlSchemaParse(pctxt);
    xmlSchemaFreeParserCtxt(pctxt);
    if (schema == NULL) {
      fprintf(stderr, "%s: cannot compile the schema %s\n", argv[0], argv[2]);
      return 2;
    }
  }
  xmlSetExternalEntityLoader(refuse_all);

  struct feed f = {0, NULL, 0, 0, 0, 0};
  f.fd = open(argv[3], O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) {
    fprintf(stderr, "%s: cannot open %s: %s\n", argv[0], argv[3], strerror(errno));
    return 2;
  }
  f.buf = malloc(CHUNK);
  if (f.buf == NULL) return 2;

  int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
  xmlTextReaderPtr reader = xmlReaderForIO(feed_read, feed_close, &f, NULL, NULL, options);
  if (reader == NULL) {
    fprintf(stderr, "%s: cannot start the reader\n", argv[0]);
    return 3;
  }
  xmlTextReaderSetStructuredErrorHandler(reader, on_error, &t);

  xmlSchemaValidCtxtPtr vctxt = NULL;
  if (strcmp(mode, "stream") == 0) {
    vctxt = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidStructuredErrors(vctxt, on_error, &t);
    if (xmlTextReaderSchemaValidateCtxt(reader, vctxt, 0) != 0) {
      fprintf(stderr, "%s: cannot start streaming validation\n", argv[0]);
      return 2;
    }
  } else if (strcmp(mode, "expand") == 0) {
    vctxt = xmlSchemaNewValidCtxt(schema);
    xmlSchemaSetValidStructuredErrors(vctxt, on_error, &t);
  }
  int expand = strcmp(mode, "expand") == 0;

  int rc, skip = 0, status = 0;
  for (;;) {
    rc = skip ? xmlTextReaderNext(reader) : xmlTextReaderRead(reader);
    skip = 0;
    if (rc != 1) break;
    int type = xmlTextReaderNodeType(reader);
    if (type == XML_READER_TYPE_ELEMENT) {
      if (xmlTextReaderDepth(reader) == 1) {
        t.records++;
        if (expand) {
          xmlNodePtr node = xmlTextReaderExpand(reader);
          if (node == NULL) {
            rc = -1;
            break;
          }
          if (xmlSchemaValidateOneElement(vctxt, node) != 0 && t.lastInvalid != t.records) {
            /* on_error counted it already when the validator reported an error; a non-zero return without
               a reported error (an internal failure) still marks the record invalid. */
            t.lastInvalid = t.records;
            t.invalidRecords++;
          }
          skip = 1;
        }
      }
    } else if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE ||
               type == XML_READER_TYPE_ENTITY) {
      fprintf(stderr, "%s: a DTD or entity reference: refused\n", argv[0]);
      status = 3;
      break;
    }
  }
  if (rc < 0 || f.failed || t.parseErrors > 0) status = 3;

  char json[512];
  snprintf(json, sizeof json,
           "{\"mode\": \"%s\", \"records\": %lld, \"invalidRecords\": %lld, \"validityErrors\": %lld, "
           "\"parseErrors\": %lld, \"wellFormed\": %s, \"bytes\": %lld}\n",
           mode, t.records, t.invalidRecords, t.validityErrors, t.parseErrors, status == 0 ? "true" : "false",
           f.total);
  fputs(json, stdout);
  if (argc == 5) {
    FILE *out = fopen(argv[4], "w");
    if (out == NULL || fputs(json, out) < 0 || fclose(out) != 0) {
      fprintf(stderr, "%s: cannot write %s\n", argv[0], argv[4]);
      return 2;
    }
  }
  xmlFreeTextReader(reader);
  if (vctxt != NULL) xmlSchemaFreeValidCtxt(vctxt);
  if (schema != NULL) xmlSchemaFree(schema);
  free(f.buf);
  close(f.fd);
  return status;
}
