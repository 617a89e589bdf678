#include "investigate.h"

#include <string.h>

#include "domain.h"
#include "http-fetch.h"
#include "ipaddr.h"
#include "lookup-cache.h"
#include "mt-limits.h"
#include "rdap-bootstrap.h"
#include "rdap-parse.h"
#include "resolver.h"

/* A negative DNS answer without a TTL (no SOA came with it) is kept this long. */
#define NEGATIVE_TTL 300
/* DNS TTLs beyond a day are cut: a week-old PTR is no answer about today. */
#define MAX_DNS_TTL 86400
/* An RDAP 404 (the registry knows no such object) is kept a day. */
#define RDAP_MISSING_TTL 86400

struct _MtInvestigator {
  MtOnlineSettings settings;
  MtStore *store; /* (nullable) */
  MtRdapBootstrap *bootstrap;
};

MtInvestigator *
mt_investigator_new(const MtOnlineSettings *settings, MtStore *store, GPtrArray *warnings)
{
  g_return_val_if_fail(settings != NULL && warnings != NULL, NULL);

  MtInvestigator *inv = g_new0(MtInvestigator, 1);
  inv->settings = *settings;
  inv->settings.resolver = g_strdup(settings->resolver);
  inv->settings.rdap_bootstrap = g_strdup(settings->rdap_bootstrap);
  inv->store = store;
  if (settings->rdap) {
    g_auto(GStrv) dirs = mt_online_bootstrap_dirs(settings);
    inv->bootstrap = mt_rdap_bootstrap_load((const char *const *)dirs, warnings);
  }
  return inv;
}

void
mt_investigator_free(MtInvestigator *inv)
{
  if (inv == NULL)
    return;
  mt_online_settings_clear(&inv->settings);
  mt_rdap_bootstrap_free(inv->bootstrap);
  g_free(inv);
}

/* One question of this investigation, answered now, from the cache, or not at all. */
typedef struct {
  MtDnsQuery *q;
  MtLookupSource source;
  gint64 at;
} Asked;

typedef struct {
  const MtInvestigator *inv;
  MtLookups *out;
  gint64 now;      /* unix seconds */
  gint64 deadline; /* monotonic microseconds */
  GHashTable *asked; /* "TYPE name" -> Asked* */
  MtResolver *resolver; /* (nullable) started at the first question the cache cannot answer */
  gboolean resolver_failed;
} Investigation;

static void
asked_free(gpointer data)
{
  Asked *a = data;
  mt_dns_query_free(a->q);
  g_free(a);
}

static const char *
type_name(int type)
{
  return type == MT_DNS_PTR ? "PTR" : type == MT_DNS_AAAA ? "AAAA" : "A";
}

static char *
asked_key(const char *name, int type)
{
  return g_strdup_printf("%s %s", type_name(type), name);
}

/* Cache values: "ok ANSWER...", "nxdomain", "nodata". */
static gboolean
from_cache(Investigation *iv, Asked *a)
{
  if (iv->inv->store == NULL)
    return FALSE;
  g_autofree char *key = g_strdup_printf("dns %s %s", type_name(a->q->type), a->q->name);
  g_autofree char *value = NULL;
  if (!mt_lookup_cache_get(iv->inv->store, key, iv->now, &value, &a->at))
    return FALSE;
  g_auto(GStrv) words = g_strsplit(value, " ", -1); /* as many as were kept (MT_MAX_DNS_ANSWERS) */
  if (strcmp(words[0], "nxdomain") == 0)
    a->q->status = MT_DNS_NXDOMAIN;
  else if (strcmp(words[0], "nodata") == 0)
    a->q->status = MT_DNS_NODATA;
  else if (strcmp(words[0], "ok") == 0 && words[1] != NULL) {
    a->q->status = MT_DNS_OK;
    a->q->answers = g_strdupv(words + 1);
  } else
    return FALSE; /* not a value this version wrote: ask again */
  a->source = MT_LOOKUP_CACHED;
  return TRUE;
}

