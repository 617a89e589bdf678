/* `mailtrace watch`: scan a folder, then wait in IDLE and scan what arrives; reconnect with
 * backoff when the server goes away; stop cleanly on SIGINT or SIGTERM. */
#include "watch.h"

#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sysexits.h>
#include <unistd.h>

#include "account.h"
#include "common.h"
#include "online.h"
#include "imap-idle.h"
#include "mt-error.h"
#include "imap-mailbox.h"
#include "scan-output.h"

#define REIDLE_MS (25 * 60 * 1000) /* servers may drop an idler after 30 minutes */
#define POLL_MS (60 * 1000)        /* how often to look without IDLE */
#define BACKOFF_MAX 300            /* seconds between reconnection attempts, at most */

static volatile sig_atomic_t stop;
static int wake[2] = {-1, -1};

static void
on_signal(int sig)
{
  (void)sig;
  stop = 1;
  ssize_t ignored = write(wake[1], "x", 1);
  (void)ignored;
}

static gboolean
setup_signals(void)
{
  if (!g_unix_open_pipe(wake, FD_CLOEXEC, NULL) || !g_unix_set_fd_nonblocking(wake[1], TRUE, NULL))
    return FALSE;
  struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART: poll() returns */
  sigemptyset(&sa.sa_mask);
  return sigaction(SIGINT, &sa, NULL) == 0 && sigaction(SIGTERM, &sa, NULL) == 0;
}

/* Sleeps @ms, or less if a signal comes. */
static void
pause_ms(int ms)
{
  struct pollfd p = {.fd = wake[0], .events = POLLIN};
  poll(&p, 1, ms);
}

/* One connection: scan, wait, scan... Returns FALSE with @error when it ended by an error. */
static gboolean
watch_session(MtScanRun *sc, MtImapSession *s, const char *folder, GError **error)
{
  gboolean idle = mt_imap_has(s, "IDLE");
  while (!stop) {
    if (!mt_scan_folder(sc, folder, error))
      return FALSE;
    if (stop)
      break;
    if (!idle) {
      pause_ms(POLL_MS);
      continue;
    }
    if (mt_imap_idle(s, wake[0], REIDLE_MS, error) == MT_IDLE_ERROR)
      return FALSE;
  }
  return TRUE;
}

int
mt_cmd_watch(int argc, char **argv)
{
  g_autofree char *account_name = NULL, *folder_opt = NULL;
  g_auto(MtCliConfig) c;
  mt_cli_config_init(&c);
  GOptionEntry entries[] = {
      {"account", 0, 0, G_OPTION_ARG_STRING, &account_name, "The [account NAME] to watch", "NAME"},
      {"folder", 0, 0, G_OPTION_ARG_STRING, &folder_opt,
       "The folder to watch (default: the account's first)", "F"},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("— scan new IMAP mail as it arrives");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_add_main_entries(ctx, c.entries, NULL);
  if (!mt_cli_parse(ctx, "watch", &argc, &argv))
    return EX_USAGE;
  int engine_status = 0;
  MtAccountCheck check = {"watch", account_name};
  g_autoptr(MtEngine) engine = mt_cli_engine_checked(
      &c, MT_STORE_WRITE, mt_cli_account_and_online_check, &check, &engine_status);
  if (engine == NULL)
    return engine_status;
  g_autoptr(MtInvestigator) investigator = NULL;
  if (!mt_cli_investigator_if_enabled(engine, c.quiet, &investigator))
    return EX_CONFIG;
  g_autoptr(GError) err = NULL;
  g_autofree char *password = NULL;
  g_autoptr(MtAccount) account =
      mt_account_for_judging(engine, "watch", account_name, &password);
  if (account == NULL)
    return EX_CONFIG;
  if (!setup_signals()) {
    fprintf(stderr, "mailtrace watch: cannot set up signal handling\n");
    return EX_OSERR;
  }
  const char *folder = folder_opt != NULL ? folder_opt : account->folders[0];
  MtScanRun sc = {.engine = engine,
                  .online = investigator,
                  .store = mt_engine_store(engine),
                  .account = account->name,
                  .junk_folder = account->junk_folder,
                  .keyword_prefix = account->keyword_prefix,
                  .stop = &stop};
  MtScanOutput out = {.command = "watch"};
  mt_scan_output_attach(&out, &sc);
  guint backoff = 1;
  gboolean first = TRUE;
  while (!stop) {
    /* an access token expires within the hour: each reconnection asks the helper again */
    g_autoptr(MtImapSession) s = first || !mt_account_uses_token(account)
                                     ? mt_account_open(account, password, &err)
                                     : mt_account_reopen(account, &err);
    first = FALSE;
    g_autoptr(MtMailbox) mailbox = s != NULL ? mt_imap_mailbox_new(s) : NULL;
    if (s != NULL && mt_scan_attach(&sc, mailbox, &err)) {
      mt_scan_output_way(&out, account->host);
      fprintf(stderr, "mailtrace watch: watching %s on %s\n", folder, account->host);
      backoff = 1;
      if (watch_session(&sc, s, folder, &err))
        break; /* stopped by a signal */
    }
    mt_scan_detach(&sc);
    fprintf(stderr, "mailtrace watch: %s\n", err->message);
    if (!g_error_matches(err, MT_ERROR, MT_ERROR_CONNECT)) /* retrying now would not help */
      return mt_cli_exit_status(err);
    g_clear_error(&err);
    fprintf(stderr, "mailtrace watch: reconnecting in %u s\n", backoff);
    pause_ms((int)backoff * 1000);
    backoff = MIN(backoff * 2, BACKOFF_MAX);
  }
  mt_scan_detach(&sc);
  fprintf(stderr, "mailtrace watch: stopped (scanned %u, moved %u, failed %u)\n", sc.scanned,
          sc.moved, sc.failed);
  /* stopped as asked: what failed is tried again by the next run */
  return 0;
}
