#include "fingerprint.h"

#include <string.h>

#include "domain.h"
#include "ipaddr.h"
#include "names.h"

const char *const mt_fp_attrs[] = {
    MT_FP_NETWORK, MT_FP_COUNTRY,  MT_FP_ORIGIN,   MT_FP_FIRST_HOP, MT_FP_DKIM,
    MT_FP_MAILER,  MT_FP_CHARSET,  MT_FP_TIMEZONE, MT_FP_MSGID,     MT_FP_HTML,
    MT_FP_NAME,    MT_FP_REPLY_TO, MT_FP_SUBMIT_NET, MT_FP_SUBMIT_COUNTRY, NULL};

static void
value_free(gpointer data)
{
  MtFpValue *v = data;
  g_free(v->value);
  g_free(v->label);
  g_free(v);
}

static const char absent[] = MT_FP_ABSENT;

static void
add(MtFingerprint *fp, const char *attr, const char *value, const char *label)
{
  if (value == NULL || (*value == '\0' && value != absent))
    return; /* an empty value is no value; a part the message lacks is passed as `absent` */
  for (guint i = 0; i < fp->values->len; i++) {
    const MtFpValue *v = g_ptr_array_index(fp->values, i);
    if (strcmp(v->attr, attr) == 0 && strcmp(v->value, value) == 0)
      return;
  }
  MtFpValue *v = g_new0(MtFpValue, 1);
  v->attr = attr;
  v->value = g_utf8_make_valid(value, MIN(strlen(value), 200));
  v->label = label != NULL ? g_utf8_make_valid(label, -1) : NULL;
  g_ptr_array_add(fp->values, v);
}

char *
mt_address_normalize(const char *address)
{
  if (address == NULL)
    return NULL;
  const char *at = strrchr(address, '@');
  if (at == NULL || at == address || at[1] == '\0')
    return NULL;
  gsize local = at - address;
  const char *plus = memchr(address, '+', local);
  if (plus != NULL && plus > address)
    local = plus - address;
  g_autofree char *joined = g_strdup_printf("%.*s@%s", (int)local, address, at + 1);
  return g_ascii_strdown(joined, -1);
}

/* A word is a version when it starts with a digit or a `v` and a digit, or is one after `/`. */
static gboolean
is_version(const char *w)
{
  if (g_ascii_isdigit(w[0]))
    return TRUE;
  return (w[0] == 'v' || w[0] == 'V') && g_ascii_isdigit(w[1]);
}

char *
mt_mailer_family(const char *mailer)
{
  g_return_val_if_fail(mailer != NULL, NULL);

  /* Drop parenthesised parts (platform details), then version words and `/version`. */
  GString *flat = g_string_new(NULL);
  guint depth = 0;
  for (const char *p = mailer; *p; p++) {
    if (*p == '(' || *p == '[')
      depth++;
    else if ((*p == ')' || *p == ']') && depth > 0)
      depth--;
    else if (depth == 0)
      g_string_append_c(flat, *p == '/' || *p == ',' || *p == ';' ? ' ' : *p);
  }
  g_auto(GStrv) words = g_strsplit_set(flat->str, " \t", -1);
  g_string_free(flat, TRUE);
  GString *out = g_string_new(NULL);
  for (guint i = 0; words[i] != NULL; i++) {
    if (*words[i] == '\0' || is_version(words[i]))
      continue;
    g_string_append_printf(out, "%s%s", out->len ? " " : "", words[i]);
  }
  if (out->len == 0)
    g_string_append(out, mailer);
  return g_string_free(out, FALSE);
}

static char *
hop_domain(const MtHop *hop)
{
  return mt_registered_domain(hop->rdns != NULL ? hop->rdns : hop->helo);
}

/* The bottom-most real hop with a public client address, submissions left out: their client
 * is the person's own device, which moves with them. */
