#include "contact-rules.h"

#include <string.h>

#include "config-keys.h"
#include "domain.h"
#include "ipaddr.h"
#include "mt-error.h"

struct _MtContactRule {
  char *pattern;      /* `alice@example.org` or `*@example.org` */
  GPtrArray *cidrs;   /* MtCidr* */
  GPtrArray *hosts;   /* char*: host patterns */
  GArray *asns;       /* guint32 */
  char *servers_text; /* as written, for sentences */
  GStrv countries, charsets, mailers, dkim_domains, timezones;
  GStrv names; /* other display names the user says are this contact's */
  gboolean require_dkim;
};

void
mt_contact_rule_free(MtContactRule *rule)
{
  if (rule == NULL)
    return;
  g_free(rule->pattern);
  g_ptr_array_unref(rule->cidrs);
  g_ptr_array_unref(rule->hosts);
  g_array_unref(rule->asns);
  g_free(rule->servers_text);
  g_strfreev(rule->countries);
  g_strfreev(rule->charsets);
  g_strfreev(rule->mailers);
  g_strfreev(rule->dkim_domains);
  g_strfreev(rule->timezones);
  g_strfreev(rule->names);
  g_free(rule);
}

static gboolean
parse_servers(MtContactRule *rule, GStrv servers, GError **error)
{
  for (guint i = 0; servers != NULL && servers[i] != NULL; i++) {
    const char *s = servers[i];
    guint64 asn = 0;
    if (g_ascii_strncasecmp(s, "as", 2) == 0 &&
        g_ascii_string_to_unsigned(s + 2, 10, 1, G_MAXUINT32, &asn, NULL)) {
      guint32 a = (guint32)asn;
      g_array_append_val(rule->asns, a);
      continue;
    }
    MtCidr *cidr = mt_cidr_parse(s);
    if (cidr != NULL) {
      g_ptr_array_add(rule->cidrs, cidr);
      continue;
    }
    const char *p = g_str_has_prefix(s, "*.") ? s + 2 : s;
    gboolean host = *p != '\0';
    for (; *p && host; p++)
      host = g_ascii_isalnum(*p) || *p == '.' || *p == '-' || *p == '_';
    if (!host) {
      g_set_error(error, MT_ERROR, MT_ERROR_CONFIG,
                  "servers: “%s” is neither a host pattern, a CIDR nor an AS number", s);
      return FALSE;
    }
    g_ptr_array_add(rule->hosts, g_strdup(s));
  }
  return TRUE;
}

MtContactRule *
mt_contact_rule_parse(GKeyFile *kf, const char *group, GError **error)
{
  g_return_val_if_fail(g_str_has_prefix(group, "contact "), NULL);

  g_autoptr(MtContactRule) rule = g_new0(MtContactRule, 1);
  g_autofree char *pattern = g_strstrip(g_strdup(group + strlen("contact ")));
  rule->pattern = g_ascii_strdown(pattern, -1);
  rule->cidrs = g_ptr_array_new_with_free_func((GDestroyNotify)mt_cidr_free);
  rule->hosts = g_ptr_array_new_with_free_func(g_free);
  rule->asns = g_array_new(FALSE, FALSE, sizeof(guint32));
  if (strchr(rule->pattern, '@') == NULL) {
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG,
                "name an address (alice@example.org) or a domain (*@example.org)");
    return NULL;
  }
  g_auto(GStrv) servers = mt_config_get_list(kf, group, "servers", FALSE);
  g_autoptr(GError) err = NULL;
  if (!parse_servers(rule, servers, &err)) {
    g_propagate_error(error, g_steal_pointer(&err));
    return NULL;
  }
  rule->servers_text = servers != NULL ? g_strjoinv(", ", servers) : NULL;
  rule->countries = mt_config_get_list(kf, group, "countries", TRUE);
  rule->charsets = mt_config_get_list(kf, group, "charsets", FALSE);
  rule->mailers = mt_config_get_list(kf, group, "mailers", FALSE);
  rule->dkim_domains = mt_config_get_list(kf, group, "dkim_domains", FALSE);
  rule->timezones = mt_config_get_list(kf, group, "timezones", FALSE);
  rule->names = mt_config_get_list(kf, group, "names", FALSE);
  if (g_key_file_has_key(kf, group, "require_dkim", NULL)) {
    rule->require_dkim = g_key_file_get_boolean(kf, group, "require_dkim", &err);
    if (err != NULL) {
      g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "require_dkim: %s", err->message);
      return NULL;
    }
  }
  return g_steal_pointer(&rule);
}

const MtContactRule *
mt_contact_rules_find(GPtrArray *rules, const char *address)
{
  if (rules == NULL || address == NULL)
    return NULL;
  const char *at = strrchr(address, '@');
  const MtContactRule *domain_rule = NULL;
  for (guint i = 0; i < rules->len; i++) {
    const MtContactRule *r = g_ptr_array_index(rules, i);
    if (strcmp(r->pattern, address) == 0)
      return r;
    if (at != NULL && r->pattern[0] == '*' && strcmp(r->pattern + 1, at) == 0)
      domain_rule = r;
  }
  return domain_rule;
}

