#include "relays.h"

#include "store-private.h"

void
mt_relay_free(MtRelay *r)
{
  if (r == NULL)
    return;
  g_free(r->domain);
  g_free(r);
}

static gboolean
step_done(MtStore *store, sqlite3_stmt *st, const char *what, GError **error)
{
  gboolean ok = sqlite3_step(st) == SQLITE_DONE || mt_store_fail(store, what, error);
  sqlite3_finalize(st);
  return ok;
}

gboolean
mt_relays_note(MtStore *store, const char *domain, GError **error)
{
  sqlite3_stmt *st = mt_store_prepare(store,
                                      "INSERT INTO relays (domain, messages, last_seen) "
                                      "VALUES (?1, 1, ?2) ON CONFLICT (domain) DO UPDATE SET "
                                      "messages = messages + 1, last_seen = ?2",
                                      error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_text(st, 1, domain, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, g_get_real_time() / G_USEC_PER_SEC);
  return step_done(store, st, "noting a relay", error);
}

GPtrArray *
mt_relays_list(MtStore *store, GError **error)
{
  sqlite3_stmt *st = mt_store_prepare(
      store,
      "SELECT domain, messages, last_seen, forgotten, "
      "  (SELECT COALESCE(SUM(messages), 0) FROM relays WHERE forgotten = 0) "
      "FROM relays ORDER BY messages DESC, domain",
      error);
  if (st == NULL)
    return NULL;
  GPtrArray *all = g_ptr_array_new_with_free_func((GDestroyNotify)mt_relay_free);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    MtRelay *r = g_new0(MtRelay, 1);
    r->domain = g_strdup((const char *)sqlite3_column_text(st, 0));
    r->messages = (guint)sqlite3_column_int64(st, 1);
    r->last_seen = sqlite3_column_int64(st, 2);
    r->forgotten = sqlite3_column_int(st, 3) != 0;
    gint64 total = sqlite3_column_int64(st, 4);
    r->trusted = !r->forgotten && r->messages >= MT_RELAY_MIN_MESSAGES &&
                 r->messages >= MT_RELAY_MIN_SHARE * (double)total;
    g_ptr_array_add(all, r);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    g_ptr_array_unref(all);
    mt_store_fail(store, "reading the relays", error);
    return NULL;
  }
  return all;
}

GStrv
mt_relays_trusted(MtStore *store, GError **error)
{
  g_autoptr(GPtrArray) all = mt_relays_list(store, error);
  if (all == NULL)
    return NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  for (guint i = 0; i < all->len; i++) {
    const MtRelay *r = g_ptr_array_index(all, i);
    if (r->trusted)
      g_strv_builder_add(b, r->domain);
  }
  return g_strv_builder_end(b);
}

gboolean
mt_relays_forget(MtStore *store, const char *domain, gboolean *found, GError **error)
{
  sqlite3_stmt *st = mt_store_prepare(
      store,
      "INSERT INTO relays (domain, messages, last_seen, forgotten) VALUES (?1, 0, 0, 1) "
      "ON CONFLICT (domain) DO UPDATE SET forgotten = 1 RETURNING messages",
      error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_text(st, 1, domain, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  *found = rc == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
  if (rc == SQLITE_ROW)
    rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE || mt_store_fail(store, "forgetting a relay", error);
}
