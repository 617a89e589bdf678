#include "prefetch.h"

struct _MtPrefetch {
  MtMailbox *mailbox;
  guint32 first, last;
  GThread *thread;   /* NULL once joined */
  GPtrArray *copies; /* MtImapMessage*, each owning its data and flags */
  GError *error;
};

static void
copy_free(gpointer data)
{
  MtImapMessage *m = data;
  g_free((char *)m->data);
  g_strfreev((GStrv)m->flags);
  g_free(m);
}

static void
keep(const MtImapMessage *m, gpointer user)
{
  MtImapMessage *c = g_new(MtImapMessage, 1);
  *c = *m;
  c->data = g_memdup2(m->data, m->len);
  c->flags = (const char *const *)g_strdupv((GStrv)m->flags);
  g_ptr_array_add(user, c);
}

static gpointer
run(gpointer data)
{
  MtPrefetch *p = data;
  p->mailbox->ops->fetch(p->mailbox, p->first, p->last, keep, p->copies, &p->error);
  return NULL;
}

MtPrefetch *
mt_prefetch_start(MtMailbox *mb, guint32 first, guint32 last)
{
  MtPrefetch *p = g_new0(MtPrefetch, 1);
  p->mailbox = mb;
  p->first = first;
  p->last = last;
  p->copies = g_ptr_array_new_with_free_func(copy_free);
  p->thread = g_thread_new("fetch", run, p);
  return p;
}

void
mt_prefetch_join(MtPrefetch *p)
{
  if (p->thread != NULL)
    g_thread_join(g_steal_pointer(&p->thread));
}

gboolean
mt_prefetch_deliver(MtPrefetch *p, MtImapMessageFunc func, gpointer user, GError **error)
{
  mt_prefetch_join(p);
  if (p->error != NULL) {
    g_propagate_error(error, g_steal_pointer(&p->error));
    return FALSE;
  }
  for (guint i = 0; i < p->copies->len; i++)
    func(g_ptr_array_index(p->copies, i), user);
  return TRUE;
}

void
mt_prefetch_free(MtPrefetch *p)
{
  if (p == NULL)
    return;
  mt_prefetch_join(p);
  g_ptr_array_unref(p->copies);
  g_clear_error(&p->error);
  g_free(p);
}
