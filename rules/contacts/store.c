#include "store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "mt-error.h"
#include "names.h"
#include "store-private.h"

/* Recent profiles, shared between the threads that judge messages: the same senders come back
 * again and again, and loading a profile costs more than the rest of an analysis. */
#define PROFILE_CACHE_MAX 1024
/* and at most this many bytes of them (about: profile_bytes()), so that a scan's memory stays
 * flat however many senders and values its mailbox holds */
#define PROFILE_CACHE_BYTES (4 * 1024 * 1024)
static char not_a_contact; /* the cached answer for an unknown address */

/* A read connection of one worker: profiles are read on several threads at once (WAL lets
 * readers run side by side; one serialized connection made two threads barely beat one). */
typedef struct _MtStoreReader {
  sqlite3 *db;
  GHashTable *statements; /* SQL text (its address) -> sqlite3_stmt*, prepared once */
} Reader;

struct _MtStore {
  sqlite3 *db;
  char *path;
  GAsyncQueue *readers;    /* Reader*: idle read connections */
  gint n_readers;          /* opened so far (atomic) */
  guint max_readers;       /* 0: every read on @db */
  gint readers_broken;     /* one could not be opened: the main connection reads (atomic) */
  GMutex cache_lock;       /* guards the four below */
  GHashTable *profiles;    /* address -> MtProfile*, or &not_a_contact */
  sqlite3_stmt *version;   /* PRAGMA data_version: changes when another connection commits */
  gint64 cached_version;
  guint64 generation;      /* bumped whenever the cache is emptied */
  gsize cached_bytes;      /* what the cached profiles hold, about */
  GMutex main_lock;        /* held by whoever reads through @main_reader */
  Reader main_reader;      /* @db, for mt_store_reader_take() when no reader of its own */
};

static void drop_cached(gpointer value);

/* With cache_lock held. */
static void
cache_empty(MtStore *s)
{
  g_hash_table_remove_all(s->profiles);
  s->cached_bytes = 0;
  s->generation++;
}

/* Each step moves the schema up by one version (PRAGMA user_version). Never edit a step that
 * has shipped; add one. */
