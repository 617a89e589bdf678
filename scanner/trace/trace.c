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
    th->received_index = i;
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
/* Whether the client of @hop is named under one of the @learned relays' domains (its rDNS, or
 * its HELO where the writer records no rDNS, as mt_trust_is_relay() matches). */
static gboolean
learned_relay(const MtHop *hop, const char *const *learned)
{
  const char *name = hop->rdns != NULL ? hop->rdns : !hop->rdns_checked ? hop->helo : NULL;
  g_autofree char *reg = learned != NULL ? mt_registered_domain(name) : NULL;
  for (guint i = 0; reg != NULL && learned[i] != NULL; i++)
    if (g_ascii_strcasecmp(reg, learned[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
find_origin(MtTrace *trace, const MtTrust *trust, const char *const *learned)
{
  gboolean writer_trusted = TRUE;
  for (guint i = 0; i < trace->hops->len; i++) {
    MtTraceHop *th = hop_at(trace, i);
    th->trusted = writer_trusted;
    if (!writer_trusted || th->hop->skipped)
      continue;
    if (!mt_trust_is_relay(trust, th->hop, trace->local_domain) &&
        !(trace->guessed && learned_relay(th->hop, learned))) {
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

/* Whether the client of @th is one of the provider's own hosts, or inside its network. */
static gboolean
provider_internal(const MtTraceHop *th, const MtTraceBoundary *b)
{
  const MtHop *hop = th->hop;
  if (hop->ip != NULL && (mt_ip_is_private(hop->ip) || mt_ip_is_loopback(hop->ip)))
    return TRUE;
  const char *name = hop->rdns != NULL ? hop->rdns : hop->helo;
  g_autofree char *reg = mt_registered_domain(name);
  gboolean named = FALSE;
  for (guint i = 0; reg != NULL && b->internal_domains[i] != NULL; i++)
    named |= g_ascii_strcasecmp(reg, b->internal_domains[i]) == 0;
  if (!named || th->geo.asn == 0 || b->asns == NULL || b->asns[0] == 0)
    return named;
  for (guint i = 0; b->asns[i] != 0; i++) /* a HELO costs nothing: the network must agree */
    if (b->asns[i] == th->geo.asn)
      return TRUE;
  return FALSE;
}

/* The topmost hop from @ip at or above @last. */
static int
hop_from(const MtTrace *trace, const char *ip, int last)
{
  for (int i = 0; ip != NULL && i <= last && i < (int)trace->hops->len; i++) {
    const MtHop *hop = hop_at(trace, (guint)i)->hop;
    if (!hop->skipped && g_strcmp0(hop->ip, ip) == 0)
      return i;
  }
  return -1;
}

static void
find_origin_in_provider(MtTrace *trace, const MtTraceBoundary *b)
{
  int recorded = hop_from(trace, b->recorded_ip, (int)trace->hops->len - 1);
  int origin = recorded;
  gboolean look_through = recorded >= 0 && b->tenants &&
                          provider_internal(hop_at(trace, (guint)recorded), b);
  for (guint i = MAX(recorded, 0); i < trace->hops->len && (origin < 0 || look_through); i++) {
    MtTraceHop *th = hop_at(trace, i);
    if (!th->hop->skipped && !provider_internal(th, b)) {
      origin = (int)i;
      break;
    }
  }
  if (origin < 0)
    origin = b->edge;
  for (guint i = 0; i < trace->hops->len; i++)
    hop_at(trace, i)->trusted = (int)i <= origin || origin < 0;
  trace->origin = origin;
  trace->origin_is_provider = origin >= 0 && provider_internal(hop_at(trace, (guint)origin), b);
}

MtTrace *
mt_trace_parse(GPtrArray *received)
{
  g_return_val_if_fail(received != NULL, NULL);

  MtTrace *trace = g_new0(MtTrace, 1);
  trace->hops = g_ptr_array_new_with_free_func(trace_hop_free);
  trace->origin = trace->submission = -1;
  parse_hops(trace, received);
  return trace;
}

void
mt_trace_decide(MtTrace *trace, const MtTrust *trust, const MtTraceBoundary *b,
                gboolean sender_credible)
{
  g_return_if_fail(trace != NULL && trust != NULL);

  trace->origin = trace->submission = -1;
  trace->guessed = !mt_trust_is_configured(trust);
  g_clear_pointer(&trace->local_domain, g_free);
  trace->provider = NULL;
  trace->origin_is_provider = FALSE;
  if (trace->guessed && b != NULL && b->provider != NULL) {
    trace->provider = b->provider;
    find_origin_in_provider(trace, b);
  } else {
    if (trace->guessed)
      trace->local_domain = guess_local_domain(trace);
    find_origin(trace, trust, b != NULL ? b->learned_relays : NULL);
  }
  if (trace->origin >= 0 &&
      (sender_credible || mt_trust_is_sender_relay(trust, hop_at(trace, trace->origin)->hop)))
    find_submission(trace);
}

MtTrace *
mt_trace_build(GPtrArray *received, const MtTrust *trust, gboolean sender_credible)
{
  g_return_val_if_fail(received != NULL && trust != NULL, NULL);

  MtTrace *trace = mt_trace_parse(received);
  mt_trace_decide(trace, trust, NULL, sender_credible);
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
