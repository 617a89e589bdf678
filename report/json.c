#include "json.h"

#include <string.h>

#include "ipaddr.h"

static void
add_string(JsonBuilder *b, const char *key, const char *value)
{
  json_builder_set_member_name(b, key);
  if (value != NULL) {
    g_autofree char *valid = g_utf8_make_valid(value, -1);
    json_builder_add_string_value(b, valid);
  } else {
    json_builder_add_null_value(b);
  }
}

static void
add_bool(JsonBuilder *b, const char *key, gboolean value)
{
  json_builder_set_member_name(b, key);
  json_builder_add_boolean_value(b, value);
}

static void
add_asn(JsonBuilder *b, guint32 asn)
{
  json_builder_set_member_name(b, "asn");
  if (asn != 0)
    json_builder_add_int_value(b, asn);
  else
    json_builder_add_null_value(b);
}

static void
add_hop(JsonBuilder *b, const MtTraceHop *th)
{
  const MtHop *h = th->hop;
  g_autofree char *date = mt_hop_date_iso(h);
  json_builder_begin_object(b);
  add_string(b, "helo", h->helo);
  add_string(b, "rdns", h->rdns);
  add_string(b, "ip", h->ip);
  add_string(b, "by", h->by);
  add_string(b, "with", h->with);
  add_string(b, "id", h->id);
  add_string(b, "for", h->for_addr);
  add_string(b, "envelope_from", h->envelope_from);
  add_string(b, "ident", h->ident);
  add_string(b, "date", date);
  add_bool(b, "tls", h->tls);
  add_bool(b, "authenticated", h->authenticated);
  add_bool(b, "skipped", h->skipped);
  add_bool(b, "trusted", th->trusted);
  add_string(b, "country", th->geo.country);
  add_asn(b, th->geo.asn);
  add_string(b, "as_org", th->geo.as_org);
  json_builder_end_object(b);
}

static void
add_endpoint(JsonBuilder *b, const char *key, const MtTraceHop *th, gboolean with_auth)
{
  json_builder_set_member_name(b, key);
  if (th == NULL) {
    json_builder_add_null_value(b);
    return;
  }
  json_builder_begin_object(b);
  add_string(b, "ip", th->hop->ip);
  add_string(b, "country", th->geo.country);
  /* whose word the country is: the geo database's, or the mailbox provider's record */
  add_string(b, "country_source", th->geo.country == NULL ? NULL
                                  : th->country_by != NULL ? th->country_by
                                                           : "geo");
  add_asn(b, th->geo.asn);
  add_string(b, "as_org", th->geo.as_org);
  add_string(b, "helo", th->hop->helo);
  add_string(b, "rdns", th->hop->rdns);
  if (with_auth)
    add_bool(b, "authenticated", th->hop->authenticated);
  json_builder_end_object(b);
}

/* What the mailbox provider itself recorded, beside mailtrace's own reading. */
static void
add_provider(JsonBuilder *b, const MtProviderRecord *r, const MtTraceHop *origin)
{
  json_builder_set_member_name(b, "provider");
  if (r->provider == NULL) {
    json_builder_add_null_value(b);
    return;
  }
  json_builder_begin_object(b);
  add_string(b, "name", r->provider->name);
  add_string(b, "sender_ip", r->sender_ip);
  add_string(b, "sender_ip_from", r->sender_ip_from);
  add_string(b, "country", r->country);
  add_string(b, "original_ip", r->original_ip);
  add_string(b, "original_country", r->original_country);
  json_builder_set_member_name(b, "agrees");
  if (r->sender_ip == NULL)
    json_builder_add_null_value(b);
  else
    json_builder_add_boolean_value(b, mt_provider_record_agrees(r, origin));
  json_builder_end_object(b);
}

static void
add_strings(JsonBuilder *b, const char *key, GPtrArray *list)
{
  json_builder_set_member_name(b, key);
  json_builder_begin_array(b);
  for (guint i = 0; i < list->len; i++) {
    g_autofree char *valid = g_utf8_make_valid(g_ptr_array_index(list, i), -1);
    json_builder_add_string_value(b, valid);
  }
  json_builder_end_array(b);
}

