/* HTTP GETs through libcurl, many at once under one deadline: RDAP queries and the refresh
 * of the bootstrap files. TLS is verified; redirects are followed within http and https; an
 * answer larger than MT_MAX_HTTP_BODY is cut off and fails. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *url;
  long status;         /* HTTP status; 0 when no answer came */
  GByteArray *body;    /* what came */
  gint64 retry_after;  /* seconds the server asked us to wait (429, 503), 0 when it did not */
  char *error;         /* (nullable) why no answer came: timeout, refused, too large ... */
} MtHttpGet;

/* Returns: (transfer full) */
MtHttpGet *mt_http_get_new(const char *url);
void mt_http_get_free(MtHttpGet *g);

/* Fetches every MtHttpGet of @gets at once; each gets at most @timeout_ms, and all stop at
 * the monotonic time @deadline (microseconds). */
void mt_http_fetch(GPtrArray *gets, guint timeout_ms, gint64 deadline);

G_END_DECLS
