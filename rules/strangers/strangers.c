#include "strangers.h"

#include <string.h>

#include "domain.h"
#include "ipaddr.h"
#include "lookalike.h"
#include "names.h"

typedef struct {
  const MtFacts *f;
  const MtPolicy *policy;
  MtVerdict *v;
  const MtBrands *brands;
  char *list_id;  /* (nullable) the mailing list whose own path brought it */
  gboolean arc;   /* the provider validated an ARC chain */
} Ctx;

#define WEIGHT(ctx, code) mt_policy_weight((ctx)->policy, code)

/* Who wrote the results: the provider's name, else its authserv-id. */
static const char *
recorder(const MtFacts *f)
{
  const char *id = f->auth->trusted->len > 0 ? g_ptr_array_index(f->auth->trusted, 0) : NULL;
  if (f->trace->provider != NULL)
    return f->trace->provider;
  return id != NULL && *id != '\0' ? id : "The receiving server";
}

static gboolean
is(const char *value, const char *expected)
{
  return value != NULL && g_ascii_strcasecmp(value, expected) == 0;
}

/* Whether the receiving provider (or an authserv-id the user trusts) judged authentication:
 * a topmost header of unknown origin may be an upstream server's, a list's for instance. */
static gboolean
judged(const MtFacts *f)
{
  const MtAuth *a = f->auth;
  return f->auth_own &&
         (a->spf != NULL || a->dmarc != NULL || a->compauth != NULL || a->dkim->len > 0);
}

/* Whether a trusted result vouches for the From domain: DMARC, Microsoft's composite verdict,
 * an aligned DKIM pass, or SPF passing for the From's own registered domain. */
static gboolean
from_authenticated(const MtFacts *f)
{
  const MtAuth *a = f->auth;
  /* DMARC's verdict (and Microsoft's compauth, which follows it) is about header.from: a
   * result for another domain than this From's vouches for nothing here */
  gboolean about_this = a->dmarc_domain == NULL ||
                        (f->from_domain != NULL && mt_same_registered_domain(a->dmarc_domain,
                                                                             f->from_domain));
  if ((about_this && (is(a->dmarc, "pass") || is(a->dmarc, "bestguesspass") ||
                      is(a->compauth, "pass") || is(a->compauth, "softpass"))) ||
      f->sender_dkim_verified)
    return TRUE;
  return is(a->spf, "pass") && f->from_domain != NULL && a->spf_domain != NULL &&
         mt_same_registered_domain(a->spf_domain, f->from_domain);
}

/* What the provider recorded, for a sentence: "compauth=fail reason=001, SPF none for
 * example.net, no DKIM pass, DMARC permerror". */
static char *
recorded(const MtFacts *f)
{
  const MtAuth *a = f->auth;
  GString *s = g_string_new(NULL);
  if (a->compauth != NULL)
    g_string_append_printf(s, "compauth=%s%s%s, ", a->compauth, a->compauth_reason ? " reason=" : "",
                           a->compauth_reason ? a->compauth_reason : "");
  if (a->spf != NULL)
    g_string_append_printf(s, "SPF %s%s%s, ", a->spf, a->spf_domain ? " for " : "",
                           a->spf_domain ? a->spf_domain : "");
  gboolean dkim_pass = FALSE;
  for (guint i = 0; i < a->dkim->len; i++)
    dkim_pass |= is(((MtDkimResult *)g_ptr_array_index(a->dkim, i))->result, "pass");
  if (dkim_pass) {
    g_string_append(s, "DKIM pass only for ");
    for (guint i = 0, n = 0; i < a->dkim->len; i++) {
      const MtDkimResult *d = g_ptr_array_index(a->dkim, i);
      if (is(d->result, "pass") && d->domain != NULL)
        g_string_append_printf(s, "%s%s", n++ ? " and " : "", d->domain);
    }
    g_string_append(s, ", ");
  } else {
    g_string_append(s, "no DKIM pass, ");
  }
  g_string_append_printf(s, "DMARC %s", a->dmarc != NULL ? a->dmarc : "not evaluated");
  if (a->dmarc_action != NULL && is(a->dmarc, "fail"))
    g_string_append_printf(s, " (action %s)", a->dmarc_action);
  return g_string_free(s, FALSE);
}

/* The List-Id's `<id>` (or the whole value). Returns: (transfer full) (nullable) */
static char *
list_id(const MtFacts *f)
{
  const MtHeader *h = mt_message_get(f->message, "List-Id");
  if (h == NULL || h->value == NULL)
    return NULL;
  const char *lt = strrchr(h->value, '<');
  const char *start = lt != NULL ? lt + 1 : h->value;
  char *id = g_strndup(start, strcspn(start, ">"));
  return g_strstrip(id);
}

