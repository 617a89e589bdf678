/* Reading a folder over an MtImapSession: EXAMINE (read-only) or SELECT, and UID FETCH in
 * batches of the flags and first 64 KiB of each message, which never sets \Seen (BODY.PEEK). */
#pragma once

#include "imap-session.h"

G_BEGIN_DECLS

#define MT_IMAP_FETCH_BYTES 65536 /* all headers, charsets and the HTML generator */

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

/* The error of a failed command: MT_ERROR_CONNECT when the connection is gone, else
 * MT_ERROR_IMAP with the server's words. Returns: (transfer full) */
GError *mt_imap_command_error(MtImapSession *s, const char *what, int r);

G_END_DECLS