static const char *const migrations[] = {
    /* 1: contacts, what their messages showed, and which messages were seen */
    "CREATE TABLE contacts (address TEXT PRIMARY KEY, messages INTEGER NOT NULL DEFAULT 0,"
    "  spam INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL);"
    "CREATE TABLE observations (address TEXT NOT NULL, attr TEXT NOT NULL, value TEXT NOT NULL,"
    "  label TEXT, weight REAL NOT NULL, count INTEGER NOT NULL,"
    "  PRIMARY KEY (address, attr, value)) WITHOUT ROWID;"
    "CREATE TABLE messages (hash TEXT PRIMARY KEY, message_id TEXT, address TEXT NOT NULL,"
    "  kind TEXT NOT NULL, weight REAL NOT NULL, at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX messages_by_id ON messages (message_id);"
    "CREATE TABLE message_values (hash TEXT NOT NULL, attr TEXT NOT NULL, value TEXT NOT NULL,"
    "  PRIMARY KEY (hash, attr, value)) WITHOUT ROWID;",
    /* 2: how far `mailtrace scan` got in each IMAP folder, and the messages it is moving */
    "CREATE TABLE imap_folders (account TEXT NOT NULL, folder TEXT NOT NULL,"
    "  uidvalidity INTEGER NOT NULL, last_uid INTEGER NOT NULL,"
    "  PRIMARY KEY (account, folder)) WITHOUT ROWID;"
    "CREATE TABLE imap_moving (account TEXT NOT NULL, folder TEXT NOT NULL,"
    "  uidvalidity INTEGER NOT NULL, uid INTEGER NOT NULL, copied INTEGER NOT NULL,"
    "  PRIMARY KEY (account, folder, uidvalidity, uid)) WITHOUT ROWID;",
    /* 3: the receiving relays at the top of the user's mail, learned; the user may forget one */
    "CREATE TABLE relays (domain TEXT PRIMARY KEY, messages INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL, forgotten INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;",
    /* 4: answers of online lookups (lookup-cache.h), until they expire */
    "CREATE TABLE lookups (key TEXT PRIMARY KEY, value TEXT NOT NULL,"
    "  looked_up INTEGER NOT NULL, expires INTEGER NOT NULL) WITHOUT ROWID;",
    /* 5: the contacts whose mail carried a display name (impersonation.c) */
    "CREATE INDEX observations_by_value ON observations (attr, value);",
    /* 6: a part the message lacked is the empty string (fingerprint.h: MT_FP_ABSENT), not the
     * word "none", which a real mailer or generator may be called */
    "UPDATE observations SET value = '' WHERE value = 'none' AND attr IN ('network', 'country',"
    "  'origin-domain', 'first-hop', 'dkim', 'mailer', 'html-generator', 'submission-network',"
    "  'submission-country');"
    "UPDATE message_values SET value = '' WHERE value = 'none' AND attr IN ('network', 'country',"
    "  'origin-domain', 'first-hop', 'dkim', 'mailer', 'html-generator', 'submission-network',"
    "  'submission-country');",
    /* 7: display names stored as today's keys (names.h), so that a one-message process reads
     * them as they are instead of folding every contact's name again (the filter's cost grew
     * with the number of contacts); a key that folds into one already there goes */
    "UPDATE OR IGNORE observations SET value = mt_name_key(value) WHERE attr = 'name' AND"
    "  mt_name_key(value) <> value;"
    "DELETE FROM observations WHERE attr = 'name' AND mt_name_key(value) <> value;"
    "UPDATE OR IGNORE message_values SET value = mt_name_key(value) WHERE attr = 'name' AND"
    "  mt_name_key(value) <> value;"
    "DELETE FROM message_values WHERE attr = 'name' AND mt_name_key(value) <> value;",
    /* 8: each contact filed under what a look-alike would share (contact-keys.h), so that an
     * unknown sender costs a few lookups instead of a pass over every contact (filled in by
     * after_migration() below; IF NOT EXISTS: a store whose version was set back, as the
     * tests do, runs it again) */
    "CREATE TABLE IF NOT EXISTS contact_keys (address TEXT PRIMARY KEY, domain TEXT,"
    "  local TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS contact_keys_by_domain ON contact_keys (domain);"
    "CREATE INDEX IF NOT EXISTS contact_keys_by_local ON contact_keys (local);"
    "CREATE TABLE IF NOT EXISTS domain_keys (id INTEGER PRIMARY KEY,"
    "  domain TEXT NOT NULL UNIQUE, label TEXT, skeleton TEXT);"
    "CREATE INDEX IF NOT EXISTS domain_keys_by_label ON domain_keys (label);"
    "CREATE INDEX IF NOT EXISTS domain_keys_by_skeleton ON domain_keys (skeleton);"
    "CREATE TABLE IF NOT EXISTS label_variants (variant INTEGER NOT NULL,"
    "  domain_id INTEGER NOT NULL, PRIMARY KEY (variant, domain_id)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS contacts_by_messages ON contacts (messages);",
};

/* What a migration computes in C, after its SQL, in the same transaction. */
static gboolean
after_migration(MtStore *s, int version, GError **error)
{
  return version != 8 || mt_contact_keys_file_all(s, error);
}

/* mt_name_key(TEXT) for SQL, migration 7's: NULL where names.h gives none, and then the
 * comparisons above are NULL too, so such rows are left as they are. */
static void
sql_name_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  (void)argc;
  const char *value = (const char *)sqlite3_value_text(argv[0]);
  char *key = value != NULL ? mt_name_key(value) : NULL;
  if (key == NULL)
    sqlite3_result_null(ctx);
  else
    sqlite3_result_text(ctx, key, -1, g_free);
}

static gboolean
fail(GError **error, sqlite3 *db, const char *what)
{
  g_set_error(error, MT_ERROR, MT_ERROR_STORE, "%s: %s", what,
              db != NULL ? sqlite3_errmsg(db) : "out of memory");
  return FALSE;
}

gboolean
mt_store_fail(MtStore *s, const char *what, GError **error)
{
  return fail(error, s->db, what);
}

static gboolean
exec(MtStore *s, const char *sql, GError **error)
{
  char *msg = NULL;
  if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
    return TRUE;
  g_set_error(error, MT_ERROR, MT_ERROR_STORE, "%s", msg != NULL ? msg : "sqlite error");
  sqlite3_free(msg);
  return FALSE;
}