/* A mailing list's own path: a List-Id whose domain is the envelope sender's, which SPF or a
 * verified DKIM signature authenticates. A list rewrites subjects and footers, and relays From
 * addresses it does not own: its DMARC failures are expected. Returns: (transfer full)
 * (nullable) the list's id */
static char *
list_path(const MtFacts *f)
{
  g_autofree char *id = list_id(f);
  if (id == NULL)
    return NULL;
  const char *envelope = f->message->return_path != NULL
                             ? strrchr(f->message->return_path, '@')
                             : NULL;
  const char *env_domain = envelope != NULL ? envelope + 1 : f->auth->spf_domain;
  if (env_domain == NULL || !mt_same_registered_domain(id, env_domain))
    return NULL;
  gboolean spf = is(f->auth->spf, "pass") && f->auth->spf_domain != NULL &&
                 mt_same_registered_domain(f->auth->spf_domain, id);
  gboolean dkim = FALSE;
  for (guint i = 0; f->signers_verified && i < f->signers->len && !dkim; i++)
    dkim = mt_same_registered_domain(g_ptr_array_index(f->signers, i), id);
  return spf || dkim ? g_steal_pointer(&id) : NULL;
}

/* The trusted results explain an authentication failure: the provider validated an ARC chain
 * (arc=pass, or Microsoft's compauth reason 130). */
static gboolean
arc_validated(const MtFacts *f)
{
  return is(f->auth->arc, "pass") || is(f->auth->compauth_reason, "130");
}

static void
explain_auth_failures(Ctx *c)
{
  static const char *const codes[] = {"spf-fail", "dkim-fail", "dmarc-fail", "provider-auth-fail",
                                      NULL};
  g_autofree char *why =
      c->list_id != NULL
          ? g_strdup_printf("It came by the mailing list %s, which sent it from its own domain; "
                            "lists change messages and relay others' From addresses.",
                            c->list_id)
          : g_strdup_printf("%s validated the ARC chain of the servers that forwarded it.",
                            recorder(c->f));
  for (guint i = 0; i < c->v->reasons->len; i++) {
    MtReason *r = g_ptr_array_index(c->v->reasons, i);
    if (g_strv_contains(codes, r->code) && r->weight != 0)
      mt_reason_explain(r, c->list_id != NULL ? "mailing list" : "ARC", why);
  }
}

static gboolean
has_reason(const MtVerdict *v, const char *code)
{
  for (guint i = 0; i < v->reasons->len; i++)
    if (strcmp(((MtReason *)g_ptr_array_index(v->reasons, i))->code, code) == 0)
      return TRUE;
  return FALSE;
}

/* Whether nothing authenticates the From, after what explains it: the fact the other checks
 * of this file build on. */
static gboolean
check_provider(Ctx *c)
{
  const MtFacts *f = c->f;
  if (!judged(f) || f->from_domain == NULL)
    return FALSE;
  gboolean compauth_fail = is(f->auth->compauth, "fail");
  if (from_authenticated(f) && !compauth_fail)
    return FALSE;
  g_autofree char *what = recorded(f);
  if (compauth_fail)
    mt_verdict_add(c->v, "provider-auth-fail", WEIGHT(c, "provider-auth-fail"),
                   "%s's own verdict on the sender %s failed: %s.", recorder(f), f->from_domain,
                   what);
  else if (!has_reason(c->v, "dmarc-fail"))
    mt_verdict_add(c->v, "provider-auth-fail", WEIGHT(c, "provider-auth-fail"),
                   "%s recorded nothing that authenticates the sender %s: %s.", recorder(f),
                   f->from_domain, what);
  if (c->list_id != NULL || c->arc) {
    explain_auth_failures(c);
    return FALSE;
  }
  return TRUE;
}

/* The registered domains a hop names itself by. */
static gboolean
hop_in_domain(const MtHop *hop, const char *domain)
{
  return (hop->rdns != NULL && mt_same_registered_domain(hop->rdns, domain)) ||
         (hop->helo != NULL && mt_same_registered_domain(hop->helo, domain));
}

/* The origin when it is on a public address: mail from outside. Returns: (nullable) */
static const MtTraceHop *
public_origin(const MtFacts *f)
{
  const MtTraceHop *origin = mt_trace_origin(f->trace);
  return origin != NULL && origin->hop->ip != NULL && !mt_ip_is_private(origin->hop->ip) ? origin
                                                                                       : NULL;
}

