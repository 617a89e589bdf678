/* The fingerprint of one message: the attributes that stay stable across a contact's
 * genuine mail. Values are normalised so that two genuine messages compare equal: version
 * numbers are removed from mail clients, domains are registered domains (libpsl). */
#pragma once

#include <glib.h>

#include "facts.h"

G_BEGIN_DECLS

/* Attribute names: stable, stored in the profile database and shown in reasons. */
#define MT_FP_NETWORK "network"      /* origin AS number, `AS3320` */
#define MT_FP_COUNTRY "country"      /* origin country, `DE` */
#define MT_FP_ORIGIN "origin-domain" /* registered domain of the origin's rDNS, else HELO */
#define MT_FP_FIRST_HOP                                                                            \
  "first-hop"                       /* registered domain of the earliest public relay's client:    \
                                       the sender's own MTA, via a list or not */
#define MT_FP_DKIM "dkim"           /* DKIM signing domains, or absent */
#define MT_FP_MAILER "mailer"       /* client family without versions, or absent */
#define MT_FP_CHARSET "charset"     /* each text charset except us-ascii */
#define MT_FP_TIMEZONE "timezone"   /* the Date header's offset, `+0100` */
#define MT_FP_MSGID "msgid-domain"  /* domain of the Message-ID */
#define MT_FP_HTML "html-generator" /* HTML generator family, or absent */
/* Kept for the impersonation checks (impersonation.h), not compared as the others are: */
#define MT_FP_NAME "name"               /* the From display name's key (names.h) */
#define MT_FP_REPLY_TO "reply-to"       /* registered domain of the Reply-To address */
#define MT_FP_SUBMIT_NET "submission-network" /* AS of the bottom public hop below the origin: */
#define MT_FP_SUBMIT_COUNTRY "submission-country" /* the writer's device or their ISP */

/* A part the message lacks (no mailer, no DKIM signature, no origin outside the user's own
 * servers), learned like a value so that its appearance is noticed. Stored as the empty
 * string, which no real value is (empty values are never kept): a mailer really named
 * "none" is a mailer. Shown as "none" (mt_fp_shown). */
#define MT_FP_ABSENT ""

static inline gboolean
mt_fp_absent(const char *value)
{
  return value != NULL && value[0] == '\0';
}

/* @value as a person reads it: "none" for MT_FP_ABSENT. */
static inline const char *
mt_fp_shown(const char *value)
{
  return mt_fp_absent(value) ? "none" : value;
}

typedef struct {
  const char *attr; /* one of MT_FP_* */
  char *value;
  char *label; /* (nullable) what a person reads, e.g. `AS3320 Deutsche Telekom AG` */
} MtFpValue;

typedef struct {
  char *address;         /* (nullable) normalised From address: lower case, no +tag */
  GPtrArray *values;     /* MtFpValue*, several per attribute for dkim and charset */
  gboolean dkim_aligned; /* a trusted DKIM pass (or signature) for the From domain */
  gint64 when;           /* unix seconds the message arrived (the top Received date), else
                          * its Date header; 0 when neither parses */
} MtFingerprint;

/* Returns: (transfer full) */
MtFingerprint *mt_fingerprint_of(const MtFacts *facts);
void mt_fingerprint_free(MtFingerprint *fp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtFingerprint, mt_fingerprint_free)

/* The values of @attr in @fp, NULL-terminated. Returns: (transfer container) */
const char **mt_fingerprint_get(const MtFingerprint *fp, const char *attr);

/* `alice+news@Example.ORG` -> `alice@example.org`. Returns: (transfer full) (nullable) */
char *mt_address_normalize(const char *address);

/* `Mozilla/5.0 (X11) Gecko/20100101 Thunderbird/102.8.0` -> `Mozilla Gecko Thunderbird`.
 * Returns: (transfer full) */
char *mt_mailer_family(const char *mailer);

/* Every MT_FP_* name, NULL-terminated. */
extern const char *const mt_fp_attrs[];

G_END_DECLS
