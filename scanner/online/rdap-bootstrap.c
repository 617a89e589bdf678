#include "rdap-bootstrap.h"

#include <arpa/inet.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "json-depth.h"
#include "mt-error.h"
#include "mt-limits.h"

typedef struct {
  unsigned char prefix[16];
  guint bits;
  int family;
  char *url;
} Range;

struct _MtRdapBootstrap {
  GHashTable *tlds; /* lower-case TLD -> URL */
  GArray *ranges;   /* Range */
};

static void
range_clear(gpointer data)
{
  g_free(((Range *)data)->url);
}

MtRdapBootstrap *
mt_rdap_bootstrap_new(void)
{
  MtRdapBootstrap *b = g_new0(MtRdapBootstrap, 1);
  b->tlds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  b->ranges = g_array_new(FALSE, TRUE, sizeof(Range));
  g_array_set_clear_func(b->ranges, range_clear);
  return b;
}

void
mt_rdap_bootstrap_free(MtRdapBootstrap *b)
{
  if (b == NULL)
    return;
  g_hash_table_unref(b->tlds);
  g_array_unref(b->ranges);
  g_free(b);
}

/* The first https URL of @urls, else the first http one; with a final '/'. */
static char *
pick_url(JsonArray *urls)
{
  const char *http = NULL;
  for (guint i = 0; i < json_array_get_length(urls); i++) {
    JsonNode *n = json_array_get_element(urls, i);
    const char *u = JSON_NODE_HOLDS_VALUE(n) ? json_node_get_string(n) : NULL;
    if (u == NULL)
      continue;
    if (g_str_has_prefix(u, "https://")) {
      http = u;
      break;
    }
    if (http == NULL && g_str_has_prefix(u, "http://"))
      http = u;
  }
  if (http == NULL)
    return NULL;
  return g_str_has_suffix(http, "/") ? g_strdup(http) : g_strconcat(http, "/", NULL);
}

static gboolean
parse_prefix(const char *text, Range *r)
{
  g_auto(GStrv) parts = g_strsplit(text, "/", 2);
  if (parts[0] == NULL || parts[1] == NULL)
    return FALSE;
  r->family = strchr(parts[0], ':') != NULL ? AF_INET6 : AF_INET;
  if (inet_pton(r->family, parts[0], r->prefix) != 1)
    return FALSE;
  char *end = NULL;
  guint64 bits = g_ascii_strtoull(parts[1], &end, 10);
  if (end == parts[1] || *end != '\0' || bits > (r->family == AF_INET ? 32u : 128u))
    return FALSE;
  r->bits = (guint)bits;
  return TRUE;
}

gboolean
mt_rdap_bootstrap_parse(MtRdapBootstrap *b, const char *kind, const char *text, gsize len,
                        GError **error)
{
  if (!mt_json_depth_within(text, len, MT_MAX_JSON_DEPTH)) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO, "JSON nested deeper than %d levels",
                MT_MAX_JSON_DEPTH);
    return FALSE;
  }
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  if (!json_parser_load_from_data(parser, text, (gssize)len, error))
    return FALSE;
  JsonNode *root = json_parser_get_root(parser);
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
  JsonNode *services = o != NULL ? json_object_get_member(o, "services") : NULL;
  if (services == NULL || !JSON_NODE_HOLDS_ARRAY(services)) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO, "not an RDAP bootstrap file: no \"services\"");
    return FALSE;
  }
  gboolean dns = strcmp(kind, "dns") == 0;
  guint used = 0;
  JsonArray *list = json_node_get_array(services);
  for (guint i = 0; i < json_array_get_length(list); i++) {
    JsonNode *entry = json_array_get_element(list, i);
    JsonArray *pair = JSON_NODE_HOLDS_ARRAY(entry) ? json_node_get_array(entry) : NULL;
    if (pair == NULL || json_array_get_length(pair) < 2)
      continue;
    JsonNode *keys = json_array_get_element(pair, 0), *urls = json_array_get_element(pair, 1);
    if (!JSON_NODE_HOLDS_ARRAY(keys) || !JSON_NODE_HOLDS_ARRAY(urls))
      continue;
    g_autofree char *url = pick_url(json_node_get_array(urls));
    if (url == NULL)
      continue;
    JsonArray *k = json_node_get_array(keys);
    for (guint j = 0; j < json_array_get_length(k); j++) {
      JsonNode *n = json_array_get_element(k, j);
      const char *key = JSON_NODE_HOLDS_VALUE(n) ? json_node_get_string(n) : NULL;
      if (key == NULL)
        continue;
      if (dns) {
        g_hash_table_replace(b->tlds, g_ascii_strdown(key, -1), g_strdup(url));
        used++;
        continue;
      }
      Range r = {0};
      if (!parse_prefix(key, &r))
        continue;
      r.url = g_strdup(url);
      g_array_append_val(b->ranges, r);
      used++;
    }
  }
  if (used == 0) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO, "an RDAP bootstrap file without a usable entry");
    return FALSE;
  }
  return TRUE;
}

