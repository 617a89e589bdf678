#include "http-fetch.h"

#include <curl/curl.h>
#include <string.h>

#include "mt-config.h"
#include "mt-limits.h"

static size_t
take_body(char *data, size_t size, size_t n, void *user)
{
  MtHttpGet *g = user;
  if (g->body->len + size * n > MT_MAX_HTTP_BODY)
    return 0; /* curl stops with CURLE_WRITE_ERROR */
  g_byte_array_append(g->body, (const guint8 *)data, (guint)(size * n));
  return size * n;
}

static gpointer
global_init(gpointer unused)
{
  curl_global_init(CURL_GLOBAL_DEFAULT);
  return NULL;
}

void
mt_http_fetch(GPtrArray *gets, guint timeout_ms, gint64 deadline)
{
  g_return_if_fail(gets != NULL);
  static GOnce once = G_ONCE_INIT;
  g_once(&once, global_init, NULL);

  gint64 left_ms = (deadline - g_get_monotonic_time()) / 1000;
  if (left_ms <= 0) {
    for (guint i = 0; i < gets->len; i++) {
      MtHttpGet *g = g_ptr_array_index(gets, i);
      g->error = g_strdup("no time left before the deadline");
    }
    return;
  }
  long ms = (long)MIN((gint64)timeout_ms, left_ms);
  CURLM *multi = curl_multi_init();
  g_autofree CURL **easy = g_new0(CURL *, MAX(gets->len, 1));
  struct curl_slist *accept = curl_slist_append(NULL, "Accept: application/rdap+json, application/json");
  for (guint i = 0; i < gets->len; i++) {
    MtHttpGet *g = g_ptr_array_index(gets, i);
    CURL *e = curl_easy_init();
    easy[i] = e;
    curl_easy_setopt(e, CURLOPT_URL, g->url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L); /* threads; and the filter's own SIGALRM */
    curl_easy_setopt(e, CURLOPT_USERAGENT, "mailtrace/" MT_VERSION);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, take_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, g);
    curl_easy_setopt(e, CURLOPT_PRIVATE, g);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, accept);
    curl_multi_add_handle(multi, e);
  }
  int running = 1;
  while (running > 0) {
    if (curl_multi_perform(multi, &running) != CURLM_OK)
      break;
    if (running == 0)
      break;
    gint64 left = (deadline - g_get_monotonic_time()) / 1000;
    if (left <= 0)
      break;
    curl_multi_poll(multi, NULL, 0, (int)MIN(left, 100), NULL);
  }
  CURLMsg *msg;
  int queued;
  while ((msg = curl_multi_info_read(multi, &queued)) != NULL) {
    if (msg->msg != CURLMSG_DONE)
      continue;
    MtHttpGet *g = NULL;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&g);
    if (msg->data.result != CURLE_OK) {
      g->error = g_strdup(curl_easy_strerror(msg->data.result));
      continue;
    }
    curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &g->status);
    curl_off_t wait = 0;
    if (curl_easy_getinfo(msg->easy_handle, CURLINFO_RETRY_AFTER, &wait) == CURLE_OK && wait > 0)
      g->retry_after = (gint64)wait;
  }
  for (guint i = 0; i < gets->len; i++) {
    MtHttpGet *g = g_ptr_array_index(gets, i);
    if (g->status == 0 && g->error == NULL)
      g->error = g_strdup("no answer before the deadline");
    curl_multi_remove_handle(multi, easy[i]);
    curl_easy_cleanup(easy[i]);
  }
  curl_multi_cleanup(multi);
  curl_slist_free_all(accept);
}