static void
check_origin(Ctx *c)
{
  const MtTraceHop *origin = public_origin(c->f);
  if (origin == NULL)
    return;
  const MtHop *hop = origin->hop;
  const char *name = hop->rdns != NULL ? hop->rdns : hop->helo;
  if (name == NULL || hop_in_domain(hop, c->f->from_domain))
    return;
  g_autofree char *where = mt_describe_hop(origin);
  mt_verdict_add(c->v, "origin-unrelated", WEIGHT(c, "origin-unrelated"),
                 "It entered at %s, which calls itself %s (%s): a server of another domain than "
                 "%s, which nothing authenticates.",
                 where, name, hop->rdns != NULL ? "reverse DNS" : "HELO", c->f->from_domain);
}

/* Whether the message says it is a list's post: a List-Id in the domain of the From (a list
 * that rewrites From to its own address) or of the envelope sender. Spam says so too, so this
 * only spares what lists do to Reply-To, never an authentication failure. */
static gboolean
says_list(const MtFacts *f)
{
  g_autofree char *id = list_id(f);
  if (id == NULL)
    return FALSE;
  const char *at = f->message->return_path != NULL ? strrchr(f->message->return_path, '@') : NULL;
  return (f->from_domain != NULL && mt_same_registered_domain(id, f->from_domain)) ||
         (at != NULL && mt_same_registered_domain(id, at + 1));
}

/* The first Reply-To address in another registered domain than the From's: replies go to
 * every one, and a forger may list the sender's own address first. */
static void
check_reply_to(Ctx *c)
{
  const MtMessage *m = c->f->message;
  if (c->list_id != NULL || says_list(c->f) || m->replies == NULL || c->f->from_domain == NULL)
    return;
  g_autofree char *from_reg = mt_registered_domain(c->f->from_domain);
  const MtTraceHop *origin = mt_trace_origin(c->f->trace);
  for (guint i = 0; from_reg != NULL && i < m->replies->len; i++) {
    const char *address = g_ptr_array_index(m->replies, i);
    g_autofree char *rt = mt_address_domain(address);
    g_autofree char *rt_reg = rt != NULL ? mt_registered_domain(rt) : NULL;
    if (rt_reg == NULL || strcmp(rt_reg, from_reg) == 0 ||
        (c->f->recipient != NULL && g_ascii_strcasecmp(c->f->recipient, address) == 0))
      continue;
    /* replies to the domain of the server that sent it: a list or forwarder of its own */
    if (origin != NULL && !mt_domain_is_shared(rt_reg) && hop_in_domain(origin->hop, rt_reg))
      continue;
    /* an organisation's message whose replies go to a free-mail inbox: the commonest fraud */
    gboolean freemail = mt_domain_is_shared(rt_reg) && !mt_domain_is_shared(from_reg);
    mt_verdict_add(c->v, "reply-to-elsewhere",
                   WEIGHT(c, "reply-to-elsewhere") * (freemail ? 1.5 : 1),
                   "Replies would go to %s, another domain than the sender's %s%s.", address,
                   from_reg, freemail ? ": a free-mail address, for mail from an organisation" : "");
    return;
  }
}

static void
check_from_domain(Ctx *c)
{
  const char *d = c->f->from_domain;
  if (d == NULL || public_origin(c->f) == NULL)
    return;
  if (mt_domain_has_public_tld(d) || *d == '[') /* a domain literal is an address */
    return;
  /* names reserved for documentation and tests (RFC 2606): test suites' mail, not fraud */
  if (g_str_has_suffix(d, ".example") || g_str_has_suffix(d, ".test"))
    return;
  mt_verdict_add(c->v, "from-domain-invalid", WEIGHT(c, "from-domain-invalid"),
                 "The From domain %s cannot exist on the Internet (it ends in no top-level "
                 "domain such as .com), yet the message came from outside.",
                 d);
}

/* Whether a verified DKIM signature of the brand's own backs the message: a brand's service
 * writing for a customer ("Dan via Google Docs") signs with its own domain. */
static gboolean
signed_by(const MtFacts *f, const MtBrand *b)
{
  for (guint i = 0; f->signers_verified && i < f->signers->len; i++)
    if (mt_brand_owns(b, g_ptr_array_index(f->signers, i)))
      return TRUE;
  return FALSE;
}

