#include "learn.h"

#include <stdio.h>

#include "common.h"
#include "sources.h"

typedef struct {
  const MtEngine *engine;
  gboolean spam, ham;
  guint added, duplicate, refused, suspicious, anonymous, failed;
} Learner;

/* Only mail that deserves trust teaches: not what is judged suspicious, not what the user
 * reported as spam. Feedback (--ham, --spam) is the user's word and is taken as it is. */
static gboolean
learn_one(const char *name, const char *data, gsize len, gpointer user)
{
  Learner *l = user;
  g_autoptr(MtAnalysis) a = mt_analyse(l->engine, data, len);
  if (a->fingerprint->address == NULL) {
    l->anonymous++;
    return TRUE;
  }
  if (!l->spam && !l->ham && a->verdict->kind == MT_VERDICT_SUSPICIOUS) {
    l->suspicious++;
    return TRUE;
  }
  g_autofree char *hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
  MtLearnResult result;
  g_autoptr(GError) err = NULL;
  MtStore *store = mt_engine_store(l->engine);
  const char *mid = a->facts->message->message_id;
  gboolean ok = l->spam || l->ham
                    ? mt_store_feedback(store, a->fingerprint, hash, mid, l->spam, &result, &err)
                    : mt_store_learn(store, a->fingerprint, hash, mid, &result, &err);
  if (!ok) {
    fprintf(stderr, "mailtrace: %s: %s\n", name, err->message);
    l->failed++;
    return TRUE;
  }
  l->added += result == MT_LEARN_ADDED;
  l->duplicate += result == MT_LEARN_DUPLICATE;
  l->refused += result == MT_LEARN_REFUSED;
  return TRUE;
}

int
mt_cmd_learn(int argc, char **argv)
{
  gboolean spam = FALSE, ham = FALSE;
  g_auto(GStrv) paths = NULL;
  g_auto(MtCliConfig) c;
  mt_cli_config_init(&c);
  GOptionEntry entries[] = {
      {"spam", 0, 0, G_OPTION_ARG_NONE, &spam, "Report the messages as spam: unlearn them", NULL},
      {"ham", 0, 0, G_OPTION_ARG_NONE, &ham, "Report the messages as genuine: learn them", NULL},
      {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, "PATH…"},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new(
      "PATH… — learn contacts' fingerprints from Maildirs, mbox files, messages");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_add_main_entries(ctx, c.entries, NULL);
  if (!mt_cli_parse(ctx, "learn", &argc, &argv))
    return 2;
  if (spam && ham) {
    fprintf(stderr, "mailtrace learn: --spam and --ham exclude each other\n");
    return 2;
  }
  if (paths == NULL && !spam && !ham) {
    fprintf(stderr, "mailtrace learn: name a Maildir, mbox or message (or - with --spam/--ham)\n");
    return 2;
  }
  g_autoptr(MtEngine) engine = mt_cli_engine(&c, MT_STORE_WRITE);
  if (engine == NULL)
    return 2;
  Learner l = {.engine = engine, .spam = spam, .ham = ham};
  guint errors = 0;
  static const char *const stdin_only[] = {"-", NULL};
  const char *const *list = paths != NULL ? (const char *const *)paths : stdin_only;
  for (guint i = 0; list[i] != NULL; i++)
    mt_sources_foreach(list[i], learn_one, &l, &errors);
  printf("learned %u, already known %u, refused as spam %u, skipped as suspicious %u, "
         "without sender %u, failed %u%s\n",
         l.added, l.duplicate, l.refused, l.suspicious, l.anonymous, l.failed + errors,
         spam  ? " (reported as spam)"
         : ham ? " (reported as genuine)"
               : "");
  return errors + l.failed > 0 ? 1 : 0;
}