static void
to_cache(Investigation *iv, const Asked *a)
{
  const MtDnsQuery *q = a->q;
  if (iv->inv->store == NULL ||
      (q->status != MT_DNS_OK && q->status != MT_DNS_NXDOMAIN && q->status != MT_DNS_NODATA))
    return;
  guint ttl = q->ttl > 0 ? q->ttl : q->status == MT_DNS_OK ? 0 : NEGATIVE_TTL;
  if (ttl == 0)
    return; /* the zone asks that it not be kept */
  g_autofree char *key = g_strdup_printf("dns %s %s", type_name(q->type), q->name);
  g_autofree char *answers = q->answers != NULL ? g_strjoinv(" ", q->answers) : NULL;
  g_autofree char *value = q->status == MT_DNS_OK       ? g_strconcat("ok ", answers, NULL)
                           : q->status == MT_DNS_NXDOMAIN ? g_strdup("nxdomain")
                                                          : g_strdup("nodata");
  mt_lookup_cache_put(iv->inv->store, key, value, iv->now, MIN(ttl, MAX_DNS_TTL));
}

/* Adds a question (once, however often it is asked). Returns: (transfer none) */
static Asked *
ask(Investigation *iv, const char *name, int type)
{
  g_autofree char *key = asked_key(name, type);
  Asked *a = g_hash_table_lookup(iv->asked, key);
  if (a != NULL)
    return a;
  a = g_new0(Asked, 1);
  a->q = mt_dns_query_new(name, type);
  a->source = MT_LOOKUP_NOW;
  g_hash_table_insert(iv->asked, g_steal_pointer(&key), a);
  return a;
}

/* Answers every question not answered yet: from the cache, else all at once from DNS. */
static void
resolve(Investigation *iv)
{
  g_autoptr(GPtrArray) queries = g_ptr_array_new();
  g_autoptr(GPtrArray) pending = g_ptr_array_new();
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init(&it, iv->asked);
  while (g_hash_table_iter_next(&it, NULL, &value)) {
    Asked *a = value;
    if (a->q->status != MT_DNS_PENDING || from_cache(iv, a))
      continue;
    g_ptr_array_add(queries, a->q);
    g_ptr_array_add(pending, a);
  }
  if (queries->len == 0)
    return;
  if (iv->resolver == NULL && !iv->resolver_failed) {
    g_autoptr(GError) err = NULL;
    iv->resolver = mt_resolver_new(iv->inv->settings.resolver, &err);
    if (iv->resolver == NULL) {
      iv->resolver_failed = TRUE;
      mt_lookups_note(iv->out, "DNS: %s", err->message);
    }
  }
  if (iv->resolver == NULL) {
    for (guint i = 0; i < queries->len; i++)
      ((MtDnsQuery *)g_ptr_array_index(queries, i))->status = MT_DNS_SERVFAIL;
    return;
  }
  mt_resolver_run(iv->resolver, queries, (guint)(iv->inv->settings.timeout * 1000), iv->deadline);
  for (guint i = 0; i < pending->len; i++) {
    Asked *a = g_ptr_array_index(pending, i);
    a->at = iv->now;
    to_cache(iv, a);
  }
}

static char *
dns_command(const Asked *a, const char *ip)
{
  return a->q->type == MT_DNS_PTR ? g_strdup_printf("host %s", ip)
                                  : g_strdup_printf("host -t %s %s", type_name(a->q->type),
                                                    a->q->name);
}

/* "looked up now: host 192.0.2.1", "cached from 2026-12-01 10:00 UTC: host ..." */
static char *
provenance(MtLookupSource source, gint64 at, const char *command)
{
  if (source == MT_LOOKUP_CACHED) {
    g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(at);
    g_autofree char *when = t != NULL ? g_date_time_format(t, "%Y-%m-%d %H:%M UTC") : NULL;
    return g_strdup_printf("looked up %s, cached: %s", when != NULL ? when : "earlier", command);
  }
  return g_strdup_printf("%s: %s", mt_lookup_source_name(source), command);
}

static gboolean
answered(const Asked *a)
{
  return a->q->status == MT_DNS_OK || a->q->status == MT_DNS_NXDOMAIN ||
         a->q->status == MT_DNS_NODATA;
}

