#include "scan-output.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "json.h"

static void
print_json(const MtScanResult *r)
{
  g_autofree char *name = g_strdup_printf("%s/%u", r->folder, r->uid);
  g_autoptr(GString) line = g_string_sized_new(2048);
  MtJsonWriter w;
  mt_json_init(&w, line);
  mt_report_json_begin_line(&w);
  mt_report_json_members(&w, r->analysis, name);
  mt_json_member_string(&w, "folder", r->folder);
  mt_json_member_int(&w, "uid", r->uid);
  mt_json_member_string(&w, "action", mt_scan_action_name(r->action));
  mt_json_end_object(&w);
  printf("%s\n", line->str);
}

/* "Name <address>, “Subject”": what a person recognises a message by. The sender wrote both:
 * control characters are shown escaped and the subject is cut at 70 characters. */
static char *
who_and_what(const MtMessage *m)
{
  const MtAddress *from = m->from;
  /* the address as written: lower-cased, `northwind-suppIy.com` hides its capital I */
  const char *address = from == NULL ? NULL : from->written != NULL ? from->written : from->address;
  g_autofree char *sender = from == NULL ? g_strdup("no From")
                            : from->name != NULL && address != NULL
                                ? g_strdup_printf("%s <%s>", from->name, address)
                                : g_strdup(address != NULL ? address : from->name);
  const MtHeader *h = mt_message_get(m, "Subject");
  const char *subject = h != NULL && h->value != NULL ? h->value : "";
  glong n = g_utf8_strlen(subject, -1);
  g_autofree char *cut = n > 70 ? g_utf8_substring(subject, 0, 69) : g_strdup(subject);
  g_autofree char *line = g_strdup_printf("%s, “%s%s”", sender, cut, n > 70 ? "…" : "");
  return mt_escape_controls(line);
}

static void
print_text(const MtScanResult *r, const char *junk)
{
  if (r->keywords == NULL)
    return;
  g_autofree char *kw = g_strjoinv(" ", (GStrv)r->keywords);
  gboolean to_junk = mt_scan_action_to_junk(r->action);
  g_autofree char *message = who_and_what(r->analysis->facts->message);
  printf("%s UID %u (%u bytes) %s: %s%s%s; keywords %s\n", r->folder, r->uid, r->size, message,
         mt_scan_action_name(r->action), to_junk ? " to " : "", to_junk ? junk : "", kw);
  const GPtrArray *reasons = r->analysis->verdict->reasons;
  for (guint i = 0; i < reasons->len; i++) {
    const MtReason *reason = g_ptr_array_index(reasons, i);
    g_autofree char *text = reason->weight > 0 ? mt_escape_controls(reason->text) : NULL;
    if (text != NULL)
      printf("    - %s\n", text);
  }
}

static void
judged(const MtScanResult *r, gpointer user)
{
  MtScanOutput *out = user;
  if (out->json)
    print_json(r);
  else
    print_text(r, out->run->junk);
  fflush(stdout);
}

static void
failed(const char *folder, guint32 uid, const char *what, const char *why, gpointer user)
{
  MtScanOutput *out = user;
  g_autofree char *said = mt_escape_controls(why);
  fprintf(stderr, "mailtrace %s: %s UID %u: %s: %s\n", out->command, folder, uid, what, said);
}

static void
note(const char *folder, const char *text, gpointer user)
{
  MtScanOutput *out = user;
  fprintf(stderr, "mailtrace %s: %s: %s\n", out->command, folder, text);
}

static void
progress(const char *folder, double fraction, guint scanned, gpointer user)
{
  MtScanOutput *out = user;
  mt_progress_bar_show(out->bar, folder, fraction, scanned);
}

void
mt_scan_output_attach(MtScanOutput *out, MtScanRun *run)
{
  out->run = run;
  run->report = (MtScanReport){
      .judged = judged, .failed = failed, .note = note, .progress = progress, .user = out};
}

void
mt_scan_output_way(const MtScanOutput *out, const char *host)
{
  if (out->run->way == MT_MOVE_TAG_ONLY)
    fprintf(stderr,
            "mailtrace %s: %s has neither MOVE nor UIDPLUS: suspicious messages are tagged, "
            "not moved\n",
            out->command, host);
}