static int
user_version(MtStore *s)
{
  sqlite3_stmt *st = NULL;
  int v = -1;
  if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

static gboolean
is_wal(MtStore *s)
{
  sqlite3_stmt *st = NULL;
  gboolean wal = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK &&
                 sqlite3_step(st) == SQLITE_ROW &&
                 g_strcmp0((const char *)sqlite3_column_text(st, 0), "wal") == 0;
  sqlite3_finalize(st);
  return wal;
}

static gboolean
migrate(MtStore *s, GError **error)
{
  int known = (int)G_N_ELEMENTS(migrations);
  if (!exec(s, "BEGIN IMMEDIATE", error))
    return FALSE;
  int v = user_version(s);
  if (v < 0 || v > known) {
    exec(s, "ROLLBACK", NULL);
    if (v < 0)
      return fail(error, s->db, "reading the schema version");
    g_set_error(error, MT_ERROR, MT_ERROR_STORE,
                "schema version %d is newer than this mailtrace knows (%d)", v, known);
    return FALSE;
  }
  for (; v < known; v++) {
    g_autofree char *bump = g_strdup_printf("PRAGMA user_version = %d", v + 1);
    if (!exec(s, migrations[v], error) || !after_migration(s, v + 1, error) ||
        !exec(s, bump, error)) {
      exec(s, "ROLLBACK", NULL);
      return FALSE;
    }
  }
  return exec(s, "COMMIT", error);
}

char *
mt_store_default_path(void)
{
  return g_build_filename(g_get_user_data_dir(), "mailtrace", "profiles.sqlite", NULL);
}

MtStore *
mt_store_open(const char *path, gboolean create, GError **error)
{
  g_return_val_if_fail(path != NULL, NULL);

  if (create) {
    g_autofree char *dir = g_path_get_dirname(path);
    if (g_mkdir_with_parents(dir, 0700) != 0) {
      g_set_error(error, MT_ERROR, MT_ERROR_STORE, "%s: %s", dir, g_strerror(errno));
      return NULL;
    }
  }
  g_autoptr(MtStore) s = g_new0(MtStore, 1);
  g_mutex_init(&s->cache_lock);
  g_mutex_init(&s->main_lock);
  s->path = g_strdup(path);
  s->readers = g_async_queue_new();
  s->profiles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, drop_cached);
  /* FULLMUTEX: the learner's threads share it (its cached read statements are held under
   * main_lock, mt_store_reader_take()) */
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  gboolean existed = g_file_test(path, G_FILE_TEST_EXISTS);
  if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
    g_autofree char *what = g_strdup_printf("opening %s", path);
    fail(error, s->db, what);
    return NULL;
  }
  /* who wrote to whom is private: the user's alone (SQLite gives its -wal and -shm files the
   * database's mode) */
  if (!existed && g_chmod(path, 0600) != 0) {
    g_set_error(error, MT_ERROR, MT_ERROR_STORE, "%s: %s", path, g_strerror(errno));
    return NULL;
  }
  sqlite3_busy_timeout(s->db, 10000);
  s->main_reader.db = s->db;
  sqlite3_create_function(s->db, "mt_name_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                          sql_name_key, NULL, NULL);
  g_autoptr(GError) err = NULL;
  /* WAL: readers (the filter, explain) never block the learner, nor it them. Both the journal
   * mode and the schema version are read first: a store already in WAL at the current version,
   * the case of every delivery, is opened without taking the write lock. */
  if (!exec(s, "PRAGMA synchronous = NORMAL", &err) ||
      (!is_wal(s) && !exec(s, "PRAGMA journal_mode = WAL", &err)) ||
      (user_version(s) != (int)G_N_ELEMENTS(migrations) && !migrate(s, &err))) {
    g_set_error(error, MT_ERROR, MT_ERROR_STORE, "%s: %s", path, err->message);
    return NULL;
  }
  return g_steal_pointer(&s);
}

/* Finalizes what @r prepared. */
static void
reader_finalize(Reader *r)
{
  if (r->statements != NULL) {
    GHashTableIter it;
    gpointer st;
    g_hash_table_iter_init(&it, r->statements);
    while (g_hash_table_iter_next(&it, NULL, &st))
      sqlite3_finalize(st);
    g_hash_table_unref(r->statements);
  }
}