static gboolean
answers_contain(const Asked *a, const char *ip)
{
  for (guint i = 0; a->q->answers != NULL && a->q->answers[i] != NULL; i++) {
    g_autofree char *norm = mt_ip_normalize(a->q->answers[i], strlen(a->q->answers[i]));
    if (norm != NULL && strcmp(norm, ip) == 0)
      return TRUE;
  }
  return FALSE;
}

/* "resolves to 192.0.2.7, 192.0.2.8", "does not exist", "has no IPv4 address" */
static char *
forward_answer(const Asked *a)
{
  if (a->q->status == MT_DNS_NXDOMAIN)
    return g_strdup("does not exist");
  if (a->q->status != MT_DNS_OK)
    return g_strdup_printf("has no %s address", a->q->type == MT_DNS_AAAA ? "IPv6" : "IPv4");
  /* every address is compared (answers_contain); the first few are shown */
  guint n = g_strv_length(a->q->answers), shown = MIN(n, 8u);
  GString *list = g_string_new(NULL);
  for (guint i = 0; i < shown; i++)
    g_string_append_printf(list, "%s%s", i > 0 ? ", " : "", a->q->answers[i]);
  if (n > shown)
    g_string_append_printf(list, " and %u more", n - shown);
  g_autofree char *text = g_string_free(list, FALSE);
  return g_strdup_printf("resolves to %s", text);
}

static void
note_failure(Investigation *iv, const Asked *a, const char *what)
{
  const char *server = iv->inv->settings.resolver != NULL ? iv->inv->settings.resolver
                                                          : "the system's resolver";
  mt_lookups_note(iv->out, "%s: %s (%s%s%s); judged without it", what,
                  mt_dns_status_name(a->q->status), server, a->q->error != NULL ? ": " : "",
                  a->q->error != NULL ? a->q->error : "");
}

/* A HELO worth a forward lookup: a dotted host name, not an address literal. */
static char *
helo_name(const char *helo)
{
  if (helo == NULL || helo[0] == '[' || strchr(helo, '.') == NULL || strlen(helo) > 253)
    return NULL;
  g_autofree char *ip = mt_ip_normalize(helo, strlen(helo));
  if (ip != NULL)
    return NULL;
  for (const char *p = helo; *p != '\0'; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '.' && *p != '_')
      return NULL;
  return g_ascii_strdown(helo, -1);
}

typedef struct {
  const MtTraceHop *th;
  gboolean origin;
  int family_type; /* MT_DNS_A or MT_DNS_AAAA: the family of the hop's address */
  Asked *ptr;
  char *helo;    /* (nullable) */
  Asked *helo_fw; /* (nullable) */
  Asked *ptr_fw[MT_MAX_PTR_NAMES];
} HopLookups;

/* The hops looked up: the origin, then down to the submission, public addresses only. */
static GArray *
hops_to_look_up(const MtTrace *trace)
{
  GArray *hops = g_array_new(FALSE, TRUE, sizeof(HopLookups));
  if (trace == NULL || trace->origin < 0)
    return hops;
  int last = trace->submission > trace->origin ? trace->submission : trace->origin;
  for (int i = trace->origin; i <= last && hops->len < MT_MAX_ONLINE_HOPS; i++) {
    const MtTraceHop *th = g_ptr_array_index(trace->hops, (guint)i);
    const char *ip = th->hop->ip;
    if (th->hop->skipped || ip == NULL || mt_ip_is_private(ip) || mt_ip_is_loopback(ip))
      continue;
    HopLookups h = {.th = th, .origin = i == trace->origin,
                    .family_type = strchr(ip, ':') != NULL ? MT_DNS_AAAA : MT_DNS_A};
    g_array_append_val(hops, h);
  }
  return hops;
}

static void
hop_lookups_clear(gpointer data)
{
  g_free(((HopLookups *)data)->helo);
}

/* What the receiving server wrote, as the first fact about a hop: the PTR may have changed
 * since the message was sent. */
