#include "json.h"

#include <string.h>

#include "ipaddr.h"

#define add_string mt_json_member_string
#define add_bool mt_json_member_bool

void
mt_report_json_begin_line(MtJsonWriter *w)
{
  mt_json_begin_object(w);
  mt_json_member_int(w, "format", MT_JSON_FORMAT);
}

char *
mt_report_json_error_line(const char *file, const char *error)
{
  GString *out = g_string_sized_new(256);
  MtJsonWriter w;
  mt_json_init(&w, out);
  mt_report_json_begin_line(&w);
  add_string(&w, "file", file);
  add_string(&w, "error", error);
  mt_json_end_object(&w);
  return g_string_free(out, FALSE);
}

/* A fingerprint attribute as a JSON key: snake_case ("origin-domain" -> "origin_domain"). */
static void
add_attr_key(MtJsonWriter *b, const char *attr)
{
  g_autofree char *key = g_strdelimit(g_strdup(attr), "-", '_');
  mt_json_key(b, key);
}

/* A fingerprint value: a part the message lacks (MT_FP_ABSENT) is null. */
static void
add_fp_value(MtJsonWriter *b, const char *value)
{
  if (value == NULL || mt_fp_absent(value))
    mt_json_null(b);
  else
    mt_json_string(b, value);
}

static void
add_asn(MtJsonWriter *b, guint32 asn)
{
  mt_json_key(b, "asn");
  if (asn != 0)
    mt_json_int(b, asn);
  else
    mt_json_null(b);
}

static void
add_hop(MtJsonWriter *b, const MtTraceHop *th)
{
  const MtHop *h = th->hop;
  g_autofree char *date = mt_hop_date_iso(h);
  mt_json_begin_object(b);
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
  mt_json_end_object(b);
}

static void
add_endpoint(MtJsonWriter *b, const char *key, const MtTraceHop *th, gboolean with_auth)
{
  mt_json_key(b, key);
  if (th == NULL) {
    mt_json_null(b);
    return;
  }
  mt_json_begin_object(b);
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
  mt_json_end_object(b);
}

/* What the mailbox provider itself recorded, beside mailtrace's own reading. */
static void
add_provider(MtJsonWriter *b, const MtProviderRecord *r, const MtTraceHop *origin)
{
  mt_json_key(b, "provider");
  if (r->provider == NULL) {
    mt_json_null(b);
    return;
  }
  mt_json_begin_object(b);
  add_string(b, "name", r->provider->name);
  add_string(b, "sender_ip", r->sender_ip);
  add_string(b, "sender_ip_from", r->sender_ip_from);
  add_string(b, "country", r->country);
  add_string(b, "original_ip", r->original_ip);
  add_string(b, "original_country", r->original_country);
  mt_json_key(b, "agrees");
  if (r->sender_ip == NULL)
    mt_json_null(b);
  else
    mt_json_bool(b, mt_provider_record_agrees(r, origin));
  mt_json_end_object(b);
}

static void
add_strings(MtJsonWriter *b, const char *key, GPtrArray *list)
{
  mt_json_key(b, key);
  mt_json_begin_array(b);
  for (guint i = 0; i < list->len; i++)
    mt_json_string(b, g_ptr_array_index(list, i));
  mt_json_end_array(b);
}

static void
add_auth(MtJsonWriter *b, const MtAuth *a)
{
  mt_json_key(b, "auth");
  mt_json_begin_object(b);
  add_string(b, "spf", a->spf);
  mt_json_key(b, "dkim");
  mt_json_begin_array(b);
  for (guint i = 0; i < a->dkim->len; i++) {
    const MtDkimResult *d = g_ptr_array_index(a->dkim, i);
    mt_json_begin_object(b);
    add_string(b, "result", d->result);
    add_string(b, "domain", d->domain);
    mt_json_end_object(b);
  }
  mt_json_end_array(b);
  add_string(b, "dmarc", a->dmarc);
  add_string(b, "dmarc_action", a->dmarc_action);
  add_string(b, "compauth", a->compauth);
  add_string(b, "compauth_reason", a->compauth_reason);
  add_string(b, "arc", a->arc);
  add_strings(b, "authserv_ids", a->trusted);
  add_strings(b, "untrusted_authserv_ids", a->untrusted);
  mt_json_end_object(b);
}

