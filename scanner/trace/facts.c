#include "facts.h"

#include <string.h>

#include "country.h"
#include "domain.h"
#include "ipaddr.h"

char *
mt_dkim_signature_domain(const char *raw)
{
  if (raw == NULL)
    return NULL;
  g_auto(GStrv) tags = g_strsplit(raw, ";", 64);
  for (guint i = 0; tags[i] != NULL; i++) {
    char *t = g_strstrip(tags[i]);
    if (t[0] == 'd' && (t[1] == '=' || g_ascii_isspace(t[1]))) {
      char *v = g_strstrip(strchr(t, '=') != NULL ? strchr(t, '=') + 1 : t + 1);
      return *v ? g_ascii_strdown(v, -1) : NULL;
    }
  }
  return NULL;
}

/* Who signed the message: the domains a trusted server found a DKIM pass for; with no trusted
 * DKIM verdict at all, the d= of each DKIM-Signature, which nobody verified. */
static void
collect_signers(MtFacts *f)
{
  f->signers = g_ptr_array_new_with_free_func(g_free);
  f->signers_verified = f->auth->dkim->len > 0;
  for (guint i = 0; i < f->auth->dkim->len; i++) {
    const MtDkimResult *d = g_ptr_array_index(f->auth->dkim, i);
    if (g_strcmp0(d->result, "pass") == 0 && d->domain != NULL)
      g_ptr_array_add(f->signers, g_strdup(d->domain));
  }
  if (f->signers_verified)
    return;
  g_autoptr(GPtrArray) sigs = mt_message_get_all(f->message, "DKIM-Signature");
  for (guint i = 0; i < sigs->len; i++) {
    char *d = mt_dkim_signature_domain(g_ptr_array_index(sigs, i));
    if (d != NULL)
      g_ptr_array_add(f->signers, d);
  }
}

/* RFC 7489 relaxed alignment: a signer with the From's registered domain. */
static char *
sender_signed(MtFacts *f)
{
  for (guint i = 0; f->from_domain != NULL && i < f->signers->len; i++) {
    const char *d = g_ptr_array_index(f->signers, i);
    if (!mt_same_registered_domain(d, f->from_domain))
      continue;
    if (!f->signers_verified)
      return g_strdup_printf("DKIM signature for %s (not verified by a trusted server)", d);
    f->sender_dkim_verified = TRUE;
    return g_strdup_printf("DKIM pass for %s", d);
  }
  return NULL;
}

/* X-Originating-IP: `[192.0.2.1]` or a bare address; the topmost, the provider's own. A
 * private or loopback address says nothing about where the writer was. */
static void
collect_originating(MtFacts *f, const MtGeoDb *geo)
{
  const MtHeader *h = mt_message_get(f->message, "X-Originating-IP");
  if (h == NULL || h->value == NULL)
    return;
  g_autofree char *text = g_strstrip(g_strdup(h->value));
  char *ip = text;
  if (*ip == '[')
    ip++;
  gsize n = strcspn(ip, "] \t");
  g_autofree char *norm = mt_ip_normalize(ip, n);
  if (norm == NULL || mt_ip_is_private(norm) || mt_ip_is_loopback(norm))
    return;
  f->originating_ip = g_steal_pointer(&norm);
  mt_geo_lookup(geo, f->originating_ip, &f->originating_geo);
}

/* The recipient as the user's own servers recorded it: a Delivered-To or X-Original-To above
 * the Received header the receiving server wrote for the origin. One below it is the sender's
 * to write (Exchange and Microsoft 365 add none, so a forged one would be the only one); so is
 * To, the last resort. */
static void
collect_recipient(MtFacts *f, const char *account_address)
{
  if (account_address != NULL && strchr(account_address, '@') != NULL) {
    f->recipient = g_ascii_strdown(account_address, -1);
    f->recipient_from = "account";
    return;
  }
  const MtTraceHop *origin = mt_trace_origin(f->trace);
  guint received = 0;
  const GPtrArray *headers = f->message->headers;
  for (guint i = 0; origin != NULL && i < headers->len; i++) {
    const MtHeader *h = g_ptr_array_index(headers, i);
    if (g_ascii_strcasecmp(h->name, "Received") == 0) {
      if (received++ == origin->received_index)
        break; /* below this one, the sender wrote the headers */
    } else if (g_ascii_strcasecmp(h->name, "Delivered-To") == 0 ||
               g_ascii_strcasecmp(h->name, "X-Original-To") == 0) {
      f->recipient = g_strstrip(g_ascii_strdown(h->value, -1));
      f->recipient_from = g_ascii_strcasecmp(h->name, "Delivered-To") == 0 ? "Delivered-To"
                                                                          : "X-Original-To";
      return;
    }
  }
  const MtHeader *to = mt_message_get(f->message, "To");
  g_autoptr(MtAddress) first = to != NULL ? mt_address_first_mailbox(to->value) : NULL;
  if (first != NULL && first->address != NULL) {
    f->recipient = g_ascii_strdown(first->address, -1);
    f->recipient_from = "To";
  }
}