static void
recorded_fact(Investigation *iv, const HopLookups *h)
{
  const MtHop *hop = h->th->hop;
  g_autofree char *when = mt_hop_date_iso(hop);
  g_autofree char *rdns =
      hop->rdns != NULL ? g_strdup_printf("reverse DNS %s", hop->rdns)
      : hop->rdns_checked ? g_strdup("no reverse DNS name")
                          : g_strdup("no reverse DNS recorded");
  mt_lookups_add(iv->out, MT_LOOKUP_HEADERS, 0, "received", hop->ip, NULL,
                 "%s received %s from %s with %s, HELO %s%s%s", hop->by != NULL ? hop->by : "a relay",
                 h->origin ? "the message" : "it", hop->ip, rdns,
                 hop->helo != NULL ? hop->helo : "none", when != NULL ? ", at " : "",
                 when != NULL ? when : "");
}

static void
judge_hop(Investigation *iv, const HopLookups *h, MtVerdict *verdict, const MtPolicy *policy)
{
  const char *ip = h->th->hop->ip;
  recorded_fact(iv, h);
  /* the PTR now */
  g_autofree char *ptr_cmd = dns_command(h->ptr, ip);
  g_autofree char *ptr_from = provenance(h->ptr->source, h->ptr->at, ptr_cmd);
  if (!answered(h->ptr)) {
    g_autofree char *what = g_strdup_printf("PTR of %s", ip);
    note_failure(iv, h->ptr, what);
  } else if (h->ptr->q->status == MT_DNS_OK) {
    g_autofree char *names = g_strjoinv(", ", h->ptr->q->answers);
    mt_lookups_add(iv->out, h->ptr->source, h->ptr->at, "ptr", ip, ptr_cmd,
                   "%s has the PTR name %s", ip, names);
  } else {
    mt_lookups_add(iv->out, h->ptr->source, h->ptr->at, "ptr", ip, ptr_cmd,
                   "%s has no PTR record", ip);
  }
  /* FCrDNS: a PTR name that resolves back to the address */
  gboolean confirmed = FALSE, refuted = FALSE;
  GString *refutation = g_string_new(NULL);
  for (guint i = 0; i < MT_MAX_PTR_NAMES && h->ptr_fw[i] != NULL; i++) {
    const Asked *fw = h->ptr_fw[i];
    g_autofree char *cmd = dns_command(fw, NULL);
    if (!answered(fw)) {
      g_autofree char *what = g_strdup_printf("forward lookup of %s", fw->q->name);
      note_failure(iv, fw, what);
      continue;
    }
    g_autofree char *answer = forward_answer(fw);
    mt_lookups_add(iv->out, fw->source, fw->at, "forward", fw->q->name, cmd, "%s %s",
                   fw->q->name, answer);
    if (answers_contain(fw, ip)) {
      confirmed = TRUE;
      continue;
    }
    refuted = TRUE;
    g_autofree char *from = provenance(fw->source, fw->at, cmd);
    g_string_append_printf(refutation, "%s%s, which %s%s%s (%s; %s)",
                           refutation->len > 0 ? "; and " : "", fw->q->name, answer,
                           fw->q->status == MT_DNS_OK ? ", not " : "",
                           fw->q->status == MT_DNS_OK ? ip : "", ptr_from, from);
  }
  if (h->origin && refuted && !confirmed)
    mt_verdict_add(verdict, "rdns-not-confirmed", mt_policy_weight(policy, "rdns-not-confirmed"),
                   "The origin %s has the reverse DNS name %s.", ip, refutation->str);
  g_string_free(refutation, TRUE);
  /* the HELO name, forward */
  if (h->helo_fw == NULL)
    return;
  const Asked *fw = h->helo_fw;
  g_autofree char *cmd = dns_command(fw, NULL);
  if (!answered(fw)) {
    g_autofree char *what = g_strdup_printf("forward lookup of the HELO %s", h->helo);
    note_failure(iv, fw, what);
    return;
  }
  g_autofree char *answer = forward_answer(fw);
  mt_lookups_add(iv->out, fw->source, fw->at, "helo-forward", h->helo, cmd, "%s %s", h->helo,
                 answer);
  if (!h->origin || answers_contain(fw, ip))
    return;
  g_autofree char *from = provenance(fw->source, fw->at, cmd);
  if (fw->q->status == MT_DNS_OK)
    mt_verdict_add(verdict, "helo-forward-mismatch",
                   mt_policy_weight(policy, "helo-forward-mismatch"),
                   "The origin %s announced HELO %s, but %s %s, not %s (%s).", ip, h->helo,
                   h->helo, answer, ip, from);
  else
    mt_verdict_add(verdict, "helo-forward-mismatch",
                   mt_policy_weight(policy, "helo-forward-mismatch"),
                   "The origin %s announced HELO %s, a name that %s (%s).", ip, h->helo, answer,
                   from);
}

