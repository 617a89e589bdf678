/* The module's entry point (online-module.h). Everything else in the module is hidden, its
 * own copy of the functions it shares with the program included, so its calls stay inside. */
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
      .resolver_new = mt_resolver_new,
      .resolver_free = mt_resolver_free,
      .resolver_run = mt_resolver_run,
      .http_fetch = mt_http_fetch,
  };
  return &table;
}
