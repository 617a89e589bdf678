/* Fetching the next batch while this one is judged: UID FETCH in a thread, the answers kept
 * until taken. The mailbox belongs to that thread until mt_prefetch_join() returns. */
#pragma once

#include "mailbox.h"

G_BEGIN_DECLS

typedef struct _MtPrefetch MtPrefetch;

/* Starts UID FETCH of the UIDs @asked (ascending, not empty; copied).
 * Returns: (transfer full) */
MtPrefetch *mt_prefetch_start(MtMailbox *mb, GArray *asked);

/* Waits until the fetch is over: the mailbox is free again. */
void mt_prefetch_join(MtPrefetch *p);

/* The UIDs asked for. Returns: (transfer none) */
GArray *mt_prefetch_asked(MtPrefetch *p);

/* Joins, then returns the answers admitted by mt_batch_admit(): the UIDs asked that did not
 * come back whole go to @missing. Returns: (transfer full) (nullable): NULL with the fetch's
 * error (then none of the UIDs was fetched). */
GPtrArray *mt_prefetch_take(MtPrefetch *p, GArray *missing, GError **error);

/* Joins first. NULL-safe. */
void mt_prefetch_free(MtPrefetch *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtPrefetch, mt_prefetch_free)

G_END_DECLS
