#include "abuse-report.h"

#include <string.h>

#include "message.h"
#include "escape.h"
#include "mt-config.h"
#include "mt-error.h"

/* The header block of @data, from its first field to the empty line (an mbox From_ line
 * left out), with LF line ends and no NUL. */
static GString *
original_headers(const char *data, gsize len)
{
  const char *p = data + mt_message_mbox_line(data, len), *end = data + len;
  GString *out = g_string_new(NULL);
  while (p < end) {
    const char *nl = memchr(p, '\n', (gsize)(end - p));
    const char *line_end = nl != NULL ? nl : end;
    gsize n = (gsize)(line_end - p);
    if (n > 0 && p[n - 1] == '\r')
      n--;
    if (n == 0)
      break;
    gsize at = out->len;
    g_string_append_len(out, p, (gssize)n);
    /* a NUL would end the report where a C string ends (its closing boundary lost): no mail
     * transport carries one; a blank stands in, as the message reader reads it */
    for (gsize i = at; i < out->len; i++)
      if (out->str[i] == '\0')
        out->str[i] = ' ';
    g_string_append_c(out, '\n');
    p = nl != NULL ? nl + 1 : end;
  }
  return out;
}

static gboolean
is_8bit(const GString *s)
{
  for (gsize i = 0; i < s->len; i++)
    if ((unsigned char)s->str[i] > 127)
      return TRUE;
  return FALSE;
}

/* An address safe in a header field of our own: one addr-spec, printable ASCII. */
static gboolean
header_safe(const char *s)
{
  if (s == NULL || *s == '\0' || strlen(s) > 254)
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if ((unsigned char)*p <= ' ' || (unsigned char)*p > '~' || strchr("<>,;\"()\\", *p) != NULL)
      return FALSE;
  return TRUE;
}

char *
mt_abuse_report(const MtAnalysis *a, const char *data, gsize len, GError **error)
{
  g_return_val_if_fail(a != NULL && data != NULL, NULL);

  const MtLookups *l = a->lookups;
  if (l == NULL || l->origin_ip == NULL) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO,
                "no abuse report: the origin network could not be looked up (see the notes "
                "of explain --online)");
    return NULL;
  }
  if (!header_safe(l->abuse_email)) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO,
                "no abuse report: RDAP gives no abuse contact for the network of %s",
                l->origin_ip);
    return NULL;
  }
  const MtMessage *m = a->facts->message;
  /* the recipient as the user's own servers recorded it (facts.h); a To is the sender's to
   * write, and an unsafe value is left for the user to fill in */
  const MtFacts *f = a->facts;
  const char *reporter =
      f->recipient_from != NULL && strcmp(f->recipient_from, "To") != 0 ? f->recipient : NULL;
  if (!header_safe(reporter))
    reporter = NULL;
  g_autoptr(GString) headers = original_headers(data, len);
  g_autofree char *uuid = g_uuid_string_random();
  g_autofree char *boundary = g_strdup_printf("=_mailtrace-arf-%s", uuid);
  g_autoptr(GDateTime) now = g_date_time_new_now_local();
  g_autofree char *date = g_date_time_format(now, "%a, %d %b %Y %H:%M:%S %z");
  const MtTraceHop *origin = mt_trace_origin(a->facts->trace);
  g_autofree char *arrival =
      origin != NULL && origin->hop->date != NULL
          ? g_date_time_format(origin->hop->date, "%a, %d %b %Y %H:%M:%S %z")
          : NULL;

  GString *s = g_string_new(NULL);
  g_string_append_printf(s, "From: %s\n", reporter != NULL ? reporter : "YOUR ADDRESS");
  g_string_append_printf(s, "To: %s\n", l->abuse_email);
  g_string_append_printf(s, "Subject: Abuse report for mail from %s\n", l->origin_ip);
  g_string_append_printf(s, "Date: %s\n", date);
  g_string_append(s, "MIME-Version: 1.0\n");
  g_string_append_printf(s, "Content-Type: multipart/report; report-type=feedback-report;\n"
                            " boundary=\"%s\"\n\n", boundary);
  g_string_append(s, "This is an abuse report in the Abuse Reporting Format (RFC 5965).\n");

  /* 1: for a person */
  g_string_append_printf(s, "\n--%s\nContent-Type: text/plain; charset=utf-8\n"
                            "Content-Transfer-Encoding: 8bit\n\n", boundary);
  g_string_append_printf(s, "The message whose headers follow reached us from %s%s%s%s%s.\n",
                         l->origin_ip, l->network_name != NULL ? ", in your network " : "",
                         l->network_name != NULL ? l->network_name : "",
                         arrival != NULL ? ", on " : "", arrival != NULL ? arrival : "");
  g_string_append(s, "We believe it is unsolicited or fraudulent, for these reasons:\n\n");
  for (guint i = 0; i < a->verdict->reasons->len; i++) {
    const MtReason *r = g_ptr_array_index(a->verdict->reasons, i);
    if (r->weight > 0) {
      g_autofree char *text = mt_escape_controls(r->text);
      g_string_append_printf(s, "- %s\n", text);
    }
  }
  g_string_append(s, "\nPlease stop this sender. Thank you.\n");

  /* 2: for a machine */
  g_string_append_printf(s, "\n--%s\nContent-Type: message/feedback-report\n\n", boundary);
  g_string_append(s, "Feedback-Type: abuse\n");
  g_string_append_printf(s, "User-Agent: mailtrace/%s\n", MT_VERSION);
  g_string_append(s, "Version: 1\n");
  if (header_safe(m->return_path))
    g_string_append_printf(s, "Original-Mail-From: <%s>\n", m->return_path);
  if (reporter != NULL)
    g_string_append_printf(s, "Original-Rcpt-To: <%s>\n", reporter);
  if (arrival != NULL)
    g_string_append_printf(s, "Arrival-Date: %s\n", arrival);
  g_string_append_printf(s, "Source-IP: %s\n", l->origin_ip);
  if (a->facts->from_domain != NULL && header_safe(a->facts->from_domain))
    g_string_append_printf(s, "Reported-Domain: %s\n", a->facts->from_domain);

  /* 3: the original headers, as they came */
  g_string_append_printf(s, "\n--%s\nContent-Type: text/rfc822-headers\n%s\n", boundary,
                         is_8bit(headers) ? "Content-Transfer-Encoding: 8bit\n" : "");
  g_string_append_len(s, headers->str, (gssize)headers->len);
  g_string_append_printf(s, "\n--%s--\n", boundary);
  return g_string_free(s, FALSE);
}
