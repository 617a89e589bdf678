#include "impersonation.h"

#include <string.h>

#include "country.h"
#include "domain.h"
#include "lookalike.h"
#include "mt-limits.h"
#include "names.h"
#include "store-private.h"

struct _MtImpersonation {
  guint min_history;
  GHashTable *rule_names; /* name key -> address, from rules.conf; not changed once read */
};

/* The contacts (with enough history) whose mail carried the display name ?1 (stored as its
 * key: store.c, migration 7), the most written first, with the name as they wrote it. */
static const char sql_named[] =
    "SELECT o.address, o.label FROM observations o JOIN contacts c ON c.address = o.address "
    "AND c.messages >= ?2 WHERE o.attr = 'name' AND o.value = ?1 "
    "ORDER BY c.messages DESC, o.address LIMIT ?3";
static const char sql_any_contact[] = "SELECT 1 FROM contacts WHERE messages >= ?1 LIMIT 1";

MtImpersonation *
mt_impersonation_new(guint min_history)
{
  MtImpersonation *imp = g_new0(MtImpersonation, 1);
  imp->min_history = MAX(min_history, 1u);
  imp->rule_names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  return imp;
}

void
mt_impersonation_free(MtImpersonation *imp)
{
  if (imp == NULL)
    return;
  g_hash_table_unref(imp->rule_names);
  g_free(imp);
}

void
mt_impersonation_add_rule_names(MtImpersonation *imp, GPtrArray *rules)
{
  g_return_if_fail(imp != NULL);

  for (guint i = 0; rules != NULL && i < rules->len; i++) {
    const MtContactRule *rule = g_ptr_array_index(rules, i);
    const char *address = mt_contact_rule_pattern(rule);
    const char *const *names = mt_contact_rule_names(rule);
    if (names == NULL || strchr(address, '*') != NULL)
      continue;
    for (guint k = 0; names[k] != NULL; k++) {
      char *key = mt_name_key(names[k]);
      if (key != NULL)
        g_hash_table_replace(imp->rule_names, key, g_strdup(address));
    }
  }
}

/* The contacts (other than @except) whose mail carried the name @key, the user's own word in
 * rules.conf included, at most @max; *@theirs: the name as the first of them wrote it.
 * Returns: (transfer full) */
static GPtrArray *
addresses_named(MtImpersonation *imp, MtStore *store, const char *key, const char *except,
                guint max, char **theirs)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  MtStoreReader *r = mt_store_reader_take(store);
  sqlite3_stmt *st = mt_store_reader_statement(r, sql_named, NULL);
  if (st != NULL) {
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, (int)imp->min_history);
    sqlite3_bind_int(st, 3, (int)max + 1); /* @except may be one of them */
    for (gboolean first = TRUE; sqlite3_step(st) == SQLITE_ROW; first = FALSE) {
      const char *address = (const char *)sqlite3_column_text(st, 0);
      if (first)
        *theirs = g_strdup((const char *)sqlite3_column_text(st, 1));
      if (g_strcmp0(address, except) != 0 && out->len < max)
        g_ptr_array_add(out, g_strdup(address));
    }
    sqlite3_reset(st);
  }
  mt_store_reader_give_back(store, r);
  const char *said = g_hash_table_lookup(imp->rule_names, key);
  gboolean listed = FALSE;
  for (guint i = 0; said != NULL && i < out->len; i++)
    listed |= strcmp(g_ptr_array_index(out, i), said) == 0;
  if (said != NULL && !listed && g_strcmp0(said, except) != 0)
    g_ptr_array_add(out, g_strdup(said));
  return out;
}

/* Whether any contact has enough history to be impersonated. */
static gboolean
any_contact(MtImpersonation *imp, MtStore *store)
{
  MtStoreReader *r = mt_store_reader_take(store);
  sqlite3_stmt *st = mt_store_reader_statement(r, sql_any_contact, NULL);
  gboolean any = FALSE;
  if (st != NULL) {
    sqlite3_bind_int(st, 1, (int)imp->min_history);
    any = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
  }
  mt_store_reader_give_back(store, r);
  return any;
}

