#include "checks.h"

#include <string.h>

#include "country.h"
#include "domain.h"
#include "ipaddr.h"
#include "mt-limits.h"
#include "providers.h"

typedef struct {
  const MtFacts *f;
  const MtPolicy *policy;
  MtVerdict *v;
} Ctx;

#define ADD(ctx, code, ...)                                                                        \
  mt_verdict_add((ctx)->v, code, mt_policy_weight((ctx)->policy, code), __VA_ARGS__)

static gboolean
same_domain(const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  return g_ascii_strcasecmp(a, b) == 0 || mt_same_registered_domain(a, b);
}

static void
check_origin_names(Ctx *c, const MtTraceHop *th)
{
  const MtHop *hop = th->hop;
  if (hop->ip == NULL || mt_ip_is_private(hop->ip))
    return;
  g_autofree char *where = mt_describe_hop(th);
  if (hop->rdns_checked && hop->rdns == NULL)
    ADD(c, "origin-no-rdns", "The origin %s has no reverse DNS name%s%s.", where,
        hop->helo != NULL ? ", yet it announced itself as " : "",
        hop->helo != NULL ? hop->helo : "");
  if (hop->helo == NULL)
    return;
  g_autofree char *literal = mt_ip_normalize(hop->helo, strlen(hop->helo));
  if (literal != NULL) {
    if (strcmp(literal, hop->ip) != 0 && !mt_ip_is_private(literal))
      ADD(c, "helo-mismatch", "The origin %s announced HELO %s, which is another address.", where,
          hop->helo);
  } else if (hop->rdns != NULL && !same_domain(hop->helo, hop->rdns)) {
    ADD(c, "helo-mismatch", "The origin %s announced HELO %s, but its reverse DNS name is %s.",
        where, hop->helo, hop->rdns);
  } else if (hop->rdns == NULL && hop->rdns_checked) {
    ADD(c, "helo-unconfirmed",
        "The origin %s announced HELO %s, which nothing confirms: the address has no reverse "
        "DNS name.",
        where, hop->helo);
  }
}

static void
check_private_literal(Ctx *c, const MtTraceHop *th, gboolean submission)
{
  const MtHop *hop = th->hop;
  if (hop->helo == NULL || hop->ip == NULL || mt_ip_is_private(hop->ip))
    return;
  g_autofree char *literal = mt_ip_normalize(hop->helo, strlen(hop->helo));
  if (literal == NULL || !mt_ip_is_private(literal))
    return;
  /* A mail client behind NAT announces its LAN address: normal for a submission. Loopback is
   * not: the client connected through a local proxy or tunnel, as spam tools do. */
  if (submission && !mt_ip_is_loopback(literal))
    return;
  g_autofree char *where = mt_describe_hop(th);
  ADD(c, "helo-private-literal",
      "%s %s, HELO %s: a client on a public network that calls itself by a %s address.",
      submission ? "The message was submitted with a password from" : "The origin is", where,
      hop->helo, mt_ip_is_loopback(literal) ? "loopback" : "private");
}

static gboolean
in_list(GStrv list, const char *value)
{
  return list != NULL && value != NULL && g_strv_contains((const char *const *)list, value);
}

/* The countries of the origin and of the submission against the user's lists: at most one
 * reason per code, naming every hop concerned, so that the score counts "outside the
 * countries you allow" once, as X-Mailtrace-Reasons and the keywords list it. The submission
 * is judged only when it is in another country than the origin. */
static void
check_countries(Ctx *c, const MtTraceHop *origin, const MtTraceHop *submission)
{
  const MtTraceHop *hops[] = {origin, submission};
  static const char *const roles[] = {"origin", "submission"};
  g_autoptr(GString) blocked = g_string_new(NULL), outside = g_string_new(NULL);
  guint n_blocked = 0;
  for (guint i = 0; i < G_N_ELEMENTS(hops); i++) {
    const MtTraceHop *th = hops[i];
    const char *cc = th != NULL ? th->geo.country : NULL;
    if (cc == NULL || (i == 1 && origin != NULL && g_strcmp0(origin->geo.country, cc) == 0))
      continue;
    GString *into = in_list(c->policy->blocked_countries, cc) ? blocked
                    : c->policy->allowed_countries != NULL &&
                            !in_list(c->policy->allowed_countries, cc)
                        ? outside
                        : NULL;
    if (into == NULL)
      continue;
    n_blocked += into == blocked;
    g_autofree char *where = mt_describe_hop(th);
    g_string_append_printf(into, "%s%s %s is in %s", into->len > 0 ? " and the " : "The ",
                           roles[i], where, mt_country_name(cc));
  }
  if (blocked->len > 0)
    ADD(c, "country-blocked", "%s, %s you block.", blocked->str,
        n_blocked > 1 ? "countries" : "a country");
  if (outside->len > 0) {
    g_autofree char *allowed = g_strjoinv(", ", c->policy->allowed_countries);
    ADD(c, "country-not-allowed", "%s, outside the countries you allow (%s).", outside->str,
        allowed);
  }
}