static void
investigate_dns(Investigation *iv, const MtTrace *trace, MtVerdict *verdict,
                const MtPolicy *policy)
{
  g_autoptr(GArray) hops = hops_to_look_up(trace);
  g_array_set_clear_func(hops, hop_lookups_clear);
  for (guint i = 0; i < hops->len; i++) {
    HopLookups *h = &g_array_index(hops, HopLookups, i);
    g_autofree char *rev = mt_dns_reverse_name(h->th->hop->ip);
    if (rev == NULL)
      continue;
    h->ptr = ask(iv, rev, MT_DNS_PTR);
    h->helo = helo_name(h->th->hop->helo);
    if (h->helo != NULL)
      h->helo_fw = ask(iv, h->helo, h->family_type);
  }
  resolve(iv);
  /* the names the PTRs gave, forward: a second round */
  for (guint i = 0; i < hops->len; i++) {
    HopLookups *h = &g_array_index(hops, HopLookups, i);
    if (h->ptr == NULL || h->ptr->q->status != MT_DNS_OK)
      continue;
    for (guint k = 0; k < MT_MAX_PTR_NAMES && h->ptr->q->answers[k] != NULL; k++)
      h->ptr_fw[k] = ask(iv, h->ptr->q->answers[k], h->family_type);
  }
  resolve(iv);
  for (guint i = 0; i < hops->len; i++) {
    const HopLookups *h = &g_array_index(hops, HopLookups, i);
    if (h->ptr != NULL)
      judge_hop(iv, h, verdict, policy);
  }
}

/* ---- RDAP ---- */

typedef enum { RDAP_DOMAIN, RDAP_NETWORK } RdapKind;

typedef struct {
  RdapKind kind;
  char *subject;  /* the domain or the address */
  GPtrArray *roles; /* (nullable) for a domain, what it is to the message: "From", "HELO" ... */
  MtLookupSource source;
  gint64 at;
  char *value;    /* (nullable) the cached form of the answer; "missing" for a 404 */
  MtHttpGet *get; /* (nullable) asked now */
  char *failure;  /* (nullable) why there is no answer */
} RdapAsk;

static void
rdap_ask_free(gpointer data)
{
  RdapAsk *r = data;
  g_free(r->subject);
  if (r->roles != NULL)
    g_ptr_array_unref(r->roles);
  g_free(r->value);
  mt_http_get_free(r->get);
  g_free(r->failure);
  g_free(r);
}

static char *
rdap_cache_key(const RdapAsk *r)
{
  return g_strdup_printf("rdap %s %s", r->kind == RDAP_DOMAIN ? "domain" : "ip", r->subject);
}

/* The host of @url, for the rate limit each server sets. */
static char *
url_host(const char *url)
{
  const char *p = strstr(url, "://");
  p = p != NULL ? p + 3 : url;
  return g_strndup(p, strcspn(p, "/"));
}

/* Cached forms: a domain "REGISTERED\tREGISTRAR\tSTATUS", a network
 * "RANGE\tNAME\tOWNER\tCOUNTRY\tABUSE", each field possibly empty; or "missing". RDAP text was
 * cleaned of control characters (rdap-parse.c), so no field holds a tab. */
static char *
encode_domain(const MtRdapDomain *d)
{
  return g_strdup_printf("%" G_GINT64_FORMAT "\t%s\t%s", d->registered,
                         d->registrar != NULL ? d->registrar : "", d->status != NULL ? d->status : "");
}