MtRdapBootstrap *
mt_rdap_bootstrap_load(const char *const *dirs, GPtrArray *warnings)
{
  MtRdapBootstrap *b = mt_rdap_bootstrap_new();
  static const char *const kinds[] = {"dns", "ipv4", "ipv6"};
  for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
    gboolean found = FALSE;
    for (guint d = 0; dirs != NULL && dirs[d] != NULL && !found; d++) {
      g_autofree char *name = g_strconcat(kinds[k], ".json", NULL);
      g_autofree char *path = g_build_filename(dirs[d], name, NULL);
      g_autofree char *text = NULL;
      gsize len = 0;
      if (!g_file_get_contents(path, &text, &len, NULL))
        continue;
      g_autoptr(GError) err = NULL;
      found = mt_rdap_bootstrap_parse(b, kinds[k], text, len, &err);
      if (!found)
        g_ptr_array_add(warnings, g_strdup_printf("%s: %s", path, err->message));
    }
    if (!found) { /* where it was looked for: a build tree has none of those places */
      g_autofree char *where = dirs != NULL ? g_strjoinv(", ", (char **)dirs) : g_strdup("");
      g_ptr_array_add(warnings,
                      g_strdup_printf("no RDAP bootstrap file %s.json (looked in %s): RDAP "
                                      "lookups of %s are skipped (mailtrace update-rdap, or "
                                      "[online] rdap_bootstrap)",
                                      kinds[k], where, k == 0 ? "domains" : "addresses"));
    }
  }
  return b;
}

const char *
mt_rdap_bootstrap_domain(const MtRdapBootstrap *b, const char *domain)
{
  g_return_val_if_fail(b != NULL && domain != NULL, NULL);
  /* IANA's file lists top-level domains; a longer entry would match first */
  for (const char *p = domain; p != NULL; p = strchr(p, '.') != NULL ? strchr(p, '.') + 1 : NULL) {
    g_autofree char *lower = g_ascii_strdown(p, -1);
    const char *url = g_hash_table_lookup(b->tlds, lower);
    if (url != NULL)
      return url;
  }
  return NULL;
}

static gboolean
prefix_matches(const Range *r, const unsigned char *addr)
{
  guint full = r->bits / 8, rest = r->bits % 8;
  if (memcmp(r->prefix, addr, full) != 0)
    return FALSE;
  if (rest == 0)
    return TRUE;
  unsigned char mask = (unsigned char)(0xff << (8 - rest));
  return (r->prefix[full] & mask) == (addr[full] & mask);
}

const char *
mt_rdap_bootstrap_ip(const MtRdapBootstrap *b, const char *ip)
{
  g_return_val_if_fail(b != NULL && ip != NULL, NULL);
  unsigned char addr[16];
  int family = strchr(ip, ':') != NULL ? AF_INET6 : AF_INET;
  if (inet_pton(family, ip, addr) != 1)
    return NULL;
  const Range *best = NULL;
  for (guint i = 0; i < b->ranges->len; i++) {
    const Range *r = &g_array_index(b->ranges, Range, i);
    if (r->family == family && prefix_matches(r, addr) && (best == NULL || r->bits > best->bits))
      best = r;
  }
  return best != NULL ? best->url : NULL;
}
