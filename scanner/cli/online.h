/* The online investigation for the commands that offer it (explain --online, scan and watch
 * with [online] enabled, filter with [filter] online). */
#pragma once

#include "engine.h"
#include "investigate.h"

G_BEGIN_DECLS

/* An investigator on @engine's configuration and store; its warnings printed unless @quiet.
 * Returns: (transfer full) (nullable): NULL when [online] is wrong, said on stderr. */
MtInvestigator *mt_cli_investigator(const MtEngine *engine, gboolean quiet);

/* For scan and watch: *@out an investigator when [online] enabled is set, else NULL.
 * Returns: FALSE when [online] is wrong, said on stderr. */
gboolean mt_cli_investigator_if_enabled(const MtEngine *engine, gboolean quiet,
                                        MtInvestigator **out);

/* Whether [online] of @cfg is right, said on stderr when not: an MtCliCheck. */
gboolean mt_cli_online_check(const MtConfig *cfg, gpointer unused);

/* For scan and watch: the account (an MtAccountCheck) and [online], before the store opens. */
gboolean mt_cli_account_and_online_check(const MtConfig *cfg, gpointer account_check);

/* For `mailtrace filter` ([filter] online): looks @a up until @deadline and rescores it. */
void mt_cli_filter_investigate(const MtEngine *engine, MtAnalysis *a, gint64 deadline);

G_END_DECLS