static void
check_brand(Ctx *c)
{
  const MtAddress *from = c->f->message->from;
  const char *domain = c->f->from_domain;
  if (c->brands == NULL || from == NULL || from->address == NULL || domain == NULL)
    return;
  MtBrandClaimKind where = MT_BRAND_CLAIM_NONE;
  const MtBrand *b = mt_brands_claimed(c->brands, from->name, from->address, &where);
  if (b != NULL) {
    if (mt_brand_owns(b, domain) || signed_by(c->f, b))
      return;
    g_autofree char *theirs = mt_brand_domains_text(b);
    g_autofree char *disguise = from->name != NULL ? mt_name_disguise(from->name, NULL) : NULL;
    g_autofree char *claim =
        where == MT_BRAND_CLAIM_NAME
            ? g_strdup_printf("The From name '%s'%s%s", from->name, disguise ? " " : "",
                              disguise ? disguise : "")
            : g_strdup_printf("The From address %s", from->address);
    mt_verdict_add(c->v, "brand-impersonation", WEIGHT(c, "brand-impersonation"),
                   "%s claims to be %s; it was sent from %s, which is not one of %s's domains "
                   "(%s).",
                   claim, mt_brand_name(b), domain, mt_brand_name(b), theirs);
    return;
  }
  MtLookalikeKind kind = MT_LOOKALIKE_NONE;
  const char *imitated = NULL;
  b = mt_brands_lookalike(c->brands, domain, &kind, &imitated);
  if (b == NULL || signed_by(c->f, b))
    return;
  g_autofree char *ascii = mt_domain_to_ascii(domain);
  mt_verdict_add(c->v, "brand-impersonation", WEIGHT(c, "brand-impersonation"),
                 "The sender's domain %s%s%s%s is %s %s, one of %s's domains.", domain,
                 ascii != NULL && strcmp(ascii, domain) != 0 ? " (" : "",
                 ascii != NULL && strcmp(ascii, domain) != 0 ? ascii : "",
                 ascii != NULL && strcmp(ascii, domain) != 0 ? ")" : "",
                 mt_lookalike_kind_phrase(kind), imitated, mt_brand_name(b));
}

char *
mt_strangers_own_domain(const MtFacts *f)
{
  g_return_val_if_fail(f != NULL, NULL);
  if (f->recipient == NULL)
    return NULL;
  /* a message addressed To its own sender hides its recipients in Bcc */
  const MtAddress *from = f->message->from;
  if (g_strcmp0(f->recipient_from, "To") == 0 && from != NULL && from->address != NULL &&
      g_ascii_strcasecmp(from->address, f->recipient) == 0)
    return NULL;
  g_autofree char *domain = mt_address_domain(f->recipient);
  char *reg = domain != NULL ? mt_registered_domain(domain) : NULL;
  if (reg != NULL && mt_domain_is_shared(reg))
    g_clear_pointer(&reg, g_free);
  return reg;
}

/* Whether @words hold @seq anywhere. */
static gboolean
words_hold(const char *const *words, const char *const *seq)
{
  guint n = g_strv_length((GStrv)words), k = g_strv_length((GStrv)seq);
  for (guint i = 0; k > 0 && i + k <= n; i++) {
    guint j = 0;
    while (j < k && strcmp(words[i + j], seq[j]) == 0)
      j++;
    if (j == k)
      return TRUE;
  }
  return FALSE;
}

/* Names under which mail claims to come from the recipient's own mail administrators. */
static const char *const admin_names[] = {
    "mailbox administrator", "mailbox admin", "mail administrator", "mail admin",
    "email administrator", "email admin", "e-mail administrator", "e-mail admin",
    "webmail administrator", "webmail admin", "mail server", "mailbox support", "email support team",
    "it helpdesk", "it help desk", "it support", "it department", "it service desk",
    "system administrator", NULL};

/* Words that follow the organisation's name when mail speaks for its administrators. */
static const char *const staff_words[] = {"it", "admin", "administrator", "helpdesk", "support",
                                          "mail", "email", "webmail", "postmaster", "security",
                                          "hr", "payroll", "team", "server", NULL};

/* Both lists folded as display names are (mt_name_words()), once. */
typedef struct {
  GPtrArray *admin; /* GStrv */
  GHashTable *staff;
} Phrases;

static const Phrases *
phrases(void)
{
  static gsize once = 0;
  static Phrases p;
  if (g_once_init_enter(&once)) {
    p.admin = g_ptr_array_new();
    for (guint i = 0; admin_names[i] != NULL; i++)
      g_ptr_array_add(p.admin, mt_name_words(admin_names[i]));
    p.staff = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; staff_words[i] != NULL; i++) {
      GStrv w = mt_name_words(staff_words[i]);
      g_hash_table_add(p.staff, w[0]); /* kept for the program's life */
      g_free(w);
    }
    g_once_init_leave(&once, 1);
  }
  return &p;
}

/* Whether @display speaks for the organisation of @own or its mail administrators; the words
 * it does so with in @how. */
