#include "learn.h"

#include <stdio.h>
#include <sysexits.h>
#include <unistd.h>

#include "account.h"
#include "common.h"
#include "escape.h"
#include "imap-act.h"
#include "imap-fetch.h"
#include "learner.h"
#include "mt-error.h"
#include "ordered-pool.h"
#include "progress-bar.h"
#include "sources.h"

typedef struct {
  const MtEngine *engine;
  MtFeedback feedback;
  guint counts[MT_LEARNED_ANONYMOUS + 1];
  guint failed;   /* messages or folders that could not be read or learned */
  guint not_mail; /* of them, inputs that are not mail */
  MtOrderedPool *pool;
  MtProgressBar *bar; /* (nullable) */
  const char *label;  /* what is being read, for the bar */
  double fraction;    /* of the operands (or folders) read */
  guint done;         /* messages learned or refused so far */
} Learner;

typedef struct {
  char *name;
  GBytes *bytes;
} Message;

/* On a worker: what the message says by itself (no store). NULL: not a mail message. */
static gpointer
analyse_message(gpointer item, gpointer user)
{
  Message *m = item;
  Learner *l = user;
  gsize len = 0;
  const char *data = g_bytes_get_data(m->bytes, &len);
  if (!mt_message_looks_like_mail(data, len))
    return NULL;
  return mt_analyse_message(l->engine, data != NULL ? data : "", len);
}

/* On the main thread, in order: the history as the messages before taught it, then learning. */
static void
learn_analysed(gpointer item, gpointer result, gpointer user)
{
  Message *m = item;
  Learner *l = user;
  g_autoptr(MtAnalysis) a = result;
  gsize len = 0;
  const char *data = g_bytes_get_data(m->bytes, &len);
  g_autoptr(GError) err = NULL;
  MtLearned learned;
  if (a == NULL) {
    g_autofree char *shown = mt_escape_controls(m->name);
    fprintf(stderr, "mailtrace: %s: not a mail message\n", shown);
    l->failed++;
    l->not_mail++;
  } else {
    mt_analyse_history(l->engine, a);
    if (!mt_learn_analysis(mt_engine_store(l->engine), a, data, len, l->feedback, &learned, &err)) {
      g_autofree char *shown = mt_escape_controls(m->name);
      fprintf(stderr, "mailtrace: %s: %s\n", shown, err->message);
      l->failed++;
    } else {
      l->counts[learned]++;
    }
  }
  g_free(m->name);
  g_bytes_unref(m->bytes);
  g_free(m);
  l->done++;
  mt_progress_bar_show(l->bar, l->label, l->fraction, l->done);
}

static gboolean
learn_one(const char *name, const char *data, gsize len, gpointer user)
{
  Learner *l = user;
  Message *m = g_new(Message, 1);
  m->name = g_strdup(name);
  m->bytes = g_bytes_new(data, len);
  mt_ordered_pool_push(l->pool, m);
  return TRUE;
}

typedef struct {
  Learner *learner;
  const char *folder;
} ImapFolder;

static void
learn_fetched(const MtImapMessage *m, gpointer user)
{
  ImapFolder *f = user;
  g_autofree char *name = g_strdup_printf("%s/%u", f->folder, m->uid);
  learn_one(name, m->data, m->len, f->learner);
}

/* Reads the folders read-only (EXAMINE, BODY.PEEK): learning changes nothing on the server. */
static int
learn_account(Learner *l, const char *account_name, GStrv folders)
{
  g_autoptr(GError) err = NULL;
  g_autofree char *password = NULL;
  g_autoptr(MtAccount) a =
      mt_account_for_command(mt_engine_config(l->engine), "learn", account_name, &password);
  if (a == NULL)
    return EX_CONFIG;
  g_autoptr(MtImapSession) s = mt_account_open(a, password, &err);
  if (s == NULL) {
    fprintf(stderr, "mailtrace learn: %s\n", err->message);
    return mt_cli_exit_status(err);
  }
  /* What the user wrote and kept: Sent and Archive. Never INBOX by default, which holds the
   * very impersonations mailtrace is to catch, nor Junk. */
  static const char *const mine[] = {"Sent", "Archive", NULL};
  g_auto(GStrv) found = folders == NULL ? mt_imap_special_use_folders(s, mine, &err) : NULL;
  if (folders == NULL && found == NULL) {
    fprintf(stderr, "mailtrace learn: %s\n", err->message);
    return mt_cli_exit_status(err);
  }
  if (folders == NULL && found[0] == NULL) {
    fprintf(stderr, "mailtrace learn: the server marks no folder \\Sent or \\Archive "
                    "(SPECIAL-USE): name the folders to learn from with --folder\n");
    return EX_USAGE;
  }
  if (folders == NULL) {
    g_autofree char *names = g_strjoinv(", ", found);
    fprintf(stderr, "mailtrace learn: learning from %s (the folders marked \\Sent and "
                    "\\Archive)\n", names);
  }
  const char *const *list = (const char *const *)(folders != NULL ? folders : found);
  for (guint i = 0; list[i] != NULL; i++) {
    MtImapFolder info;
    ImapFolder f = {l, list[i]};
    l->label = list[i];
    l->fraction = (double)i / g_strv_length((GStrv)list);
    gboolean ok = mt_imap_open_folder(s, list[i], TRUE, &info, &err) &&
                  mt_imap_fetch_from(s, 1, learn_fetched, &f, &err);
    if (!ok) {
      fprintf(stderr, "mailtrace learn: %s: %s\n", list[i], err->message);
      if (!g_error_matches(err, MT_ERROR, MT_ERROR_IMAP))
        return mt_cli_exit_status(err);
      l->failed++;
      g_clear_error(&err);
    }
  }
  return 0;
}