void
mt_store_close(MtStore *store)
{
  if (store == NULL)
    return;
  sqlite3_finalize(store->version);
  Reader *r;
  while ((r = g_async_queue_try_pop(store->readers)) != NULL) {
    reader_finalize(r);
    sqlite3_close(r->db);
    g_free(r);
  }
  reader_finalize(&store->main_reader);
  g_mutex_clear(&store->main_lock);
  g_async_queue_unref(store->readers);
  g_free(store->path);
  g_hash_table_unref(store->profiles);
  g_mutex_clear(&store->cache_lock);
  sqlite3_close(store->db);
  g_free(store);
}

/* ---- Writes ----------------------------------------------------------------------------- */

sqlite3_stmt *
mt_store_prepare(MtStore *s, const char *sql, GError **error)
{
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
    fail(error, s->db, "preparing a statement");
    return NULL;
  }
  return st;
}

static void
bind_texts(sqlite3_stmt *st, int first, const char *const *texts, int n)
{
  for (int i = 0; i < n; i++)
    sqlite3_bind_text(st, first + i, texts[i], -1, SQLITE_TRANSIENT);
}

static gboolean
run(MtStore *s, const char *sql, const char *const *texts, int n, GError **error)
{
  sqlite3_stmt *st = mt_store_prepare(s, sql, error);
  if (st == NULL)
    return FALSE;
  bind_texts(st, 1, texts, n);
  int rc = sqlite3_step(st);
  sqlite3_finalize(st);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? TRUE : fail(error, s->db, sql);
}

/* The kind of a message seen before ("ham", "spam"), or NULL. */
static char *
seen_kind(MtStore *s, const char *hash, const char *message_id, char **seen_hash)
{
  sqlite3_stmt *st = NULL;
  const char *sql =
      "SELECT kind, hash FROM messages WHERE hash = ?1 OR (?2 <> '' AND message_id = ?2)";
  if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
    return NULL;
  const char *texts[] = {hash, message_id != NULL ? message_id : ""};
  bind_texts(st, 1, texts, 2);
  char *kind = NULL;
  if (sqlite3_step(st) == SQLITE_ROW) {
    kind = g_strdup((const char *)sqlite3_column_text(st, 0));
    if (seen_hash != NULL)
      *seen_hash = g_strdup((const char *)sqlite3_column_text(st, 1));
  }
  sqlite3_finalize(st);
  return kind;
}

static gboolean
add_values(MtStore *s, const MtFingerprint *fp, const char *hash, double weight, GError **error)
{
  sqlite3_stmt *obs = mt_store_prepare(
      s,
      "INSERT INTO observations (address, attr, value, label, weight, count) "
      "VALUES (?1, ?2, ?3, ?4, ?5, 1) ON CONFLICT (address, attr, value) DO UPDATE SET "
      "weight = weight + ?5, count = count + 1, label = coalesce(?4, label)",
      error);
  sqlite3_stmt *mv =
      mt_store_prepare(s, "INSERT OR IGNORE INTO message_values VALUES (?1, ?2, ?3)", error);
  gboolean ok = obs != NULL && mv != NULL;
  for (guint i = 0; ok && i < fp->values->len; i++) {
    const MtFpValue *v = g_ptr_array_index(fp->values, i);
    const char *o[] = {fp->address, v->attr, v->value, v->label};
    bind_texts(obs, 1, o, 4);
    sqlite3_bind_double(obs, 5, weight);
    const char *m[] = {hash, v->attr, v->value};
    bind_texts(mv, 1, m, 3);
    ok = sqlite3_step(obs) == SQLITE_DONE && sqlite3_step(mv) == SQLITE_DONE;
    sqlite3_reset(obs);
    sqlite3_reset(mv);
  }
  sqlite3_finalize(obs);
  sqlite3_finalize(mv);
  return ok ? TRUE : fail(error, s->db, "recording a fingerprint");
}

/* When the contact wrote: the message's own time (fp->when), unless it is missing or
 * impossible (before 1990, or more than a day ahead: a forged or broken date), then now. */
static gint64
seen_at(const MtFingerprint *fp)
{
  gint64 now = g_get_real_time() / G_USEC_PER_SEC;
  return fp->when > 631152000 && fp->when <= now + 86400 ? fp->when : now;
}

