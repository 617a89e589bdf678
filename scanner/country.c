#include "country.h"

#include <json-glib/json-glib.h>

#include "mt-config.h"

static GHashTable *
load_names(void)
{
  GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(JsonParser) parser = json_parser_new();
  const char *path = g_getenv("MAILTRACE_ISO_CODES");
  if (!json_parser_load_from_file(parser, path != NULL ? path : MT_ISO_CODES_JSON, NULL))
    return names;
  JsonNode *root = json_parser_get_root(parser);
  JsonObject *obj = JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
  JsonArray *list = obj != NULL && json_object_has_member(obj, "3166-1")
                        ? json_object_get_array_member(obj, "3166-1")
                        : NULL;
  for (guint i = 0; list != NULL && i < json_array_get_length(list); i++) {
    JsonObject *c = json_array_get_object_element(list, i);
    if (c == NULL || !json_object_has_member(c, "alpha_2") || !json_object_has_member(c, "name"))
      continue;
    const char *common = json_object_has_member(c, "common_name")
                             ? json_object_get_string_member(c, "common_name")
                             : NULL;
    g_hash_table_insert(
        names, g_strdup(json_object_get_string_member(c, "alpha_2")),
        g_strdup(common != NULL ? common : json_object_get_string_member(c, "name")));
  }
  return names;
}

const char *
mt_country_name(const char *code)
{
  static gsize once = 0;
  static GHashTable *names = NULL;
  if (code == NULL)
    return NULL;
  if (g_once_init_enter(&once)) {
    names = load_names();
    g_once_init_leave(&once, 1);
  }
  const char *name = g_hash_table_lookup(names, code);
  return name != NULL ? name : code;
}
