#include "explain.h"

#include <stdio.h>

#include "common.h"
#include "escape.h"
#include "input.h"
#include "json.h"
#include "text.h"

static gboolean
explain_one(const MtEngine *engine, const char *path, gboolean json, gboolean first)
{
  g_autoptr(GError) err = NULL;
  g_autoptr(GBytes) bytes = mt_input_read(path, &err);
  if (bytes == NULL) {
    fprintf(stderr, "mailtrace: %s\n", err->message);
    return FALSE;
  }
  gsize len = 0;
  const char *data = g_bytes_get_data(bytes, &len);
  if (!mt_message_looks_like_mail(data, len)) {
    g_autofree char *name = mt_escape_controls(path);
    fprintf(stderr, "mailtrace: %s: not a mail message\n", name);
    return FALSE;
  }
  g_autoptr(MtAnalysis) a = mt_analyse(engine, data != NULL ? data : "", len);
  g_autofree char *out = json ? mt_report_json_line(a, path)
                              : mt_report_text(a, path, mt_engine_config(engine)->policy.threshold);
  printf("%s%s%s", !json && !first ? "\n" : "", out, json ? "\n" : "");
  return TRUE;
}

int
mt_cmd_explain(int argc, char **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) files = NULL;
  g_auto(MtCliConfig) c;
  mt_cli_config_init(&c);
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per message, one per line", NULL},
      {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE…"},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx =
      g_option_context_new("FILE… — explain who really sent each message");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_add_main_entries(ctx, c.entries, NULL);
  if (!mt_cli_parse(ctx, "explain", &argc, &argv))
    return 2;
  if (files == NULL || files[0] == NULL) {
    fprintf(stderr, "mailtrace explain: name at least one message file, or - for stdin\n");
    return 2;
  }
  g_autoptr(MtEngine) engine = mt_cli_engine(&c, MT_STORE_READ);
  if (engine == NULL)
    return 2;
  int status = 0;
  for (guint i = 0; files[i] != NULL; i++)
    if (!explain_one(engine, files[i], json, i == 0))
      status = 1;
  fflush(stdout);
  return status;
}
