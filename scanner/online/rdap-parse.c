#include "rdap-parse.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "escape.h"
#include "json-depth.h"
#include "mt-limits.h"
#include "mt-error.h"

/* RDAP text is shown to a person: controls go, and a name longer than a line is cut. */
static char *
clean(const char *s)
{
  if (s == NULL || *s == '\0')
    return NULL;
  g_autofree char *valid = g_utf8_make_valid(s, -1);
  char *shown = mt_escape_controls(valid);
  if (g_utf8_strlen(shown, -1) > 120) {
    char *cut = g_utf8_offset_to_pointer(shown, 120);
    *cut = '\0';
  }
  return shown;
}

/* Member @name of @o when it is a string; servers send anything. */
static const char *
string_member(JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member(o, name) : NULL;
  return n != NULL && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
             ? json_node_get_string(n)
             : NULL;
}

static JsonObject *
root_object(JsonParser *parser, const char *text, gsize len, const char *class_name,
            GError **error)
{
  if (!mt_json_depth_within(text, len, MT_MAX_JSON_DEPTH)) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO, "JSON nested deeper than %d levels",
                MT_MAX_JSON_DEPTH);
    return NULL;
  }
  if (!json_parser_load_from_data(parser, text, (gssize)len, error))
    return NULL;
  JsonNode *root = json_parser_get_root(parser);
  JsonObject *o = root != NULL && JSON_NODE_HOLDS_OBJECT(root) ? json_node_get_object(root) : NULL;
  const char *cls = string_member(o, "objectClassName");
  if (cls == NULL || g_ascii_strcasecmp(cls, class_name) != 0) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO, "not an RDAP %s object", class_name);
    return NULL;
  }
  return o;
}

static JsonArray *
array_member(JsonObject *o, const char *name)
{
  JsonNode *n = o != NULL ? json_object_get_member(o, name) : NULL;
  return n != NULL && JSON_NODE_HOLDS_ARRAY(n) ? json_node_get_array(n) : NULL;
}

static JsonObject *
object_at(JsonArray *a, guint i)
{
  JsonNode *n = json_array_get_element(a, i);
  return JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n) : NULL;
}

static const char *
string_at(JsonArray *a, guint i)
{
  JsonNode *n = json_array_get_element(a, i);
  return JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING
             ? json_node_get_string(n)
             : NULL;
}

static gboolean
has_role(JsonObject *entity, const char *role)
{
  JsonArray *roles = array_member(entity, "roles");
  for (guint i = 0; roles != NULL && i < json_array_get_length(roles); i++) {
    const char *r = string_at(roles, i);
    if (r != NULL && g_ascii_strcasecmp(r, role) == 0)
      return TRUE;
  }
  return FALSE;
}

/* The value of property @prop ("fn", "email") in an entity's jCard (RFC 7095):
 * ["vcard", [["fn", {}, "text", "Example Inc."], ...]]. */
static const char *
vcard_value(JsonObject *entity, const char *prop)
{
  JsonArray *vcard = array_member(entity, "vcardArray");
  if (vcard == NULL || json_array_get_length(vcard) < 2)
    return NULL;
  JsonNode *props = json_array_get_element(vcard, 1);
  if (!JSON_NODE_HOLDS_ARRAY(props))
    return NULL;
  JsonArray *list = json_node_get_array(props);
  for (guint i = 0; i < json_array_get_length(list); i++) {
    JsonNode *p = json_array_get_element(list, i);
    JsonArray *item = JSON_NODE_HOLDS_ARRAY(p) ? json_node_get_array(p) : NULL;
    if (item == NULL || json_array_get_length(item) < 4)
      continue;
    const char *name = string_at(item, 0);
    if (name != NULL && g_ascii_strcasecmp(name, prop) == 0)
      return string_at(item, 3);
  }
  return NULL;
}

/* The first entity with @role, looking into entities of entities (an abuse contact is often
 * an entity of the registrant), at most a few levels deep. */
