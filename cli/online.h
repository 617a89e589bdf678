/* The online investigation for the commands that offer it (explain --online, scan and watch
 * with [online] enabled, filter with [filter] online). */
#pragma once

#include "engine.h"
#include "investigate.h"

G_BEGIN_DECLS

/* An investigator on @engine's configuration and store; its warnings printed unless @quiet.
 * Returns: (transfer full) */
MtInvestigator *mt_cli_investigator(const MtEngine *engine, gboolean quiet);

/* Whether [online] enabled is set in @engine's configuration. */
gboolean mt_cli_online_enabled(const MtEngine *engine);

G_END_DECLS
