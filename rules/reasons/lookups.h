/* What the online investigation (scanner/online/) found about one message, as facts a person can
 * check: each says what was asked, the answer, whether it was looked up now, taken from the
 * cache of an earlier lookup, or recorded in the headers, and the command that asks again.
 * Plain data, so that the engine and the reports need not know how it was found. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MT_LOOKUP_NOW,     /* asked during this analysis */
  MT_LOOKUP_CACHED,  /* an answer kept from an earlier lookup, still within its TTL */
  MT_LOOKUP_HEADERS, /* what a server wrote in the message when it received it */
} MtLookupSource;

typedef struct {
  char *subject;  /* what was asked about: an address, a name, a domain */
  char *kind;     /* ptr, forward, helo-forward, domain, network */
  char *text;     /* the answer, as a sentence */
  MtLookupSource source;
  gint64 at;      /* unix seconds the answer was obtained (0 for MT_LOOKUP_HEADERS) */
  char *command;  /* (nullable) how a person asks again: "host 192.0.2.1", "whois example.org" */
} MtLookupFact;

typedef struct {
  GPtrArray *facts; /* MtLookupFact*, in the order of the path */
  GPtrArray *notes; /* char*: lookups that failed or were skipped, and why */
  /* the origin network as RDAP describes it, for the abuse report */
  char *origin_ip;    /* (nullable) */
  char *abuse_email;  /* (nullable) */
  char *network_name; /* (nullable) */
} MtLookups;

MtLookups *mt_lookups_new(void);
void mt_lookups_free(MtLookups *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtLookups, mt_lookups_free)

/* Appends a fact; @command may be NULL. Returns: (transfer none) the fact. */
MtLookupFact *mt_lookups_add(MtLookups *l, MtLookupSource source, gint64 at, const char *kind,
                             const char *subject, const char *command, const char *fmt, ...)
    G_GNUC_PRINTF(7, 8);
void mt_lookups_note(MtLookups *l, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* "looked up now", "cached", "recorded in the headers" */
const char *mt_lookup_source_name(MtLookupSource source);

G_END_DECLS
