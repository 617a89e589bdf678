#include "imap-fetch.h"

#include <libetpan/libetpan.h>

#include "mt-error.h"

static GError *
command_error(mailimap *imap, const char *what, int r)
{
  const char *said = imap->imap_response != NULL ? imap->imap_response : "";
  return g_error_new(MT_ERROR, r == MAILIMAP_ERROR_STREAM ? MT_ERROR_CONNECT : MT_ERROR_IMAP,
                     "%s failed%s%s", what, *said ? ": " : "", said);
}

gboolean
mt_imap_examine(MtImapSession *s, const char *folder, MtImapFolder *out, GError **error)
{
  mailimap *imap = mt_imap_handle(s);
  int r = mailimap_examine(imap, folder);
  if (r != MAILIMAP_NO_ERROR) {
    g_autofree char *what = g_strdup_printf("EXAMINE %s", folder);
    g_propagate_error(error, command_error(imap, what, r));
    return FALSE;
  }
  struct mailimap_selection_info *info = imap->imap_selection_info;
  out->uidvalidity = info->sel_uidvalidity;
  out->uidnext = info->sel_uidnext;
  out->exists = info->sel_exists;
  return TRUE;
}

static void
deliver(struct mailimap_msg_att *ma, MtImapMessageFunc func, gpointer user)
{
  guint32 uid = 0, size = 0;
  const char *data = NULL;
  gsize len = 0;
  for (clistiter *it = clist_begin(ma->att_list); it != NULL; it = clist_next(it)) {
    struct mailimap_msg_att_item *item = clist_content(it);
    if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
      continue;
    struct mailimap_msg_att_static *st = item->att_data.att_static;
    if (st->att_type == MAILIMAP_MSG_ATT_UID)
      uid = st->att_data.att_uid;
    else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
      size = st->att_data.att_rfc822_size;
    else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION && st->att_data.att_body_section) {
      data = st->att_data.att_body_section->sec_body_part; /* not NUL-safe: use the length */
      len = st->att_data.att_body_section->sec_length;
    }
  }
  if (uid != 0)
    func(uid, size, data != NULL ? data : "", data != NULL ? len : 0, user);
}

gboolean
mt_imap_fetch(MtImapSession *s, guint32 first, guint32 last, MtImapMessageFunc func, gpointer user,
              GError **error)
{
  mailimap *imap = mt_imap_handle(s);
  struct mailimap_set *set = mailimap_set_new_interval(first, last);
  struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty();
  mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
  mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_rfc822_size());
  mailimap_fetch_type_new_fetch_att_list_add(
      ft, mailimap_fetch_att_new_body_peek_section_partial(mailimap_section_new(NULL), 0,
                                                           MT_IMAP_FETCH_BYTES));
  clist *result = NULL;
  int r = mailimap_uid_fetch(imap, set, ft, &result);
  mailimap_fetch_type_free(ft);
  mailimap_set_free(set);
  if (r != MAILIMAP_NO_ERROR) {
    g_propagate_error(error, command_error(imap, "UID FETCH", r));
    return FALSE;
  }
  for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it))
    deliver(clist_content(it), func, user);
  mailimap_fetch_list_free(result);
  return TRUE;
}
