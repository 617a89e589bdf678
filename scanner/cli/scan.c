/* `mailtrace scan`: judge the new messages of an account's folders, tag the suspicious ones
 * and move them to the junk folder (scanner/scan/scan-folder.c does one folder). */
#include "scan.h"

#include <math.h>
#include <stdio.h>
#include <sysexits.h>

#include "account.h"
#include "common.h"
#include "online.h"
#include "json.h"
#include "mt-error.h"
#include "imap-mailbox.h"
#include "scan-output.h"

static void
summary(const MtScanRun *sc, gboolean json, double seconds)
{
  if (json) {
    g_autoptr(GString) line = g_string_sized_new(256);
    MtJsonWriter w;
    mt_json_init(&w, line);
    mt_report_json_begin_line(&w);
    mt_json_key(&w, "summary");
    mt_json_begin_object(&w);
    const struct {
      const char *name;
      guint value;
    } counts[] = {{"scanned", sc->scanned},    {"suspicious", sc->suspicious},
                  {"moved", sc->moved},        {"tagged_only", sc->tagged_only},
                  {"left_alone", sc->skipped}, {"failed", sc->failed}};
    for (gsize i = 0; i < G_N_ELEMENTS(counts); i++)
      mt_json_member_int(&w, counts[i].name, counts[i].value);
    mt_json_member_double(&w, "seconds", round(seconds * 1000) / 1000); /* to the millisecond */
    mt_json_member_bool(&w, "dry_run", sc->dry_run);
    mt_json_end_object(&w);
    mt_json_end_object(&w);
    printf("%s\n", line->str);
    return;
  }
  printf("scanned %u, suspicious %u, moved %u, tagged only %u, left alone %u, failed %u "
         "in %.1f s%s\n",
         sc->scanned, sc->suspicious, sc->moved, sc->tagged_only, sc->skipped, sc->failed, seconds,
         sc->dry_run ? " (dry run: nothing changed)" : "");
}

int
mt_cmd_scan(int argc, char **argv)
{
  gboolean dry_run = FALSE, rescan = FALSE, json = FALSE;
  gint limit = 0, threads = 0;
  g_autofree char *account_name = NULL;
  g_auto(GStrv) folders = NULL;
  g_auto(MtCliConfig) c;
  mt_cli_config_init(&c);
  GOptionEntry entries[] = {
      {"account", 0, 0, G_OPTION_ARG_STRING, &account_name, "The [account NAME] to scan", "NAME"},
      {"folder", 0, 0, G_OPTION_ARG_STRING_ARRAY, &folders, "A folder (repeatable)", "F"},
      {"dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, "Change nothing; say what would be done",
       NULL},
      {"rescan", 0, 0, G_OPTION_ARG_NONE, &rescan, "Judge every message again, not only new ones",
       NULL},
      {"limit", 0, 0, G_OPTION_ARG_INT, &limit, "Judge at most N messages", "N"},
      {"threads", 0, 0, G_OPTION_ARG_INT, &threads,
       "Analyse on N threads (default: one per core)", "N"},
      {"json", 'j', 0, G_OPTION_ARG_NONE, &json, "One JSON line per message, then the summary", NULL},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx =
      g_option_context_new("— tag suspicious mail of an IMAP account and move it to junk");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_add_main_entries(ctx, c.entries, NULL);
  if (!mt_cli_parse(ctx, "scan", &argc, &argv))
    return EX_USAGE;
  if (limit < 0 || threads < 0) {
    fprintf(stderr, "mailtrace scan: --limit and --threads want 0 or more\n");
    return EX_USAGE;
  }
  int engine_status = 0;
  MtAccountCheck check = {"scan", account_name};
  g_autoptr(MtEngine) engine = mt_cli_engine_checked(
      &c, dry_run ? MT_STORE_READ : MT_STORE_WRITE, mt_cli_account_and_online_check, &check,
      &engine_status);
  if (engine == NULL)
    return engine_status;
  g_autoptr(MtInvestigator) investigator = NULL;
  if (!mt_cli_investigator_if_enabled(engine, c.quiet, &investigator))
    return EX_CONFIG;
  g_autoptr(GError) err = NULL;
  g_autofree char *password = NULL;
  g_autoptr(MtAccount) account =
      mt_account_for_judging(engine, "scan", account_name, &password);
  if (account == NULL)
    return EX_CONFIG;
  g_autoptr(MtProgressBar) bar = json ? NULL : mt_progress_bar_new();
  MtScanRun sc = {.engine = engine,
                  .online = investigator,
                  .store = mt_engine_store(engine),
                  .account = account->name,
                  .junk_folder = account->junk_folder,
                  .keyword_prefix = account->keyword_prefix,
                  .dry_run = dry_run,
                  .rescan = rescan,
                  .limit = (guint)limit,
                  .threads = (guint)threads};
  MtScanOutput out = {.command = "scan", .json = json, .bar = bar};
  mt_scan_output_attach(&out, &sc);
  g_autoptr(MtImapSession) s = mt_account_open(account, password, &err);
  g_autoptr(MtMailbox) mailbox = s != NULL ? mt_imap_mailbox_new(s) : NULL;
  if (s == NULL || !mt_scan_attach(&sc, mailbox, &err)) {
    fprintf(stderr, "mailtrace scan: %s\n", err->message);
    return mt_cli_exit_status(err);
  }
  mt_scan_output_way(&out, account->host);
  const char *const *list =
      folders != NULL ? (const char *const *)folders : (const char *const *)account->folders;
  gint64 start = g_get_monotonic_time();
  int status = 0;
  for (guint i = 0; list[i] != NULL && !mt_scan_limit_reached(&sc); i++) {
    if (g_strcmp0(list[i], sc.junk) == 0) {
      fprintf(stderr, "mailtrace scan: %s is the junk folder: not scanned\n", sc.junk);
      continue;
    }
    if (!mt_scan_folder(&sc, list[i], &err)) {
      fprintf(stderr, "%smailtrace scan: %s: %s\n", bar != NULL ? "\n" : "", list[i], err->message);
      gboolean fatal = !g_error_matches(err, MT_ERROR, MT_ERROR_IMAP);
      status = mt_cli_exit_status(err);
      g_clear_error(&err);
      if (fatal)
        break;
    }
  }
  g_clear_pointer(&bar, mt_progress_bar_free);
  out.bar = NULL;
  summary(&sc, json, (g_get_monotonic_time() - start) / 1e6);
  mt_scan_detach(&sc);
  /* a message that could not be tagged or moved is tried again by the next run */
  return status != 0 ? status : sc.failed > 0 ? EX_TEMPFAIL : 0;
}
