/* One Received header value -> one hop. A pure function: no I/O, no configuration.
 *
 * The grammar is RFC 5321 section 4.4 (`from`, `by`, `via`, `with`, `id`, `for`, then `;` and
 * a date), but every MTA fills the comments its own way; the shapes understood are listed in
 * the README and each has rows in tests/unit/test-received.c. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Malformed or hostile input found while parsing: findings, not errors. */
typedef enum {
  MT_HOP_FINDING_NUL = 1 << 0,               /* NUL bytes, read as spaces */
  MT_HOP_FINDING_NO_DATE = 1 << 1,           /* no `;` date part, or one that does not parse */
  MT_HOP_FINDING_TOO_MANY_COMMENTS = 1 << 2, /* comments past MT_MAX_COMMENTS_PER_HOP ignored */
  MT_HOP_FINDING_TRUNCATED = 1 << 3,         /* value or a token longer than the limits */
  MT_HOP_FINDING_MAY_BE_FORGED = 1 << 4,     /* Sendmail's own `(may be forged)` */
  MT_HOP_FINDING_BAD_BY = 1 << 5,            /* `by` missing or not a host name */
  MT_HOP_FINDING_UNBALANCED = 1 << 6,        /* unclosed comment, bracket or angle */
} MtHopFinding;

typedef struct {
  char *helo; /* the name or literal the client announced */
  char *rdns; /* reverse DNS the receiver recorded; NULL for `unknown` or none */
  char *ip;   /* connecting address, canonical (see mt_ip_normalize) */
  char *by;   /* the receiving host */
  char *with; /* protocol as written, e.g. `ESMTPSA`, `Microsoft SMTP Server` */
  char *id;
  char *for_addr;      /* `for` recipient, without angle brackets */
  char *envelope_from; /* from an `(envelope-from <...>)` comment */
  char *ident;         /* RFC 1413 ident user the receiver recorded */
  GDateTime *date;     /* (nullable) */
  gboolean tls;
  gboolean authenticated;
  gboolean skipped;      /* not a network hop: local pickup, fetchmail, re-injection ... */
  gboolean rdns_checked; /* the writer's format records rDNS, so rdns == NULL means none */
  guint findings;        /* MtHopFinding bits */
} MtHop;

/* Parses one unfolded Received value (the text after `Received:`).
 * Returns: (transfer full) (nullable): NULL when the value has neither a `from` nor a
 * `by` part, i.e. it is not a Received trace at all. */
MtHop *mt_received_parse(const char *data, gsize len);

void mt_hop_free(MtHop *hop);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtHop, mt_hop_free)

/* ISO 8601 with offset, or NULL. Returns: (transfer full) (nullable) */
char *mt_hop_date_iso(const MtHop *hop);

G_END_DECLS