static void
add_first_hop(MtFingerprint *fp, const MtFacts *f)
{
  for (guint i = f->trace->hops->len; i-- > 0;) {
    const MtHop *hop = ((const MtTraceHop *)g_ptr_array_index(f->trace->hops, i))->hop;
    if (hop->skipped || hop->authenticated || hop->ip == NULL || mt_ip_is_private(hop->ip))
      continue;
    g_autofree char *reg = hop_domain(hop);
    add(fp, MT_FP_FIRST_HOP, reg != NULL ? reg : hop->ip, NULL);
    return;
  }
  add(fp, MT_FP_FIRST_HOP, absent, NULL);
}

/* Mail from inside the user's own servers has no origin: recorded as absent, so that a
 * contact who always wrote from inside is noticed writing from outside. Geo attributes are
 * left out when no database knows the address: unknown is not a value. */
static void
add_origin(MtFingerprint *fp, const MtFacts *f)
{
  const MtTraceHop *o = mt_trace_origin(f->trace);
  if (o == NULL) {
    add(fp, MT_FP_NETWORK, absent, NULL);
    add(fp, MT_FP_COUNTRY, absent, NULL);
    add(fp, MT_FP_ORIGIN, absent, NULL);
    return;
  }
  if (o->geo.asn != 0) {
    g_autofree char *asn = g_strdup_printf("AS%u", o->geo.asn);
    g_autofree char *label =
        o->geo.as_org != NULL ? g_strdup_printf("AS%u %s", o->geo.asn, o->geo.as_org) : NULL;
    add(fp, MT_FP_NETWORK, asn, label);
  }
  add(fp, MT_FP_COUNTRY, o->geo.country, NULL);
  g_autofree char *reg = hop_domain(o->hop);
  add(fp, MT_FP_ORIGIN, reg != NULL ? reg : o->hop->ip, NULL);
}

static void
add_dkim(MtFingerprint *fp, const MtFacts *f)
{
  for (guint i = 0; i < f->signers->len; i++) {
    const char *d = g_ptr_array_index(f->signers, i);
    g_autofree char *reg = mt_registered_domain(d);
    add(fp, MT_FP_DKIM, reg != NULL ? reg : d, NULL);
  }
  gboolean any = FALSE;
  for (guint i = 0; i < fp->values->len; i++)
    any |= strcmp(((const MtFpValue *)g_ptr_array_index(fp->values, i))->attr, MT_FP_DKIM) == 0;
  if (!any)
    add(fp, MT_FP_DKIM, absent, NULL);
}

static void
add_writing(MtFingerprint *fp, const MtMessage *m)
{
  g_autofree char *mailer = m->mailer != NULL ? mt_mailer_family(m->mailer) : NULL;
  add(fp, MT_FP_MAILER, mailer != NULL ? mailer : absent, NULL);
  for (guint i = 0; i < m->charsets->len; i++) {
    const char *cs = g_ptr_array_index(m->charsets, i);
    if (strcmp(cs, "us-ascii") != 0)
      add(fp, MT_FP_CHARSET, cs, NULL);
  }
  add(fp, MT_FP_TIMEZONE, m->date_zone, NULL);
  g_autofree char *msgid_domain = mt_address_domain(m->message_id);
  g_autofree char *msgid_reg = mt_registered_domain(msgid_domain);
  add(fp, MT_FP_MSGID, msgid_reg != NULL ? msgid_reg : msgid_domain, NULL);
  g_autofree char *html = m->html_generator != NULL ? mt_mailer_family(m->html_generator) : NULL;
  add(fp, MT_FP_HTML, html != NULL ? html : absent, NULL);
}

static void
add_place(MtFingerprint *fp, const MtGeoInfo *geo)
{
  if (geo->asn != 0) {
    g_autofree char *asn = g_strdup_printf("AS%u", geo->asn);
    g_autofree char *label =
        geo->as_org != NULL ? g_strdup_printf("AS%u %s", geo->asn, geo->as_org) : NULL;
    add(fp, MT_FP_SUBMIT_NET, asn, label);
  }
  add(fp, MT_FP_SUBMIT_COUNTRY, geo->country, NULL);
}

