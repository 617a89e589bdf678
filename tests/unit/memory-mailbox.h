/* An IMAP server in memory behind the mailbox table (scanner/imap/mailbox.h), for the scan tests: its
 * folders, UIDs, flags and capabilities, and a connection that can be lost before or after any
 * command, as a crash or a dropped link would. */
#pragma once

#include "mailbox.h"

G_BEGIN_DECLS

typedef struct _MemServer MemServer;

/* A server with INBOX (UIDVALIDITY 7) and, with @has_move / @has_uidplus, those extensions. */
MemServer *mem_server_new(gboolean has_move, gboolean has_uidplus);
void mem_server_free(MemServer *srv);

/* Appends a message to @folder (created when missing). @id: the test's name for it, which
 * stays with it through moves and copies. Returns: its UID. */
guint32 mem_server_append(MemServer *srv, const char *folder, const char *id, const char *data,
                          gboolean deleted);

/* Makes the next message appended to @folder get UID @uid (above the last one). */
void mem_server_set_uidnext(MemServer *srv, const char *folder, guint32 uid);

/* What a hostile or broken server does to its UID FETCH answers. */
typedef struct {
  guint32 extra_uid;     /* also answers for this UID, never asked, with the first answer's data */
  guint32 twice_uid;     /* answers twice for it, the second time with other data and flags */
  guint32 drop_uid;      /* leaves it out (a partial FETCH that still says OK) */
  guint32 short_uid;     /* sends only half of it */
  gboolean refuse_fetch; /* answers NO */
  gboolean descending;   /* answers in descending UID order */
} MemHostile;

void mem_server_hostile(MemServer *srv, const MemHostile *h);

/* The UIDs named by STORE, MOVE, COPY and EXPUNGE commands so far. Returns: (transfer none) */
GArray *mem_server_acted_on(MemServer *srv);

/* How many copies of @id there are in @folder; whether one of them has @flag (a keyword, or
 * "\\Deleted"). */
guint mem_server_count(MemServer *srv, const char *folder, const char *id);
gboolean mem_server_has_flag(MemServer *srv, const char *folder, const char *id,
                             const char *flag);

/* The command at which a connection was lost ("UID COPY"), or NULL. */
const char *mem_server_cut(MemServer *srv);

/* Commands the server answered, over every connection. */
guint mem_server_commands(MemServer *srv);

/* A connection. @lose_at: the connection breaks at that command (counted from 1 on this
 * connection; 0: never): before the server runs it, or with @after, once it ran and before the
 * client hears the answer. Every command after it fails too. Returns: (transfer full) */
MtMailbox *mem_connect(MemServer *srv, guint lose_at, gboolean after);
void mem_disconnect(MtMailbox *mb);

G_END_DECLS