static gboolean
learn_locked(MtStore *s, const MtFingerprint *fp, const char *hash, const char *message_id,
             MtLearnResult *result, GError **error)
{
  g_autofree char *kind = seen_kind(s, hash, message_id, NULL);
  if (kind != NULL) {
    *result = strcmp(kind, "spam") == 0 ? MT_LEARN_REFUSED : MT_LEARN_DUPLICATE;
    return TRUE;
  }
  double weight = fp->dkim_aligned ? 2.0 : 1.0;
  g_autofree char *now = g_strdup_printf("%" G_GINT64_FORMAT, seen_at(fp));
  g_autofree char *w = g_strdup_printf("%.1f", weight);
  const char *msg[] = {hash, message_id, fp->address, w, now};
  const char *contact[] = {fp->address, now};
  if (!run(s, "INSERT INTO messages VALUES (?1, ?2, ?3, 'ham', ?4, ?5)", msg, 5, error) ||
      !run(s,
           "INSERT INTO contacts (address, messages, first_seen, last_seen) "
           "VALUES (?1, 1, ?2, ?2) ON CONFLICT (address) DO UPDATE SET "
           "messages = messages + 1, first_seen = min(first_seen, CAST(?2 AS INTEGER)), "
           "last_seen = max(last_seen, CAST(?2 AS INTEGER))", /* bound as text: compare numbers */
           contact, 2, error) ||
      !mt_contact_keys_file(s, fp->address, error) || !add_values(s, fp, hash, weight, error))
    return FALSE;
  *result = MT_LEARN_ADDED;
  return TRUE;
}

