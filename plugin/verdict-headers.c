#include "verdict-headers.h"

#include <string.h>

#include "keywords.h"
#include "mt-limits.h"

#define FOLD_COLUMN 78

void
mt_append_folded(GString *out, const char *name, const char *value, const char *eol)
{
  g_string_append_printf(out, "%s:", name);
  gsize column = strlen(name) + 1;
  const char *p = value;
  while (*p) {
    while (*p == ' ')
      p++;
    gsize n = strcspn(p, " ");
    if (n == 0)
      break;
    gsize shown = MIN(n, MT_MAX_HEADER_WORD);
    if (column + 1 + shown > FOLD_COLUMN && column > strlen(name) + 1) {
      g_string_append(out, eol);
      column = 0;
    }
    g_string_append_c(out, ' ');
    for (gsize i = 0; i < shown; i++) {
      guchar c = (guchar)p[i];
      g_string_append_c(out, c > 0x20 && c < 0x7f ? (char)c : '?');
    }
    column += 1 + shown;
    p += n;
  }
  g_string_append(out, eol);
}

/* "unknown" where no trusted server gave a result: "none" is itself an RFC 8601 result (no
 * SPF record, no signature), which mailtrace must not claim on nobody's word. */
static void
append_auth(GString *v, const MtAuth *auth)
{
  g_string_append_printf(v, "; spf=%s", auth->spf != NULL ? auth->spf : "unknown");
  const char *dkim = "unknown";
  for (guint i = 0; i < auth->dkim->len; i++) {
    const MtDkimResult *d = g_ptr_array_index(auth->dkim, i);
    dkim = d->result;
    if (g_strcmp0(dkim, "pass") == 0)
      break;
  }
  g_string_append_printf(v, "; dkim=%s", dkim);
  g_string_append_printf(v, "; dmarc=%s", auth->dmarc != NULL ? auth->dmarc : "unknown");
}

static char *
trace_value(const MtFacts *f)
{
  GString *v = g_string_new(NULL);
  const MtTraceHop *th = mt_trace_origin(f->trace);
  if (th == NULL || th->hop->ip == NULL) {
    g_string_append(v, "origin unknown");
  } else {
    const MtHop *h = th->hop;
    g_string_append_printf(v, "origin %s; rdns %s; helo %s", h->ip,
                           h->rdns != NULL ? h->rdns : (h->rdns_checked ? "none" : "unrecorded"),
                           h->helo != NULL ? h->helo : "none");
    g_string_append_printf(v, "; country %s",
                           th->geo.country != NULL ? th->geo.country : "unknown");
    if (th->geo.asn != 0)
      g_string_append_printf(v, "; AS%u%s%s", th->geo.asn, th->geo.as_org != NULL ? " " : "",
                             th->geo.as_org != NULL ? th->geo.as_org : "");
  }
  const MtTraceHop *sub = mt_trace_submission(f->trace);
  if (sub != NULL && sub->hop->ip != NULL)
    g_string_append_printf(v, "; submitted from %s%s%s", sub->hop->ip,
                           sub->geo.country != NULL ? " " : "",
                           sub->geo.country != NULL ? sub->geo.country : "");
  append_auth(v, f->auth);
  return g_string_free(v, FALSE);
}

char *
mt_verdict_headers(const MtAnalysis *a, const char *prefix, const char *eol)
{
  g_return_val_if_fail(a != NULL && prefix != NULL && eol != NULL, NULL);

  const MtVerdict *v = a->verdict;
  GString *out = g_string_new(NULL);
  mt_append_folded(out, "X-Mailtrace-Verdict", mt_verdict_kind_name(v->kind), eol);
  char score[G_ASCII_DTOSTR_BUF_SIZE];
  mt_append_folded(out, "X-Mailtrace-Score", g_ascii_formatd(score, sizeof score, "%.1f", v->score),
                   eol);
  g_auto(GStrv) codes = mt_verdict_codes(v);
  g_autofree char *reasons = codes[0] != NULL ? g_strjoinv(", ", codes) : g_strdup("none");
  mt_append_folded(out, "X-Mailtrace-Reasons", reasons, eol);
  g_autofree char *trace = trace_value(a->facts);
  mt_append_folded(out, "X-Mailtrace-Trace", trace, eol);
  if (v->kind == MT_VERDICT_SUSPICIOUS) {
    g_auto(GStrv) keywords = mt_verdict_keywords(v, prefix);
    g_autofree char *list = keywords != NULL ? g_strjoinv(" ", keywords) : NULL;
    mt_append_folded(out, "X-Mailtrace-Keywords", list != NULL ? list : MT_KEYWORD_SUSPICIOUS, eol);
  }
  return g_string_free(out, FALSE);
}

char *
mt_unknown_headers(const char *why, const char *eol)
{
  g_return_val_if_fail(why != NULL && eol != NULL, NULL);

  GString *out = g_string_new(NULL);
  mt_append_folded(out, "X-Mailtrace-Verdict", "unknown", eol);
  g_autofree char *trace = g_strdup_printf("not analysed: %s", why);
  mt_append_folded(out, "X-Mailtrace-Trace", trace, eol);
  return g_string_free(out, FALSE);
}
