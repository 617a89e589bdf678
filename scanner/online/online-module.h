/* The network code (libunbound, libcurl) lives in a module the program opens when it first
 * asks the network: commands that look nothing up load neither library, and neither does a
 * delivery whose every answer is in the cache (the investigation itself, investigate.c, runs
 * in the program). The module hands over this table; online-loader.c finds and checks it, and
 * the program calls the usual functions (resolver.h, http-fetch.h), which reach the module
 * through it. */
#pragma once

#include "http-fetch.h"
#include "resolver.h"

G_BEGIN_DECLS

typedef struct {
  const char *version; /* MT_VERSION of the build: a module of another build is refused */
  gsize size;          /* sizeof (MtOnlineModule) */
  MtResolver *(*resolver_new)(const char *server, GError **error);
  void (*resolver_free)(MtResolver *r);
  void (*resolver_run)(MtResolver *r, GPtrArray *queries, guint timeout_ms, gint64 deadline);
  void (*http_fetch)(GPtrArray *gets, guint timeout_ms, gint64 deadline);
} MtOnlineModule;

/* The module's one exported symbol: it returns its table. */
#define MT_ONLINE_MODULE_ENTRY "mt_online_module"
#define MT_ONLINE_MODULE_FILE "mailtrace-online.so"

G_END_DECLS