int
mt_cmd_learn(int argc, char **argv)
{
  gboolean spam = FALSE, ham = FALSE;
  g_auto(GStrv) paths = NULL, folders = NULL;
  g_autofree char *account = NULL;
  g_auto(MtCliConfig) c;
  mt_cli_config_init(&c);
  GOptionEntry entries[] = {
      {"spam", 0, 0, G_OPTION_ARG_NONE, &spam, "Report the messages as spam: unlearn them", NULL},
      {"ham", 0, 0, G_OPTION_ARG_NONE, &ham, "Report the messages as genuine: learn them", NULL},
      {"account", 0, 0, G_OPTION_ARG_STRING, &account,
       "Learn from the folders of this IMAP [account NAME] (read-only)", "NAME"},
      {"folder", 0, 0, G_OPTION_ARG_STRING_ARRAY, &folders,
       "With --account: a folder (repeatable; default: the account's folders)", "F"},
      {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, "PATH…"},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx =
      g_option_context_new("| --account NAME — learn contacts' fingerprints from Maildirs, "
                           "mbox files, messages, IMAP");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_add_main_entries(ctx, c.entries, NULL);
  if (!mt_cli_parse(ctx, "learn", &argc, &argv))
    return EX_USAGE;
  if (spam && ham) {
    fprintf(stderr, "mailtrace learn: --spam and --ham exclude each other\n");
    return EX_USAGE;
  }
  if (account != NULL && (paths != NULL || spam || ham)) {
    fprintf(stderr, "mailtrace learn: --account learns what its folders hold; no PATH, --spam "
                    "nor --ham with it\n");
    return EX_USAGE;
  }
  if (folders != NULL && account == NULL) {
    fprintf(stderr, "mailtrace learn: --folder needs --account\n");
    return EX_USAGE;
  }
  if (paths == NULL && account == NULL && !spam && !ham) {
    fprintf(stderr, "mailtrace learn: name a Maildir, mbox or message (or - with --spam/--ham)\n");
    return EX_USAGE;
  }
  /* --spam/--ham with no PATH read standard input: a terminal there means a person forgot the
   * message, not one typing it */
  if (paths == NULL && account == NULL && isatty(STDIN_FILENO)) {
    fprintf(stderr, "mailtrace learn: --%s reads the message on standard input (mailtrace learn "
                    "--%s < message.eml), or name a file\n",
            spam ? "spam" : "ham", spam ? "spam" : "ham");
    return EX_USAGE;
  }
  int engine_status = 0;
  MtAccountCheck check = {"learn", account};
  g_autoptr(MtEngine) engine = mt_cli_engine_checked(
      &c, MT_STORE_WRITE, account != NULL ? mt_account_check : NULL, &check, &engine_status);
  if (engine == NULL)
    return engine_status;
  mt_engine_set_learning(engine);
  Learner l = {.engine = engine,
               .feedback = spam  ? MT_FEEDBACK_SPAM
                           : ham ? MT_FEEDBACK_HAM
                                 : MT_FEEDBACK_NONE};
  l.pool = mt_ordered_pool_new(0, analyse_message, learn_analysed, &l);
  /* learning a large Maildir takes minutes: say how far it is, on a terminal */
  g_autoptr(MtProgressBar) bar = c.quiet ? NULL : mt_progress_bar_new();
  l.bar = bar;
  l.label = "learn";
  guint errors = 0;
  static const char *const stdin_only[] = {"-", NULL};
  const char *const *list = paths != NULL ? (const char *const *)paths : stdin_only;
  int status = 0;
  if (account != NULL)
    status = learn_account(&l, account, folders);
  else
    for (guint i = 0; list[i] != NULL; i++) {
      l.fraction = (double)i / g_strv_length((GStrv)list);
      mt_sources_foreach(list[i], learn_one, &l, &errors);
    }
  l.fraction = 1.0;
  mt_ordered_pool_finish(l.pool); /* what was read is learned, even when the server failed */
  g_clear_pointer(&bar, mt_progress_bar_free);
  if (status != 0)
    return status;
  printf("learned %u, already known %u, refused as spam %u, skipped as suspicious %u, "
         "without sender %u, failed %u%s\n",
         l.counts[MT_LEARNED_ADDED], l.counts[MT_LEARNED_DUPLICATE], l.counts[MT_LEARNED_REFUSED],
         l.counts[MT_LEARNED_SUSPICIOUS], l.counts[MT_LEARNED_ANONYMOUS], l.failed + errors,
         spam  ? " (reported as spam)"
         : ham ? " (reported as genuine)"
               : "");
  return errors > 0                  ? EX_NOINPUT
         : l.failed > l.not_mail ? EX_UNAVAILABLE /* a folder, or the store, refused */
         : l.not_mail > 0         ? EX_DATAERR
                                  : 0;
}