static void
add_reasons(MtJsonWriter *b, const MtVerdict *v)
{
  mt_json_key(b, "reasons");
  mt_json_begin_array(b);
  for (guint i = 0; i < v->reasons->len; i++) {
    const MtReason *r = g_ptr_array_index(v->reasons, i);
    mt_json_begin_object(b);
    add_string(b, "code", r->code);
    mt_json_key(b, "weight");
    mt_json_double(b, r->weight);
    add_string(b, "text", r->text);
    add_string(b, "explained_by", r->explained_by);
    add_string(b, "explanation", r->explanation);
    mt_json_end_object(b);
  }
  mt_json_end_array(b);
}

static void
add_from(MtJsonWriter *b, const MtAddress *from)
{
  mt_json_key(b, "from");
  if (from == NULL) {
    mt_json_null(b);
    return;
  }
  mt_json_begin_object(b);
  add_string(b, "name", from->name);
  add_string(b, "address", from->address);
  mt_json_end_object(b);
}

static void
add_profile_members(MtJsonWriter *b, const MtProfile *p)
{
  add_string(b, "address", p->address);
  mt_json_key(b, "messages");
  mt_json_int(b, p->messages);
  mt_json_key(b, "spam");
  mt_json_int(b, p->spam);
  mt_json_key(b, "first_seen");
  mt_json_int(b, p->first_seen);
  mt_json_key(b, "last_seen");
  mt_json_int(b, p->last_seen);
  if (p->attrs == NULL || g_hash_table_size(p->attrs) == 0)
    return;
  mt_json_key(b, "fingerprint");
  mt_json_begin_object(b);
  for (guint i = 0; mt_fp_attrs[i] != NULL; i++) {
    GPtrArray *values = g_hash_table_lookup(p->attrs, mt_fp_attrs[i]);
    if (values == NULL)
      continue;
    add_attr_key(b, mt_fp_attrs[i]);
    mt_json_begin_array(b);
    for (guint k = 0; k < values->len; k++) {
      const MtProfileValue *v = g_ptr_array_index(values, k);
      mt_json_begin_object(b);
      mt_json_key(b, "value");
      add_fp_value(b, v->value);
      add_string(b, "label", v->label);
      mt_json_key(b, "count");
      mt_json_int(b, v->count);
      mt_json_end_object(b);
    }
    mt_json_end_array(b);
  }
  mt_json_end_object(b);
}

char *
mt_report_profile_json_line(const MtProfile *p)
{
  g_return_val_if_fail(p != NULL, NULL);

  GString *out = g_string_sized_new(512);
  MtJsonWriter w;
  mt_json_init(&w, out);
  mt_report_json_begin_line(&w);
  add_profile_members(&w, p);
  mt_json_end_object(&w);
  return g_string_free(out, FALSE);
}

static void
add_contact(MtJsonWriter *b, const MtContactReport *r)
{
  mt_json_key(b, "contact");
  if (r == NULL) {
    mt_json_null(b);
    return;
  }
  mt_json_begin_object(b);
  add_profile_members(b, r->profile);
  add_bool(b, "judged", r->enough);
  mt_json_key(b, "deviations");
  mt_json_begin_array(b);
  for (guint i = 0; i < r->deviations->len; i++) {
    const MtDeviation *d = g_ptr_array_index(r->deviations, i);
    mt_json_begin_object(b);
    g_autofree char *attr = g_strdelimit(g_strdup(d->attr), "-", '_');
    add_string(b, "attr", attr);
    mt_json_key(b, "usual");
    add_fp_value(b, d->usual);
    mt_json_key(b, "seen");
    add_fp_value(b, d->seen);
    mt_json_key(b, "weight");
    mt_json_double(b, d->weight);
    mt_json_end_object(b);
  }
  mt_json_end_array(b);
  mt_json_end_object(b);
}

