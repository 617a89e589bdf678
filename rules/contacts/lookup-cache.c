#include "lookup-cache.h"

#include "store-private.h"

gboolean
mt_lookup_cache_get(MtStore *store, const char *key, gint64 now, char **value, gint64 *at)
{
  g_return_val_if_fail(store != NULL && key != NULL && value != NULL, FALSE);

  sqlite3_stmt *st = mt_store_prepare(
      store, "SELECT value, looked_up FROM lookups WHERE key = ?1 AND expires > ?2", NULL);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, now);
  gboolean found = sqlite3_step(st) == SQLITE_ROW;
  if (found) {
    *value = g_strdup((const char *)sqlite3_column_text(st, 0));
    if (at != NULL)
      *at = sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  return found;
}

void
mt_lookup_cache_put(MtStore *store, const char *key, const char *value, gint64 now, gint64 ttl)
{
  g_return_if_fail(store != NULL && key != NULL && value != NULL);

  sqlite3_stmt *st = mt_store_prepare(
      store,
      "INSERT INTO lookups (key, value, looked_up, expires) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (key) DO UPDATE SET value = ?2, looked_up = ?3, expires = ?4",
      NULL);
  if (st == NULL)
    return;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 3, now);
  /* a server's number: the sum saturates instead of overflowing */
  ttl = MAX(ttl, 0);
  sqlite3_bind_int64(st, 4, ttl > G_MAXINT64 - now ? G_MAXINT64 : now + ttl);
  (void)sqlite3_step(st);
  sqlite3_finalize(st);
}
