#include "text.h"

#include "checks.h"
#include "escape.h"

/* The escaped copies of one report, freed with it: every string from a message, a store or a
 * server goes through esc() on its way to the terminal (scanner/base/escape.h says why). */
static _Thread_local GPtrArray *pool;

static const char *
esc(const char *s)
{
  char *e = mt_escape_controls(s);
  if (e != NULL)
    g_ptr_array_add(pool, e);
  return e;
}

static const char *
or_dash(const char *s)
{
  return s != NULL && *s ? esc(s) : "-";
}

/* Starts a report: returns its buffer. */
static GString *
report_begin(void)
{
  g_assert(pool == NULL);
  pool = g_ptr_array_new_with_free_func(g_free);
  return g_string_new(NULL);
}

/* Ends it. Returns: (transfer full) */
static char *
report_end(GString *s)
{
  g_clear_pointer(&pool, g_ptr_array_unref);
  return g_string_free(s, FALSE); /* valid UTF-8: every piece from outside went through esc() */
}

static const char *
role(const MtTrace *t, guint i, const MtTraceHop *th)
{
  if ((int)i == t->submission)
    return "submission";
  if ((int)i == t->origin)
    return "origin";
  if (th->hop->skipped)
    return "skipped";
  if (th->trusted)
    return "trusted";
  return th->credible ? "credible" : "untrusted";
}

static void
append_hop(GString *s, const MtTrace *t, guint i)
{
  const MtTraceHop *th = g_ptr_array_index(t->hops, i);
  const MtHop *h = th->hop;
  g_autofree char *where = mt_describe_hop(th);
  g_string_append_printf(s, "  %-10s %s\n", role(t, i, th), h->ip != NULL ? esc(where) : "(no address)");
  g_string_append_printf(s, "             HELO %s, rDNS %s", or_dash(h->helo),
                         h->rdns != NULL ? esc(h->rdns) : (h->rdns_checked ? "none" : "not recorded"));
  if (h->ident != NULL)
    g_string_append_printf(s, ", ident %s", esc(h->ident));
  g_string_append_printf(s, " -> %s", or_dash(h->by));
  if (h->with != NULL)
    g_string_append_printf(s, " with %s", esc(h->with));
  if (h->tls || h->authenticated)
    g_string_append_printf(s, " [%s%s%s]", h->tls ? "TLS" : "",
                           h->tls && h->authenticated ? ", " : "",
                           h->authenticated ? "authenticated" : "");
  g_autofree char *date = mt_hop_date_iso(h);
  if (date != NULL)
    g_string_append_printf(s, " at %s", date);
  g_string_append_c(s, '\n');
}

static void
append_path(GString *s, const MtTrace *t)
{
  if (t->hops->len == 0) {
    g_string_append(s, "Path:        no Received headers\n");
    return;
  }
  if (t->guessed && t->provider != NULL)
    g_string_append_printf(s,
                           "Path, from the writer to your mailbox (boundary from %s's own hops and "
                           "record):\n",
                           t->provider);
  else if (t->guessed)
    g_string_append_printf(s,
                           "Path, from the writer to your mailbox (boundary guessed: trusting %s, "
                           "loopback and private addresses):\n",
                           t->local_domain != NULL ? esc(t->local_domain) : "nothing else");
  else
    g_string_append(s, "Path, from the writer to your mailbox (boundary configured):\n");
  for (guint i = t->hops->len; i-- > 0;)
    append_hop(s, t, i);
  if (t->origin < 0)
    g_string_append(s, "  No origin: every hop was written by your own servers.\n");
}

/* What the mailbox provider recorded, beside mailtrace's reading, and whether they agree. */
static void
append_provider(GString *s, const MtFacts *f)
{
  const MtProviderRecord *r = f->provider;
  if (r->provider == NULL || (r->sender_ip == NULL && r->original_ip == NULL))
    return;
  g_string_append_printf(s, "Provider:    %s recorded", r->provider->name);
  if (r->sender_ip != NULL) {
    g_string_append_printf(s, " sender IP %s (%s)", r->sender_ip, esc(r->sender_ip_from));
    if (r->country != NULL)
      g_string_append_printf(s, ", country %s", esc(r->country));
  }
  if (r->original_ip != NULL)
    g_string_append_printf(s, "%s the original sender %s%s%s", r->sender_ip != NULL ? ";" : "",
                           r->original_ip, r->original_country != NULL ? ", country " : "",
                           r->original_country != NULL ? esc(r->original_country) : "");
  const MtTraceHop *o = mt_trace_origin(f->trace);
  if (r->sender_ip != NULL)
    g_string_append(s, mt_provider_record_agrees(r, o) ? "; the origin above agrees\n"
                           : "; the origin above differs\n");
  else
    g_string_append_c(s, '\n');
}

