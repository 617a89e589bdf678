#include "memory-mailbox.h"

#include <string.h>

#include "mt-error.h"

typedef struct {
  guint32 uid;
  char *id, *data;
  GPtrArray *keywords; /* char* */
  gboolean deleted;
} MemMsg;

typedef struct {
  guint32 uidvalidity, uidnext;
  GPtrArray *msgs; /* MemMsg*, in UID order */
} MemFolder;

struct _MemServer {
  GHashTable *folders; /* name -> MemFolder* */
  gboolean has_move, has_uidplus;
  guint commands;
  const char *cut; /* the command at which a connection was lost */
  MemHostile hostile;
  GArray *acted_on; /* guint32 */
};

typedef struct {
  MtMailbox base;
  MemServer *srv;
  MemFolder *selected;
  guint count, lose_at;
  gboolean after, lost;
} MemConn;

static void
msg_free(gpointer data)
{
  MemMsg *m = data;
  g_free(m->id);
  g_free(m->data);
  g_ptr_array_unref(m->keywords);
  g_free(m);
}

static void
folder_free(gpointer data)
{
  MemFolder *f = data;
  g_ptr_array_unref(f->msgs);
  g_free(f);
}

static MemFolder *
folder_get(MemServer *srv, const char *name, gboolean create)
{
  MemFolder *f = g_hash_table_lookup(srv->folders, name);
  if (f == NULL && create) {
    f = g_new0(MemFolder, 1);
    f->uidvalidity = 7;
    f->uidnext = 1;
    f->msgs = g_ptr_array_new_with_free_func(msg_free);
    g_hash_table_insert(srv->folders, g_strdup(name), f);
  }
  return f;
}

MemServer *
mem_server_new(gboolean has_move, gboolean has_uidplus)
{
  MemServer *srv = g_new0(MemServer, 1);
  srv->folders = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, folder_free);
  srv->has_move = has_move;
  srv->has_uidplus = has_uidplus;
  srv->acted_on = g_array_new(FALSE, FALSE, sizeof(guint32));
  folder_get(srv, "INBOX", TRUE);
  return srv;
}

void
mem_server_free(MemServer *srv)
{
  g_hash_table_unref(srv->folders);
  g_array_unref(srv->acted_on);
  g_free(srv);
}

/* Adds a copy of @src (flags and all) to @f under the next UID. */
static guint32
add_copy(MemFolder *f, const MemMsg *src)
{
  MemMsg *m = g_new0(MemMsg, 1);
  m->uid = f->uidnext++;
  m->id = g_strdup(src->id);
  m->data = g_strdup(src->data);
  m->keywords = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < src->keywords->len; i++)
    g_ptr_array_add(m->keywords, g_strdup(g_ptr_array_index(src->keywords, i)));
  m->deleted = src->deleted;
  g_ptr_array_add(f->msgs, m);
  return m->uid;
}

guint32
mem_server_append(MemServer *srv, const char *folder, const char *id, const char *data,
                  gboolean deleted)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new();
  MemMsg src = {.id = (char *)id, .data = (char *)data, .keywords = none, .deleted = deleted};
  return add_copy(folder_get(srv, folder, TRUE), &src);
}

static gboolean
has_keyword(const MemMsg *m, const char *kw)
{
  for (guint i = 0; i < m->keywords->len; i++)
    if (g_ascii_strcasecmp(g_ptr_array_index(m->keywords, i), kw) == 0)
      return TRUE;
  return FALSE;
}

guint
mem_server_count(MemServer *srv, const char *folder, const char *id)
{
  MemFolder *f = folder_get(srv, folder, FALSE);
  guint n = 0;
  for (guint i = 0; f != NULL && i < f->msgs->len; i++)
    n += strcmp(((MemMsg *)g_ptr_array_index(f->msgs, i))->id, id) == 0;
  return n;
}

gboolean
mem_server_has_flag(MemServer *srv, const char *folder, const char *id, const char *flag)
{
  MemFolder *f = folder_get(srv, folder, FALSE);
  for (guint i = 0; f != NULL && i < f->msgs->len; i++) {
    MemMsg *m = g_ptr_array_index(f->msgs, i);
    if (strcmp(m->id, id) == 0 &&
        (strcmp(flag, "\\Deleted") == 0 ? m->deleted : has_keyword(m, flag)))
      return TRUE;
  }
  return FALSE;
}

void
mem_server_set_uidnext(MemServer *srv, const char *folder, guint32 uid)
{
  folder_get(srv, folder, TRUE)->uidnext = uid;
}

void
mem_server_hostile(MemServer *srv, const MemHostile *h)
{
  srv->hostile = *h;
}

GArray *
mem_server_acted_on(MemServer *srv)
{
  return srv->acted_on;
}

static void
note_acted_on(MemServer *srv, GArray *uids)
{
  g_array_append_vals(srv->acted_on, uids->data, uids->len);
}

const char *
mem_server_cut(MemServer *srv)
{
  return srv->cut;
}