static char *
encode_network(const MtRdapNetwork *n)
{
  return g_strdup_printf("%s\t%s\t%s\t%s\t%s", n->range != NULL ? n->range : "",
                         n->name != NULL ? n->name : "", n->owner != NULL ? n->owner : "",
                         n->country != NULL ? n->country : "",
                         n->abuse_email != NULL ? n->abuse_email : "");
}

static char *
field(GStrv f, guint i)
{
  return g_strv_length(f) > i && f[i][0] != '\0' ? f[i] : NULL;
}

static void
rdap_answer_from_get(const MtInvestigator *inv, RdapAsk *r, gint64 now)
{
  MtHttpGet *g = r->get;
  if (g->error != NULL) {
    r->failure = g_strdup(g->error);
    return;
  }
  if (g->status == 404) {
    r->value = g_strdup("missing");
  } else if (g->status == 429 || g->status == 503) {
    gint64 wait = MIN(g->retry_after, (gint64)MT_MAX_RETRY_AFTER);
    if (g->retry_after > MT_MAX_RETRY_AFTER)
      r->failure = g_strdup_printf("the server asked to wait %" G_GINT64_FORMAT " s (HTTP %ld); "
                                   "not asked again for a day, the longest mailtrace waits",
                                   g->retry_after, g->status);
    else if (g->retry_after > 0)
      r->failure = g_strdup_printf("the server asked to wait %" G_GINT64_FORMAT " s (HTTP %ld)",
                                   g->retry_after, g->status);
    else
      r->failure = g_strdup_printf("the server is busy (HTTP %ld)", g->status);
    if (inv->store != NULL) { /* no request to that server until it said, a day at most */
      g_autofree char *host = url_host(g->url);
      g_autofree char *key = g_strdup_printf("rdap wait %s", host);
      mt_lookup_cache_put(inv->store, key, "wait", now, wait > 0 ? wait : 60);
    }
    return;
  } else if (g->status != 200) {
    r->failure = g_strdup_printf("HTTP status %ld", g->status);
    return;
  } else {
    g_autoptr(GError) err = NULL;
    const char *body = (const char *)g->body->data;
    if (r->kind == RDAP_DOMAIN) {
      MtRdapDomain d;
      if (mt_rdap_parse_domain(body, g->body->len, &d, &err))
        r->value = encode_domain(&d);
      mt_rdap_domain_clear(&d);
    } else {
      MtRdapNetwork n;
      if (mt_rdap_parse_network(body, g->body->len, &n, &err))
        r->value = encode_network(&n);
      mt_rdap_network_clear(&n);
    }
    if (r->value == NULL) {
      r->failure = g_strdup_printf("not a usable answer: %s", err->message);
      return;
    }
  }
  r->source = MT_LOOKUP_NOW;
  r->at = now;
  if (inv->store != NULL) {
    g_autofree char *key = rdap_cache_key(r);
    gint64 ttl = strcmp(r->value, "missing") == 0 ? RDAP_MISSING_TTL
                                                  : (gint64)inv->settings.rdap_cache_days * 86400;
    mt_lookup_cache_put(inv->store, key, r->value, now, ttl);
  }
}

/* "the From domain", "the From, envelope and HELO domain" */
static char *
roles_text(GPtrArray *roles)
{
  GString *s = g_string_new("the ");
  for (guint i = 0; i < roles->len; i++)
    g_string_append_printf(s, "%s%s", i == 0 ? "" : i + 1 == roles->len ? " and " : ", ",
                           (const char *)g_ptr_array_index(roles, i));
  g_string_append(s, " domain");
  return g_string_free(s, FALSE);
}

