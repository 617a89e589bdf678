/* The network code (libunbound, libcurl) lives in a module the program opens when it first
 * looks something up: commands that look nothing up load neither library. The module hands
 * over this table; online-loader.c finds and checks it, and the program calls the usual
 * functions (investigate.h, http-fetch.h), which reach the module through it. */
#pragma once

#include "http-fetch.h"
#include "investigate.h"

G_BEGIN_DECLS

typedef struct {
  const char *version; /* MT_VERSION of the build: a module of another build is refused */
  gsize size;          /* sizeof (MtOnlineModule) */
  MtInvestigator *(*investigator_new)(const MtOnlineSettings *settings, MtStore *store,
                                      GPtrArray *warnings);
  void (*investigator_free)(MtInvestigator *inv);
  void (*investigate)(const MtInvestigator *inv, const MtEngine *engine, MtAnalysis *a,
                      gint64 deadline);
  void (*http_fetch)(GPtrArray *gets, guint timeout_ms, gint64 deadline);
} MtOnlineModule;

/* The module's one exported symbol: it returns its table. */
#define MT_ONLINE_MODULE_ENTRY "mt_online_module"
#define MT_ONLINE_MODULE_FILE "mailtrace-online.so"

G_END_DECLS
