#include "learn.h"

#include <stdio.h>

#include "common.h"
#include "learner.h"
#include "sources.h"

typedef struct {
  const MtEngine *engine;
  MtFeedback feedback;
  guint counts[MT_LEARNED_ANONYMOUS + 1];
  guint failed;
} Learner;

static gboolean
learn_one(const char *name, const char *data, gsize len, gpointer user)
{
  Learner *l = user;
  g_autoptr(MtAnalysis) a = mt_analyse(l->engine, data, len);
  g_autoptr(GError) err = NULL;
  MtLearned learned;
  if (!mt_learn_analysis(mt_engine_store(l->engine), a, data, len, l->feedback, &learned, &err)) {
    fprintf(stderr, "mailtrace: %s: %s\n", name, err->message);
    l->failed++;
    return TRUE;
  }
  l->counts[learned]++;
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
  Learner l = {.engine = engine,
               .feedback = spam  ? MT_FEEDBACK_SPAM
                           : ham ? MT_FEEDBACK_HAM
                                 : MT_FEEDBACK_NONE};
  guint errors = 0;
  static const char *const stdin_only[] = {"-", NULL};
  const char *const *list = paths != NULL ? (const char *const *)paths : stdin_only;
  for (guint i = 0; list[i] != NULL; i++)
    mt_sources_foreach(list[i], learn_one, &l, &errors);
  printf("learned %u, already known %u, refused as spam %u, skipped as suspicious %u, "
         "without sender %u, failed %u%s\n",
         l.counts[MT_LEARNED_ADDED], l.counts[MT_LEARNED_DUPLICATE], l.counts[MT_LEARNED_REFUSED],
         l.counts[MT_LEARNED_SUSPICIOUS], l.counts[MT_LEARNED_ANONYMOUS], l.failed + errors,
         spam  ? " (reported as spam)"
         : ham ? " (reported as genuine)"
               : "");
  return errors + l.failed > 0 ? 1 : 0;
}
