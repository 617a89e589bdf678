/* Reading a folder over an MtImapSession: EXAMINE (read-only) and UID FETCH in batches of the
 * first 64 KiB of each message, which never sets \Seen (BODY.PEEK). */
#pragma once

#include "imap-session.h"

G_BEGIN_DECLS

#define MT_IMAP_FETCH_BYTES 65536 /* all headers, charsets and the HTML generator */

typedef struct {
  guint32 uidvalidity, uidnext, exists;
} MtImapFolder;

/* EXAMINE @folder. Returns: FALSE with @error (MT_ERROR_IMAP, MT_ERROR_CONNECT). */
gboolean mt_imap_examine(MtImapSession *s, const char *folder, MtImapFolder *out, GError **error);

/* Called per message, in UID order; @data is the first bytes of the message. */
typedef void (*MtImapMessageFunc)(guint32 uid, guint32 size, const char *data, gsize len,
                                  gpointer user);

/* UID FETCH @first:@last (@last 0: the last message). Returns: FALSE with @error. */
gboolean mt_imap_fetch(MtImapSession *s, guint32 first, guint32 last, MtImapMessageFunc func,
                       gpointer user, GError **error);

G_END_DECLS
