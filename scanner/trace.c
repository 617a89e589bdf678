#include "trace.h"

#include <string.h>

#include "domain.h"
#include "ipaddr.h"
#include "mt-limits.h"

static void
trace_hop_free(gpointer data)
{
  MtTraceHop *th = data;
  mt_hop_free(th->hop);
  mt_geo_info_clear(&th->geo);
  g_free(th);
}

static void
parse_hops(MtTrace *trace, GPtrArray *received)
{
  for (guint i = 0; i < received->len; i++) {
    if (trace->hops->len >= MT_MAX_HOPS) {
      trace->too_many = TRUE;
      return;
    }
    const char *raw = g_ptr_array_index(received, i);
    MtHop *hop = mt_received_parse(raw, strlen(raw));
    if (hop == NULL) {
      trace->unparsed++;
      continue;
    }
    MtTraceHop *th = g_new0(MtTraceHop, 1);
    th->hop = hop;
    g_ptr_array_add(trace->hops, th);
  }
}

static MtTraceHop *
hop_at(const MtTrace *trace, guint i)
{
  return g_ptr_array_index(trace->hops, i);
}

/* The user's provider, when nothing is configured: whoever wrote the topmost real hop. */
static char *
guess_local_domain(const MtTrace *trace)
{
  for (guint i = 0; i < trace->hops->len; i++) {
    const MtHop *hop = hop_at(trace, i)->hop;
    if (!hop->skipped && hop->by != NULL)
      return mt_registered_domain(hop->by);
  }
  return NULL;
}

/* Walks down from the top while each hop's client is one of our relays: the first client
 * that is not is the origin. Below it nobody we trust wrote anything. */
static void
find_origin(MtTrace *trace, const MtTrust *trust)
{
  gboolean writer_trusted = TRUE;
  for (guint i = 0; i < trace->hops->len; i++) {
    MtTraceHop *th = hop_at(trace, i);
    th->trusted = writer_trusted;
    if (!writer_trusted || th->hop->skipped)
      continue;
    if (!mt_trust_is_relay(trust, th->hop, trace->local_domain)) {
      trace->origin = (int)i;
      writer_trusted = FALSE;
    }
  }
}

/* Below a credible origin relay, the first authenticated hop is the submission; hops inside
 * the sender's network (private or no address) may stand between them. */
static void
find_submission(MtTrace *trace)
{
  for (guint i = trace->origin + 1; i < trace->hops->len; i++) {
    MtTraceHop *th = hop_at(trace, i);
    th->credible = TRUE;
    if (th->hop->skipped)
      continue;
    if (th->hop->authenticated) {
      trace->submission = (int)i;
      return;
    }
    if (th->hop->ip != NULL && !mt_ip_is_private(th->hop->ip))
      return;
  }
}

MtTrace *
mt_trace_build(GPtrArray *received, const MtTrust *trust, gboolean sender_credible)
{
  g_return_val_if_fail(received != NULL && trust != NULL, NULL);

  MtTrace *trace = g_new0(MtTrace, 1);
  trace->hops = g_ptr_array_new_with_free_func(trace_hop_free);
  trace->origin = trace->submission = -1;
  trace->guessed = !mt_trust_is_configured(trust);
  parse_hops(trace, received);
  if (trace->guessed)
    trace->local_domain = guess_local_domain(trace);
  find_origin(trace, trust);
  if (trace->origin >= 0 &&
      (sender_credible || mt_trust_is_sender_relay(trust, hop_at(trace, trace->origin)->hop)))
    find_submission(trace);
  return trace;
}

void
mt_trace_locate(MtTrace *trace, const MtGeoDb *geo)
{
  g_return_if_fail(trace != NULL);

  for (guint i = 0; i < trace->hops->len; i++) {
    MtTraceHop *th = hop_at(trace, i);
    mt_geo_info_clear(&th->geo);
    if (th->hop->ip != NULL && !mt_ip_is_private(th->hop->ip))
      mt_geo_lookup(geo, th->hop->ip, &th->geo);
  }
}

void
mt_trace_free(MtTrace *trace)
{
  if (trace == NULL)
    return;
  g_ptr_array_unref(trace->hops);
  g_free(trace->local_domain);
  g_free(trace);
}

const MtTraceHop *
mt_trace_origin(const MtTrace *trace)
{
  g_return_val_if_fail(trace != NULL, NULL);
  return trace->origin >= 0 ? hop_at(trace, trace->origin) : NULL;
}

const MtTraceHop *
mt_trace_submission(const MtTrace *trace)
{
  g_return_val_if_fail(trace != NULL, NULL);
  return trace->submission >= 0 ? hop_at(trace, trace->submission) : NULL;
}
