#include "prefetch.h"

#include "batch.h"

struct _MtPrefetch {
  MtMailbox *mailbox;
  GArray *asked;     /* guint32, ascending */
  GThread *thread;   /* NULL once joined */
  GPtrArray *copies; /* MtImapMessage*, each owning its data and flags */
  GError *error;
};

static void
keep(const MtImapMessage *m, gpointer user)
{
  g_ptr_array_add(user, mt_fetched_copy(m));
}

static gpointer
run(gpointer data)
{
  MtPrefetch *p = data;
  guint32 first = g_array_index(p->asked, guint32, 0);
  guint32 last = g_array_index(p->asked, guint32, p->asked->len - 1);
  p->mailbox->ops->fetch(p->mailbox, first, last, keep, p->copies, &p->error);
  return NULL;
}

MtPrefetch *
mt_prefetch_start(MtMailbox *mb, GArray *asked)
{
  g_return_val_if_fail(asked != NULL && asked->len > 0, NULL);

  MtPrefetch *p = g_new0(MtPrefetch, 1);
  p->mailbox = mb;
  p->asked = g_array_copy(asked);
  p->copies = g_ptr_array_new_with_free_func((GDestroyNotify)mt_fetched_free);
  p->thread = g_thread_new("fetch", run, p);
  return p;
}

void
mt_prefetch_join(MtPrefetch *p)
{
  if (p->thread != NULL)
    g_thread_join(g_steal_pointer(&p->thread));
}

GArray *
mt_prefetch_asked(MtPrefetch *p)
{
  return p->asked;
}

GPtrArray *
mt_prefetch_take(MtPrefetch *p, GArray *missing, GError **error)
{
  mt_prefetch_join(p);
  if (p->error != NULL) {
    g_propagate_error(error, g_steal_pointer(&p->error));
    return NULL;
  }
  return mt_batch_admit(p->copies, p->asked, missing);
}

void
mt_prefetch_free(MtPrefetch *p)
{
  if (p == NULL)
    return;
  mt_prefetch_join(p);
  g_array_unref(p->asked);
  g_ptr_array_unref(p->copies);
  g_clear_error(&p->error);
  g_free(p);
}
