#include "imap-mailbox.h"

#include "imap-act.h"
#include "imap-fetch.h"

typedef struct {
  MtMailbox base; /* first: the table's callers hold an MtMailbox* */
  MtImapSession *session;
  char *selected; /* (nullable) the folder open_folder() opened, to come back to */
  gboolean read_only;
} ImapMailbox;

static MtImapSession *
session_of(MtMailbox *mb)
{
  return ((ImapMailbox *)mb)->session;
}

static gboolean
has(MtMailbox *mb, const char *capability)
{
  return mt_imap_has(session_of(mb), capability);
}

static char *
junk_folder(MtMailbox *mb, const char *configured, gboolean read_only, GError **error)
{
  return mt_imap_junk_folder(session_of(mb), configured, read_only, error);
}

static gboolean
open_folder(MtMailbox *mb, const char *folder, gboolean read_only, MtImapFolder *out,
            GError **error)
{
  ImapMailbox *m = (ImapMailbox *)mb;
  g_free(m->selected);
  m->selected = g_strdup(folder);
  m->read_only = read_only;
  return mt_imap_open_folder(m->session, folder, read_only, out, error);
}

static gboolean
holds(MtMailbox *mb, const char *folder, const char *message_id, guint32 size,
      const char *keyword, gboolean *found, GError **error)
{
  ImapMailbox *m = (ImapMailbox *)mb;
  MtImapFolder info;
  *found = FALSE;
  if (!mt_imap_open_folder(m->session, folder, TRUE, &info, error))
    return FALSE;
  g_autoptr(GError) err = NULL;
  gboolean ok = mt_imap_search_copy(m->session, message_id, size, keyword, found, &err);
  if (m->selected != NULL && !mt_imap_open_folder(m->session, m->selected, m->read_only, &info,
                                                  error))
    return FALSE;
  if (!ok)
    g_propagate_error(error, g_steal_pointer(&err));
  return ok;
}

static gboolean
search(MtMailbox *mb, guint32 first, GArray *uids, GError **error)
{
  return mt_imap_search_from(session_of(mb), first, uids, error);
}

static gboolean
fetch(MtMailbox *mb, guint32 first, guint32 last, MtImapMessageFunc func, gpointer user,
      GError **error)
{
  return mt_imap_fetch(session_of(mb), first, last, func, user, error);
}

static gboolean
add_flags(MtMailbox *mb, GArray *uids, const char *const *keywords, gboolean deleted,
          GError **error)
{
  return mt_imap_add_flags(session_of(mb), uids, keywords, deleted, error);
}

static gboolean
move(MtMailbox *mb, GArray *uids, const char *to, GError **error)
{
  return mt_imap_move(session_of(mb), uids, to, error);
}

static gboolean
copy(MtMailbox *mb, GArray *uids, const char *to, GArray *copied, GError **error)
{
  return mt_imap_copy(session_of(mb), uids, to, copied, error);
}

static gboolean
expunge(MtMailbox *mb, GArray *uids, GError **error)
{
  return mt_imap_expunge(session_of(mb), uids, error);
}

static const MtMailboxOps imap_ops = {
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
mt_imap_mailbox_new(MtImapSession *s)
{
  ImapMailbox *mb = g_new0(ImapMailbox, 1);
  mb->base.ops = &imap_ops;
  mb->session = s;
  return &mb->base;
}

void
mt_imap_mailbox_free(MtMailbox *mb)
{
  if (mb != NULL)
    g_free(((ImapMailbox *)mb)->selected);
  g_free(mb);
}
