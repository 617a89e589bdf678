/* Learned per-contact fingerprints in SQLite: one database per user, WAL mode, writes in
 * transactions, safe with two writers (busy timeout). With progress.c, the only files that include
 * sqlite3.h. */
#pragma once

#include <glib.h>

#include "fingerprint.h"

G_BEGIN_DECLS

typedef struct _MtStore MtStore;

/* $XDG_DATA_HOME/mailtrace/profiles.sqlite. Returns: (transfer full) */
char *mt_store_default_path(void);

/* Opens (and with @create, creates and migrates) the store at @path.
 * Returns: (transfer full) (nullable): NULL with @error when it cannot be used, e.g. corrupt,
 * from a newer mailtrace, or missing and not @create. */
MtStore *mt_store_open(const char *path, gboolean create, GError **error);
void mt_store_close(MtStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtStore, mt_store_close)

typedef enum {
  MT_LEARN_ADDED,     /* counted */
  MT_LEARN_DUPLICATE, /* same Message-ID or same content seen before: counted once */
  MT_LEARN_REFUSED,   /* the message was reported as spam: never learned */
} MtLearnResult;

/* Counts @fp's values for its address. @hash: content hash of the message; @message_id
 * (nullable). A DKIM-aligned message counts twice as much. */
gboolean mt_store_learn(MtStore *store, const MtFingerprint *fp, const char *hash,
                        const char *message_id, MtLearnResult *result, GError **error);

/* Feedback: @spam TRUE undoes what the message taught (if anything) and refuses it from now
 * on; FALSE takes back an earlier spam report of it and learns it as genuine. */
gboolean mt_store_feedback(MtStore *store, const MtFingerprint *fp, const char *hash,
                           const char *message_id, gboolean spam, MtLearnResult *result,
                           GError **error);

typedef struct {
  char *value;
  char *label;   /* (nullable) */
  double weight; /* sum of the weights of the messages that showed it */
  guint count;   /* messages that showed it */
} MtProfileValue;

typedef struct {
  char *address;
  guint messages;               /* messages learned (duplicates counted once) */
  guint spam;                   /* messages reported as spam */
  gint64 first_seen, last_seen; /* unix seconds */
  GHashTable *attrs;            /* attr -> GPtrArray of MtProfileValue*, heaviest first */
  gint shared;                  /* holders beyond the first (the store's cache shares profiles) */
} MtProfile;

/* Profiles are read-only once loaded; the store's cache and its callers share them. */
MtProfile *mt_profile_ref(MtProfile *p);
/* Drops one holder; the last frees. */
void mt_profile_free(MtProfile *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtProfile, mt_profile_free)

/* Answers from a cache of recent profiles (unknown addresses included) while no connection
 * has changed the store since. Thread-safe. Returns: (transfer full) (nullable): NULL with no
 * error for an unknown address. */
MtProfile *mt_store_profile(MtStore *store, const char *address, GError **error);

/* Every contact, without attributes, most messages first. Returns: (transfer full) */
GPtrArray *mt_store_list(MtStore *store, GError **error);

/* Removes everything learned about @address. *@found says whether it was known. */
gboolean mt_store_forget(MtStore *store, const char *address, gboolean *found, GError **error);

/* The version of SQLite in use. */
const char *mt_store_library_version(void);

/* Reading profiles on several threads at once: mt_store_profile() then reads through up to
 * @max_readers connections of its own (one per worker at a time, WAL lets them run side by
 * side) instead of the one serialized connection. The rule: only where nothing writes profiles
 * while they are read (explain, filter, scan, watch); the learner reads what it has just
 * written, uncommitted, so it keeps the default, 0: every read on the main connection. */
void mt_store_read_in_parallel(MtStore *store, guint max_readers);

G_END_DECLS
