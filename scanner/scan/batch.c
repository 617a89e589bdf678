#include "batch.h"

#include <string.h>

#include "mt-limits.h"

MtImapMessage *
mt_fetched_copy(const MtImapMessage *m)
{
  MtImapMessage *c = g_new(MtImapMessage, 1);
  *c = *m;
  c->data = g_memdup2(m->data, m->len);
  c->flags = (const char *const *)g_strdupv((GStrv)m->flags);
  return c;
}

void
mt_fetched_free(MtImapMessage *m)
{
  if (m == NULL)
    return;
  g_free((char *)m->data);
  g_strfreev((GStrv)m->flags);
  g_free(m);
}

static gboolean
asked_for(GArray *asked, guint32 uid)
{
  guint lo = 0, hi = asked->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    guint32 v = g_array_index(asked, guint32, mid);
    if (v == uid)
      return TRUE;
    if (v < uid)
      lo = mid + 1;
    else
      hi = mid;
  }
  return FALSE;
}

/* Whether @m holds the whole of what was asked: its first MT_MESSAGE_PREFIX_BYTES, or all of
 * it when smaller. A message of unknown size (0) must at least have some data. */
static gboolean
whole(const MtImapMessage *m)
{
  if (m->data == NULL)
    return FALSE;
  if (m->size == 0)
    return m->len > 0;
  return m->len >= MIN((gsize)m->size, (gsize)MT_MESSAGE_PREFIX_BYTES);
}

/* Joins @b into @a (the same UID). Returns: FALSE when they disagree about the message. */
static gboolean
merge(MtImapMessage *a, const MtImapMessage *b)
{
  gboolean a_body = a->data != NULL, b_body = b->data != NULL;
  if (a_body && b_body && (a->len != b->len || memcmp(a->data, b->data, a->len) != 0))
    return FALSE;
  if (a->size != 0 && b->size != 0 && a->size != b->size)
    return FALSE;
  if (!a_body && b_body) {
    a->data = g_memdup2(b->data, b->len);
    a->len = b->len;
  }
  if (a->size == 0)
    a->size = b->size;
  a->deleted |= b->deleted;
  g_autoptr(GStrvBuilder) flags = g_strv_builder_new();
  g_strv_builder_addv(flags, (const char **)a->flags);
  for (guint i = 0; b->flags[i] != NULL; i++)
    if (!g_strv_contains(a->flags, b->flags[i]))
      g_strv_builder_add(flags, b->flags[i]);
  g_strfreev((GStrv)a->flags);
  a->flags = (const char *const *)g_strv_builder_end(flags);
  return TRUE;
}

GPtrArray *
mt_batch_admit(GPtrArray *answers, GArray *asked, GArray *missing)
{
  g_autoptr(GHashTable) by = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)mt_fetched_free);
  g_autoptr(GHashTable) refused = g_hash_table_new(NULL, NULL);
  for (guint i = 0; i < answers->len; i++) {
    MtImapMessage *m = g_ptr_array_index(answers, i);
    if (m == NULL || !asked_for(asked, m->uid) ||
        g_hash_table_contains(refused, GUINT_TO_POINTER(m->uid)))
      continue;
    MtImapMessage *seen = g_hash_table_lookup(by, GUINT_TO_POINTER(m->uid));
    if (seen == NULL) {
      /* taken, not copied: a batch is held once while it is judged */
      g_hash_table_insert(by, GUINT_TO_POINTER(m->uid), m);
      answers->pdata[i] = NULL;
    } else if (!merge(seen, m)) {
      g_hash_table_remove(by, GUINT_TO_POINTER(m->uid));
      g_hash_table_add(refused, GUINT_TO_POINTER(m->uid));
    }
  }
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)mt_fetched_free);
  for (guint i = 0; i < asked->len; i++) {
    guint32 uid = g_array_index(asked, guint32, i);
    MtImapMessage *m = g_hash_table_lookup(by, GUINT_TO_POINTER(uid));
    if (m == NULL || !whole(m)) {
      g_array_append_val(missing, uid);
      continue;
    }
    g_hash_table_steal(by, GUINT_TO_POINTER(uid));
    m->len = MIN(m->len, (gsize)MT_MESSAGE_PREFIX_BYTES);
    g_ptr_array_add(out, m);
  }
  return out; /* in UID order, as @asked is */
}