static void
append_auth(GString *s, const MtFacts *f)
{
  const MtAuth *a = f->auth;
  g_string_append_printf(s, "Auth:        spf=%s dkim=", or_dash(a->spf));
  for (guint i = 0; i < a->dkim->len; i++) {
    const MtDkimResult *d = g_ptr_array_index(a->dkim, i);
    g_string_append_printf(s, "%s%s(%s)", i ? "," : "", esc(d->result), or_dash(d->domain));
  }
  if (a->dkim->len == 0)
    g_string_append_c(s, '-');
  g_string_append_printf(s, " dmarc=%s", or_dash(a->dmarc));
  if (a->dmarc_action != NULL)
    g_string_append_printf(s, " action=%s", esc(a->dmarc_action));
  if (a->compauth != NULL)
    g_string_append_printf(s, " compauth=%s%s%s", esc(a->compauth),
                           a->compauth_reason != NULL ? " reason=" : "",
                           a->compauth_reason != NULL ? esc(a->compauth_reason) : "");
  const char *by = a->trusted->len > 0 ? g_ptr_array_index(a->trusted, 0) : NULL;
  if (by != NULL && *by != '\0')
    g_string_append_printf(s, " (by %s)", esc(by));
  else if (by != NULL) /* Microsoft 365 writes its results without an authserv-id */
    g_string_append_printf(s, " (by %s, which names no server)",
                           f->trace->provider != NULL ? f->trace->provider : "the receiving server");
  if (a->untrusted->len > 0)
    g_string_append_printf(s, "; ignored: %u untrusted header(s)", a->untrusted->len);
  g_string_append_c(s, '\n');
  if (f->sender_signed != NULL)
    g_string_append_printf(s, "Sender:      the origin relay is believed: %s\n",
                           esc(f->sender_signed));
}

/* Who the message claims to be, when that is a well-known sender it is not: said plainly
 * beside the authentication, from the brand-impersonation reason (rules/strangers). */
static void
append_claim(GString *s, const MtVerdict *v)
{
  for (guint i = 0; i < v->reasons->len; i++) {
    const MtReason *r = g_ptr_array_index(v->reasons, i);
    if (strcmp(r->code, "brand-impersonation") != 0)
      continue;
    const char *claim = strstr(r->text, "claims to be ");
    g_string_append_printf(s, "Sender:      %s\n", esc(claim != NULL ? claim : r->text));
    return;
  }
}

static void
append_writing(GString *s, const MtMessage *m)
{
  g_autoptr(GString) charsets = g_string_new(NULL);
  for (guint i = 0; i < m->charsets->len; i++)
    g_string_append_printf(charsets, "%s%s", i ? ", " : "",
                           (const char *)g_ptr_array_index(m->charsets, i));
  g_string_append_printf(s, "Written:     mailer %s; charsets %s; HTML generator %s; zone %s\n",
                         or_dash(m->mailer), or_dash(charsets->str), or_dash(m->html_generator),
                         or_dash(m->date_zone));
}

static void
append_profile_values(GString *s, const MtProfile *p, const char *indent)
{
  for (guint i = 0; mt_fp_attrs[i] != NULL; i++) {
    GPtrArray *values = p->attrs != NULL ? g_hash_table_lookup(p->attrs, mt_fp_attrs[i]) : NULL;
    if (values == NULL)
      continue;
    g_string_append_printf(s, "%s%-15s", indent, mt_fp_attrs[i]);
    for (guint k = 0; k < values->len && k < 5; k++) {
      const MtProfileValue *v = g_ptr_array_index(values, k);
      g_string_append_printf(s, "%s%s (%u)", k ? ", " : " ",
                             esc(v->label != NULL ? v->label : mt_fp_shown(v->value)),
                             v->count);
    }
    if (values->len > 5)
      g_string_append_printf(s, ", and %u more", values->len - 5);
    g_string_append_c(s, '\n');
  }
}

char *
mt_report_profile_text(const MtProfile *p)
{
  g_return_val_if_fail(p != NULL, NULL);

  GString *s = report_begin();
  g_autoptr(GDateTime) first = g_date_time_new_from_unix_utc(p->first_seen);
  g_autoptr(GDateTime) last = g_date_time_new_from_unix_utc(p->last_seen);
  g_autofree char *f = first != NULL ? g_date_time_format(first, "%F") : g_strdup("-");
  g_autofree char *l = last != NULL ? g_date_time_format(last, "%F") : g_strdup("-");
  g_string_append_printf(s, "%s: %u messages learned, %u reported as spam, learned %s to %s\n",
                         esc(p->address), p->messages, p->spam, f, l);
  append_profile_values(s, p, "  ");
  return report_end(s);
}

