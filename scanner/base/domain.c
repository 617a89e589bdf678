#include "domain.h"

#include <libpsl.h>
#include <string.h>

static const psl_ctx_t *
psl(void)
{
  static gsize once = 0;
  static const psl_ctx_t *ctx = NULL;
  if (g_once_init_enter(&once)) {
    /* psl_latest() picks the newer of the built-in list and Debian's publicsuffix file. */
    ctx = psl_latest(NULL);
    if (ctx == NULL)
      ctx = psl_builtin();
    g_once_init_leave(&once, 1);
  }
  return ctx;
}

/* The public suffix walk, remembered per thread: the same relays and sender domains come back
 * in message after message. Values are "" for "none". */
static GPrivate known = G_PRIVATE_INIT((GDestroyNotify)g_hash_table_unref);

static char *
registered_domain(const char *host);

char *
mt_registered_domain(const char *host)
{
  if (host == NULL)
    return NULL;
  GHashTable *cache = g_private_get(&known);
  if (cache == NULL) {
    cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_private_set(&known, cache);
  }
  const char *hit = g_hash_table_lookup(cache, host);
  if (hit != NULL)
    return *hit != '\0' ? g_strdup(hit) : NULL;
  char *reg = registered_domain(host);
  if (g_hash_table_size(cache) >= 4096) /* bounded: hostile mail invents names */
    g_hash_table_remove_all(cache);
  if (strlen(host) <= 255)
    g_hash_table_insert(cache, g_strdup(host), g_strdup(reg != NULL ? reg : ""));
  return reg;
}

static char *
registered_domain(const char *host)
{
  if (host == NULL || *host == '\0' || *host == '[' || strchr(host, ':') != NULL)
    return NULL;
  g_autofree char *lower = g_ascii_strdown(host, -1);
  gsize n = strlen(lower);
  if (n > 0 && lower[n - 1] == '.')
    lower[n - 1] = '\0';
  for (const char *c = lower; *c; c++)
    if (!g_ascii_isalnum(*c) && *c != '.' && *c != '-' && *c != '_')
      return NULL;
  if (psl() == NULL)
    return NULL;
  const char *reg = psl_registrable_domain(psl(), lower);
  return reg != NULL ? g_strdup(reg) : NULL;
}

gboolean
mt_same_registered_domain(const char *a, const char *b)
{
  g_autofree char *ra = mt_registered_domain(a);
  g_autofree char *rb = mt_registered_domain(b);
  return ra != NULL && rb != NULL && strcmp(ra, rb) == 0;
}

gboolean
mt_host_matches(const char *host, const char *pattern)
{
  if (host == NULL || pattern == NULL)
    return FALSE;
  if (g_ascii_strcasecmp(host, pattern) == 0)
    return TRUE;
  if (pattern[0] != '*' || pattern[1] != '.')
    return FALSE;
  gsize hn = strlen(host), sn = strlen(pattern + 1); /* suffix includes the dot */
  return hn > sn && g_ascii_strcasecmp(host + hn - sn, pattern + 1) == 0;
}

char *
mt_address_domain(const char *address)
{
  const char *at = address != NULL ? strrchr(address, '@') : NULL;
  return at != NULL && at[1] ? g_ascii_strdown(at + 1, -1) : NULL;
}

const char *
mt_domain_library_version(void)
{
  return psl_get_version();
}

gboolean
mt_domain_has_public_tld(const char *domain)
{
  if (domain == NULL)
    return FALSE;
  g_autofree char *lower = g_ascii_strdown(domain, -1);
  gsize n = strlen(lower);
  if (n > 0 && lower[n - 1] == '.')
    lower[--n] = '\0';
  if (strchr(lower, '.') == NULL)
    return FALSE;
  /* some TLDs are listed only through their second level: co.za, not za */
  for (const char *p = lower; p != NULL; p = strchr(p, '.') != NULL ? strchr(p, '.') + 1 : NULL)
    if (*p != '\0' && psl_is_public_suffix2(psl(), p, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE))
      return TRUE;
  return FALSE;
}
