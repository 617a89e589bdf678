/* Fetching the next batch while this one is judged: UID FETCH in a thread, the messages kept
 * until freed. The mailbox belongs to that thread until mt_prefetch_join() returns. */
#pragma once

#include "mailbox.h"

G_BEGIN_DECLS

typedef struct _MtPrefetch MtPrefetch;

/* Starts UID FETCH @first:@last (@last 0: to the end). Returns: (transfer full) */
MtPrefetch *mt_prefetch_start(MtMailbox *mb, guint32 first, guint32 last);

/* Waits until the fetch is over: the mailbox is free again. */
void mt_prefetch_join(MtPrefetch *p);

/* Joins, then calls @func per message in the order fetched. Returns: FALSE with the fetch's
 * error. */
gboolean mt_prefetch_deliver(MtPrefetch *p, MtImapMessageFunc func, gpointer user, GError **error);

/* Joins first. NULL-safe. */
void mt_prefetch_free(MtPrefetch *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtPrefetch, mt_prefetch_free)

G_END_DECLS