/* Whether @domain is the mailing list's own, as its List-Id or List-Post name it. Anyone can
 * write such headers: callers ask for more (a "via" name, the list as the origin). */
static gboolean
is_list_domain(const MtMessage *m, const char *domain)
{
  static const char *const list_headers[] = {"List-Id", "List-Post", "List-Unsubscribe", NULL};
  for (guint i = 0; list_headers[i] != NULL; i++) {
    const MtHeader *h = mt_message_get(m, list_headers[i]);
    if (h == NULL || h->value == NULL)
      continue;
    /* the list's domain is in its List-Id <name.domain> or its mailto: URIs */
    g_autofree char *lower = g_ascii_strdown(h->value, -1);
    g_autofree char *reg = mt_registered_domain(domain);
    if (reg != NULL && strstr(lower, reg) != NULL)
      return TRUE;
  }
  return FALSE;
}

/* Mail a service writes itself, carrying a person's name: notifications, no-reply. */
static gboolean
is_automated(const char *address)
{
  static const char *const words[] = {"noreply", "no-reply", "no_reply", "donotreply",
                                      "do-not-reply", "notification", "notify", "mailer",
                                      "bounce", "daemon", "automated", NULL};
  const char *at = strrchr(address, '@');
  g_autofree char *local = g_strndup(address, at != NULL ? (gsize)(at - address) : strlen(address));
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr(local, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

static void
check_name(MtImpersonation *imp, MtStore *store, const MtFacts *facts, const MtFingerprint *fp, const MtPolicy *policy,
           MtVerdict *verdict)
{
  const MtAddress *from = facts->message->from;
  /* "Dan Miller via Acme" is a service or a list (DMARC rewriting) writing for him */
  if (from == NULL || from->name == NULL || fp->address == NULL || facts->from_domain == NULL ||
      mt_name_has_via(from->name) || is_automated(fp->address))
    return;
  g_autofree char *key = mt_name_key(from->name);
  if (key == NULL)
    return;
  g_autofree char *theirs = NULL;
  g_autoptr(GPtrArray) known = addresses_named(imp, store, key, fp->address, 4, &theirs);
  if (known->len == 0)
    return;
  /* another address of the contact's own organisation is an alias, not an impostor; on a
   * provider shared by everyone it is anybody */
  g_autofree char *reg = mt_registered_domain(facts->from_domain);
  for (guint i = 0; reg != NULL && !mt_domain_is_shared(reg) && i < known->len; i++) {
    g_autofree char *domain = mt_address_domain(g_ptr_array_index(known, i));
    if (mt_same_registered_domain(domain, facts->from_domain))
      return;
  }
  g_ptr_array_add(known, NULL);
  g_autofree char *list = g_strjoinv(", ", (char **)known->pdata);
  g_autofree char *disguise = mt_name_disguise(from->name, theirs);
  mt_verdict_add(verdict, "contact-name-new-address",
                 mt_policy_weight(policy, "contact-name-new-address"),
                 "The From name \"%s\"%s%s is that of your contact %s, but this message comes "
                 "from %s, an address they never wrote from.",
                 from->name, disguise != NULL ? ", written " : "",
                 disguise != NULL ? disguise : "", list, fp->address);
}

static void
check_lookalike(MtImpersonation *imp, MtStore *store, const MtFacts *facts, const MtFingerprint *fp,
                const MtPolicy *policy, MtVerdict *verdict)
{
  const MtAddress *from = facts->message->from;
  const char *written = from != NULL && from->written != NULL ? from->written
                        : from != NULL                        ? from->address
                                                              : NULL;
  MtLookalike l;
  /* a list's own address, as a list writes From for a poster ("Name via List"), is the list's,
   * whatever it resembles; List-* headers alone are anyone's to write */
  if (written == NULL || (mt_name_has_via(from->name) && facts->from_domain != NULL &&
                          is_list_domain(facts->message, facts->from_domain)))
    return;
  if (!mt_lookalike_find(store, imp->min_history, written, &l))
    return;
  gboolean idn = strcmp(l.domain, l.ascii) != 0;
  mt_verdict_add(verdict, "lookalike-contact", mt_policy_weight(policy, "lookalike-contact"),
                 "The sender %s is %s your contact %s: the domain reads \"%s\"%s%s%s.",
                 fp->address, mt_lookalike_kind_phrase(l.kind), l.known, l.domain,
                 idn ? " and is really " : "", idn ? l.ascii : "", idn ? " in DNS" : "");
  mt_lookalike_clear(&l);
}

/* Whether @profile's learned mail showed @value for @attr. */
static gboolean
profile_knows(const MtProfile *profile, const char *attr, const char *value)
{
  GPtrArray *known = g_hash_table_lookup(profile->attrs, attr);
  for (guint k = 0; known != NULL && k < known->len; k++)
    if (strcmp(((const MtProfileValue *)g_ptr_array_index(known, k))->value, value) == 0)
      return TRUE;
  return FALSE;
}

/* The first value @fp shows for @attr (*@seen), and whether it is one @profile never showed,
 * though it showed others: an attribute never observed is nothing to compare. */
static gboolean
is_new(const MtProfile *profile, const MtFingerprint *fp, const char *attr, const char **seen)
{
  GPtrArray *known = g_hash_table_lookup(profile->attrs, attr);
  g_autofree const char **values = mt_fingerprint_get(fp, attr);
  *seen = values[0];
  return values[0] != NULL && known != NULL && known->len > 0 &&
         !profile_knows(profile, attr, values[0]);
}

static const char *
usual_of(const MtProfile *profile, const char *attr)
{
  GPtrArray *known = g_hash_table_lookup(profile->attrs, attr);
  if (known == NULL || known->len == 0)
    return "-";
  const MtProfileValue *top = g_ptr_array_index(known, 0);
  return top->label != NULL ? top->label : top->value;
}

/* A list that sets Reply-To to itself: its List-* headers name that domain, and the list's
 * server is the origin (a forger writing those headers sends from elsewhere, which the
 * contact's fingerprint shows as a new path). */
static gboolean
list_reply(const MtFacts *facts, const MtFingerprint *fp, const char *reply_domain)
{
  g_autofree const char **origin = mt_fingerprint_get(fp, MT_FP_ORIGIN); /* registered */
  return origin[0] != NULL && mt_same_registered_domain(origin[0], reply_domain) &&
         is_list_domain(facts->message, reply_domain);
}

/* Every Reply-To address, not only the first: a reply goes to all of them, and a forger may
 * list the contact's own address first and theirs after it. */
static void
check_reply_to(const MtContactReport *contact, const MtFacts *facts, const MtFingerprint *fp,
               const MtPolicy *policy, MtVerdict *verdict)
{
  const GPtrArray *replies = facts->message->replies;
  for (guint i = 0; replies != NULL && facts->from_domain != NULL && i < replies->len; i++) {
    const char *address = g_ptr_array_index(replies, i);
    g_autofree char *domain = mt_address_domain(address);
    g_autofree char *reg = domain != NULL ? mt_registered_domain(domain) : NULL;
    const char *seen = reg != NULL ? reg : domain;
    if (seen == NULL || mt_same_registered_domain(facts->from_domain, domain) ||
        list_reply(facts, fp, domain) || profile_knows(contact->profile, MT_FP_REPLY_TO, seen))
      continue;
    mt_verdict_add(verdict, "reply-to-diverted", mt_policy_weight(policy, "reply-to-diverted"),
                   "A reply to this message from %s would go to %s, in %s, a domain their %u "
                   "learned messages never sent replies to.",
                   contact->profile->address, address, seen, contact->profile->messages);
    return;
  }
}

static void
check_takeover(const MtContactReport *contact, const MtFacts *facts, const MtFingerprint *fp,
               const MtPolicy *policy, MtVerdict *verdict)
{
  const MtProfile *p = contact->profile;
  if (!contact->enough || !mt_contacts_origin_is_usual(contact))
    return;
  /* DKIM as usual: a pass for the From domain, or a contact whose mail never had one */
  GPtrArray *dkim = g_hash_table_lookup(p->attrs, MT_FP_DKIM);
  gboolean never_signed =
      dkim != NULL && dkim->len == 1 &&
      mt_fp_absent(((const MtProfileValue *)g_ptr_array_index(dkim, 0))->value);
  if (!fp->dkim_aligned && !never_signed)
    return;
  const char *net = NULL, *country = NULL, *mailer = NULL;
  gboolean new_net = is_new(p, fp, MT_FP_SUBMIT_NET, &net);
  gboolean new_country = is_new(p, fp, MT_FP_SUBMIT_COUNTRY, &country);
  /* no mailer header at all names no client: no evidence of a new one */
  gboolean new_mailer = is_new(p, fp, MT_FP_MAILER, &mailer) && !mt_fp_absent(mailer);
  /* a new network alone, in the usual country, is a new ISP or office as often as an
   * intruder (measured: bench/impersonation.py); a new country is not */
  if (!new_country || !new_mailer)
    return;
  const MtFpValue *shown_net = NULL;
  for (guint i = 0; i < fp->values->len; i++) {
    const MtFpValue *v = g_ptr_array_index(fp->values, i);
    if (strcmp(v->attr, MT_FP_SUBMIT_NET) == 0)
      shown_net = v;
  }
  g_autofree char *where = g_strdup_printf(
      "%s%s%s", country != NULL ? mt_country_name(country) : "",
      country != NULL && shown_net != NULL ? ", " : "",
      shown_net != NULL ? (shown_net->label != NULL ? shown_net->label : shown_net->value) : "");
  const char *origin = usual_of(p, MT_FP_ORIGIN);
  const char *usual_country = usual_of(p, MT_FP_SUBMIT_COUNTRY);
  mt_verdict_add(verdict, "account-takeover", mt_policy_weight(policy, "account-takeover"),
                 "Mail from %s came through their usual server (%s)%s, but was submitted from "
                 "%s, a %s they never used (usually %s), with %s, a mail client they never "
                 "used (usually %s).",
                 p->address, mt_fp_shown(origin), fp->dkim_aligned ? ", signed for their domain" : "", where,
                 new_net ? "network and country" : "country",
                 mt_fp_absent(usual_country) ? "written on that server itself"
                                             : mt_country_name(usual_country),
                 mailer, mt_fp_shown(usual_of(p, MT_FP_MAILER)));
}

void
mt_impersonation_check(MtImpersonation *imp, MtStore *store, const MtFacts *facts,
                       const MtFingerprint *fp, const MtContactReport *contact,
                       const MtPolicy *policy, MtVerdict *verdict)
{
  g_return_if_fail(imp != NULL && store != NULL && facts != NULL && fp != NULL);

  /* a contact with enough history is among the contacts itself: no need to ask the keys */
  if (contact != NULL && contact->enough) {
    check_reply_to(contact, facts, fp, policy, verdict);
    check_takeover(contact, facts, fp, policy, verdict);
    return;
  }
  if (!any_contact(imp, store))
    return; /* nothing learned: every sender would be new */
  if (contact == NULL) {
    if (fp->address != NULL)
      mt_verdict_add(verdict, "first-contact", mt_policy_weight(policy, "first-contact"),
                     "%s never wrote before: no mail from this address was learned.",
                     fp->address);
    check_name(imp, store, facts, fp, policy, verdict);
    check_lookalike(imp, store, facts, fp, policy, verdict);
    return;
  }
  check_reply_to(contact, facts, fp, policy, verdict);
  check_takeover(contact, facts, fp, policy, verdict);
}
