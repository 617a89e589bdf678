/* Reading a folder over an MtImapSession: EXAMINE (read-only) or SELECT, and UID FETCH in
 * batches of the flags and first MT_MESSAGE_PREFIX_BYTES of each message, which never sets \Seen (BODY.PEEK). */
#pragma once

#include "imap-session.h"
#include "mailbox.h"

G_BEGIN_DECLS

/* SELECT @folder, or EXAMINE it when @read_only.
 * Returns: FALSE with @error (MT_ERROR_IMAP, MT_ERROR_CONNECT). */
gboolean mt_imap_open_folder(MtImapSession *s, const char *folder, gboolean read_only,
                             MtImapFolder *out, GError **error);

/* UID FETCH @first:@last (@last 0: the last message). Returns: FALSE with @error. */
gboolean mt_imap_fetch(MtImapSession *s, guint32 first, guint32 last, MtImapMessageFunc func,
                       gpointer user, GError **error);

struct mailimap_search_key;

/* UID SEARCH @key (taken) in the selected folder. Returns: (transfer full) (nullable): the UIDs,
 * ascending; NULL with @error. */
GArray *mt_imap_uid_search(MtImapSession *s, struct mailimap_search_key *key, GError **error);

/* UID SEARCH UID @first:* of the selected folder: appends the UIDs from @first on to @uids,
 * ascending, each once. Returns: FALSE with @error. */
gboolean mt_imap_search_from(MtImapSession *s, guint32 first, GArray *uids, GError **error);

/* For g_array_sort() of guint32. */
gint mt_uid_compare(const guint32 *a, const guint32 *b);

/* Every message of the selected folder from UID @first on: UID SEARCH, then UID FETCH in
 * batches of MT_IMAP_BATCH messages. Returns: FALSE with @error. */
gboolean mt_imap_fetch_from(MtImapSession *s, guint32 first, MtImapMessageFunc func,
                            gpointer user, GError **error);

/* The error of a failed command: MT_ERROR_CONNECT when the connection is gone, else
 * MT_ERROR_IMAP with the server's words. Returns: (transfer full) */
GError *mt_imap_command_error(MtImapSession *s, const char *what, int r);

G_END_DECLS
