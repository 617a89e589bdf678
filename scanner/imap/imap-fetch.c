#include "imap-fetch.h"

#include <libetpan/libetpan.h>

#include "escape.h"
#include "imap-guard.h"
#include "mt-error.h"
#include "mt-limits.h"

GError *
mt_imap_command_error(MtImapSession *s, const char *what, int r)
{
  /* STREAM: the connection broke; FATAL: the server said BYE (e.g. shutting down). Either
   * way imap_response still holds an earlier answer. */
  if (r == MAILIMAP_ERROR_STREAM || r == MAILIMAP_ERROR_FATAL) {
    mt_imap_session_lost(s);
    return g_error_new(MT_ERROR, MT_ERROR_CONNECT,
                       "%s failed: the connection was lost or the server took too long", what);
  }
  mailimap *imap = mt_imap_handle(s);
  /* the server's words go to a terminal: escaped */
  g_autofree char *said = mt_escape_controls(imap->imap_response != NULL ? imap->imap_response : "");
  return g_error_new(MT_ERROR, MT_ERROR_IMAP, "%s failed%s%s", what, *said ? ": " : "", said);
}

gboolean
mt_imap_open_folder(MtImapSession *s, const char *folder, gboolean read_only, MtImapFolder *out,
                    GError **error)
{
  mailimap *imap = mt_imap_handle(s);
  int r = read_only ? mailimap_examine(imap, folder) : mailimap_select(imap, folder);
  if (r != MAILIMAP_NO_ERROR) {
    g_autofree char *what = g_strdup_printf("%s %s", read_only ? "EXAMINE" : "SELECT", folder);
    g_propagate_error(error, mt_imap_command_error(s, what, r));
    return FALSE;
  }
  struct mailimap_selection_info *info = imap->imap_selection_info;
  out->uidvalidity = info->sel_uidvalidity;
  out->uidnext = info->sel_uidnext;
  out->exists = info->sel_exists;
  return TRUE;
}

static void
read_flags(struct mailimap_msg_att_dynamic *dyn, MtImapMessage *m, GPtrArray *keywords)
{
  for (clistiter *it = dyn->att_list != NULL ? clist_begin(dyn->att_list) : NULL; it != NULL;
       it = clist_next(it)) {
    struct mailimap_flag_fetch *ff = clist_content(it);
    if (ff->fl_type != MAILIMAP_FLAG_FETCH_OTHER || ff->fl_flag == NULL)
      continue;
    if (ff->fl_flag->fl_type == MAILIMAP_FLAG_DELETED)
      m->deleted = TRUE;
    else if (ff->fl_flag->fl_type == MAILIMAP_FLAG_KEYWORD && ff->fl_flag->fl_data.fl_keyword)
      g_ptr_array_add(keywords, ff->fl_flag->fl_data.fl_keyword);
  }
}

static void
deliver(struct mailimap_msg_att *ma, MtImapMessageFunc func, gpointer user)
{
  MtImapMessage m = {.data = NULL}; /* NULL: no body came */
  g_autoptr(GPtrArray) keywords = g_ptr_array_new();
  for (clistiter *it = clist_begin(ma->att_list); it != NULL; it = clist_next(it)) {
    struct mailimap_msg_att_item *item = clist_content(it);
    if (item->att_type == MAILIMAP_MSG_ATT_ITEM_DYNAMIC) {
      read_flags(item->att_data.att_dyn, &m, keywords);
      continue;
    }
    struct mailimap_msg_att_static *st = item->att_data.att_static;
    if (st->att_type == MAILIMAP_MSG_ATT_UID)
      m.uid = st->att_data.att_uid;
    else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE)
      m.size = st->att_data.att_rfc822_size;
    else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION && st->att_data.att_body_section &&
             st->att_data.att_body_section->sec_body_part != NULL) {
      m.data = st->att_data.att_body_section->sec_body_part; /* not NUL-safe: use the length */
      m.len = st->att_data.att_body_section->sec_length;
    }
  }
  g_ptr_array_add(keywords, NULL);
  m.flags = (const char *const *)keywords->pdata;
  if (m.uid != 0)
    func(&m, user);
}

