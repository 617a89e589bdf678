/* Everything the scanner knows about one message: the single input of the rules. */
#pragma once

#include <glib.h>

#include "authres.h"
#include "geo.h"
#include "message.h"
#include "provider-record.h"
#include "trace.h"
#include "trust.h"

G_BEGIN_DECLS

typedef struct {
  const MtTrust *trust;
  const char *const *authserv_ids; /* (nullable) trusted Authentication-Results ids */
  const MtGeoDb *geo;              /* (nullable) */
  const char *const *learned_relays; /* (nullable) registered domains of the user's relays */
  const char *account_address; /* (nullable) the mailbox being read, when it is known */
} MtFactsContext;

typedef struct {
  MtMessage *message;
  MtTrace *trace;
  MtAuth *auth;
  MtProviderRecord *provider; /* what the mailbox provider itself recorded */
  char *from_domain;   /* (nullable) */
  char *sender_signed; /* (nullable) why the origin relay is believed to be the sender's own:
                          e.g. `DKIM pass for example.org` */
  gboolean auth_own;             /* the trusted results are the mailbox provider's own (known
                                    by its record) or a configured authserv-id's, not merely
                                    the topmost header's: some upstream server's may be that */
  gboolean sender_dkim_verified; /* a trusted server reported DKIM pass aligned with From */
  GPtrArray *signers;            /* char*: the DKIM domains that signed it (see verified) */
  gboolean signers_verified;     /* TRUE: a trusted server's passes; FALSE: the signatures' d=,
                                    verified by nobody, as no trusted server judged DKIM */
  char *originating_ip;          /* (nullable) the public client address the sender's provider
                                    wrote in X-Originating-IP (webmail, Outlook) */
  MtGeoInfo originating_geo;     /* where that is */
  char *recipient;               /* (nullable) whose mailbox it is, by trust: the account's
                                    address, a Delivered-To or X-Original-To the user's own
                                    servers wrote, else the first To address */
  const char *recipient_from;    /* where @recipient came from: "account", "Delivered-To",
                                    "X-Original-To" or "To" */
} MtFacts;

/* Returns: (transfer full) */
MtFacts *mt_facts_collect(const char *data, gsize len, const MtFactsContext *ctx);
void mt_facts_free(MtFacts *facts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtFacts, mt_facts_free)

/* The `d=` tag of a DKIM-Signature value (RFC 6376 section 3.5), lower case.
 * Returns: (transfer full) (nullable) */
char *mt_dkim_signature_domain(const char *raw);

/* `203.0.113.5 (Brazil, AS28333 Example Org)`: an address with what is known of it.
 * Returns: (transfer full) */
char *mt_describe_hop(const MtTraceHop *th);

G_END_DECLS
