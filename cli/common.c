#include "common.h"

#include <stdio.h>
#include <string.h>

void
mt_cli_config_init(MtCliConfig *c)
{
  *c = (MtCliConfig){0};
  GOptionEntry e[] = {
      {"config", 0, 0, G_OPTION_ARG_FILENAME, &c->config, "Configuration file", "FILE"},
      {"rules", 0, 0, G_OPTION_ARG_FILENAME, &c->rules, "Rules file", "FILE"},
      {"country-db", 0, 0, G_OPTION_ARG_FILENAME, &c->country_db, "Country MMDB file", "FILE"},
      {"asn-db", 0, 0, G_OPTION_ARG_FILENAME, &c->asn_db, "AS MMDB file", "FILE"},
      {NULL},
  };
  memcpy(c->entries, e, sizeof e);
}

void
mt_cli_config_clear(MtCliConfig *c)
{
  g_clear_pointer(&c->config, g_free);
  g_clear_pointer(&c->rules, g_free);
  g_clear_pointer(&c->country_db, g_free);
  g_clear_pointer(&c->asn_db, g_free);
}

static void
print_warnings(GPtrArray *warnings)
{
  for (guint i = 0; i < warnings->len; i++)
    fprintf(stderr, "mailtrace: warning: %s\n", (const char *)g_ptr_array_index(warnings, i));
}

MtEngine *
mt_cli_engine(MtCliConfig *c, MtStoreMode mode)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtConfig) cfg = mt_config_load(c->config, c->rules, warnings, &err);
  if (cfg == NULL) {
    print_warnings(warnings);
    fprintf(stderr, "mailtrace: %s\n", err->message);
    return NULL;
  }
  mt_config_set_databases(cfg, c->country_db, c->asn_db);
  MtEngine *engine = mt_engine_new(g_steal_pointer(&cfg), mode, warnings, &err);
  print_warnings(warnings);
  if (engine == NULL)
    fprintf(stderr, "mailtrace: %s\n", err->message);
  return engine;
}

gboolean
mt_cli_parse(GOptionContext *ctx, const char *cmd, int *argc, char ***argv)
{
  /* --help shows "mailtrace CMD [OPTION…]", not the bare command GLib would take from argv[0] */
  g_autofree char *name = g_strdup_printf("mailtrace %s", cmd);
  g_set_prgname(name);
  g_autoptr(GError) err = NULL;
  if (g_option_context_parse(ctx, argc, argv, &err))
    return TRUE;
  fprintf(stderr, "mailtrace %s: %s\n", cmd, err->message);
  return FALSE;
}

gboolean
mt_cli_parse_verb(const char *cmd, const char *verbs, int *argc, char ***argv, MtCliConfig *c,
                  gboolean *json, GStrv *args)
{
  GOptionEntry entries[] = {
      {"json", 'j', 0, G_OPTION_ARG_NONE, json, "JSON output, one object per line", NULL},
      {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, args, NULL, verbs},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new(NULL); /* the operands say it all */
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_add_main_entries(ctx, c->entries, NULL);
  return mt_cli_parse(ctx, cmd, argc, argv);
}
