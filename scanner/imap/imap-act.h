/* Changing the selected folder: adding flags, moving messages to another folder, and finding
 * the junk folder. The caller decides the order and keeps the journal (see cli/scan-folder.c);
 * these only speak IMAP, and refuse what could harm: keywords that are not atoms, a plain
 * EXPUNGE (never sent: it would purge what the user marked deleted). */
#pragma once

#include "imap-session.h"

G_BEGIN_DECLS

/* UID STORE @uids +FLAGS.SILENT (@keywords [\Deleted]). Every keyword must be an IMAP atom
 * (mt_keyword_is_atom()), else nothing is sent. Returns: FALSE with @error. */
gboolean mt_imap_add_flags(MtImapSession *s, GArray *uids, const char *const *keywords,
                           gboolean deleted, GError **error);

/* UID MOVE @uids @mailbox (the server has MOVE). Returns: FALSE with @error. */
gboolean mt_imap_move(MtImapSession *s, GArray *uids, const char *mailbox, GError **error);

/* UID COPY @uids @mailbox (the server has UIDPLUS) and read the COPYUID answer: *@copied gets
 * the UIDs of @uids that the server says it copied; the others were not confirmed.
 * Returns: FALSE with @error when the command failed. */
gboolean mt_imap_copy(MtImapSession *s, GArray *uids, const char *mailbox, GArray *copied,
                      GError **error);

/* UID EXPUNGE @uids: removes exactly those messages, if marked \Deleted (UIDPLUS). */
gboolean mt_imap_expunge(MtImapSession *s, GArray *uids, GError **error);

/* UID SEARCH of the selected folder for a message with this Message-ID (header value, with
 * or without angle brackets), RFC822.SIZE @size and @keyword: *@found. */
gboolean mt_imap_search_copy(MtImapSession *s, const char *message_id, guint32 size,
                             const char *keyword, gboolean *found, GError **error);

/* The folder for suspicious mail: @configured when set, else the folder marked \Junk
 * (SPECIAL-USE), else "Junk". Created when missing, unless @read_only.
 * Returns: (transfer full) (nullable): NULL with @error. */
char *mt_imap_junk_folder(MtImapSession *s, const char *configured, gboolean read_only,
                          GError **error);

/* LIST "" "*": the folders marked with one of the SPECIAL-USE attributes @uses ("Sent",
 * "Archive": without the backslash), in the server's order, never one also marked \Junk.
 * Returns: (transfer full) (nullable): NULL with @error. */
GStrv mt_imap_special_use_folders(MtImapSession *s, const char *const *uses, GError **error);

G_END_DECLS