static JsonObject *
find_entity(JsonObject *o, const char *role, guint depth)
{
  JsonArray *entities = array_member(o, "entities");
  for (guint i = 0; entities != NULL && i < json_array_get_length(entities); i++) {
    JsonObject *e = object_at(entities, i);
    if (e != NULL && has_role(e, role))
      return e;
  }
  for (guint i = 0; depth > 0 && entities != NULL && i < json_array_get_length(entities); i++) {
    JsonObject *e = object_at(entities, i);
    JsonObject *found = e != NULL ? find_entity(e, role, depth - 1) : NULL;
    if (found != NULL)
      return found;
  }
  return NULL;
}

gboolean
mt_rdap_parse_domain(const char *text, gsize len, MtRdapDomain *out, GError **error)
{
  *out = (MtRdapDomain){0};
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  JsonObject *o = root_object(parser, text, len, "domain", error);
  if (o == NULL)
    return FALSE;
  JsonArray *events = array_member(o, "events");
  for (guint i = 0; events != NULL && i < json_array_get_length(events); i++) {
    JsonObject *e = object_at(events, i);
    const char *action = string_member(e, "eventAction");
    const char *date = string_member(e, "eventDate");
    if (action == NULL || date == NULL || g_ascii_strcasecmp(action, "registration") != 0)
      continue;
    g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(date, NULL);
    if (dt != NULL)
      out->registered = g_date_time_to_unix(dt);
  }
  JsonObject *registrar = find_entity(o, "registrar", 0);
  if (registrar != NULL)
    out->registrar = clean(vcard_value(registrar, "fn"));
  JsonArray *status = array_member(o, "status");
  if (status != NULL) {
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < json_array_get_length(status) && i < 8; i++) {
      const char *v = string_at(status, i);
      if (v != NULL)
        g_string_append_printf(s, "%s%s", s->len > 0 ? ", " : "", v);
    }
    g_autofree char *all = g_string_free(s, FALSE);
    out->status = clean(all);
  }
  return TRUE;
}

gboolean
mt_rdap_parse_network(const char *text, gsize len, MtRdapNetwork *out, GError **error)
{
  *out = (MtRdapNetwork){0};
  g_autoptr(JsonParser) parser = json_parser_new_immutable();
  JsonObject *o = root_object(parser, text, len, "ip network", error);
  if (o == NULL)
    return FALSE;
  const char *start = string_member(o, "startAddress");
  const char *end = string_member(o, "endAddress");
  if (start != NULL && end != NULL) {
    g_autofree char *range = g_strdup_printf("%s - %s", start, end);
    out->range = clean(range);
  }
  out->name = clean(string_member(o, "name"));
  const char *country = string_member(o, "country");
  if (country != NULL && strlen(country) == 2 && g_ascii_isalpha(country[0]) &&
      g_ascii_isalpha(country[1]))
    out->country = g_ascii_strup(country, -1);
  JsonObject *registrant = find_entity(o, "registrant", 0);
  if (registrant != NULL)
    out->owner = clean(vcard_value(registrant, "fn"));
  JsonObject *abuse = find_entity(o, "abuse", 2);
  const char *email = abuse != NULL ? vcard_value(abuse, "email") : NULL;
  /* an address a report is sent to: one addr-spec, nothing a header could be built from */
  if (email != NULL && strchr(email, '@') != NULL && strlen(email) < 254 &&
      strpbrk(email, " \t\r\n<>,;\"()") == NULL)
    out->abuse_email = clean(email);
  return TRUE;
}

void
mt_rdap_domain_clear(MtRdapDomain *d)
{
  g_clear_pointer(&d->registrar, g_free);
  g_clear_pointer(&d->status, g_free);
}

void
mt_rdap_network_clear(MtRdapNetwork *n)
{
  g_clear_pointer(&n->range, g_free);
  g_clear_pointer(&n->name, g_free);
  g_clear_pointer(&n->owner, g_free);
  g_clear_pointer(&n->country, g_free);
  g_clear_pointer(&n->abuse_email, g_free);
}