/* Where the writer handed the message in: the bottom-most public hop below the origin (an
 * authenticated submission or the writer's ISP), else the client the provider wrote in
 * X-Originating-IP (webmail); absent when the origin is the bottom, nothing when there is no
 * origin. */
static void
add_submission(MtFingerprint *fp, const MtFacts *f)
{
  const MtTrace *t = f->trace;
  if (t->origin < 0)
    return;
  for (guint i = t->hops->len; i-- > (guint)t->origin + 1;) {
    const MtTraceHop *th = g_ptr_array_index(t->hops, i);
    const MtHop *hop = th->hop;
    if (hop->skipped || hop->ip == NULL || mt_ip_is_private(hop->ip) || mt_ip_is_loopback(hop->ip))
      continue;
    add_place(fp, &th->geo);
    return;
  }
  if (f->originating_ip != NULL) {
    add_place(fp, &f->originating_geo);
    return;
  }
  /* written on the origin itself (a server, webmail that does not say): a submission
   * elsewhere is then new */
  add(fp, MT_FP_SUBMIT_NET, absent, NULL);
  add(fp, MT_FP_SUBMIT_COUNTRY, absent, NULL);
}

/* The display name and where replies go: what an impostor copies, or changes. */
static void
add_correspondent(MtFingerprint *fp, const MtMessage *m)
{
  g_autofree char *key = m->from != NULL ? mt_name_key(m->from->name) : NULL;
  add(fp, MT_FP_NAME, key, m->from != NULL ? m->from->name : NULL);
  g_autofree char *rt = m->reply_to != NULL ? mt_address_domain(m->reply_to->address) : NULL;
  g_autofree char *rt_reg = rt != NULL ? mt_registered_domain(rt) : NULL;
  add(fp, MT_FP_REPLY_TO, rt_reg != NULL ? rt_reg : rt, NULL);
}

MtFingerprint *
mt_fingerprint_of(const MtFacts *facts)
{
  g_return_val_if_fail(facts != NULL, NULL);

  MtFingerprint *fp = g_new0(MtFingerprint, 1);
  fp->values = g_ptr_array_new_with_free_func(value_free);
  /* the receiving server's stamp is the user's own; the Date header only the sender's word */
  const MtTraceHop *top =
      facts->trace->hops->len > 0 ? g_ptr_array_index(facts->trace->hops, 0) : NULL;
  GDateTime *when = top != NULL && top->hop->date != NULL ? top->hop->date : facts->message->date;
  fp->when = when != NULL ? g_date_time_to_unix(when) : 0;
  const MtAddress *from = facts->message->from;
  fp->address = from != NULL ? mt_address_normalize(from->address) : NULL;
  fp->dkim_aligned = facts->sender_signed != NULL;
  add_origin(fp, facts);
  add_first_hop(fp, facts);
  add_dkim(fp, facts);
  add_writing(fp, facts->message);
  add_submission(fp, facts);
  add_correspondent(fp, facts->message);
  return fp;
}

void
mt_fingerprint_free(MtFingerprint *fp)
{
  if (fp == NULL)
    return;
  g_free(fp->address);
  g_ptr_array_unref(fp->values);
  g_free(fp);
}

const char **
mt_fingerprint_get(const MtFingerprint *fp, const char *attr)
{
  g_return_val_if_fail(fp != NULL && attr != NULL, NULL);

  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; i < fp->values->len; i++) {
    const MtFpValue *v = g_ptr_array_index(fp->values, i);
    if (strcmp(v->attr, attr) == 0)
      g_ptr_array_add(out, v->value);
  }
  g_ptr_array_add(out, NULL);
  return (const char **)g_ptr_array_free(out, FALSE);
}
