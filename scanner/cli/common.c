#include "common.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "mt-error.h"

void
mt_cli_config_init(MtCliConfig *c)
{
  *c = (MtCliConfig){0};
  GOptionEntry e[] = {
      {"config", 0, 0, G_OPTION_ARG_FILENAME, &c->config, "Configuration file", "FILE"},
      {"rules", 0, 0, G_OPTION_ARG_FILENAME, &c->rules, "Rules file", "FILE"},
      {"country-db", 0, 0, G_OPTION_ARG_FILENAME, &c->country_db, "Country MMDB file", "FILE"},
      {"asn-db", 0, 0, G_OPTION_ARG_FILENAME, &c->asn_db, "AS MMDB file", "FILE"},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &c->quiet, "No warnings and no progress bar", NULL},
      {"verbose", 'v', 0, G_OPTION_ARG_NONE, &c->verbose,
       "Say which configuration files, geo databases and store are used", NULL},
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
print_warnings(const MtCliConfig *c, GPtrArray *warnings)
{
  for (guint i = 0; !c->quiet && i < warnings->len; i++)
    fprintf(stderr, "mailtrace: warning: %s\n", (const char *)g_ptr_array_index(warnings, i));
}

static void
print_sources(const MtCliConfig *c, const MtConfig *cfg)
{
  if (!c->verbose)
    return;
  for (guint i = 0; i < cfg->files->len; i++)
    fprintf(stderr, "mailtrace: configuration %s\n", (const char *)g_ptr_array_index(cfg->files, i));
  fprintf(stderr, "mailtrace: country database %s\nmailtrace: AS database %s\nmailtrace: store %s\n",
          cfg->country_db != NULL ? cfg->country_db : "none",
          cfg->asn_db != NULL ? cfg->asn_db : "none", cfg->store_path);
}

int
mt_cli_exit_status(const GError *error)
{
  if (error == NULL || error->domain != MT_ERROR)
    return error != NULL && error->domain == G_FILE_ERROR ? EX_NOINPUT : EX_SOFTWARE;
  switch ((MtError)error->code) {
  case MT_ERROR_CONFIG:
    return EX_CONFIG;
  case MT_ERROR_IO:
    return EX_NOINPUT;
  case MT_ERROR_STORE:
    return EX_IOERR;
  case MT_ERROR_CONNECT:
    return EX_TEMPFAIL;
  case MT_ERROR_TLS:
    return EX_PROTOCOL;
  case MT_ERROR_AUTH:
  case MT_ERROR_TOKEN:
    return EX_NOPERM;
  case MT_ERROR_IMAP:
    return EX_UNAVAILABLE;
  }
  return EX_SOFTWARE;
}

MtEngine *
mt_cli_engine(MtCliConfig *c, MtStoreMode mode, int *status)
{
  return mt_cli_engine_checked(c, mode, NULL, NULL, status);
}

MtEngine *
mt_cli_engine_checked(MtCliConfig *c, MtStoreMode mode, MtCliCheck check, gpointer user,
                      int *status)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtConfig) cfg = mt_config_load(c->config, c->rules, warnings, &err);
  if (cfg == NULL) {
    print_warnings(c, warnings);
    fprintf(stderr, "mailtrace: %s\n", err->message);
    *status = EX_CONFIG; /* a named file missing is a configuration to fix too */
    return NULL;
  }
  mt_config_set_databases(cfg, c->country_db, c->asn_db);
  print_sources(c, cfg);
  if (check != NULL && !check(cfg, user)) {
    print_warnings(c, warnings);
    *status = EX_CONFIG;
    return NULL;
  }
  MtEngine *engine = mt_engine_new(g_steal_pointer(&cfg), mode, warnings, &err);
  print_warnings(c, warnings);
  if (engine == NULL) {
    fprintf(stderr, "mailtrace: %s\n", err->message);
    *status = mt_cli_exit_status(err);
  }
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

MtEngine *
mt_cli_store_engine(MtCliConfig *c, MtStoreMode mode, int *status)
{
  g_autoptr(MtEngine) engine = mt_cli_engine(c, mode, status);
  g_autoptr(GError) err = NULL;
  if (engine != NULL && !mt_engine_is_complete(engine, &err)) {
    fprintf(stderr, "mailtrace: %s\n", err->message);
    *status = mt_cli_exit_status(err);
    return NULL;
  }
  return g_steal_pointer(&engine);
}
