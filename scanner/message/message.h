/* One message's bytes -> what its headers and text parts say about how it was written.
 * GMime reads it (headers in order, addresses, RFC 2047 and 2231, dates, the MIME tree,
 * charsets, transfer encodings); gmime-bugs.h mends where GMime 3.2.13 reads wrongly.
 * Reads at most MT_MAX_HEADER_BYTES of headers and MT_MAX_BODY_BYTES of body. */
#pragma once

#include <glib.h>

#include "address.h"

G_BEGIN_DECLS


typedef struct {
  char *name;
  char *raw;   /* as in the message: folded, undecoded, without the trailing line end */
  char *value; /* unfolded and RFC 2047-decoded (UTF-8) */
} MtHeader;

/* Malformed input, as findings: GMime's parser warnings (critical: readers may read it
 * differently), and our caps. */
typedef enum {
  MT_MSG_FINDING_HEADERS_TRUNCATED = 1 << 0, /* header block longer than the cap */
  MT_MSG_FINDING_BODY_TRUNCATED = 1 << 1,    /* body read only up to the cap */
  MT_MSG_FINDING_NUL = 1 << 2,               /* NUL bytes in the header block */
  MT_MSG_FINDING_NO_HEADERS = 1 << 3,        /* not a message at all */
  MT_MSG_FINDING_MIME_CRITICAL = 1 << 4,     /* readers disagree: conflicting duplicate headers
                                                or parameters, an invalid header line, a
                                                multipart without boundary */
  MT_MSG_FINDING_MIME_WARNING = 1 << 5,      /* sloppy but read alike: duplicates, truncation */
  MT_MSG_FINDING_TOO_DEEP = 1 << 6,          /* MIME tree past MT_MAX_MIME_DEPTH or PARTS */
} MtMessageFinding;

typedef struct {
  GPtrArray *headers;   /* MtHeader*, in file order */
  MtAddress *from;      /* (nullable) first From mailbox */
  MtAddress *sender;    /* (nullable) */
  MtAddress *reply_to;  /* (nullable) */
  GPtrArray *replies;   /* char*: every Reply-To address (mt_address_all_mailboxes()), the
                           first one first */
  char *return_path;    /* (nullable) without angle brackets */
  char *message_id;     /* (nullable) without angle brackets */
  GDateTime *date;      /* (nullable) */
  char *date_zone;      /* (nullable) the Date header's offset as written, e.g. `+0200` */
  char *mailer;         /* (nullable) X-Mailer, else User-Agent, else X-Newsreader */
  GPtrArray *charsets;  /* char*, lower-case, distinct: text parts and encoded words */
  char *html_generator; /* (nullable) `<meta name=generator>` or a Microsoft Office namespace */
  char *text_sample;    /* decoded Subject and start of the first text part, valid UTF-8 */
  guint findings;       /* MtMessageFinding bits */
  GPtrArray *warnings;  /* char*, one sentence per GMime parser warning (capped) */
} MtMessage;

/* "GMime 3.2.13": the reader in use, for `mailtrace -V`. Returns: (transfer full) */
char *mt_message_library_version(void);

/* Never fails: unparsable input gives a message with no headers and a finding.
 * Returns: (transfer full) */
MtMessage *mt_message_parse(const char *data, gsize len);

/* The length of the mbox separator line at @data (`From user@host date`, its line end
 * included), 0 when @data does not start with one: `From :` (obsolete syntax, common in
 * phishing) is a From field, not a separator. Every reader of mbox files asks this. */
gsize mt_message_mbox_line(const char *data, gsize len);

/* Whether @data starts like a mail message: its first line is a header field (or an mbox
 * `From ` line before one), and the header block holds at least one field every mail has
 * (From, Date, Received, Message-ID ...). An empty file, /etc/passwd or random bytes do not. */
gboolean mt_message_looks_like_mail(const char *data, gsize len);
void mt_message_free(MtMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtMessage, mt_message_free)

/* Raw values of every header named @name (case-insensitive), topmost first.
 * Returns: (transfer container): the strings belong to @msg */
GPtrArray *mt_message_get_all(const MtMessage *msg, const char *name);

/* The first header named @name. Returns: (transfer none) (nullable) */
const MtHeader *mt_message_get(const MtMessage *msg, const char *name);

G_END_DECLS
