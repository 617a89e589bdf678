/* `mailtrace scan`: judge the messages of IMAP folders. This first step reads only (EXAMINE,
 * BODY.PEEK) and reports what it would do; tagging and moving come with issue 4's next part. */
#include "scan.h"

#include <stdio.h>
#include <sysexits.h>

#include "account.h"
#include "common.h"
#include "imap-fetch.h"
#include "json.h"
#include "keywords.h"
#include "mt-error.h"

#define BATCH 200  /* messages per UID FETCH */
#define TIMEOUT 30 /* seconds for connect and each command */

typedef struct {
  const MtEngine *engine;
  const MtAccount *account;
  const char *folder;
  gboolean json;
  guint32 first; /* UIDs below it were answered for a `first:*` range past the end */
  guint scanned, suspicious;
} Scan;

static void
judge(guint32 uid, guint32 size, const char *data, gsize len, gpointer user)
{
  Scan *sc = user;
  if (uid < sc->first)
    return;
  g_autoptr(MtAnalysis) a = mt_analyse(sc->engine, data, len);
  sc->scanned++;
  gboolean bad = a->verdict->kind == MT_VERDICT_SUSPICIOUS;
  sc->suspicious += bad;
  g_auto(GStrv) keywords =
      bad ? mt_verdict_keywords(a->verdict, sc->account->keyword_prefix) : NULL;
  g_autofree char *kw = keywords != NULL ? g_strjoinv(" ", keywords) : g_strdup("");
  if (sc->json) {
    g_autofree char *name = g_strdup_printf("%s/%u", sc->folder, uid);
    g_autofree char *line = mt_report_json_line(a, name);
    printf("%s\n", line);
  } else if (bad) {
    printf("%s UID %u (%u bytes): would tag %s and move to Junk\n", sc->folder, uid, size, kw);
  }
}

static gboolean
scan_folder(MtImapSession *s, Scan *sc, GError **error)
{
  MtImapFolder f;
  if (!mt_imap_examine(s, sc->folder, &f, error))
    return FALSE;
  if (f.exists > 0 && f.uidnext == 0) { /* no UIDNEXT announced: one fetch of everything */
    sc->first = 1;
    return mt_imap_fetch(s, 1, 0, judge, sc, error);
  }
  for (guint32 first = 1; f.exists > 0 && first < f.uidnext; first += BATCH) {
    sc->first = first;
    if (!mt_imap_fetch(s, first, first + BATCH - 1, judge, sc, error))
      return FALSE;
  }
  return TRUE;
}

int
mt_cmd_scan(int argc, char **argv)
{
  gboolean dry_run = FALSE, json = FALSE;
  g_autofree char *account_name = NULL;
  g_auto(GStrv) folders = NULL;
  g_auto(MtCliConfig) c;
  mt_cli_config_init(&c);
  GOptionEntry entries[] = {
      {"account", 0, 0, G_OPTION_ARG_STRING, &account_name, "The [account NAME] to scan", "NAME"},
      {"folder", 0, 0, G_OPTION_ARG_STRING_ARRAY, &folders, "A folder (repeatable)", "F"},
      {"dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, "Change nothing; say what would be done",
       NULL},
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON line per message", NULL},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("— judge the mail of an IMAP account");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_add_main_entries(ctx, c.entries, NULL);
  if (!mt_cli_parse(ctx, "scan", &argc, &argv))
    return 2;
  if (!dry_run) {
    fprintf(stderr, "mailtrace scan: tagging and moving are not built yet; run with --dry-run\n");
    return 2;
  }
  g_autoptr(MtEngine) engine = mt_cli_engine(&c, MT_STORE_READ);
  if (engine == NULL)
    return 2;
  g_autoptr(GError) err = NULL;
  g_autoptr(MtAccount) account = mt_account_load(mt_engine_config(engine), account_name, &err);
  g_autofree char *password = account != NULL ? mt_account_password(account, &err) : NULL;
  if (password == NULL) {
    fprintf(stderr, "mailtrace scan: %s\n", err->message);
    return 2;
  }
  g_autoptr(MtImapSession) s = mt_imap_connect(account->host, account->port, account->security,
                                               account->ca_file, TIMEOUT, &err);
  if (s == NULL || !mt_imap_login(s, account->user, password, &err)) {
    fprintf(stderr, "mailtrace scan: %s\n", err->message);
    return g_error_matches(err, MT_ERROR, MT_ERROR_CONNECT) ? EX_TEMPFAIL : 2;
  }
  Scan sc = {.engine = engine, .account = account, .json = json};
  const char *const *list =
      folders != NULL ? (const char *const *)folders : (const char *const *)account->folders;
  int status = 0;
  for (guint i = 0; list[i] != NULL; i++) {
    sc.folder = list[i];
    if (!scan_folder(s, &sc, &err)) {
      fprintf(stderr, "mailtrace scan: %s: %s\n", list[i], err->message);
      if (g_error_matches(err, MT_ERROR, MT_ERROR_CONNECT))
        return EX_TEMPFAIL;
      g_clear_error(&err);
      status = 1;
    }
  }
  fprintf(json ? stderr : stdout, "scanned %u, suspicious %u (dry run: nothing changed)\n",
          sc.scanned, sc.suspicious);
  return status;
}