/* "lookups": null offline; else the facts looked up (or recorded), and the notes. */
static void
add_lookups(MtJsonWriter *b, const MtLookups *l)
{
  mt_json_key(b, "lookups");
  if (l == NULL) {
    mt_json_null(b);
    return;
  }
  mt_json_begin_object(b);
  mt_json_key(b, "facts");
  mt_json_begin_array(b);
  for (guint i = 0; i < l->facts->len; i++) {
    const MtLookupFact *f = g_ptr_array_index(l->facts, i);
    mt_json_begin_object(b);
    add_string(b, "kind", f->kind);
    add_string(b, "subject", f->subject);
    add_string(b, "text", f->text);
    add_string(b, "source", f->source == MT_LOOKUP_NOW      ? "lookup"
                            : f->source == MT_LOOKUP_CACHED ? "cache"
                                                            : "headers");
    mt_json_key(b, "looked_up_at");
    if (f->source == MT_LOOKUP_HEADERS) {
      mt_json_null(b);
    } else {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(f->at);
      g_autofree char *when = t != NULL ? g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ") : NULL;
      if (when != NULL)
        mt_json_string(b, when);
      else
        mt_json_null(b);
    }
    add_string(b, "command", f->command);
    mt_json_end_object(b);
  }
  mt_json_end_array(b);
  add_strings(b, "notes", l->notes);
  add_string(b, "abuse_contact", l->abuse_email);
  mt_json_end_object(b);
}

void
mt_report_json_members(MtJsonWriter *b, const MtAnalysis *a, const char *file)
{
  g_return_if_fail(b != NULL && a != NULL);

  const MtFacts *f = a->facts;
  const MtMessage *m = f->message;
  if (file != NULL)
    add_string(b, "file", file);
  add_from(b, m->from);
  add_string(b, "message_id", m->message_id);
  g_autofree char *date =
      m->date != NULL ? g_date_time_format(m->date, "%Y-%m-%dT%H:%M:%S%:z") : NULL;
  add_string(b, "date", date);
  mt_json_key(b, "hops");
  mt_json_begin_array(b);
  for (guint i = 0; i < f->trace->hops->len; i++)
    add_hop(b, g_ptr_array_index(f->trace->hops, i));
  mt_json_end_array(b);
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
  mt_json_key(b, "fingerprint");
  mt_json_begin_object(b);
  for (guint i = 0; mt_fp_attrs[i] != NULL; i++) {
    g_autofree const char **values = mt_fingerprint_get(a->fingerprint, mt_fp_attrs[i]);
    if (values[0] == NULL)
      continue;
    add_attr_key(b, mt_fp_attrs[i]);
    mt_json_begin_array(b);
    for (guint k = 0; values[k] != NULL; k++)
      add_fp_value(b, values[k]);
    mt_json_end_array(b);
  }
  mt_json_end_object(b);
  add_contact(b, a->contact);
  add_lookups(b, a->lookups);
  add_string(b, "verdict", mt_verdict_kind_name(a->verdict->kind));
  mt_json_key(b, "score");
  mt_json_double(b, a->verdict->score);
  add_reasons(b, a->verdict);
}

char *
mt_report_json_line(const MtAnalysis *a, const char *file)
{
  g_return_val_if_fail(a != NULL, NULL);

  GString *out = g_string_sized_new(2048);
  MtJsonWriter w;
  mt_json_init(&w, out);
  mt_report_json_begin_line(&w);
  mt_report_json_members(&w, a, file);
  mt_json_end_object(&w);
  return g_string_free(out, FALSE);
}
