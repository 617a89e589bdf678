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

/* Takes every `X-Mailtrace-*` field (with its continuation lines) out of a header block, in
 * whatever pieces the message comes: a field is ours when its line starts with those 12 bytes,
 * in any case, whatever follows (a NUL, blanks or nothing before the colon: Dovecot reads all
 * of them as that name). Lines are judged whole, however the pieces cut them, so that a size
 * cap can neither keep part of a forged field nor leave a lone line break. */
typedef struct {
  gboolean body;     /* past the blank line: everything is kept */
  gboolean dropping; /* in a field of ours */
  gboolean mid_line; /* past the start of the line being read */
  char start[12];    /* the first bytes of the line, until it is known whether it is ours */
  guint start_len;
} MtStripper;

typedef void (*MtKeepFunc)(const char *data, gsize len, gpointer user);

void mt_stripper_init(MtStripper *st);
/* Passes to @keep, in order, what of @data is kept. */
void mt_stripper_feed(MtStripper *st, const char *data, gsize len, MtKeepFunc keep, gpointer user);
/* At the end of the message: what is still held back. */
void mt_stripper_finish(MtStripper *st, MtKeepFunc keep, gpointer user);

/* @data without our fields, in one piece. Returns: (transfer full) */
GByteArray *mt_mail_without_ours(const char *data, gsize len);

G_END_DECLS
