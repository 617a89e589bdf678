#include "explain.h"

#include <gmime/gmime.h>
#include <stdio.h>

#include "engine.h"
#include "input.h"
#include "json.h"
#include "text.h"

static void
print_warnings(GPtrArray *warnings)
{
  for (guint i = 0; i < warnings->len; i++)
    fprintf(stderr, "mailtrace: warning: %s\n", (const char *)g_ptr_array_index(warnings, i));
}

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
  g_autofree char *config = NULL, *rules = NULL, *country_db = NULL, *asn_db = NULL;
  g_auto(GStrv) files = NULL;
  GOptionEntry entries[] = {
      {"json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per message, one per line", NULL},
      {"config", 0, 0, G_OPTION_ARG_FILENAME, &config, "Configuration file", "FILE"},
      {"rules", 0, 0, G_OPTION_ARG_FILENAME, &rules, "Rules file", "FILE"},
      {"country-db", 0, 0, G_OPTION_ARG_FILENAME, &country_db, "Country MMDB file", "FILE"},
      {"asn-db", 0, 0, G_OPTION_ARG_FILENAME, &asn_db, "AS MMDB file", "FILE"},
      {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, "FILE…"},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx =
      g_option_context_new("FILE… — explain who really sent each message");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) err = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
    fprintf(stderr, "mailtrace explain: %s\n", err->message);
    return 2;
  }
  if (files == NULL || files[0] == NULL) {
    fprintf(stderr, "mailtrace explain: name at least one message file, or - for stdin\n");
    return 2;
  }
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(MtConfig) cfg = mt_config_load(config, rules, warnings, &err);
  if (cfg == NULL) {
    print_warnings(warnings);
    fprintf(stderr, "mailtrace: %s\n", err->message);
    return 2;
  }
  if (country_db != NULL) {
    g_free(cfg->country_db);
    cfg->country_db = g_steal_pointer(&country_db);
  }
  if (asn_db != NULL) {
    g_free(cfg->asn_db);
    cfg->asn_db = g_steal_pointer(&asn_db);
  }
  g_autoptr(MtEngine) engine = mt_engine_new(g_steal_pointer(&cfg), warnings);
  print_warnings(warnings);
  int status = 0;
  for (guint i = 0; files[i] != NULL; i++)
    if (!explain_one(engine, files[i], json, i == 0))
      status = 1;
  fflush(stdout);
  return status;
}
