#include "trust.h"

#include "domain.h"
#include "ipaddr.h"
#include "mt-error.h"
#include "mt-limits.h"

typedef struct {
  GPtrArray *patterns; /* char* */
  GPtrArray *cidrs;    /* MtCidr* */
} TrustSet;

struct _MtTrust {
  TrustSet relays;
  TrustSet senders;
  gboolean trust_private;
};

static void
set_init(TrustSet *s)
{
  s->patterns = g_ptr_array_new_with_free_func(g_free);
  s->cidrs = g_ptr_array_new_with_free_func((GDestroyNotify)mt_cidr_free);
}

MtTrust *
mt_trust_new(void)
{
  MtTrust *t = g_new0(MtTrust, 1);
  set_init(&t->relays);
  set_init(&t->senders);
  t->trust_private = TRUE;
  return t;
}

void
mt_trust_free(MtTrust *trust)
{
  if (trust == NULL)
    return;
  g_ptr_array_unref(trust->relays.patterns);
  g_ptr_array_unref(trust->relays.cidrs);
  g_ptr_array_unref(trust->senders.patterns);
  g_ptr_array_unref(trust->senders.cidrs);
  g_free(trust);
}

static gboolean
is_host_pattern(const char *s)
{
  const char *p = g_str_has_prefix(s, "*.") ? s + 2 : s;
  if (*p == '\0')
    return FALSE;
  for (; *p; p++)
    if (!g_ascii_isalnum(*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

gboolean
mt_trust_add(MtTrust *trust, const char *entry, gboolean sender, GError **error)
{
  g_return_val_if_fail(trust != NULL && entry != NULL, FALSE);

  TrustSet *set = sender ? &trust->senders : &trust->relays;
  if (set->patterns->len + set->cidrs->len >= MT_MAX_TRUST_ENTRIES) {
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "more than %d trust entries",
                MT_MAX_TRUST_ENTRIES);
    return FALSE;
  }
  MtCidr *cidr = mt_cidr_parse(entry);
  if (cidr != NULL) {
    g_ptr_array_add(set->cidrs, cidr);
    return TRUE;
  }
  if (is_host_pattern(entry)) {
    g_ptr_array_add(set->patterns, g_ascii_strdown(entry, -1));
    return TRUE;
  }
  g_set_error(error, MT_ERROR, MT_ERROR_CONFIG,
              "“%s” is neither a host pattern (*.example.net) nor a CIDR (192.0.2.0/24)", entry);
  return FALSE;
}

void
mt_trust_set_private(MtTrust *trust, gboolean trust_private)
{
  g_return_if_fail(trust != NULL);
  trust->trust_private = trust_private;
}

gboolean
mt_trust_is_configured(const MtTrust *trust)
{
  return trust != NULL && (trust->relays.patterns->len + trust->relays.cidrs->len) > 0;
}

/* The name to match: rDNS when the writer records it. A HELO is the client's own claim, so it
 * is used only where the writer's format records no rDNS (Microsoft 365) or no address. */
static const char *
name_to_match(const MtHop *hop)
{
  if (hop->rdns != NULL)
    return hop->rdns;
  if (!hop->rdns_checked || hop->ip == NULL)
    return hop->helo;
  return NULL;
}

static gboolean
set_matches(const TrustSet *set, const MtHop *hop)
{
  for (guint i = 0; hop->ip != NULL && i < set->cidrs->len; i++)
    if (mt_cidr_contains(g_ptr_array_index(set->cidrs, i), hop->ip))
      return TRUE;
  const char *name = name_to_match(hop);
  for (guint i = 0; name != NULL && i < set->patterns->len; i++)
    if (mt_host_matches(name, g_ptr_array_index(set->patterns, i)))
      return TRUE;
  return FALSE;
}

gboolean
mt_trust_is_relay(const MtTrust *trust, const MtHop *hop, const char *local_domain)
{
  g_return_val_if_fail(trust != NULL && hop != NULL, FALSE);

  if (hop->ip != NULL && mt_ip_is_loopback(hop->ip))
    return TRUE;
  if (hop->ip != NULL && trust->trust_private && mt_ip_is_private(hop->ip))
    return TRUE;
  if (mt_trust_is_configured(trust))
    return set_matches(&trust->relays, hop);
  g_autofree char *reg = mt_registered_domain(name_to_match(hop));
  return reg != NULL && local_domain != NULL && g_ascii_strcasecmp(reg, local_domain) == 0;
}

gboolean
mt_trust_is_sender_relay(const MtTrust *trust, const MtHop *hop)
{
  g_return_val_if_fail(trust != NULL && hop != NULL, FALSE);
  return set_matches(&trust->senders, hop);
}
