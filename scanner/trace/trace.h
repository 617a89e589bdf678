/* Hops + trust -> the path of one message: which hops our own servers wrote, the origin
 * (who handed the message to them) and, where the sender's server is credible, the
 * submission (where the message was really written from). */
#pragma once

#include <glib.h>

#include "geo.h"
#include "received.h"
#include "trust.h"

G_BEGIN_DECLS

typedef struct {
  MtHop *hop;
  guint received_index; /* which Received header it is, 0 for the topmost */
  gboolean trusted;  /* written by one of the user's own servers */
  gboolean credible; /* written by the origin relay, believed because the sender is credible */
  MtGeoInfo geo;     /* filled by mt_trace_locate() */
  const char *country_by; /* (nullable) the provider whose record gave geo.country */
} MtTraceHop;

typedef struct {
  GPtrArray *hops;    /* MtTraceHop*, topmost first, skipped hops included */
  int origin;         /* index in hops, -1 when none (mail from inside, or no hops) */
  int submission;     /* index in hops, -1 when none */
  gboolean guessed;   /* no trusted relays configured: the boundary was guessed */
  const char *provider; /* (nullable) guessed from the mailbox provider's own record: its name */
  gboolean origin_is_provider; /* the origin's client is a relay of that provider itself */
  char *local_domain; /* (nullable) guessed: the registered domain of the topmost `by` */
  guint unparsed;     /* Received headers that are not traces at all */
  gboolean too_many;  /* more than MT_MAX_HOPS Received headers; the rest ignored */
} MtTrace;

/* @received: raw Received values, topmost first. Returns: (transfer full): the hops, nothing
 * decided yet. */
MtTrace *mt_trace_parse(GPtrArray *received);

/* Where the message entered the user's mailbox provider: below the configured relays when
 * there are some; else, with @b (the mailbox provider known by its own hops), at the first hop
 * the provider recorded, or whose client is not one of the provider's own hosts (named under
 * its domains, and inside its networks when the AS is known; see MtTraceBoundary); else a
 * guess from the topmost `by`. The hops must have been located first
 * (mt_trace_locate()). @sender_credible: the origin relay is the From domain's own outgoing
 * server (its DKIM signature for that domain is there). A relay configured as a sender's
 * (mt_trust_add with sender TRUE) is credible too. */
typedef struct {
  const char *provider;                /* (nullable) its name; NULL: no provider recognised */
  const char *const *internal_domains; /* registered domains of its hosts */
  const guint *asns;                   /* (nullable) its ASes, 0-terminated */
  /* The connecting address the provider recorded (mt_provider_record()): the topmost hop from
   * it is the origin, whatever the names say. Without it, or when no hop came from it, the
   * first client that is not the provider's own; when every client is (mail between two of its
   * users), the hop at @edge, its inbound edge. */
  const char *recorded_ip; /* (nullable) */
  int edge;                /* -1: not found */
  gboolean tenants;        /* when that hop is the provider's own relay, look through it to
                              the first client below that is not (MtProvider.tenants) */
  /* With no provider: registered domains the guess trusts besides the topmost `by`'s, the
   * user's own relays as `learn` found them. */
  const char *const *learned_relays; /* (nullable) */
} MtTraceBoundary;

void mt_trace_decide(MtTrace *trace, const MtTrust *trust, const MtTraceBoundary *b,
                     gboolean sender_credible);

/* mt_trace_parse() then mt_trace_decide() with no provider record. Returns: (transfer full) */
MtTrace *mt_trace_build(GPtrArray *received, const MtTrust *trust, gboolean sender_credible);

/* Looks up every hop's address. @geo may be NULL. */
void mt_trace_locate(MtTrace *trace, const MtGeoDb *geo);

void mt_trace_free(MtTrace *trace);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtTrace, mt_trace_free)

/* Returns: (transfer none) (nullable) */
const MtTraceHop *mt_trace_origin(const MtTrace *trace);
const MtTraceHop *mt_trace_submission(const MtTrace *trace);

G_END_DECLS