guint
mem_server_commands(MemServer *srv)
{
  return srv->commands;
}

static gboolean
lost(GError **error)
{
  g_set_error(error, MT_ERROR, MT_ERROR_CONNECT, "the connection was lost");
  return FALSE;
}

/* Before a command: FALSE when the connection is (now) gone and the server never saw it. */
static gboolean
begin(MemConn *c, const char *command, GError **error)
{
  c->count++;
  if (c->count == c->lose_at)
    c->srv->cut = command;
  if (c->lost || (c->count == c->lose_at && !c->after)) {
    c->lost = TRUE;
    return lost(error);
  }
  c->srv->commands++;
  return TRUE;
}

/* After the server ran it: FALSE when the answer never reaches the client. */
static gboolean
end(MemConn *c, GError **error)
{
  if (c->count == c->lose_at && c->after) {
    c->lost = TRUE;
    return lost(error);
  }
  return TRUE;
}

static MemMsg *
find(MemFolder *f, guint32 uid, guint *index)
{
  for (guint i = 0; f != NULL && i < f->msgs->len; i++) {
    MemMsg *m = g_ptr_array_index(f->msgs, i);
    if (m->uid == uid) {
      if (index != NULL)
        *index = i;
      return m;
    }
  }
  return NULL;
}

static gboolean
no_folder(MemConn *c, GError **error)
{
  g_set_error(error, MT_ERROR, MT_ERROR_IMAP, "NO no such folder");
  return end(c, error) && FALSE;
}

static gboolean
has(MtMailbox *mb, const char *capability)
{
  MemConn *c = (MemConn *)mb;
  return (strcmp(capability, "MOVE") == 0 && c->srv->has_move) ||
         (strcmp(capability, "UIDPLUS") == 0 && c->srv->has_uidplus);
}

static char *
junk_folder(MtMailbox *mb, const char *configured, gboolean read_only, GError **error)
{
  MemConn *c = (MemConn *)mb;
  if (!begin(c, "LIST", error))
    return NULL;
  const char *name = configured != NULL ? configured : "Junk";
  folder_get(c->srv, name, !read_only);
  return end(c, error) ? g_strdup(name) : NULL;
}

static gboolean
open_folder(MtMailbox *mb, const char *folder, gboolean read_only, MtImapFolder *out,
            GError **error)
{
  MemConn *c = (MemConn *)mb;
  if (!begin(c, "SELECT", error))
    return FALSE;
  c->selected = folder_get(c->srv, folder, FALSE);
  if (c->selected == NULL)
    return no_folder(c, error);
  *out = (MtImapFolder){.uidvalidity = c->selected->uidvalidity,
                        .uidnext = c->selected->uidnext,
                        .exists = c->selected->msgs->len};
  return end(c, error);
}

static gboolean
search(MtMailbox *mb, guint32 first, GArray *uids, GError **error)
{
  MemConn *c = (MemConn *)mb;
  if (!begin(c, "UID SEARCH", error) || !end(c, error))
    return FALSE;
  for (guint i = 0; i < c->selected->msgs->len; i++) {
    MemMsg *m = g_ptr_array_index(c->selected->msgs, i);
    if (m->uid >= first)
      g_array_append_val(uids, m->uid);
  }
  return TRUE;
}

static void
answer(const MemMsg *m, guint32 uid, const char *data, gsize len, MtImapMessageFunc func,
       gpointer user)
{
  g_autoptr(GPtrArray) flags = g_ptr_array_new();
  for (guint k = 0; k < m->keywords->len; k++)
    g_ptr_array_add(flags, g_ptr_array_index(m->keywords, k));
  g_ptr_array_add(flags, NULL);
  MtImapMessage msg = {.uid = uid,
                       .size = (guint32)strlen(m->data),
                       .data = data,
                       .len = len,
                       .deleted = m->deleted,
                       .flags = (const char *const *)flags->pdata};
  func(&msg, user);
}

static gboolean
fetch(MtMailbox *mb, guint32 first, guint32 last, MtImapMessageFunc func, gpointer user,
      GError **error)
{
  MemConn *c = (MemConn *)mb;
  const MemHostile *h = &c->srv->hostile;
  if (!begin(c, "UID FETCH", error))
    return FALSE;
  if (h->refuse_fetch) {
    g_set_error(error, MT_ERROR, MT_ERROR_IMAP, "NO [SERVERBUG] Some messages could not be FETCHed");
    return end(c, error) && FALSE;
  }
  if (!end(c, error))
    return FALSE;
  GPtrArray *msgs = c->selected->msgs;
  const MemMsg *firstmsg = NULL;
  for (guint n = 0; n < msgs->len; n++) {
    const MemMsg *m = g_ptr_array_index(msgs, h->descending ? msgs->len - 1 - n : n);
    if (m->uid < first || (last != 0 && m->uid > last) || m->uid == h->drop_uid)
      continue;
    if (firstmsg == NULL)
      firstmsg = m;
    gsize len = strlen(m->data);
    answer(m, m->uid, m->data, m->uid == h->short_uid ? len / 2 : len, func, user);
    if (m->uid == h->twice_uid) {
      const char *other = ((MemMsg *)g_ptr_array_index(msgs, (n + 1) % msgs->len))->data;
      MemMsg forged = *m;
      g_autoptr(GPtrArray) none = g_ptr_array_new();
      forged.keywords = none;
      forged.data = (char *)other;
      answer(&forged, m->uid, other, strlen(other), func, user);
    }
  }
  if (h->extra_uid != 0 && firstmsg != NULL)
    answer(firstmsg, h->extra_uid, firstmsg->data, strlen(firstmsg->data), func, user);
  return TRUE;
}

