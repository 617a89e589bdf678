/* Work on every core, results in the order the work was given: the analyses of many messages
 * run on a pool of threads, and each result comes back on the thread that submitted it, in
 * submission order. What must stay on one thread (SQLite writes, printing) happens there. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* On a worker thread: the result for @item (transfer full to deliver). */
typedef gpointer (*MtWorkFunc)(gpointer item, gpointer user);
/* On the submitting thread, in submission order: takes @item and @result. */
typedef void (*MtDeliverFunc)(gpointer item, gpointer result, gpointer user);

typedef struct _MtOrderedPool MtOrderedPool;

/* @threads: workers (0: one per core); with one, the work runs inline, in push().
 * Items go to the workers in batches of 16, at most @threads × 4 batches in flight: push()
 * waits, delivering, beyond that; finish() sends the last, partial batch. */
MtOrderedPool *mt_ordered_pool_new(guint threads, MtWorkFunc work, MtDeliverFunc deliver,
                                   gpointer user);
void mt_ordered_pool_push(MtOrderedPool *pool, gpointer item);
/* Delivers everything still in flight, in order, and frees the pool. */
void mt_ordered_pool_finish(MtOrderedPool *pool);

/* The number of workers a pool gets for @threads (0: the cores this process may use). */
guint mt_ordered_pool_threads(guint threads);

G_END_DECLS
