/* The scan journal, kept in the store: how far `mailtrace scan` got in each IMAP folder, so that
 * an interrupted run resumes where it stopped and a rerun does nothing twice, and the messages
 * it is moving, so that a move cut short is finished, never repeated nor lost.
 * Every call is its own committed transaction. */
#pragma once

#include "store.h"

G_BEGIN_DECLS

typedef struct {
  guint32 uidvalidity; /* 0: never scanned */
  guint32 last_uid;    /* every message up to it is done */
} MtFolderPosition;

gboolean mt_journal_load_position(MtStore *store, const char *account, const char *folder,
                          MtFolderPosition *out, GError **error);

/* Folder done up to @p->last_uid: the journal forgets those UIDs and any other UIDVALIDITY. */
gboolean mt_journal_save_position(MtStore *store, const char *account, const char *folder,
                          const MtFolderPosition *p, GError **error);

/* Journals @uids (of @uidvalidity) as being moved; with @copied, as copied to the junk folder
 * (the server confirmed it): what is left then is to delete them from @folder. */
gboolean mt_journal_mark_moving(MtStore *store, const char *account, const char *folder,
                                 guint32 uidvalidity, GArray *uids, gboolean copied,
                                 GError **error);

/* The journaled UIDs of @folder at @uidvalidity; with @copied_only, those copied.
 * Returns: (transfer full) (nullable): a GArray of guint32, NULL with @error. */
GArray *mt_journal_moving(MtStore *store, const char *account, const char *folder,
                           guint32 uidvalidity, gboolean copied_only, GError **error);

G_END_DECLS
