#include "online.h"

#include <stdio.h>

#include "account.h"
#include "escape.h"

/* [online] of @cfg; said on stderr when it is wrong. */
static gboolean
load_settings_of(const MtConfig *cfg, MtOnlineSettings *s)
{
  g_autoptr(GError) err = NULL;
  if (mt_online_settings_load(cfg->file, cfg->path, s, &err))
    return TRUE;
  g_autofree char *shown = mt_escape_controls(err->message);
  fprintf(stderr, "mailtrace: %s\n", shown);
  return FALSE;
}

static gboolean
load_settings(const MtEngine *engine, MtOnlineSettings *s)
{
  return load_settings_of(mt_engine_config(engine), s);
}

gboolean
mt_cli_online_check(const MtConfig *cfg, gpointer unused)
{
  MtOnlineSettings s;
  if (!load_settings_of(cfg, &s))
    return FALSE;
  mt_online_settings_clear(&s);
  return TRUE;
}

gboolean
mt_cli_account_and_online_check(const MtConfig *cfg, gpointer account_check)
{
  return mt_account_check(cfg, account_check) && mt_cli_online_check(cfg, NULL);
}

static MtInvestigator *
investigator_for(const MtEngine *engine, const MtOnlineSettings *s, gboolean quiet)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  MtInvestigator *inv = mt_investigator_new(s, mt_engine_store(engine), warnings);
  /* without an investigator (its module cannot be loaded) the reason is said even with -q */
  for (guint i = 0; (!quiet || inv == NULL) && i < warnings->len; i++) {
    g_autofree char *shown = mt_escape_controls(g_ptr_array_index(warnings, i));
    fprintf(stderr, "mailtrace: warning: %s\n", shown);
  }
  return inv;
}

MtInvestigator *
mt_cli_investigator(const MtEngine *engine, gboolean quiet)
{
  MtOnlineSettings s;
  if (!load_settings(engine, &s))
    return NULL;
  MtInvestigator *inv = investigator_for(engine, &s, quiet);
  mt_online_settings_clear(&s);
  return inv;
}

gboolean
mt_cli_investigator_if_enabled(const MtEngine *engine, gboolean quiet, MtInvestigator **out)
{
  *out = NULL;
  MtOnlineSettings s;
  if (!load_settings(engine, &s))
    return FALSE;
  if (s.enabled)
    *out = investigator_for(engine, &s, quiet);
  mt_online_settings_clear(&s);
  return TRUE;
}

void
mt_cli_filter_investigate(const MtEngine *engine, MtAnalysis *a, gint64 deadline)
{
  g_autoptr(MtInvestigator) inv = mt_cli_investigator(engine, FALSE);
  if (inv != NULL)
    mt_investigate(inv, engine, a, deadline);
}