MtFacts *
mt_facts_collect(const char *data, gsize len, const MtFactsContext *ctx)
{
  g_return_val_if_fail(ctx != NULL && ctx->trust != NULL, NULL);

  MtFacts *f = g_new0(MtFacts, 1);
  f->message = mt_message_parse(data, len);
  if (f->message->from != NULL)
    f->from_domain = mt_address_domain(f->message->from->address);
  g_autoptr(GPtrArray) received = mt_message_get_all(f->message, "Received");
  f->trace = mt_trace_parse(received);
  f->provider = mt_provider_record(f->message, f->trace);
  const MtProvider *p = f->provider->provider;
  g_autoptr(GPtrArray) ar = mt_provider_authres(f->message, f->provider);
  f->auth = mt_auth_collect(ar, ctx->authserv_ids, p != NULL);
  f->auth_own = f->auth->trusted->len > 0 &&
                (p != NULL || (ctx->authserv_ids != NULL && ctx->authserv_ids[0] != NULL));
  collect_signers(f);
  f->sender_signed = sender_signed(f);
  mt_trace_locate(f->trace, ctx->geo);
  collect_originating(f, ctx->geo);
  MtTraceBoundary b = {.provider = p != NULL ? p->name : NULL,
                       .internal_domains = p != NULL ? p->domains : NULL,
                       .asns = p != NULL ? p->asns : NULL,
                       .recorded_ip = f->provider->sender_ip,
                       .edge = f->provider->edge,
                       .tenants = p != NULL && p->tenants};
  b.learned_relays = ctx->learned_relays;
  mt_trace_decide(f->trace, ctx->trust, &b, f->sender_signed != NULL);
  /* A relay of the provider's own has a data centre's country; where the message came from is
   * the country the provider recorded for the sender it relayed for. */
  MtTraceHop *origin = (MtTraceHop *)mt_trace_origin(f->trace);
  if (origin != NULL && f->trace->origin_is_provider && f->provider->original_country != NULL) {
    g_free(origin->geo.country);
    origin->geo.country = g_strdup(f->provider->original_country);
    origin->country_by = p->name;
  }
  collect_recipient(f, ctx->account_address);
  return f;
}

void
mt_facts_free(MtFacts *facts)
{
  if (facts == NULL)
    return;
  mt_message_free(facts->message);
  mt_trace_free(facts->trace);
  mt_auth_free(facts->auth);
  mt_provider_record_free(facts->provider);
  g_free(facts->from_domain);
  g_free(facts->sender_signed);
  g_ptr_array_unref(facts->signers);
  g_free(facts->originating_ip);
  g_free(facts->recipient);
  mt_geo_info_clear(&facts->originating_geo);
  g_free(facts);
}

char *
mt_describe_hop(const MtTraceHop *th)
{
  const MtHop *hop = th->hop;
  GString *s = g_string_new(hop->ip != NULL ? hop->ip : "an unknown address");
  const MtGeoInfo *g = &th->geo;
  if (g->country == NULL && g->asn == 0)
    return g_string_free(s, FALSE);
  g_string_append(s, " (");
  if (g->country != NULL)
    g_string_append(s, mt_country_name(g->country));
  if (g->country != NULL && th->country_by != NULL) /* a relay of the provider's own */
    g_string_append_printf(s, " as %s recorded the sender it relayed for", th->country_by);
  if (g->asn != 0)
    g_string_append_printf(s, "%sAS%u%s%s", g->country != NULL ? ", " : "", g->asn,
                           g->as_org != NULL ? " " : "", g->as_org != NULL ? g->as_org : "");
  g_string_append_c(s, ')');
  return g_string_free(s, FALSE);
}
