/* What the receiving mailbox provider itself recorded about a message: its inbound edge among
 * the hops, the headers it wrote (above the edge, and those it adds right below it), and the
 * connecting address and country it names there (Authentication-Results `sender IP is`, an
 * SPF `designates ... as permitted sender` or `client-ip=`, X-Forefront-Antispam-Report's CIP
 * and CTRY). Only the topmost `by` decides who the provider is; what a sender wrote further
 * down never counts. */
#pragma once

#include "message.h"
#include "providers.h"
#include "trace.h"

G_BEGIN_DECLS

typedef struct {
  const MtProvider *provider; /* (nullable) the mailbox's provider; NULL: none known */
  int edge;                   /* index in the trace's hops of its inbound edge, -1: not found */
  guint zone_end;             /* headers [0, zone_end) of the message are the provider's */
  char *sender_ip;            /* (nullable) the connecting address it recorded, canonical */
  const char *sender_ip_from; /* (nullable) the header that said so */
  char *country;              /* (nullable) the country it assigned (ISO 3166 alpha-2) */
  /* When the message reached it from another of its own tenants: the sender that tenant
   * recorded (Microsoft's cross-tenant fields). */
  char *original_ip;      /* (nullable) canonical */
  char *original_country; /* (nullable) */
} MtProviderRecord;

/* @trace: parsed (mt_trace_parse()) from @msg's Received headers.
 * Returns: (transfer full) */
MtProviderRecord *mt_provider_record(const MtMessage *msg, const MtTrace *trace);
void mt_provider_record_free(MtProviderRecord *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtProviderRecord, mt_provider_record_free)

/* Whether the provider recorded a sender IP and it is @origin's (nullable). */
gboolean mt_provider_record_agrees(const MtProviderRecord *r, const MtTraceHop *origin);

/* The provider's own Authentication-Results values, topmost first: those in its part of the
 * header block, and those that carry one of its hosts as authserv-id; with no provider known,
 * every one. Returns: (transfer container) */
GPtrArray *mt_provider_authres(const MtMessage *msg, const MtProviderRecord *r);

G_END_DECLS
