/* Reading a folder over an MtImapSession: EXAMINE (read-only) or SELECT, and UID FETCH in
 * batches of the flags and first 64 KiB of each message, which never sets \Seen (BODY.PEEK). */
#pragma once

#include "imap-session.h"

G_BEGIN_DECLS

#define MT_IMAP_FETCH_BYTES 65536 /* all headers, charsets and the HTML generator */
#define MT_IMAP_BATCH 200         /* messages per UID FETCH: at most 200 x 64 KiB held at once */

typedef struct {
  guint32 uidvalidity, uidnext, exists;
} MtImapFolder;

/* SELECT @folder, or EXAMINE it when @read_only.
 * Returns: FALSE with @error (MT_ERROR_IMAP, MT_ERROR_CONNECT). */
gboolean mt_imap_open_folder(MtImapSession *s, const char *folder, gboolean read_only,
                             MtImapFolder *out, GError **error);

typedef struct {
  guint32 uid, size;
  const char *data; /* the first bytes of the message; not NUL-terminated */
  gsize len;
  gboolean deleted;         /* \Deleted is set */
  const char *const *flags; /* its keywords, e.g. "$Suspicious" */
} MtImapMessage;

/* Called per message, in UID order. */
typedef void (*MtImapMessageFunc)(const MtImapMessage *m, gpointer user);

/* UID FETCH @first:@last (@last 0: the last message). Returns: FALSE with @error. */
gboolean mt_imap_fetch(MtImapSession *s, guint32 first, guint32 last, MtImapMessageFunc func,
                       gpointer user, GError **error);

/* The last UID of the batch starting at @first: @first + MT_IMAP_BATCH - 1, at most the
 * folder's last UID; or 0 (to the end, in one fetch) when the server announced no UIDNEXT. */
guint32 mt_imap_batch_last(const MtImapFolder *f, guint32 first);

/* UID FETCH of @f (opened last) from UID @first to the end, in batches. Returns: FALSE with
 * @error. */
gboolean mt_imap_fetch_from(MtImapSession *s, const MtImapFolder *f, guint32 first,
                            MtImapMessageFunc func, gpointer user, GError **error);

/* The error of a failed command: MT_ERROR_CONNECT when the connection is gone, else
 * MT_ERROR_IMAP with the server's words. Returns: (transfer full) */
GError *mt_imap_command_error(MtImapSession *s, const char *what, int r);

G_END_DECLS
