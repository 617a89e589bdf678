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

/* The command line of a `CMD VERB [ARG] [--json]` command on the store (contacts, relays):
 * parses it into *@json and *@args (the verb and its argument, owned by the caller), with the
 * configuration options in @c. @verbs: what the operands may be, for --help.
 * Returns: FALSE when it is not parsable (said on stderr; exit 2). */
gboolean mt_cli_parse_verb(const char *cmd, const char *verbs, int *argc, char ***argv,
                           MtCliConfig *c, gboolean *json, GStrv *args);

G_END_DECLS