static gboolean
server_matches(const MtContactRule *rule, const MtTraceHop *o)
{
  for (guint i = 0; i < rule->asns->len; i++)
    if (o->geo.asn != 0 && o->geo.asn == g_array_index(rule->asns, guint32, i))
      return TRUE;
  for (guint i = 0; o->hop->ip != NULL && i < rule->cidrs->len; i++)
    if (mt_cidr_contains(g_ptr_array_index(rule->cidrs, i), o->hop->ip))
      return TRUE;
  const char *name =
      o->hop->rdns != NULL ? o->hop->rdns : (o->hop->rdns_checked ? NULL : o->hop->helo);
  for (guint i = 0; name != NULL && i < rule->hosts->len; i++)
    if (mt_host_matches(name, g_ptr_array_index(rule->hosts, i)))
      return TRUE;
  return FALSE;
}

static gboolean
glob_any(GStrv globs, const char *value)
{
  g_autofree char *lower = g_ascii_strdown(value, -1);
  for (guint i = 0; globs[i] != NULL; i++)
    if (g_pattern_match_simple(globs[i], lower))
      return TRUE;
  return FALSE;
}

static gboolean
dkim_in(GStrv domains, const MtFingerprint *fp)
{
  g_autofree const char **seen = mt_fingerprint_get(fp, MT_FP_DKIM);
  for (guint i = 0; seen[i] != NULL; i++)
    for (guint k = 0; domains[k] != NULL; k++) {
      g_autofree char *want = mt_registered_domain(domains[k]);
      if (g_strcmp0(seen[i], want != NULL ? want : domains[k]) == 0)
        return TRUE;
    }
  return FALSE;
}

#define ADD_RULE(...) mt_verdict_add(v, "contact-rule", weight, __VA_ARGS__)

void
mt_contact_rule_check(const MtContactRule *rule, const MtFacts *f, const MtFingerprint *fp,
                      MtVerdict *v, double weight)
{
  g_return_if_fail(rule != NULL && f != NULL && fp != NULL && v != NULL);

  const char *who = fp->address;
  const MtTraceHop *o = mt_trace_origin(f->trace);
  g_autofree char *where = o != NULL ? mt_describe_hop(o) : g_strdup("inside your own servers");
  if (rule->servers_text != NULL && (o == NULL || !server_matches(rule, o)))
    ADD_RULE("Your rule says %s sends from %s; this message comes from %s.", who,
             rule->servers_text, where);
  if (rule->countries != NULL &&
      (o == NULL || o->geo.country == NULL ||
       !g_strv_contains((const char *const *)rule->countries, o->geo.country))) {
    g_autofree char *want = g_strjoinv(", ", rule->countries);
    ADD_RULE("Your rule says %s sends from %s; this message comes from %s.", who, want, where);
  }
  const MtMessage *m = f->message;
  for (guint i = 0; rule->charsets != NULL && i < m->charsets->len; i++) {
    const char *cs = g_ptr_array_index(m->charsets, i);
    if (strcmp(cs, "us-ascii") != 0 && !g_strv_contains((const char *const *)rule->charsets, cs)) {
      g_autofree char *want = g_strjoinv(", ", rule->charsets);
      ADD_RULE("Your rule says %s writes in %s; this message is in %s.", who, want, cs);
      break;
    }
  }
  if (rule->mailers != NULL && !glob_any(rule->mailers, m->mailer != NULL ? m->mailer : "none")) {
    g_autofree char *want = g_strjoinv(", ", rule->mailers);
    ADD_RULE("Your rule says %s writes with %s; this message was written with %s.", who, want,
             m->mailer != NULL ? m->mailer : "no named client");
  }
  if (rule->dkim_domains != NULL && !dkim_in(rule->dkim_domains, fp)) {
    g_autofree char *want = g_strjoinv(", ", rule->dkim_domains);
    ADD_RULE("Your rule says %s's mail is signed by %s; this message is not.", who, want);
  }
  if (rule->require_dkim && !f->sender_dkim_verified)
    ADD_RULE("Your rule says %s's mail carries a DKIM signature of their domain; this message "
             "has none that a trusted server verified.",
             who);
  if (rule->timezones != NULL &&
      (m->date_zone == NULL ||
       !g_strv_contains((const char *const *)rule->timezones, m->date_zone))) {
    g_autofree char *want = g_strjoinv(", ", rule->timezones);
    ADD_RULE("Your rule says %s writes at %s; this message is dated %s.", who, want,
             m->date_zone != NULL ? m->date_zone : "without a time zone");
  }
}

const char *
mt_contact_rule_pattern(const MtContactRule *rule)
{
  g_return_val_if_fail(rule != NULL, NULL);
  return rule->pattern;
}

const char *const *
mt_contact_rule_names(const MtContactRule *rule)
{
  g_return_val_if_fail(rule != NULL, NULL);
  return (const char *const *)rule->names;
}