gboolean
mt_store_transaction(MtStore *s, gboolean (*body)(MtStore *, gpointer, GError **), gpointer data,
                     GError **error)
{
  if (!exec(s, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!body(s, data, error)) {
    exec(s, "ROLLBACK", NULL);
    return FALSE;
  }
  gboolean committed = exec(s, "COMMIT", error);
  /* data_version does not see this connection's own commits; emptied after the commit, so
   * that a profile read before it is not kept */
  g_mutex_lock(&s->cache_lock);
  cache_empty(s);
  g_mutex_unlock(&s->cache_lock);
  return committed;
}

typedef struct {
  const MtFingerprint *fp;
  const char *hash, *message_id;
  MtLearnResult *result;
} LearnArgs;

static gboolean
learn_body(MtStore *s, gpointer data, GError **error)
{
  LearnArgs *a = data;
  return learn_locked(s, a->fp, a->hash, a->message_id, a->result, error);
}

gboolean
mt_store_learn(MtStore *store, const MtFingerprint *fp, const char *hash, const char *message_id,
               MtLearnResult *result, GError **error)
{
  g_return_val_if_fail(store != NULL && fp != NULL && hash != NULL && result != NULL, FALSE);

  if (fp->address == NULL) {
    *result = MT_LEARN_REFUSED;
    return TRUE;
  }
  LearnArgs a = {fp, hash, message_id, result};
  return mt_store_transaction(store, learn_body, &a, error);
}

/* Takes back what a learned message added, then marks it as spam. */
static gboolean
spam_body(MtStore *s, gpointer data, GError **error)
{
  LearnArgs *a = data;
  g_autofree char *seen_hash = NULL;
  g_autofree char *kind = seen_kind(s, a->hash, a->message_id, &seen_hash);
  g_autofree char *now = g_strdup_printf("%" G_GINT64_FORMAT, seen_at(a->fp));
  *a->result = MT_LEARN_ADDED;
  if (g_strcmp0(kind, "spam") == 0) {
    *a->result = MT_LEARN_DUPLICATE;
    return TRUE;
  }
  if (kind != NULL) {
    const char *h[] = {seen_hash};
    if (!run(s,
             "UPDATE observations SET weight = weight - (SELECT weight FROM messages WHERE "
             "hash = ?1), count = count - 1 WHERE (address, attr, value) IN (SELECT m.address, "
             "v.attr, v.value FROM message_values v JOIN messages m ON m.hash = v.hash "
             "WHERE v.hash = ?1)",
             h, 1, error) ||
        !run(s, "DELETE FROM observations WHERE count <= 0", NULL, 0, error) ||
        !run(s,
             "UPDATE contacts SET messages = messages - 1 WHERE address = "
             "(SELECT address FROM messages WHERE hash = ?1)",
             h, 1, error) ||
        !run(s, "DELETE FROM message_values WHERE hash = ?1", h, 1, error) ||
        !run(s, "UPDATE messages SET kind = 'spam' WHERE hash = ?1", h, 1, error))
      return FALSE;
  } else {
    const char *msg[] = {a->hash, a->message_id, a->fp->address, now};
    if (!run(s, "INSERT INTO messages VALUES (?1, ?2, ?3, 'spam', 0, ?4)", msg, 4, error))
      return FALSE;
  }
  const char *c[] = {a->fp->address, now};
  return run(s,
             "INSERT INTO contacts (address, messages, spam, first_seen, last_seen) "
             "VALUES (?1, 0, 1, ?2, ?2) ON CONFLICT (address) DO UPDATE SET spam = spam + 1",
             c, 2, error);
}

/* The user says genuine: a spam report of the same message, theirs too, is taken back first
 * (a message moved into Junk by mistake and out again), then the message is learned. */
static gboolean
ham_body(MtStore *s, gpointer data, GError **error)
{
  LearnArgs *a = data;
  g_autofree char *seen_hash = NULL;
  g_autofree char *kind = seen_kind(s, a->hash, a->message_id, &seen_hash);
  if (g_strcmp0(kind, "spam") == 0) {
    const char *h[] = {seen_hash};
    if (!run(s,
             "UPDATE contacts SET spam = max(spam - 1, 0) WHERE address = "
             "(SELECT address FROM messages WHERE hash = ?1)",
             h, 1, error) ||
        !run(s, "DELETE FROM messages WHERE hash = ?1", h, 1, error))
      return FALSE;
  }
  return learn_locked(s, a->fp, a->hash, a->message_id, a->result, error);
}

gboolean
mt_store_feedback(MtStore *store, const MtFingerprint *fp, const char *hash, const char *message_id,
                  gboolean spam, MtLearnResult *result, GError **error)
{
  g_return_val_if_fail(store != NULL && fp != NULL && hash != NULL && result != NULL, FALSE);

  if (fp->address == NULL) {
    *result = MT_LEARN_REFUSED;
    return TRUE;
  }
  LearnArgs a = {fp, hash, message_id, result};
  return mt_store_transaction(store, spam ? spam_body : ham_body, &a, error);
}

/* ---- Reads ------------------------------------------------------------------------------ */

static void
profile_value_free(gpointer data)
{
  MtProfileValue *v = data;
  g_free(v->value);
  g_free(v->label);
  g_free(v);
}

MtProfile *
mt_profile_ref(MtProfile *p)
{
  g_atomic_int_inc(&p->shared);
  return p;
}

void
mt_profile_free(MtProfile *p)
{
  if (p == NULL)
    return;
  for (;;) {
    gint shared = g_atomic_int_get(&p->shared);
    if (shared == 0)
      break; /* the last holder */
    if (g_atomic_int_compare_and_exchange(&p->shared, shared, shared - 1))
      return;
  }
  g_free(p->address);
  if (p->attrs != NULL)
    g_hash_table_unref(p->attrs);
  g_free(p);
}

static MtProfile *
profile_from_row(sqlite3_stmt *st)
{
  MtProfile *p = g_new0(MtProfile, 1);
  p->address = g_strdup((const char *)sqlite3_column_text(st, 0));
  p->messages = (guint)sqlite3_column_int(st, 1);
  p->spam = (guint)sqlite3_column_int(st, 2);
  p->first_seen = sqlite3_column_int64(st, 3);
  p->last_seen = sqlite3_column_int64(st, 4);
  p->attrs =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  return p;
}

static const char sql_contact[] =
    "SELECT address, messages, spam, first_seen, last_seen FROM contacts WHERE address = ?1";
static const char sql_values[] =
    "SELECT attr, value, label, weight, count FROM observations WHERE address = ?1 "
    "ORDER BY attr, weight DESC, value";

static gboolean
load_values(sqlite3 *db, sqlite3_stmt *st, MtProfile *p, GError **error)
{
  sqlite3_bind_text(st, 1, p->address, -1, SQLITE_TRANSIENT);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const char *attr = (const char *)sqlite3_column_text(st, 0);
    GPtrArray *list = g_hash_table_lookup(p->attrs, attr);
    if (list == NULL) {
      list = g_ptr_array_new_with_free_func(profile_value_free);
      g_hash_table_insert(p->attrs, g_strdup(attr), list);
    }
    MtProfileValue *v = g_new0(MtProfileValue, 1);
    v->value = g_strdup((const char *)sqlite3_column_text(st, 1));
    v->label = g_strdup((const char *)sqlite3_column_text(st, 2));
    v->weight = sqlite3_column_double(st, 3);
    v->count = (guint)sqlite3_column_int(st, 4);
    g_ptr_array_add(list, v);
  }
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? TRUE : fail(error, db, "reading a profile");
}

