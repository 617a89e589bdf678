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
  gboolean trusted;  /* written by one of the user's own servers */
  gboolean credible; /* written by the origin relay, believed because the sender is credible */
  MtGeoInfo geo;     /* filled by mt_trace_locate() */
} MtTraceHop;

typedef struct {
  GPtrArray *hops;    /* MtTraceHop*, topmost first, skipped hops included */
  int origin;         /* index in hops, -1 when none (mail from inside, or no hops) */
  int submission;     /* index in hops, -1 when none */
  gboolean guessed;   /* no trusted relays configured: the boundary was guessed */
  char *local_domain; /* (nullable) guessed: the registered domain of the topmost `by` */
  guint unparsed;     /* Received headers that are not traces at all */
  gboolean too_many;  /* more than MT_MAX_HOPS Received headers; the rest ignored */
} MtTrace;

/* @received: raw Received values, topmost first. @sender_credible: the origin relay is the
 * From domain's own outgoing server (its DKIM signature for that domain is there). A relay
 * configured as a sender's (mt_trust_add with sender TRUE) is credible too.
 * Returns: (transfer full) */
MtTrace *mt_trace_build(GPtrArray *received, const MtTrust *trust, gboolean sender_credible);

/* Looks up every hop's address. @geo may be NULL. */
void mt_trace_locate(MtTrace *trace, const MtGeoDb *geo);

void mt_trace_free(MtTrace *trace);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtTrace, mt_trace_free)

/* Returns: (transfer none) (nullable) */
const MtTraceHop *mt_trace_origin(const MtTrace *trace);
const MtTraceHop *mt_trace_submission(const MtTrace *trace);

G_END_DECLS