/* The next hop below @i that is a real network hop, or -1. */
static int
next_real(const MtTrace *t, int i)
{
  for (guint j = i + 1; j < t->hops->len; j++)
    if (!((MtTraceHop *)g_ptr_array_index(t->hops, j))->hop->skipped)
      return (int)j;
  return -1;
}

/* Whether the header below @upper was plausibly written by @upper's client: its `by` is that
 * client's address, or shares a registered domain with the client's rDNS or HELO. Names
 * without a registered domain (`localhost`, `mail`) cannot be judged and pass. */
static gboolean
link_consistent(const MtTraceHop *upper, const MtTraceHop *lower)
{
  const MtHop *up = upper->hop;
  const char *by = lower->hop->by;
  if (by == NULL || (up->rdns == NULL && up->helo == NULL))
    return TRUE;
  g_autofree char *by_ip = mt_ip_normalize(by, strlen(by));
  if (by_ip != NULL) /* a relay behind NAT may name itself by its private address */
    return up->ip == NULL || mt_ip_is_private(by_ip) || strcmp(by_ip, up->ip) == 0;
  /* A HELO is the client's own claim, and the header below is the client's own writing: where
   * the relay recorded no reverse DNS (Microsoft 365 never does), a mismatch between them
   * shows nothing a `helo-*` reason does not already say. */
  if (up->rdns == NULL && !up->rdns_checked)
    return TRUE;
  g_autofree char *rb = mt_registered_domain(by);
  g_autofree char *rr = mt_registered_domain(up->rdns);
  g_autofree char *rh = mt_registered_domain(up->helo);
  if (rb == NULL || (rr == NULL && rh == NULL))
    return TRUE;
  if (g_strcmp0(rb, rr) == 0 || g_strcmp0(rb, rh) == 0)
    return TRUE;
  /* One provider names a host under several domains (`…PROD.OUTLOOK.COM` and
   * `….outlook.office365.com`): the same provider is the same host's owner. */
  const MtProvider *p = mt_provider_of_host(by);
  return p != NULL && (mt_provider_owns(p, up->rdns) || mt_provider_owns(p, up->helo));
}

/* How a sentence names a hop's client: its rDNS, else the HELO it claimed. (Trust matching
 * uses a stricter rule: see name_to_match() in scanner/trace/trust.c.) */
static const char *
client_label(const MtHop *hop)
{
  return hop->rdns != NULL ? hop->rdns : hop->helo;
}

static void
check_link(Ctx *c, const MtTraceHop *up, const MtTraceHop *lo, gboolean *broken,
           gboolean *private_below)
{
  if (link_consistent(up, lo))
    return;
  gboolean up_public = up->hop->ip != NULL && !mt_ip_is_private(up->hop->ip);
  gboolean lo_private =
      lo->hop->ip != NULL && mt_ip_is_private(lo->hop->ip) && !mt_ip_is_loopback(lo->hop->ip);
  /* A relay whose own header we believe names a client that did not write the header below. */
  if (!*broken && up_public && (up->trusted || up->credible)) {
    *broken = TRUE;
    ADD(c, "chain-broken",
        "%s says it received the message from %s, but the Received header below was written by %s.",
        up->hop->by != NULL ? up->hop->by : "A relay", client_label(up->hop), lo->hop->by);
  }
  /* Forgers add a hop from a private address to look like internal mail of a known sender. */
  if (!*private_below && up_public && lo_private) {
    *private_below = TRUE;
    ADD(c, "chain-private-below-public",
        "The path claims the message came from the private address %s via %s, but the public "
        "relay above it received it from %s.",
        lo->hop->ip, lo->hop->by, client_label(up->hop));
  }
}

