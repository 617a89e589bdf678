#include "run-binary.h"

#include <check.h>

void
mt_run_clear(MtRun *r)
{
  g_clear_pointer(&r->out, g_free);
  g_clear_pointer(&r->err, g_free);
}

static char *
bytes_to_string(GBytes *b)
{
  gsize n = g_bytes_get_size(b);
  return g_strndup(n > 0 ? g_bytes_get_data(b, NULL) : "", n); /* size 0 may have no data */
}

MtRun
mt_run(const char *home, const char *input, gsize input_len, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer)g_getenv("MT_BINARY"));
  g_ptr_array_add(argv, (gpointer)args[0]);
  g_ptr_array_add(argv, "--country-db");
  g_ptr_array_add(argv, (gpointer)g_getenv("MT_TEST_COUNTRY_DB"));
  g_ptr_array_add(argv, "--asn-db");
  g_ptr_array_add(argv, (gpointer)g_getenv("MT_TEST_ASN_DB"));
  for (args++; *args; args++)
    g_ptr_array_add(argv, (gpointer)*args);
  g_ptr_array_add(argv, NULL);
  g_autoptr(GSubprocessLauncher) l =
      g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autofree char *data = g_build_filename(home, "data", NULL);
  g_subprocess_launcher_setenv(l, "XDG_CONFIG_HOME", home, TRUE);
  g_subprocess_launcher_setenv(l, "XDG_DATA_HOME", data, TRUE);
  g_autoptr(GError) err = NULL;
  g_autoptr(GSubprocess) p =
      g_subprocess_launcher_spawnv(l, (const char *const *)argv->pdata, &err);
  ck_assert_msg(p != NULL, "spawn: %s", err ? err->message : "");
  /* GIO wants a buffer for a piped stdin: an empty one when there is no input. */
  g_autoptr(GBytes) in = g_bytes_new(input != NULL ? input : "", input != NULL ? input_len : 0);
  g_autoptr(GBytes) out = NULL, errb = NULL;
  ck_assert(g_subprocess_communicate(p, in, NULL, &out, &errb, &err));
  MtRun r = {.status = g_subprocess_get_exit_status(p)};
  r.out = bytes_to_string(out);
  r.err = bytes_to_string(errb);
  return r;
}
