#include "http-fetch.h"

/* Apart from http-fetch.c: the program makes and frees requests without loading libcurl
 * (online-module.h). */

MtHttpGet *
mt_http_get_new(const char *url)
{
  MtHttpGet *g = g_new0(MtHttpGet, 1);
  g->url = g_strdup(url);
  g->body = g_byte_array_new();
  return g;
}

void
mt_http_get_free(MtHttpGet *g)
{
  if (g == NULL)
    return;
  g_free(g->url);
  g_byte_array_unref(g->body);
  g_free(g->error);
  g_free(g);
}