static void
check_chain(Ctx *c)
{
  const MtTrace *t = c->f->trace;
  gboolean broken = FALSE, reversed = FALSE, private_below = FALSE;
  for (int i = next_real(t, -1); i >= 0; i = next_real(t, i)) {
    int j = next_real(t, i);
    if (j < 0)
      break;
    const MtTraceHop *up = g_ptr_array_index(t->hops, i);
    const MtTraceHop *lo = g_ptr_array_index(t->hops, j);
    /* Across a skipped hop (Gmail's internal `by 2002:...`) who wrote what is unknowable. */
    if (j == i + 1)
      check_link(c, up, lo, &broken, &private_below);
    if (!reversed && up->hop->date != NULL && lo->hop->date != NULL) {
      GTimeSpan ahead = g_date_time_difference(lo->hop->date, up->hop->date);
      if (ahead > (GTimeSpan)MT_MAX_CLOCK_SKEW_MINUTES * G_TIME_SPAN_MINUTE) {
        reversed = TRUE;
        g_autofree char *lo_date = mt_hop_date_iso(lo->hop);
        g_autofree char *up_date = mt_hop_date_iso(up->hop);
        ADD(c, "chain-time-reversed",
            "%s dated its hop %s, %" G_GINT64_FORMAT " minutes after %s dated the next one %s.",
            lo->hop->by != NULL ? lo->hop->by : "A relay", lo_date, ahead / G_TIME_SPAN_MINUTE,
            up->hop->by != NULL ? up->hop->by : "the relay above", up_date);
      }
    }
  }
}

static void
check_display_name(Ctx *c)
{
  const MtAddress *from = c->f->message->from;
  if (from == NULL || from->name == NULL || from->address == NULL ||
      strchr(from->name, '@') == NULL)
    return;
  g_auto(GStrv) words = g_strsplit_set(from->name, " \t\"'<>()[],;:", -1);
  for (guint i = 0; words[i] != NULL; i++) {
    const char *w = words[i];
    const char *at = strchr(w, '@');
    if (at == NULL || at == w || strchr(at + 1, '.') == NULL)
      continue;
    if (g_ascii_strcasecmp(w, from->address) != 0) {
      ADD(c, "display-name-address", "The From name shows %s, but the message is from %s.", w,
          from->address);
      return;
    }
  }
}

static void
check_charsets(Ctx *c)
{
  GStrv allowed = c->policy->allowed_charsets;
  if (allowed == NULL)
    return;
  g_autoptr(GString) bad = g_string_new(NULL);
  GPtrArray *cs = c->f->message->charsets;
  for (guint i = 0; i < cs->len; i++) {
    const char *name = g_ptr_array_index(cs, i);
    /* US-ASCII is a subset of every charset a user may allow. */
    if (strcmp(name, "us-ascii") == 0 || in_list(allowed, name))
      continue;
    g_string_append_printf(bad, "%s%s", bad->len ? ", " : "", name);
  }
  if (bad->len > 0) {
    g_autofree char *list = g_strjoinv(", ", allowed);
    ADD(c, "charset-not-allowed",
        "The message is written in %s, outside the charsets you allow (%s).", bad->str, list);
  }
}

/* Letters of a script the user cannot read: a few (a name, a quoted word) are fine. */
#define MIN_FOREIGN_LETTERS 20

/* The ISO 15924 code; a buffer per thread, since analyses run in a pool. */
static const char *
script_name(GUnicodeScript script)
{
  static _Thread_local char code[5];
  guint32 iso = g_unicode_script_to_iso15924(script);
  code[0] = (char)(iso >> 24), code[1] = (char)(iso >> 16), code[2] = (char)(iso >> 8);
  code[3] = (char)iso, code[4] = '\0';
  return code;
}