static void
rdap_fact(Investigation *iv, const RdapAsk *r, gint64 message_time, MtVerdict *verdict,
          const MtPolicy *policy)
{
  g_autofree char *cmd = g_strdup_printf("whois %s", r->subject);
  if (r->value == NULL) {
    mt_lookups_note(iv->out, "RDAP of %s: %s; judged without it", r->subject, r->failure);
    return;
  }
  const char *kind = r->kind == RDAP_DOMAIN ? "domain" : "network";
  if (strcmp(r->value, "missing") == 0) {
    mt_lookups_add(iv->out, r->source, r->at, kind, r->subject, cmd,
                   "the registry has no record of %s", r->subject);
    return;
  }
  g_auto(GStrv) f = g_strsplit(r->value, "\t", 6);
  if (r->kind == RDAP_NETWORK) {
    const char *range = field(f, 0), *name = field(f, 1), *owner = field(f, 2),
               *country = field(f, 3), *abuse = field(f, 4);
    mt_lookups_add(iv->out, r->source, r->at, kind, r->subject, cmd,
                   "%s is in the network %s%s%s%s%s%s%s%s; abuse contact %s", r->subject,
                   name != NULL ? name : "(unnamed)", range != NULL ? " (" : "",
                   range != NULL ? range : "", range != NULL ? ")" : "",
                   owner != NULL ? " of " : "", owner != NULL ? owner : "",
                   country != NULL ? ", country " : "", country != NULL ? country : "",
                   abuse != NULL ? abuse : "none given");
    if (iv->out->origin_ip == NULL) {
      iv->out->origin_ip = g_strdup(r->subject);
      iv->out->abuse_email = g_strdup(abuse);
      iv->out->network_name = g_strdup(name != NULL ? name : owner);
    }
    return;
  }
  g_autofree char *role = roles_text(r->roles);
  gint64 registered = g_ascii_strtoll(f[0], NULL, 10);
  const char *registrar = field(f, 1), *status = field(f, 2);
  g_autoptr(GDateTime) t = registered > 0 ? g_date_time_new_from_unix_utc(registered) : NULL;
  g_autofree char *date = t != NULL ? g_date_time_format(t, "%Y-%m-%d") : NULL;
  mt_lookups_add(iv->out, r->source, r->at, kind, r->subject, cmd,
                 "%s (%s) was registered %s%s%s%s%s%s", r->subject, role,
                 date != NULL ? "on " : "at a date the registry does not give",
                 date != NULL ? date : "", registrar != NULL ? " through " : "",
                 registrar != NULL ? registrar : "", status != NULL ? "; status " : "",
                 status != NULL ? status : "");
  if (date == NULL || policy->young_domain_days == 0)
    return;
  gint64 age = message_time - registered;
  /* a registration after the message is a domain registered again since: no finding */
  if (age < 0 || age >= (gint64)policy->young_domain_days * 86400)
    return;
  gint64 days = age / 86400;
  g_autofree char *from = provenance(r->source, r->at, cmd);
  mt_verdict_add(verdict, "domain-young", mt_policy_weight(policy, "domain-young"),
                 "%s, %s, was registered on %s, %" G_GINT64_FORMAT " day%s before the message "
                 "(under %u; %s).",
                 r->subject, role, date, days, days == 1 ? "" : "s", policy->young_domain_days,
                 from);
}

static void
add_domain(GPtrArray *asks, const char *host, const char *role)
{
  g_autofree char *domain = host != NULL ? mt_registered_domain(host) : NULL;
  if (domain == NULL)
    return;
  for (guint i = 0; i < asks->len; i++) {
    RdapAsk *r = g_ptr_array_index(asks, i);
    if (r->kind == RDAP_DOMAIN && g_ascii_strcasecmp(r->subject, domain) == 0) {
      g_ptr_array_add(r->roles, (gpointer)role);
      return;
    }
  }
  RdapAsk *r = g_new0(RdapAsk, 1);
  r->kind = RDAP_DOMAIN;
  r->subject = g_ascii_strdown(domain, -1);
  r->roles = g_ptr_array_new();
  g_ptr_array_add(r->roles, (gpointer)role);
  g_ptr_array_add(asks, r);
}

static gint64
message_time(const MtFacts *facts, gint64 now)
{
  const MtTraceHop *origin = mt_trace_origin(facts->trace);
  GDateTime *t = origin != NULL && origin->hop->date != NULL ? origin->hop->date
                 : facts->message->date;
  gint64 when = t != NULL ? g_date_time_to_unix(t) : now;
  return MIN(when, now);
}

