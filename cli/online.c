#include "online.h"

#include <stdio.h>

#include "escape.h"

MtInvestigator *
mt_cli_investigator(const MtEngine *engine, gboolean quiet)
{
  MtOnlineSettings s;
  const MtConfig *cfg = mt_engine_config(engine);
  g_autoptr(GError) err = NULL;
  if (!mt_online_settings_load(cfg->file, cfg->path, &s, &err)) {
    g_autofree char *shown = mt_escape_controls(err->message);
    fprintf(stderr, "mailtrace: %s\n", shown);
    return NULL;
  }
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  MtInvestigator *inv = mt_investigator_new(&s, mt_engine_store(engine), warnings);
  mt_online_settings_clear(&s);
  for (guint i = 0; !quiet && i < warnings->len; i++) {
    g_autofree char *shown = mt_escape_controls(g_ptr_array_index(warnings, i));
    fprintf(stderr, "mailtrace: warning: %s\n", shown);
  }
  return inv;
}

gboolean
mt_cli_online_enabled(const MtEngine *engine)
{
  MtOnlineSettings s;
  if (!mt_online_settings_load(mt_engine_config(engine)->file, NULL, &s, NULL))
    return TRUE; /* wrong, but meant to be on: mt_cli_investigator() says what is wrong */
  gboolean on = s.enabled;
  mt_online_settings_clear(&s);
  return on;
}

void
mt_cli_filter_investigate(const MtEngine *engine, MtAnalysis *a, gint64 deadline)
{
  g_autoptr(MtInvestigator) inv = mt_cli_investigator(engine, FALSE);
  if (inv != NULL)
    mt_investigate(inv, engine, a, deadline);
}
