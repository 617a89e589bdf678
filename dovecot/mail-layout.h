/* Where things are in the raw bytes of one message, for rewriting its header block without
 * touching anything else: its line ending and the spans to copy. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *eol;     /* "\r\n" or "\n": the message's own (that of its first line) */
  gsize header_end;    /* offset of the blank line that ends the header block, or the length */
  gboolean has_header; /* the first line is a header field `name: value` */
} MtMailLayout;

void mt_mail_layout(const char *data, gsize len, MtMailLayout *out);

typedef struct {
  gsize offset, len;
} MtSpan;

/* The spans of @data that remain once every `X-Mailtrace-*` field of the header block
 * (with its continuation lines) is taken out: everything else, byte for byte, in order.
 * Returns: (transfer full): a GArray of MtSpan */
GArray *mt_mail_spans_without_ours(const char *data, gsize len, const MtMailLayout *layout);

G_END_DECLS
