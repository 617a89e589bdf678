/* A folder of an IMAP mailbox, as the scan algorithm (scanner/scan/) reaches it: a small table of the
 * commands it needs, after isync's `struct driver`. Two implementations: imap-mailbox.c over a
 * libetpan session, and an in-memory mailbox in the unit tests, which can lose the connection
 * at any command. Header only: whoever uses the table links no libetpan.
 *
 * Every operation is one IMAP command on the selected folder. A lost connection fails it with
 * MT_ERROR_CONNECT; a refusal by the server with MT_ERROR_IMAP. */
#pragma once

#include <glib.h>


G_BEGIN_DECLS

typedef struct {
  guint32 uidvalidity, uidnext, exists;
} MtImapFolder;

typedef struct {
  guint32 uid, size;
  const char *data; /* the first bytes of the message; not NUL-terminated */
  gsize len;
  gboolean deleted;         /* \Deleted is set */
  const char *const *flags; /* its keywords, e.g. "$Suspicious" */
} MtImapMessage;

/* Called per message, in the order the server answered. */
typedef void (*MtImapMessageFunc)(const MtImapMessage *m, gpointer user);

typedef struct _MtMailbox MtMailbox;

typedef struct {
  /* Whether the server announced @capability ("MOVE", "UIDPLUS", "IDLE"). */
  gboolean (*has)(MtMailbox *mb, const char *capability);
  /* The junk folder: @configured, else the one marked \Junk, else "Junk"; created when
   * missing unless @read_only. Returns: (transfer full) (nullable) */
  char *(*junk_folder)(MtMailbox *mb, const char *configured, gboolean read_only, GError **error);
  /* SELECT @folder, or EXAMINE it when @read_only. */
  gboolean (*open_folder)(MtMailbox *mb, const char *folder, gboolean read_only,
                          MtImapFolder *out, GError **error);
  /* UID SEARCH UID @first:* : the UIDs of the selected folder from @first on, ascending and
   * each once, appended to @uids (what a server says beyond that is dropped). */
  gboolean (*search)(MtMailbox *mb, guint32 first, GArray *uids, GError **error);
  /* UID FETCH @first:@last (@last 0: to the end) of flags, size and the message's start. */
  gboolean (*fetch)(MtMailbox *mb, guint32 first, guint32 last, MtImapMessageFunc func,
                    gpointer user, GError **error);
  /* UID STORE @uids +FLAGS.SILENT (@keywords [\Deleted]). */
  gboolean (*add_flags)(MtMailbox *mb, GArray *uids, const char *const *keywords,
                        gboolean deleted, GError **error);
  /* UID MOVE @uids @to (MOVE). */
  gboolean (*move)(MtMailbox *mb, GArray *uids, const char *to, GError **error);
  /* UID COPY @uids @to (UIDPLUS); *@copied gets the UIDs COPYUID confirmed. */
  gboolean (*copy)(MtMailbox *mb, GArray *uids, const char *to, GArray *copied, GError **error);
  /* UID EXPUNGE @uids (UIDPLUS): exactly those, if marked \Deleted. */
  gboolean (*expunge)(MtMailbox *mb, GArray *uids, GError **error);
  /* Whether @folder holds a message with this Message-ID, RFC822.SIZE and @keyword (a copy
   * whose COPYUID answer was lost); the selected folder stays selected. */
  gboolean (*holds)(MtMailbox *mb, const char *folder, const char *message_id, guint32 size,
                    const char *keyword, gboolean *found, GError **error);
} MtMailboxOps;

/* Implementations embed this as their first member. */
struct _MtMailbox {
  const MtMailboxOps *ops;
};

G_END_DECLS
