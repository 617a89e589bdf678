/* A MIME header block, read in place: its fields, the lines that are not fields, and the
 * Content-Type parameters the walk over the parts needs. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *name;
  gsize name_len;
  const char *raw; /* after the colon: folded, the final line end removed */
  gsize raw_len;
  gsize offset; /* of the field, from the start of the block */
} MtRawField;

typedef struct {
  void (*field)(const MtRawField *f, gpointer user);
  /* a line that is neither a field nor a continuation (@line without its line end) */
  void (*invalid)(gsize offset, const char *line, gsize len, gpointer user);
} MtHeaderHandler;

/* Reads the header block at the start of @data (a leading mbox `From ` line is skipped).
 * Returns: the offset just past the empty line that ends it, or @len when none does. */
gsize mt_header_block_parse(const char *data, gsize len, const MtHeaderHandler *h, gpointer user);

/* The length of the field name that starts @line (up to @end), 0 when it is not a field:
 * printable ASCII without ':' or space, then optional blanks (obsolete syntax), then ':'. */
gsize mt_header_field_name(const char *line, const char *end);

typedef struct {
  char *type, *subtype;     /* lower-case; text/plain when absent */
  char *charset, *boundary; /* (nullable) parameter values, unquoted */
  char *conflict;           /* (nullable) a parameter given twice with different values */
  gboolean duplicate;       /* a parameter given twice with the same value */
  gboolean invalid;         /* written but without type/subtype: read as octet-stream */
} MtContentType;

/* Parses a Content-Type value; @raw NULL means the header is absent. */
void mt_content_type_parse(const char *raw, gsize len, MtContentType *ct);
void mt_content_type_clear(MtContentType *ct);
gboolean mt_content_type_is(const MtContentType *ct, const char *type, const char *subtype);

G_END_DECLS
