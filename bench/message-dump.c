/* Prints what the message reader makes of each file named on the command line, one line of
 * tab-separated fields per file: the differential test (bench/reader-diff.sh) builds it against
 * two readers and compares their lines. */
#include <stdio.h>
#include <string.h>

#include "mail-date.h"
#include "message.h"

static void
field(const char *s)
{
  putchar('\t');
  for (const char *p = s != NULL ? s : "-"; *p != '\0'; p++)
    if (*p == '\t' || *p == '\n' || *p == '\r')
      putchar(' ');
    else
      putchar(*p);
}

static void
address(const MtAddress *a)
{
  field(a != NULL ? a->name : NULL);
  field(a != NULL ? a->address : NULL);
}

static char *
iso(GDateTime *d)
{
  return d != NULL ? g_date_time_format(d, "%Y-%m-%dT%H:%M:%S%:z") : NULL;
}

int
main(int argc, char **argv)
{
  for (int i = 1; i < argc; i++) {
    char *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(argv[i], &data, &len, NULL))
      continue;
    MtMessage *m = mt_message_parse(data, len);
    printf("%s", argv[i]);
    char count[32];
    g_snprintf(count, sizeof count, "%u", m->headers->len);
    field(count);
    address(m->from);
    address(m->sender);
    address(m->reply_to);
    field(m->return_path);
    field(m->message_id);
    char *date = iso(m->date);
    field(date);
    g_free(date);
    field(m->mailer);
    GString *charsets = g_string_new("");
    for (guint k = 0; k < m->charsets->len; k++)
      g_string_append_printf(charsets, "%s%s", k ? "," : "", (char *)g_ptr_array_index(m->charsets, k));
    field(charsets->str);
    field(m->html_generator);
    const MtHeader *subject = mt_message_get(m, "Subject");
    field(subject != NULL ? subject->value : NULL);
    /* the Received dates, read as received.c reads them: after the last ';' */
    GPtrArray *rec = mt_message_get_all(m, "Received");
    GString *dates = g_string_new("");
    for (guint k = 0; k < rec->len; k++) {
      const char *semi = strrchr(g_ptr_array_index(rec, k), ';');
      GDateTime *d = semi != NULL ? mt_mail_date_parse(semi + 1, strlen(semi + 1)) : NULL;
      char *s = iso(d);
      g_string_append_printf(dates, "%s%s", k ? "," : "", s != NULL ? s : "-");
      g_free(s);
      if (d != NULL)
        g_date_time_unref(d);
    }
    field(dates->str);
    char findings[64];
    g_snprintf(findings, sizeof findings, "crit=%d nul=%d none=%d deep=%d",
               !!(m->findings & MT_MSG_FINDING_MIME_CRITICAL), !!(m->findings & MT_MSG_FINDING_NUL),
               !!(m->findings & MT_MSG_FINDING_NO_HEADERS), !!(m->findings & MT_MSG_FINDING_TOO_DEEP));
    field(findings);
    char sample[80];
    g_snprintf(sample, sizeof sample, "%.60s", m->text_sample);
    field(g_utf8_validate(sample, -1, NULL) ? sample : "(cut)");
    putchar('\n');
    g_string_free(dates, TRUE);
    g_ptr_array_unref(rec);
    g_string_free(charsets, TRUE);
    mt_message_free(m);
    g_free(data);
  }
  return 0;
}