static void
add_auth(JsonBuilder *b, const MtAuth *a)
{
  json_builder_set_member_name(b, "auth");
  json_builder_begin_object(b);
  add_string(b, "spf", a->spf);
  json_builder_set_member_name(b, "dkim");
  json_builder_begin_array(b);
  for (guint i = 0; i < a->dkim->len; i++) {
    const MtDkimResult *d = g_ptr_array_index(a->dkim, i);
    json_builder_begin_object(b);
    add_string(b, "result", d->result);
    add_string(b, "domain", d->domain);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  add_string(b, "dmarc", a->dmarc);
  add_string(b, "arc", a->arc);
  add_strings(b, "authserv_ids", a->trusted);
  add_strings(b, "untrusted_authserv_ids", a->untrusted);
  json_builder_end_object(b);
}

static void
add_reasons(JsonBuilder *b, const MtVerdict *v)
{
  json_builder_set_member_name(b, "reasons");
  json_builder_begin_array(b);
  for (guint i = 0; i < v->reasons->len; i++) {
    const MtReason *r = g_ptr_array_index(v->reasons, i);
    json_builder_begin_object(b);
    add_string(b, "code", r->code);
    json_builder_set_member_name(b, "weight");
    json_builder_add_double_value(b, r->weight);
    add_string(b, "text", r->text);
    add_string(b, "explained_by", r->explained_by);
    add_string(b, "explanation", r->explanation);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
}

static void
add_from(JsonBuilder *b, const MtAddress *from)
{
  json_builder_set_member_name(b, "from");
  if (from == NULL) {
    json_builder_add_null_value(b);
    return;
  }
  json_builder_begin_object(b);
  add_string(b, "name", from->name);
  add_string(b, "address", from->address);
  json_builder_end_object(b);
}

static void
add_profile_members(JsonBuilder *b, const MtProfile *p)
{
  add_string(b, "address", p->address);
  json_builder_set_member_name(b, "messages");
  json_builder_add_int_value(b, p->messages);
  json_builder_set_member_name(b, "spam");
  json_builder_add_int_value(b, p->spam);
  json_builder_set_member_name(b, "first_seen");
  json_builder_add_int_value(b, p->first_seen);
  json_builder_set_member_name(b, "last_seen");
  json_builder_add_int_value(b, p->last_seen);
  if (p->attrs == NULL || g_hash_table_size(p->attrs) == 0)
    return;
  json_builder_set_member_name(b, "fingerprint");
  json_builder_begin_object(b);
  for (guint i = 0; mt_fp_attrs[i] != NULL; i++) {
    GPtrArray *values = g_hash_table_lookup(p->attrs, mt_fp_attrs[i]);
    if (values == NULL)
      continue;
    json_builder_set_member_name(b, mt_fp_attrs[i]);
    json_builder_begin_array(b);
    for (guint k = 0; k < values->len; k++) {
      const MtProfileValue *v = g_ptr_array_index(values, k);
      json_builder_begin_object(b);
      add_string(b, "value", v->value);
      add_string(b, "label", v->label);
      json_builder_set_member_name(b, "count");
      json_builder_add_int_value(b, v->count);
      json_builder_end_object(b);
    }
    json_builder_end_array(b);
  }
  json_builder_end_object(b);
}

JsonNode *
mt_report_profile_json(const MtProfile *p)
{
  g_return_val_if_fail(p != NULL, NULL);

  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  add_profile_members(b, p);
  json_builder_end_object(b);
  return json_builder_get_root(b);
}

static void
add_contact(JsonBuilder *b, const MtContactReport *r)
{
  json_builder_set_member_name(b, "contact");
  if (r == NULL) {
    json_builder_add_null_value(b);
    return;
  }
  json_builder_begin_object(b);
  add_profile_members(b, r->profile);
  add_bool(b, "judged", r->enough);
  json_builder_set_member_name(b, "deviations");
  json_builder_begin_array(b);
  for (guint i = 0; i < r->deviations->len; i++) {
    const MtDeviation *d = g_ptr_array_index(r->deviations, i);
    json_builder_begin_object(b);
    add_string(b, "attr", d->attr);
    add_string(b, "usual", d->usual);
    add_string(b, "seen", d->seen);
    json_builder_set_member_name(b, "weight");
    json_builder_add_double_value(b, d->weight);
    json_builder_end_object(b);
  }
  json_builder_end_array(b);
  json_builder_end_object(b);
}

JsonNode *
mt_report_json(const MtAnalysis *a, const char *file)
{
  g_return_val_if_fail(a != NULL, NULL);

  const MtFacts *f = a->facts;
  const MtMessage *m = f->message;
  g_autoptr(JsonBuilder) b = json_builder_new();
  json_builder_begin_object(b);
  if (file != NULL)
    add_string(b, "file", file);
  add_from(b, m->from);
  add_string(b, "message_id", m->message_id);
  g_autofree char *date =
      m->date != NULL ? g_date_time_format(m->date, "%Y-%m-%dT%H:%M:%S%:z") : NULL;
  add_string(b, "date", date);
  json_builder_set_member_name(b, "hops");
  json_builder_begin_array(b);
  for (guint i = 0; i < f->trace->hops->len; i++)
    add_hop(b, g_ptr_array_index(f->trace->hops, i));
  json_builder_end_array(b);
  add_endpoint(b, "origin", mt_trace_origin(f->trace), FALSE);
  add_endpoint(b, "submission", mt_trace_submission(f->trace), TRUE);
  add_string(b, "boundary", !f->trace->guessed        ? "configured"
                            : f->trace->provider != NULL ? "provider"
                                                         : "guessed");
  add_provider(b, f->provider, mt_trace_origin(f->trace));
  add_auth(b, f->auth);
  add_strings(b, "charsets", m->charsets);
  add_string(b, "mailer", m->mailer);
  add_string(b, "html_generator", m->html_generator);
  json_builder_set_member_name(b, "fingerprint");
  json_builder_begin_object(b);
  for (guint i = 0; mt_fp_attrs[i] != NULL; i++) {
    g_autofree const char **values = mt_fingerprint_get(a->fingerprint, mt_fp_attrs[i]);
    if (values[0] == NULL)
      continue;
    json_builder_set_member_name(b, mt_fp_attrs[i]);
    json_builder_begin_array(b);
    for (guint k = 0; values[k] != NULL; k++)
      json_builder_add_string_value(b, values[k]);
    json_builder_end_array(b);
  }
  json_builder_end_object(b);
  add_contact(b, a->contact);
  add_string(b, "verdict", mt_verdict_kind_name(a->verdict->kind));
  json_builder_set_member_name(b, "score");
  json_builder_add_double_value(b, a->verdict->score);
  add_reasons(b, a->verdict);
  json_builder_end_object(b);
  return json_builder_get_root(b);
}

char *
mt_report_json_to_line(JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new();
  json_generator_set_root(gen, node);
  g_autofree char *raw = json_generator_to_data(gen, NULL);
  /* json-glib 1.6 writes U+001F (and, before it, others) raw; RFC 8259 allows no control
   * character in a string, and a compact line has none elsewhere: escape each one. */
  GString *line = g_string_sized_new(strlen(raw));
  for (const char *p = raw; *p != '\0'; p++) {
    if ((guchar)*p < 0x20)
      g_string_append_printf(line, "\\u%04x", (guchar)*p);
    else
      g_string_append_c(line, *p);
  }
  return g_string_free(line, FALSE);
}

char *
mt_report_json_line(const MtAnalysis *a, const char *file)
{
  g_autoptr(JsonNode) root = mt_report_json(a, file);
  return mt_report_json_to_line(root);
}
