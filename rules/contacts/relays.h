/* The user's own receiving relays, learned: which registered domain wrote the topmost hop of
 * each message `learn` took. Those at the top of a good share of the user's mail are trusted
 * when nothing is configured and no known provider is recognised; `mailtrace relays` lists
 * them, and forgetting one keeps it out for good. */
#pragma once

#include "store.h"

G_BEGIN_DECLS

/* A relay is trusted from this many learned messages on, and at least this share of them. */
#define MT_RELAY_MIN_MESSAGES 3
#define MT_RELAY_MIN_SHARE 0.2

typedef struct {
  char *domain;
  guint messages;
  gint64 last_seen; /* Unix time */
  gboolean forgotten;
  gboolean trusted; /* counts for the boundary */
} MtRelay;

void mt_relay_free(MtRelay *r);

/* One more learned message whose topmost hop @domain wrote. */
gboolean mt_relays_note(MtStore *store, const char *domain, GError **error);

/* Every relay learned, most messages first. Returns: (transfer full) (nullable): MtRelay*. */
GPtrArray *mt_relays_list(MtStore *store, GError **error);

/* The trusted ones' domains. Returns: (transfer full) (nullable) */
GStrv mt_relays_trusted(MtStore *store, GError **error);

/* Keeps @domain out from now on (*@found: it was learned). */
gboolean mt_relays_forget(MtStore *store, const char *domain, gboolean *found, GError **error);

G_END_DECLS
