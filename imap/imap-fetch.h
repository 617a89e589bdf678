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

/* UID FETCH of @f (opened last) from UID @first to the end, in batches. Returns: FALSE with
 * @error. */
gboolean mt_imap_fetch_from(MtImapSession *s, const MtImapFolder *f, guint32 first,
                            MtImapMessageFunc func, gpointer user, GError **error);

/* The error of a failed command: MT_ERROR_CONNECT when the connection is gone, else
 * MT_ERROR_IMAP with the server's words. Returns: (transfer full) */
GError *mt_imap_command_error(MtImapSession *s, const char *what, int r);

G_END_DECLS
