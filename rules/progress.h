/* How far `mailtrace scan` got in each IMAP folder, kept in the store so that an interrupted
 * run resumes where it stopped and a rerun does nothing twice, and the journal of the messages
 * it is moving, so that a move cut short is finished, never repeated nor lost.
 * Every call is its own committed transaction. */
#pragma once

#include "store.h"

G_BEGIN_DECLS

typedef struct {
  guint32 uidvalidity; /* 0: never scanned */
  guint32 last_uid;    /* every message up to it is done */
} MtFolderProgress;

gboolean mt_progress_load(MtStore *store, const char *account, const char *folder,
                          MtFolderProgress *out, GError **error);

/* Folder done up to @p->last_uid: the journal forgets those UIDs and any other UIDVALIDITY. */
gboolean mt_progress_save(MtStore *store, const char *account, const char *folder,
                          const MtFolderProgress *p, GError **error);

/* Journals @uids (of @uidvalidity) as being moved; with @copied, as copied to the junk folder
 * (the server confirmed it): what is left then is to delete them from @folder. */
gboolean mt_progress_mark_moving(MtStore *store, const char *account, const char *folder,
                                 guint32 uidvalidity, GArray *uids, gboolean copied,
                                 GError **error);

/* The journaled UIDs of @folder at @uidvalidity; with @copied_only, those copied.
 * Returns: (transfer full) (nullable): a GArray of guint32, NULL with @error. */
GArray *mt_progress_moving(MtStore *store, const char *account, const char *folder,
                           guint32 uidvalidity, gboolean copied_only, GError **error);

G_END_DECLS
