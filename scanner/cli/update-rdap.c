#include "update-rdap.h"

#include <errno.h>
#include <stdio.h>
#include <sysexits.h>

#include "common.h"
#include "http-fetch.h"
#include "rdap-bootstrap.h"

#define IANA_RDAP "https://data.iana.org/rdap/"
#define FETCH_SECONDS 60

int
mt_cmd_update_rdap(int argc, char **argv)
{
  g_autofree char *url = NULL, *output = NULL;
  GOptionEntry entries[] = {
      {"url", 0, 0, G_OPTION_ARG_STRING, &url, "Where the files are (default " IANA_RDAP ")",
       "URL"},
      {"output", 0, 0, G_OPTION_ARG_FILENAME, &output,
       "The directory to write (default $XDG_DATA_HOME/mailtrace/rdap)", "DIR"},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx =
      g_option_context_new("— refresh IANA's RDAP bootstrap files (dns, ipv4, ipv6)");
  g_option_context_add_main_entries(ctx, entries, NULL);
  if (!mt_cli_parse(ctx, "update-rdap", &argc, &argv))
    return EX_USAGE;
  if (argc > 1) {
    fprintf(stderr, "mailtrace update-rdap: takes no operand\n");
    return EX_USAGE;
  }
  const char *base = url != NULL ? url : IANA_RDAP;
  if (!g_str_has_prefix(base, "https://") && !g_str_has_prefix(base, "http://")) {
    fprintf(stderr, "mailtrace update-rdap: --url wants an http or https URL\n");
    return EX_USAGE;
  }
  g_autofree char *dir =
      output != NULL ? g_strdup(output)
                     : g_build_filename(g_get_user_data_dir(), "mailtrace", "rdap", NULL);
  static const char *const kinds[] = {"dns", "ipv4", "ipv6"};
  g_autoptr(GPtrArray) gets = g_ptr_array_new_with_free_func((GDestroyNotify)mt_http_get_free);
  for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
    g_autofree char *u = g_strdup_printf("%s%s%s.json", base, g_str_has_suffix(base, "/") ? "" : "/",
                                         kinds[i]);
    g_ptr_array_add(gets, mt_http_get_new(u));
  }
  mt_http_fetch(gets, FETCH_SECONDS * 1000,
                g_get_monotonic_time() + (gint64)FETCH_SECONDS * G_USEC_PER_SEC);
  /* all three checked before any is written: a half-updated set is no better */
  for (guint i = 0; i < gets->len; i++) {
    MtHttpGet *g = g_ptr_array_index(gets, i);
    g_autoptr(MtRdapBootstrap) b = mt_rdap_bootstrap_new();
    g_autoptr(GError) err = NULL;
    if (g->error != NULL || g->status != 200) {
      if (g->error != NULL)
        fprintf(stderr, "mailtrace update-rdap: %s: %s\n", g->url, g->error);
      else
        fprintf(stderr, "mailtrace update-rdap: %s: HTTP status %ld\n", g->url, g->status);
      return EX_UNAVAILABLE;
    }
    if (!mt_rdap_bootstrap_parse(b, kinds[i], (const char *)g->body->data, g->body->len, &err)) {
      fprintf(stderr, "mailtrace update-rdap: %s: %s; nothing written\n", g->url, err->message);
      return EX_DATAERR;
    }
  }
  if (g_mkdir_with_parents(dir, 0755) != 0) {
    fprintf(stderr, "mailtrace update-rdap: cannot create %s: %s\n", dir, g_strerror(errno));
    return EX_CANTCREAT;
  }
  for (guint i = 0; i < gets->len; i++) {
    MtHttpGet *g = g_ptr_array_index(gets, i);
    g_autofree char *name = g_strconcat(kinds[i], ".json", NULL);
    g_autofree char *path = g_build_filename(dir, name, NULL);
    g_autoptr(GError) err = NULL;
    if (!g_file_set_contents(path, (const char *)g->body->data, g->body->len, &err)) {
      fprintf(stderr, "mailtrace update-rdap: %s\n", err->message);
      return EX_CANTCREAT;
    }
    printf("%s: %u bytes from %s\n", path, g->body->len, g->url);
  }
  return 0;
}