static void
check_scripts(Ctx *c)
{
  GArray *allowed = c->policy->allowed_scripts;
  if (allowed == NULL)
    return;
  /* Scripts newer than this GLib header are not counted. */
  guint counts[G_UNICODE_SCRIPT_NAG_MUNDARI + 1] = {0};
  for (const char *p = c->f->message->text_sample; *p; p = g_utf8_next_char(p)) {
    gunichar ch = g_utf8_get_char(p);
    GUnicodeScript s = g_unichar_get_script(ch);
    if (g_unichar_isalpha(ch) && s > G_UNICODE_SCRIPT_INHERITED && (guint)s < G_N_ELEMENTS(counts))
      counts[s]++;
  }
  GUnicodeScript worst = G_UNICODE_SCRIPT_COMMON;
  for (guint s = 0; s < G_N_ELEMENTS(counts); s++) {
    gboolean ok = counts[s] < MIN_FOREIGN_LETTERS;
    for (guint i = 0; i < allowed->len && !ok; i++)
      ok = g_array_index(allowed, GUnicodeScript, i) == (GUnicodeScript)s;
    if (!ok && (worst == G_UNICODE_SCRIPT_COMMON || counts[s] > counts[worst]))
      worst = (GUnicodeScript)s;
  }
  if (worst == G_UNICODE_SCRIPT_COMMON)
    return;
  g_autoptr(GString) names = g_string_new(NULL);
  for (guint i = 0; i < allowed->len; i++)
    g_string_append_printf(names, "%s%s", i ? ", " : "",
                           script_name(g_array_index(allowed, GUnicodeScript, i)));
  ADD(c, "script-not-allowed",
      "The message is written in the %s script (%u letters), outside the scripts you read (%s).",
      script_name(worst), counts[worst], names->str);
}

static void
check_auth(Ctx *c)
{
  const MtAuth *a = c->f->auth;
  if (a->trusted->len == 0)
    return;
  const char *by = g_ptr_array_index(a->trusted, 0);
  if (g_strcmp0(a->spf, "fail") == 0)
    ADD(c, "spf-fail", "%s found that SPF fails for %s.", by,
        a->spf_domain != NULL ? a->spf_domain : "the envelope sender");
  for (guint i = 0; i < a->dkim->len; i++) {
    const MtDkimResult *d = g_ptr_array_index(a->dkim, i);
    if (g_strcmp0(d->result, "fail") == 0) {
      ADD(c, "dkim-fail", "%s found that the DKIM signature of %s does not verify.", by,
          d->domain != NULL ? d->domain : "an unnamed domain");
      break;
    }
  }
  if (g_strcmp0(a->dmarc, "fail") == 0)
    ADD(c, "dmarc-fail", "%s found that DMARC fails for %s.", by,
        a->dmarc_domain != NULL ? a->dmarc_domain : "the From domain");
}

static void
check_malformed(Ctx *c)
{
  const MtTrace *t = c->f->trace;
  const guint hostile = MT_HOP_FINDING_NUL | MT_HOP_FINDING_TOO_MANY_COMMENTS |
                        MT_HOP_FINDING_TRUNCATED | MT_HOP_FINDING_UNBALANCED;
  guint bad = t->unparsed;
  for (guint i = 0; i < t->hops->len; i++)
    bad += (((MtTraceHop *)g_ptr_array_index(t->hops, i))->hop->findings & hostile) != 0;
  if (bad > 0 || t->too_many)
    ADD(c, "malformed-received",
        "%u Received header%s %s broken or hostile (unparsable, NUL bytes, unbalanced or "
        "absurdly long)%s.",
        bad, bad == 1 ? "" : "s", bad == 1 ? "is" : "are",
        t->too_many ? ", and there are more hops than any real path has" : "");
  const MtMessage *m = c->f->message;
  if (m->findings & (MT_MSG_FINDING_MIME_CRITICAL | MT_MSG_FINDING_NUL))
    ADD(c, "malformed-mime", "The MIME structure is one other software reads differently%s%s.",
        m->warnings->len > 0 ? ": " : "",
        m->warnings->len > 0 ? (const char *)g_ptr_array_index(m->warnings, 0) : "");
}

void
mt_checks_run(const MtFacts *facts, const MtPolicy *policy, MtVerdict *verdict)
{
  g_return_if_fail(facts != NULL && policy != NULL && verdict != NULL);

  Ctx c = {.f = facts, .policy = policy, .v = verdict};
  const MtTraceHop *origin = mt_trace_origin(facts->trace);
  const MtTraceHop *submission = mt_trace_submission(facts->trace);
  if (origin != NULL) {
    check_origin_names(&c, origin);
    check_private_literal(&c, origin, FALSE);
  }
  if (submission != NULL)
    check_private_literal(&c, submission, TRUE);
  check_countries(&c, origin, submission);
  check_chain(&c);
  check_display_name(&c);
  check_charsets(&c);
  check_scripts(&c);
  check_auth(&c);
  check_malformed(&c);
}