static gboolean
name_claims_own(const char *display, const char *own, char **how)
{
  g_auto(GStrv) words = mt_name_words(display);
  if (words == NULL)
    return FALSE;
  g_auto(GStrv) own_words = mt_name_words(own);
  if (own_words != NULL && own_words[0] != NULL && words_hold((const char *const *)words,
                                                              (const char *const *)own_words)) {
    *how = g_strdup_printf("names your domain %s", own);
    return TRUE;
  }
  const Phrases *ph = phrases();
  const char *dot = strchr(own, '.');
  g_autofree char *label = dot != NULL ? g_strndup(own, (gsize)(dot - own)) : NULL;
  g_auto(GStrv) label_words = label != NULL ? mt_name_words(label) : NULL;
  guint n = g_strv_length(words), k = label_words != NULL ? g_strv_length(label_words) : 0;
  for (guint i = 0; k > 0 && i + k < n; i++) {
    guint j = 0;
    while (j < k && strcmp(words[i + j], label_words[j]) == 0)
      j++;
    if (j == k && g_hash_table_contains(ph->staff, words[i + k])) {
      *how = g_strdup_printf("speaks for the staff of %s", own);
      return TRUE;
    }
  }
  for (guint i = 0; i < ph->admin->len; i++)
    if (words_hold((const char *const *)words, g_ptr_array_index(ph->admin, i))) {
      *how = g_strdup_printf("speaks for your mail administrators ('%s')", admin_names[i]);
      return TRUE;
    }
  return FALSE;
}

static void
check_own_domain(Ctx *c, gboolean unauthenticated)
{
  const MtFacts *f = c->f;
  const MtAddress *from = f->message->from;
  if (from == NULL || from->address == NULL || f->from_domain == NULL)
    return;
  const MtTraceHop *origin = mt_trace_origin(f->trace);
  /* your own address as the sender, from outside and unauthenticated: extortion mail claims
   * to come from the victim's own mailbox ("I have access to your account") */
  if (f->recipient != NULL && g_ascii_strcasecmp(from->address, f->recipient) == 0) {
    const MtTraceHop *outside = public_origin(f);
    if (!unauthenticated || outside == NULL)
      return;
    g_autofree char *where = mt_describe_hop(outside);
    g_autofree char *what = recorded(f);
    mt_verdict_add(c->v, "own-domain-spoof", WEIGHT(c, "own-domain-spoof"),
                   "The From is your own address %s (by %s), but the message entered from "
                   "outside, at %s, and nothing authenticates it: %s.",
                   f->recipient, f->recipient_from, where, what);
    return;
  }
  g_autofree char *own = mt_strangers_own_domain(f);
  if (own == NULL)
    return;
  if (mt_same_registered_domain(f->from_domain, own)) {
    /* from inside, from the domain's own servers, or authenticated: the organisation's own */
    if (!unauthenticated || origin == NULL || hop_in_domain(origin->hop, own))
      return;
    g_autofree char *where = mt_describe_hop(origin);
    g_autofree char *what = recorded(f);
    mt_verdict_add(c->v, "own-domain-spoof", WEIGHT(c, "own-domain-spoof"),
                   "The From %s is in your own domain %s (you are %s, by %s), but the message "
                   "entered from outside it, at %s, and nothing authenticates it: %s.",
                   from->address, own, f->recipient, f->recipient_from, where, what);
    return;
  }
  g_autofree char *how = NULL;
  if (from->name == NULL || strchr(from->name, '@') != NULL || /* a name that is an address */
      !name_claims_own(from->name, own, &how))
    return;
  mt_verdict_add(c->v, "own-domain-spoof", WEIGHT(c, "own-domain-spoof"),
                 "The From name '%s' %s (you are %s, by %s), but the message is from %s, outside "
                 "it.",
                 from->name, how, f->recipient, f->recipient_from, from->address);
}

void
mt_strangers_check(const MtBrands *brands, const MtFacts *facts, const MtPolicy *policy,
                   MtVerdict *verdict)
{
  g_return_if_fail(facts != NULL && policy != NULL && verdict != NULL);

  Ctx c = {.f = facts, .policy = policy, .v = verdict, .brands = brands};
  c.list_id = list_path(facts);
  c.arc = arc_validated(facts);
  check_brand(&c);
  check_from_domain(&c);
  gboolean unauthenticated = check_provider(&c);
  gboolean spoofable = judged(facts) &&
                       (!from_authenticated(facts) || is(facts->auth->compauth, "fail")) &&
                       c.list_id == NULL && !c.arc;
  check_own_domain(&c, spoofable);
  if (unauthenticated)
    check_origin(&c);
  check_reply_to(&c);
  g_free(c.list_id);
}
