#include "journal.h"

#include "store-private.h"

/* Prepares @sql and binds account and folder to ?1 and ?2. */
static sqlite3_stmt *
prepare(MtStore *store, const char *sql, const char *account, const char *folder, GError **error)
{
  sqlite3_stmt *st = mt_store_prepare(store, sql, error);
  if (st != NULL) {
    sqlite3_bind_text(st, 1, account, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, folder, -1, SQLITE_TRANSIENT);
  }
  return st;
}

gboolean
mt_journal_load_position(MtStore *store, const char *account, const char *folder, MtFolderPosition *out,
                 GError **error)
{
  *out = (MtFolderPosition){0};
  sqlite3_stmt *st = prepare(
      store, "SELECT uidvalidity, last_uid FROM imap_folders WHERE account = ?1 AND folder = ?2",
      account, folder, error);
  if (st == NULL)
    return FALSE;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    out->uidvalidity = (guint32)sqlite3_column_int64(st, 0);
    out->last_uid = (guint32)sqlite3_column_int64(st, 1);
  }
  sqlite3_finalize(st);
  return rc == SQLITE_ROW || rc == SQLITE_DONE ? TRUE
                                               : mt_store_fail(store, "reading progress", error);
}

typedef struct {
  const char *account, *folder;
  const MtFolderPosition *p;
} SaveArgs;

static gboolean
save_body(MtStore *store, gpointer data, GError **error)
{
  SaveArgs *a = data;
  sqlite3_stmt *up = prepare(store,
                             "INSERT INTO imap_folders VALUES (?1, ?2, ?3, ?4) "
                             "ON CONFLICT (account, folder) DO UPDATE SET "
                             "uidvalidity = ?3, last_uid = ?4",
                             a->account, a->folder, error);
  sqlite3_stmt *forget = prepare(store,
                                 "DELETE FROM imap_moving WHERE account = ?1 AND folder = ?2 "
                                 "AND (uidvalidity <> ?3 OR uid <= ?4)",
                                 a->account, a->folder, error);
  gboolean ok = up != NULL && forget != NULL;
  for (sqlite3_stmt **st = (sqlite3_stmt *[]){up, forget, NULL}; ok && *st != NULL; st++) {
    sqlite3_bind_int64(*st, 3, a->p->uidvalidity);
    sqlite3_bind_int64(*st, 4, a->p->last_uid);
    ok = sqlite3_step(*st) == SQLITE_DONE || mt_store_fail(store, "saving progress", error);
  }
  sqlite3_finalize(up);
  sqlite3_finalize(forget);
  return ok;
}

gboolean
mt_journal_save_position(MtStore *store, const char *account, const char *folder, const MtFolderPosition *p,
                 GError **error)
{
  SaveArgs a = {account, folder, p};
  return mt_store_transaction(store, save_body, &a, error);
}

typedef struct {
  const char *account, *folder;
  guint32 uidvalidity;
  GArray *uids;
  gboolean copied;
} MarkArgs;

static gboolean
mark_body(MtStore *store, gpointer data, GError **error)
{
  MarkArgs *a = data;
  sqlite3_stmt *st = prepare(store,
                             "INSERT INTO imap_moving VALUES (?1, ?2, ?3, ?4, ?5) "
                             "ON CONFLICT DO UPDATE SET copied = ?5",
                             a->account, a->folder, error);
  gboolean ok = st != NULL;
  for (guint i = 0; ok && i < a->uids->len; i++) {
    sqlite3_bind_int64(st, 3, a->uidvalidity);
    sqlite3_bind_int64(st, 4, g_array_index(a->uids, guint32, i));
    sqlite3_bind_int(st, 5, a->copied);
    ok = sqlite3_step(st) == SQLITE_DONE || mt_store_fail(store, "journaling a move", error);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  return ok;
}

gboolean
mt_journal_mark_moving(MtStore *store, const char *account, const char *folder,
                        guint32 uidvalidity, GArray *uids, gboolean copied, GError **error)
{
  MarkArgs a = {account, folder, uidvalidity, uids, copied};
  return mt_store_transaction(store, mark_body, &a, error);
}

GArray *
mt_journal_moving(MtStore *store, const char *account, const char *folder, guint32 uidvalidity,
                   gboolean copied_only, GError **error)
{
  sqlite3_stmt *st = prepare(store,
                             "SELECT uid FROM imap_moving WHERE account = ?1 AND folder = ?2 "
                             "AND uidvalidity = ?3 AND copied >= ?4 ORDER BY uid",
                             account, folder, error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_int64(st, 3, uidvalidity);
  sqlite3_bind_int(st, 4, copied_only);
  g_autoptr(GArray) uids = g_array_new(FALSE, FALSE, sizeof(guint32));
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    guint32 uid = (guint32)sqlite3_column_int64(st, 0);
    g_array_append_val(uids, uid);
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    mt_store_fail(store, "reading the move journal", error);
    return NULL;
  }
  return g_steal_pointer(&uids);
}