static gboolean
add_flags(MtMailbox *mb, GArray *uids, const char *const *keywords, gboolean deleted,
          GError **error)
{
  MemConn *c = (MemConn *)mb;
  if (!begin(c, "UID STORE", error))
    return FALSE;
  note_acted_on(c->srv, uids);
  for (guint i = 0; i < uids->len; i++) {
    MemMsg *m = find(c->selected, g_array_index(uids, guint32, i), NULL);
    if (m == NULL)
      continue;
    m->deleted |= deleted;
    for (guint k = 0; keywords != NULL && keywords[k] != NULL; k++)
      if (!has_keyword(m, keywords[k]))
        g_ptr_array_add(m->keywords, g_strdup(keywords[k]));
  }
  return end(c, error);
}

/* COPY (and MOVE, with @remove): the UIDs that existed land in @to, in the order given. */
static gboolean
transfer(MemConn *c, GArray *uids, const char *to, gboolean remove, GArray *done, GError **error)
{
  if (!begin(c, remove ? "UID MOVE" : "UID COPY", error))
    return FALSE;
  note_acted_on(c->srv, uids);
  MemFolder *dest = folder_get(c->srv, to, FALSE);
  if (dest == NULL)
    return no_folder(c, error);
  for (guint i = 0; i < uids->len; i++) {
    guint index;
    MemMsg *m = find(c->selected, g_array_index(uids, guint32, i), &index);
    if (m == NULL)
      continue;
    add_copy(dest, m);
    if (done != NULL)
      g_array_append_val(done, m->uid);
    if (remove)
      g_ptr_array_remove_index(c->selected->msgs, index);
  }
  return end(c, error);
}

static gboolean
move(MtMailbox *mb, GArray *uids, const char *to, GError **error)
{
  return transfer((MemConn *)mb, uids, to, TRUE, NULL, error);
}

static gboolean
copy(MtMailbox *mb, GArray *uids, const char *to, GArray *copied, GError **error)
{
  g_autoptr(GArray) done = g_array_new(FALSE, FALSE, sizeof(guint32));
  if (!transfer((MemConn *)mb, uids, to, FALSE, done, error))
    return FALSE; /* the COPYUID answer, if any, is lost with the connection */
  g_array_append_vals(copied, done->data, done->len);
  return TRUE;
}

static gboolean
expunge(MtMailbox *mb, GArray *uids, GError **error)
{
  MemConn *c = (MemConn *)mb;
  if (!begin(c, "UID EXPUNGE", error))
    return FALSE;
  note_acted_on(c->srv, uids);
  for (guint i = 0; i < uids->len; i++) {
    guint index;
    MemMsg *m = find(c->selected, g_array_index(uids, guint32, i), &index);
    if (m != NULL && m->deleted)
      g_ptr_array_remove_index(c->selected->msgs, index);
  }
  return end(c, error);
}

static gboolean
holds(MtMailbox *mb, const char *folder, const char *message_id, guint32 size,
      const char *keyword, gboolean *found, GError **error)
{
  MemConn *c = (MemConn *)mb;
  *found = FALSE;
  if (!begin(c, "UID SEARCH elsewhere", error))
    return FALSE;
  MemFolder *f = folder_get(c->srv, folder, FALSE);
  for (guint i = 0; f != NULL && i < f->msgs->len; i++) {
    const MemMsg *m = g_ptr_array_index(f->msgs, i);
    *found |= strcmp(m->id, message_id) == 0 && strlen(m->data) == size && has_keyword(m, keyword);
  }
  return end(c, error);
}

static const MtMailboxOps mem_ops = {
    .has = has,
    .junk_folder = junk_folder,
    .open_folder = open_folder,
    .search = search,
    .fetch = fetch,
    .add_flags = add_flags,
    .move = move,
    .copy = copy,
    .expunge = expunge,
    .holds = holds,
};

MtMailbox *
mem_connect(MemServer *srv, guint lose_at, gboolean after)
{
  MemConn *c = g_new0(MemConn, 1);
  c->base.ops = &mem_ops;
  c->srv = srv;
  c->lose_at = lose_at;
  c->after = after;
  return &c->base;
}

void
mem_disconnect(MtMailbox *mb)
{
  g_free(mb);
}
