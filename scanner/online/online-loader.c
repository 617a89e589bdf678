/* The program's side of online-module.h: the network functions of resolver.h and
 * http-fetch.h, opening the module at the first call. A program that looks nothing up, or
 * finds every answer in its cache, never loads libcurl or libunbound (about 30 libraries,
 * 9 ms of every start before).
 *
 * The module is looked for beside the program (the tests' copies), then where the build tree
 * puts it (scanner/online/ next to scanner/cli/), then where it is installed; one from another
 * build is refused, so an installed older module is never mixed with a newer program. */
#include <gmodule.h>
#include <string.h>

#include "mt-config.h"
#include "mt-error.h"
#include "online-module.h"
#include "program-dir.h"

typedef struct {
  const MtOnlineModule *table; /* (nullable) */
  char *error;                 /* why there is none */
} Loaded;

static const MtOnlineModule *
open_at(const char *path, GString *why)
{
  if (!g_file_test(path, G_FILE_TEST_EXISTS))
    return NULL;
  GModule *module = g_module_open(path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL) {
    g_string_append_printf(why, "%s%s", why->len > 0 ? "; " : "", g_module_error());
    return NULL;
  }
  const MtOnlineModule *(*entry)(void) = NULL;
  const MtOnlineModule *table = NULL;
  if (g_module_symbol(module, MT_ONLINE_MODULE_ENTRY, (gpointer *)&entry) && entry != NULL)
    table = entry();
  if (table == NULL || table->size != sizeof *table || strcmp(table->version, MT_VERSION) != 0) {
    g_string_append_printf(why, "%s%s is not this mailtrace's (%s)", why->len > 0 ? "; " : "",
                           path, MT_VERSION);
    g_module_close(module);
    return NULL;
  }
  g_module_make_resident(module); /* its code runs until the program ends */
  return table;
}

static gpointer
load(gpointer unused)
{
  Loaded *l = g_new0(Loaded, 1);
  g_autofree char *dir = mt_program_dir();
  g_autofree char *beside = dir != NULL ? g_build_filename(dir, MT_ONLINE_MODULE_FILE, NULL) : NULL;
  g_autofree char *built =
      dir != NULL ? g_build_filename(dir, "..", "online", MT_ONLINE_MODULE_FILE, NULL) : NULL;
  g_autofree char *installed = g_build_filename(MT_MODULE_DIR, MT_ONLINE_MODULE_FILE, NULL);
  const char *const paths[] = {beside, built, installed};
  g_autoptr(GString) why = g_string_new(NULL);
  for (guint i = 0; i < G_N_ELEMENTS(paths) && l->table == NULL; i++)
    if (paths[i] != NULL)
      l->table = open_at(paths[i], why);
  if (l->table == NULL)
    l->error = g_strdup_printf("online lookups unavailable: %s",
                               why->len > 0 ? why->str : "no " MT_ONLINE_MODULE_FILE " in "
                                                         MT_MODULE_DIR);
  return l;
}

static const Loaded *
loaded(void)
{
  static GOnce once = G_ONCE_INIT;
  return g_once(&once, load, NULL);
}

MtResolver *
mt_resolver_new(const char *server, GError **error)
{
  const Loaded *l = loaded();
  if (l->table == NULL) {
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "%s", l->error);
    return NULL;
  }
  return l->table->resolver_new(server, error);
}

void
mt_resolver_free(MtResolver *r)
{
  if (r != NULL)
    loaded()->table->resolver_free(r); /* there is one: the module made it */
}

void
mt_resolver_run(MtResolver *r, GPtrArray *queries, guint timeout_ms, gint64 deadline)
{
  loaded()->table->resolver_run(r, queries, timeout_ms, deadline);
}

void
mt_http_fetch(GPtrArray *gets, guint timeout_ms, gint64 deadline)
{
  const Loaded *l = loaded();
  if (l->table != NULL) {
    l->table->http_fetch(gets, timeout_ms, deadline);
    return;
  }
  for (guint i = 0; i < gets->len; i++) {
    MtHttpGet *g = g_ptr_array_index(gets, i);
    g_free(g->error);
    g->error = g_strdup(l->error);
  }
}
