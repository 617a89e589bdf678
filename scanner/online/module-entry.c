/* The module's entry point (online-module.h). Everything else in the module is hidden, its
 * copy of the engine functions it calls included, so its own calls stay inside it. */
#include <gmodule.h>

#include "mt-config.h"
#include "online-module.h"

G_MODULE_EXPORT const MtOnlineModule *mt_online_module(void);

G_MODULE_EXPORT const MtOnlineModule *
mt_online_module(void)
{
  static const MtOnlineModule table = {
      .version = MT_VERSION,
      .size = sizeof table,
      .investigator_new = mt_investigator_new,
      .investigator_free = mt_investigator_free,
      .investigate = mt_investigate,
      .http_fetch = mt_http_fetch,
  };
  return &table;
}
