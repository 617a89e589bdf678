#include "online.h"

#include <stdio.h>

#include "escape.h"

MtInvestigator *
mt_cli_investigator(const MtEngine *engine, gboolean quiet)
{
  MtOnlineSettings s;
  mt_online_settings_load(mt_engine_config(engine)->file, &s);
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
  mt_online_settings_load(mt_engine_config(engine)->file, &s);
  gboolean on = s.enabled;
  mt_online_settings_clear(&s);
  return on;
}
