#include "ordered-pool.h"

/* Items travel in batches: waking a thread costs more, on a virtual machine, than analysing a
 * small message, so a worker takes BATCH items at a time. */
#define BATCH 16

typedef struct {
  gpointer items[BATCH], results[BATCH];
  guint len;
  gboolean done;
} Batch;

struct _MtOrderedPool {
  GThreadPool *threads; /* NULL: inline */
  MtWorkFunc work;
  MtDeliverFunc deliver;
  gpointer user;
  GMutex lock;
  GCond finished;
  Batch *ring; /* batch of sequence number n: ring[n % window] */
  guint window;
  guint64 pushed, delivered; /* batches */
  Batch *filling;            /* (nullable) the batch being filled, not pushed yet */
};

guint
mt_ordered_pool_threads(guint threads)
{
  return threads > 0 ? threads : MAX(g_get_num_processors(), 1);
}

static void
run(gpointer data, gpointer user)
{
  MtOrderedPool *pool = user;
  Batch *b = data;
  for (guint i = 0; i < b->len; i++)
    b->results[i] = pool->work(b->items[i], pool->user);
  g_mutex_lock(&pool->lock);
  b->done = TRUE;
  g_cond_broadcast(&pool->finished);
  g_mutex_unlock(&pool->lock);
}

MtOrderedPool *
mt_ordered_pool_new(guint threads, MtWorkFunc work, MtDeliverFunc deliver, gpointer user)
{
  g_return_val_if_fail(work != NULL && deliver != NULL, NULL);

  MtOrderedPool *pool = g_new0(MtOrderedPool, 1);
  pool->work = work;
  pool->deliver = deliver;
  pool->user = user;
  threads = mt_ordered_pool_threads(threads);
  if (threads > 1) {
    pool->threads = g_thread_pool_new(run, pool, (gint)threads, TRUE, NULL);
    if (pool->threads == NULL) /* no threads to be had: the work runs inline */
      threads = 1;
  }
  pool->window = threads * 4;
  pool->ring = g_new0(Batch, pool->window);
  g_mutex_init(&pool->lock);
  g_cond_init(&pool->finished);
  return pool;
}

/* Delivers the oldest batch; with @wait, waits for it to be done, else only when it is. */
static gboolean
deliver_oldest(MtOrderedPool *pool, gboolean wait)
{
  if (pool->delivered == pool->pushed)
    return FALSE;
  Batch *b = &pool->ring[pool->delivered % pool->window];
  g_mutex_lock(&pool->lock);
  while (wait && !b->done)
    g_cond_wait(&pool->finished, &pool->lock);
  gboolean done = b->done;
  g_mutex_unlock(&pool->lock);
  if (!done)
    return FALSE;
  Batch taken = *b;
  *b = (Batch){0};
  pool->delivered++;
  for (guint i = 0; i < taken.len; i++)
    pool->deliver(taken.items[i], taken.results[i], pool->user);
  return TRUE;
}

/* Hands the batch being filled to the workers. */
static void
launch(MtOrderedPool *pool)
{
  if (pool->filling == NULL)
    return;
  while (deliver_oldest(pool, FALSE)) /* what is ready goes out now: output keeps flowing */
    ;
  while (pool->pushed - pool->delivered >= pool->window)
    deliver_oldest(pool, TRUE);
  Batch *slot = &pool->ring[pool->pushed % pool->window];
  *slot = *pool->filling;
  g_clear_pointer(&pool->filling, g_free);
  pool->pushed++;
  g_thread_pool_push(pool->threads, slot, NULL);
}

void
mt_ordered_pool_push(MtOrderedPool *pool, gpointer item)
{
  g_return_if_fail(pool != NULL);

  if (pool->threads == NULL) {
    pool->deliver(item, pool->work(item, pool->user), pool->user);
    return;
  }
  if (pool->filling == NULL)
    pool->filling = g_new0(Batch, 1);
  pool->filling->items[pool->filling->len++] = item;
  if (pool->filling->len == BATCH)
    launch(pool);
}

void
mt_ordered_pool_finish(MtOrderedPool *pool)
{
  if (pool == NULL)
    return;
  if (pool->threads != NULL)
    launch(pool);
  while (deliver_oldest(pool, TRUE))
    ;
  if (pool->threads != NULL)
    g_thread_pool_free(pool->threads, FALSE, TRUE);
  g_mutex_clear(&pool->lock);
  g_cond_clear(&pool->finished);
  g_free(pool->ring);
  g_free(pool);
}