/* The profile of @address through @r's connection. */
static MtProfile *
load_profile(Reader *r, const char *address, GError **error)
{
  sqlite3 *db = r->db;
  sqlite3_stmt *contact = mt_store_reader_statement(r, sql_contact, error);
  sqlite3_stmt *values = contact != NULL ? mt_store_reader_statement(r, sql_values, error) : NULL;
  if (values == NULL)
    return NULL;
  sqlite3_bind_text(contact, 1, address, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(contact);
  g_autoptr(MtProfile) p = rc == SQLITE_ROW ? profile_from_row(contact) : NULL;
  sqlite3_reset(contact);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    fail(error, db, "reading a contact");
    return NULL;
  }
  if (p == NULL || !load_values(db, values, p, error))
    return NULL;
  return g_steal_pointer(&p);
}

/* An idle read connection, a new one while fewer than max_readers are open, else the wait for
 * one. Returns: (nullable): NULL when none can be opened (then the main connection reads). */
static Reader *
take_reader(MtStore *s)
{
  if (g_atomic_int_get(&s->readers_broken))
    return NULL;
  Reader *r = g_async_queue_try_pop(s->readers);
  if (r != NULL)
    return r;
  if (g_atomic_int_add(&s->n_readers, 1) >= (gint)s->max_readers) {
    g_atomic_int_add(&s->n_readers, -1);
    /* every reader is busy: wait for one, unless opening one failed meanwhile */
    while ((r = g_async_queue_timeout_pop(s->readers, 100 * 1000)) == NULL)
      if (g_atomic_int_get(&s->readers_broken))
        return NULL;
    return r;
  }
  r = g_new0(Reader, 1);
  /* no mutex of SQLite's own: a reader serves one thread at a time */
  /* the profile statements prepared now: a connection that cannot is not used at all */
  if (sqlite3_open_v2(s->path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
          SQLITE_OK ||
      mt_store_reader_statement(r, sql_contact, NULL) == NULL ||
      mt_store_reader_statement(r, sql_values, NULL) == NULL) {
    reader_finalize(r);
    sqlite3_close(r->db);
    g_free(r);
    g_atomic_int_set(&s->readers_broken, 1);
    g_atomic_int_add(&s->n_readers, -1);
    return NULL;
  }
  sqlite3_busy_timeout(r->db, 10000);
  return r;
}

MtStoreReader *
mt_store_reader_take(MtStore *store)
{
  Reader *r = store->max_readers > 0 ? take_reader(store) : NULL;
  if (r != NULL)
    return r;
  g_mutex_lock(&store->main_lock);
  return &store->main_reader;
}

void
mt_store_reader_give_back(MtStore *store, MtStoreReader *r)
{
  if (r == &store->main_reader)
    g_mutex_unlock(&store->main_lock);
  else if (r != NULL)
    g_async_queue_push(store->readers, r);
}

sqlite3_stmt *
mt_store_reader_statement(MtStoreReader *r, const char *sql, GError **error)
{
  if (r->statements == NULL)
    r->statements = g_hash_table_new(g_direct_hash, g_direct_equal);
  sqlite3_stmt *st = g_hash_table_lookup(r->statements, sql);
  if (st != NULL) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
  }
  if (sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
    fail(error, r->db, "preparing a statement");
    return NULL;
  }
  g_hash_table_insert(r->statements, (gpointer)sql, st);
  return st;
}

void
mt_store_read_in_parallel(MtStore *store, guint max_readers)
{
  g_return_if_fail(store != NULL);
  store->max_readers = max_readers;
}

static void
drop_cached(gpointer value)
{
  if (value != &not_a_contact)
    mt_profile_free(value);
}

/* With cache_lock held: empties the cache when another connection has committed since it was
 * filled. Returns: FALSE when the version cannot be read (the cache is then not used). */
static gboolean
cache_current(MtStore *s)
{
  if (s->version == NULL &&
      sqlite3_prepare_v3(s->db, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT, &s->version,
                         NULL) != SQLITE_OK)
    return FALSE;
  gboolean ok = sqlite3_step(s->version) == SQLITE_ROW;
  gint64 v = ok ? sqlite3_column_int64(s->version, 0) : 0;
  sqlite3_reset(s->version);
  if (!ok)
    return FALSE;
  if (v != s->cached_version || g_hash_table_size(s->profiles) >= PROFILE_CACHE_MAX ||
      s->cached_bytes >= PROFILE_CACHE_BYTES) {
    cache_empty(s);
    s->cached_version = v;
  }
  return TRUE;
}

