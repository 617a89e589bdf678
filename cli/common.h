/* What every command shares: the configuration options and building the engine from them. */
#pragma once

#include <glib.h>

#include "engine.h"

G_BEGIN_DECLS

typedef struct {
  char *config, *rules, *country_db, *asn_db;
  GOptionEntry entries[5];
} MtCliConfig;

/* Fills @c->entries (terminated) for g_option_context_add_main_entries(). */
void mt_cli_config_init(MtCliConfig *c);
void mt_cli_config_clear(MtCliConfig *c);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MtCliConfig, mt_cli_config_clear)

/* Loads the configuration and opens the engine; on failure prints why and returns NULL.
 * Warnings are printed to stderr. Returns: (transfer full) (nullable) */
MtEngine *mt_cli_engine(MtCliConfig *c, MtStoreMode mode);

/* Parses @argv with @ctx, printing `mailtrace CMD: error` on failure. */
gboolean mt_cli_parse(GOptionContext *ctx, const char *cmd, int *argc, char ***argv);

G_END_DECLS