static void
investigate_rdap(Investigation *iv, const MtFacts *facts, MtVerdict *verdict,
                 const MtPolicy *policy)
{
  const MtInvestigator *inv = iv->inv;
  if (inv->bootstrap == NULL)
    return;
  g_autoptr(GPtrArray) asks = g_ptr_array_new_with_free_func(rdap_ask_free);
  add_domain(asks, facts->from_domain, "From");
  g_autofree char *envelope =
      facts->message->return_path != NULL ? mt_address_domain(facts->message->return_path) : NULL;
  add_domain(asks, envelope, "envelope");
  const MtTraceHop *origin = mt_trace_origin(facts->trace);
  g_autofree char *helo = origin != NULL ? helo_name(origin->hop->helo) : NULL;
  add_domain(asks, helo, "HELO");
  const char *ip = origin != NULL ? origin->hop->ip : NULL;
  if (ip != NULL && !mt_ip_is_private(ip) && !mt_ip_is_loopback(ip)) {
    RdapAsk *r = g_new0(RdapAsk, 1);
    r->kind = RDAP_NETWORK;
    r->subject = g_strdup(ip);
    g_ptr_array_add(asks, r);
  }
  g_autoptr(GPtrArray) gets = g_ptr_array_new();
  for (guint i = 0; i < asks->len; i++) {
    RdapAsk *r = g_ptr_array_index(asks, i);
    g_autofree char *key = rdap_cache_key(r);
    if (inv->store != NULL && mt_lookup_cache_get(inv->store, key, iv->now, &r->value, &r->at)) {
      r->source = MT_LOOKUP_CACHED;
      continue;
    }
    const char *base = r->kind == RDAP_DOMAIN ? mt_rdap_bootstrap_domain(inv->bootstrap, r->subject)
                                              : mt_rdap_bootstrap_ip(inv->bootstrap, r->subject);
    if (base == NULL) {
      r->failure = g_strdup("no RDAP server is known for it (bootstrap files)");
      continue;
    }
    g_autofree char *host = url_host(base);
    g_autofree char *wait_key = g_strdup_printf("rdap wait %s", host);
    g_autofree char *waiting = NULL;
    if (inv->store != NULL &&
        mt_lookup_cache_get(inv->store, wait_key, iv->now, &waiting, NULL)) {
      r->failure = g_strdup_printf("%s asked to wait before the next request", host);
      continue;
    }
    g_autofree char *url = g_strdup_printf("%s%s/%s", base,
                                           r->kind == RDAP_DOMAIN ? "domain" : "ip", r->subject);
    r->get = mt_http_get_new(url);
    g_ptr_array_add(gets, r->get);
  }
  if (gets->len > 0)
    mt_http_fetch(gets, (guint)(inv->settings.timeout * 1000), iv->deadline);
  gint64 when = message_time(facts, iv->now);
  for (guint i = 0; i < asks->len; i++) {
    RdapAsk *r = g_ptr_array_index(asks, i);
    if (r->get != NULL)
      rdap_answer_from_get(inv, r, iv->now);
    rdap_fact(iv, r, when, verdict, policy);
  }
}

void
mt_investigate(const MtInvestigator *inv, const MtEngine *engine, MtAnalysis *a, gint64 deadline)
{
  g_return_if_fail(inv != NULL && engine != NULL && a != NULL);

  gint64 own = g_get_monotonic_time() + (gint64)(inv->settings.deadline * G_USEC_PER_SEC);
  deadline = deadline == 0 ? own : MIN(deadline, own);
  Investigation iv = {
      .inv = inv,
      .out = mt_lookups_new(),
      .now = g_get_real_time() / G_USEC_PER_SEC,
      .deadline = deadline,
      .asked = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, asked_free),
  };
  const MtPolicy *policy = &mt_engine_config(engine)->policy;
  investigate_dns(&iv, a->facts->trace, a->verdict, policy);
  if (inv->settings.rdap)
    investigate_rdap(&iv, a->facts, a->verdict, policy);
  mt_resolver_free(iv.resolver);
  g_hash_table_unref(iv.asked);
  mt_lookups_free(a->lookups);
  a->lookups = iv.out;
  mt_analysis_rescore(engine, a);
}