gboolean
mt_imap_fetch(MtImapSession *s, guint32 first, guint32 last, MtImapMessageFunc func, gpointer user,
              GError **error)
{
  mailimap *imap = mt_imap_handle(s);
  struct mailimap_set *set = mailimap_set_new_interval(first, last);
  struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty();
  mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
  mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_flags());
  mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_rfc822_size());
  mailimap_fetch_type_new_fetch_att_list_add(
      ft, mailimap_fetch_att_new_body_peek_section_partial(mailimap_section_new(NULL), 0,
                                                           MT_MESSAGE_PREFIX_BYTES));
  /* What the answer may hold: the start of each message asked, its flags and some words. */
  guint64 count = last != 0 ? MIN((guint64)last - first + 1, MT_IMAP_BATCH) : MT_IMAP_BATCH;
  mt_imap_guard_expect(imap, (gsize)count * (MT_MESSAGE_PREFIX_BYTES + 8192) + 65536,
                       MT_MESSAGE_PREFIX_BYTES);
  clist *result = NULL;
  int r = mailimap_uid_fetch(imap, set, ft, &result);
  mailimap_fetch_type_free(ft);
  mailimap_set_free(set);
  if (r != MAILIMAP_NO_ERROR) {
    g_propagate_error(error, mt_imap_command_error(s, "UID FETCH", r));
    return FALSE;
  }
  for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it))
    deliver(clist_content(it), func, user);
  mailimap_fetch_list_free(result);
  return TRUE;
}

/* Adds @uid to @uids unless it is below @first or not above the last one added: a server that
 * answers out of order or twice gets no second chance to name a UID. */
static void
add_ascending(GArray *uids, guint32 first, guint32 uid)
{
  if (uid < first || (uids->len > 0 && uid <= g_array_index(uids, guint32, uids->len - 1)))
    return;
  g_array_append_val(uids, uid);
}

GArray *
mt_imap_uid_search(MtImapSession *s, struct mailimap_search_key *key, GError **error)
{
  clist *result = NULL;
  int r = mailimap_uid_search(mt_imap_handle(s), NULL, key, &result);
  mailimap_search_key_free(key);
  if (r != MAILIMAP_NO_ERROR) {
    g_propagate_error(error, mt_imap_command_error(s, "UID SEARCH", r));
    return NULL;
  }
  GArray *found = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it))
    g_array_append_val(found, *(uint32_t *)clist_content(it));
  mailimap_search_result_free(result);
  g_array_sort(found, (GCompareFunc)mt_uid_compare);
  return found;
}

gboolean
mt_imap_search_from(MtImapSession *s, guint32 first, GArray *uids, GError **error)
{
  struct mailimap_set *set = mailimap_set_new_interval(first, 0);
  g_autoptr(GArray) found = mt_imap_uid_search(s, mailimap_search_key_new_uid(set), error);
  if (found == NULL)
    return FALSE;
  for (guint i = 0; i < found->len; i++)
    add_ascending(uids, first, g_array_index(found, guint32, i));
  return TRUE;
}

gint
mt_uid_compare(const guint32 *a, const guint32 *b)
{
  return *a < *b ? -1 : *a > *b;
}

gboolean
mt_imap_fetch_from(MtImapSession *s, guint32 first, MtImapMessageFunc func, gpointer user,
                   GError **error)
{
  g_autoptr(GArray) uids = g_array_new(FALSE, FALSE, sizeof(guint32));
  if (!mt_imap_search_from(s, first, uids, error))
    return FALSE;
  /* by count, not by UID window: a folder of three messages may span four billion UIDs */
  for (guint i = 0; i < uids->len; i += MT_IMAP_BATCH) {
    guint last = MIN(i + MT_IMAP_BATCH, uids->len) - 1;
    if (!mt_imap_fetch(s, g_array_index(uids, guint32, i), g_array_index(uids, guint32, last),
                       func, user, error))
      return FALSE;
  }
  return TRUE;
}