/* What @p holds in memory, about: its strings and a fixed cost per allocation. */
static gsize
profile_bytes(const MtProfile *p)
{
  gsize bytes = sizeof *p;
  GHashTableIter it;
  gpointer attr, list;
  g_hash_table_iter_init(&it, p->attrs);
  while (g_hash_table_iter_next(&it, &attr, &list)) {
    GPtrArray *values = list;
    bytes += strlen(attr) + 96 + values->len * sizeof(gpointer);
    for (guint i = 0; i < values->len; i++) {
      const MtProfileValue *v = g_ptr_array_index(values, i);
      bytes += sizeof *v + 48 + strlen(v->value) + (v->label != NULL ? strlen(v->label) : 0);
    }
  }
  return bytes;
}

MtProfile *
mt_store_profile(MtStore *store, const char *address, GError **error)
{
  g_return_val_if_fail(store != NULL && address != NULL, NULL);

  g_mutex_lock(&store->cache_lock);
  gboolean usable = cache_current(store);
  guint64 generation = store->generation;
  gpointer hit = usable ? g_hash_table_lookup(store->profiles, address) : NULL;
  if (hit != NULL) {
    MtProfile *p = hit == &not_a_contact ? NULL : mt_profile_ref(hit);
    g_mutex_unlock(&store->cache_lock);
    return p;
  }
  g_mutex_unlock(&store->cache_lock);

  g_autoptr(GError) err = NULL;
  Reader *r = mt_store_reader_take(store);
  MtProfile *p = load_profile(r, address, &err);
  mt_store_reader_give_back(store, r);
  if (err != NULL) {
    g_propagate_error(error, g_steal_pointer(&err));
    return NULL;
  }
  g_mutex_lock(&store->cache_lock);
  /* kept only if the cache was not emptied (the store changed) while it was read */
  if (usable && store->generation == generation) {
    g_hash_table_replace(store->profiles, g_strdup(address),
                         p != NULL ? mt_profile_ref(p) : (gpointer)&not_a_contact);
    store->cached_bytes += strlen(address) + 64 + (p != NULL ? profile_bytes(p) : 0);
  }
  g_mutex_unlock(&store->cache_lock);
  return p;
}

GPtrArray *
mt_store_list(MtStore *store, GError **error)
{
  g_return_val_if_fail(store != NULL, NULL);

  sqlite3_stmt *st = mt_store_prepare(store,
                                      "SELECT address, messages, spam, first_seen, last_seen "
                                      "FROM contacts ORDER BY messages DESC, address",
                                      error);
  if (st == NULL)
    return NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)mt_profile_free);
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW)
    g_ptr_array_add(out, profile_from_row(st));
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) {
    g_ptr_array_unref(out);
    fail(error, store->db, "listing contacts");
    return NULL;
  }
  return out;
}

typedef struct {
  const char *address;
  gboolean *found;
} ForgetArgs;

static gboolean
forget_body(MtStore *s, gpointer data, GError **error)
{
  ForgetArgs *a = data;
  const char *addr[] = {a->address};
  if (!run(s,
           "DELETE FROM message_values WHERE hash IN (SELECT hash FROM messages WHERE "
           "address = ?1)",
           addr, 1, error) ||
      !run(s, "DELETE FROM messages WHERE address = ?1", addr, 1, error) ||
      !run(s, "DELETE FROM observations WHERE address = ?1", addr, 1, error) ||
      !mt_contact_keys_unfile(s, a->address, error) ||
      !run(s, "DELETE FROM contacts WHERE address = ?1", addr, 1, error))
    return FALSE;
  *a->found = sqlite3_changes(s->db) > 0;
  return TRUE;
}

gboolean
mt_store_forget(MtStore *store, const char *address, gboolean *found, GError **error)
{
  g_return_val_if_fail(store != NULL && address != NULL && found != NULL, FALSE);

  ForgetArgs a = {address, found};
  return mt_store_transaction(store, forget_body, &a, error);
}

const char *
mt_store_library_version(void)
{
  return sqlite3_libversion();
}