static void
append_fingerprint(GString *s, const MtFingerprint *fp)
{
  g_string_append(s, "Fingerprint:");
  const char *sep = " ";
  for (guint i = 0; mt_fp_attrs[i] != NULL; i++) {
    g_autofree const char **values = mt_fingerprint_get(fp, mt_fp_attrs[i]);
    if (values[0] == NULL)
      continue;
    for (guint k = 0; values[k] != NULL; k++)
      values[k] = mt_fp_shown(values[k]);
    g_autofree char *joined = g_strjoinv(", ", (char **)values);
    g_string_append_printf(s, "%s%s %s", sep, mt_fp_attrs[i], esc(joined));
    sep = "; ";
  }
  g_string_append_c(s, '\n');
}

static void
append_contact(GString *s, const MtContactReport *r)
{
  if (r == NULL) {
    g_string_append(s, "Contact:     not learned yet\n");
    return;
  }
  g_string_append_printf(s, "Contact:     %s, %u messages learned%s\n", esc(r->profile->address),
                         r->profile->messages, r->enough ? "" : " (too few to judge)");
  append_profile_values(s, r->profile, "             usual ");
  for (guint i = 0; i < r->deviations->len; i++) {
    const MtDeviation *d = g_ptr_array_index(r->deviations, i);
    g_string_append_printf(s, "             NEW   %-15s %s\n", d->attr, esc(d->seen));
  }
}

/* What was looked up online: each fact with where it comes from and how to ask again. */
static void
append_lookups(GString *s, const MtLookups *l)
{
  if (l == NULL)
    return;
  g_string_append(s, "Looked up:\n");
  for (guint i = 0; i < l->facts->len; i++) {
    const MtLookupFact *f = g_ptr_array_index(l->facts, i);
    g_string_append_printf(s, "  %s\n", esc(f->text));
    if (f->source == MT_LOOKUP_CACHED) {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(f->at);
      g_autofree char *when = t != NULL ? g_date_time_format(t, "%Y-%m-%d %H:%M UTC") : NULL;
      g_string_append_printf(s, "      (cached, looked up %s%s%s)\n", or_dash(when),
                             f->command != NULL ? "; again: " : "",
                             f->command != NULL ? esc(f->command) : "");
    } else {
      g_string_append_printf(s, "      (%s%s%s)\n", mt_lookup_source_name(f->source),
                             f->command != NULL ? "; again: " : "",
                             f->command != NULL ? esc(f->command) : "");
    }
  }
  for (guint i = 0; i < l->notes->len; i++)
    g_string_append_printf(s, "  note: %s\n", esc(g_ptr_array_index(l->notes, i)));
}

char *
mt_report_text(const MtAnalysis *a, const char *file, double threshold)
{
  g_return_val_if_fail(a != NULL, NULL);

  const MtMessage *m = a->facts->message;
  GString *s = report_begin();
  if (file != NULL)
    g_string_append_printf(s, "== %s\n", esc(file));
  if (m->from != NULL && m->from->name != NULL)
    g_string_append_printf(s, "From:        %s <%s>\n", esc(m->from->name),
                           or_dash(m->from->address));
  else
    g_string_append_printf(s, "From:        %s\n",
                           m->from != NULL ? or_dash(m->from->address) : "-");
  g_string_append_printf(s, "Message-ID:  %s\n", or_dash(m->message_id));
  g_autofree char *date =
      m->date != NULL ? g_date_time_format(m->date, "%Y-%m-%dT%H:%M:%S%:z") : NULL;
  g_string_append_printf(s, "Date:        %s\n", or_dash(date));
  append_path(s, a->facts->trace);
  append_provider(s, a->facts);
  append_auth(s, a->facts);
  append_claim(s, a->verdict);
  append_writing(s, m);
  append_fingerprint(s, a->fingerprint);
  append_contact(s, a->contact);
  append_lookups(s, a->lookups);
  const MtVerdict *v = a->verdict;
  g_string_append_printf(s, "Verdict:     %s (score %.1f, threshold %.1f)\n",
                         v->kind == MT_VERDICT_SUSPICIOUS ? "SUSPICIOUS" : "clean", v->score,
                         threshold);
  for (guint i = 0; i < v->reasons->len; i++) {
    const MtReason *r = g_ptr_array_index(v->reasons, i);
    g_string_append_printf(s, "  - %s (+%.1f): %s\n", r->code, r->weight, esc(r->text));
    if (r->explained_by != NULL)
      g_string_append_printf(s, "    explained by %s: %s\n", r->explained_by, esc(r->explanation));
  }
  return report_end(s);
}
