#include "imap-act.h"

#include <libetpan/libetpan.h>
#include <stdlib.h>
#include <string.h>

#include "imap-fetch.h"
#include "imap-keyword.h"
#include "mt-error.h"

static struct mailimap_set *
uid_set(GArray *uids)
{
  struct mailimap_set *set = mailimap_set_new_empty();
  for (guint i = 0; i < uids->len; i++)
    mailimap_set_add_single(set, g_array_index(uids, guint32, i));
  return set;
}

static gboolean
set_contains(struct mailimap_set *set, guint32 uid)
{
  for (clistiter *it = set != NULL ? clist_begin(set->set_list) : NULL; it != NULL;
       it = clist_next(it)) {
    struct mailimap_set_item *item = clist_content(it);
    if (uid >= item->set_first && uid <= item->set_last)
      return TRUE;
  }
  return FALSE;
}

gboolean
mt_imap_add_flags(MtImapSession *s, GArray *uids, const char *const *keywords, gboolean deleted,
                  GError **error)
{
  for (guint i = 0; keywords != NULL && keywords[i] != NULL; i++) {
    if (!mt_keyword_is_atom(keywords[i])) {
      g_set_error(error, MT_ERROR, MT_ERROR_IMAP, "refusing to send “%s”: not an IMAP keyword",
                  keywords[i]);
      return FALSE;
    }
  }
  if (uids->len == 0)
    return TRUE;
  struct mailimap_flag_list *flags = mailimap_flag_list_new_empty();
  for (guint i = 0; keywords != NULL && keywords[i] != NULL; i++) /* libetpan frees them */
    mailimap_flag_list_add(flags, mailimap_flag_new_flag_keyword(strdup(keywords[i])));
  if (deleted)
    mailimap_flag_list_add(flags, mailimap_flag_new_deleted());
  struct mailimap_store_att_flags *att = mailimap_store_att_flags_new_add_flags_silent(flags);
  struct mailimap_set *set = uid_set(uids);
  int r = mailimap_uid_store(mt_imap_handle(s), set, att);
  mailimap_set_free(set);
  mailimap_store_att_flags_free(att);
  if (r != MAILIMAP_NO_ERROR) {
    g_propagate_error(error, mt_imap_command_error(s, "UID STORE", r));
    return FALSE;
  }
  return TRUE;
}

gboolean
mt_imap_move(MtImapSession *s, GArray *uids, const char *mailbox, GError **error)
{
  struct mailimap_set *set = uid_set(uids);
  int r = mailimap_uid_move(mt_imap_handle(s), set, mailbox);
  mailimap_set_free(set);
  if (r != MAILIMAP_NO_ERROR) {
    g_autofree char *what = g_strdup_printf("UID MOVE to %s", mailbox);
    g_propagate_error(error, mt_imap_command_error(s, what, r));
    return FALSE;
  }
  return TRUE;
}

gboolean
mt_imap_copy(MtImapSession *s, GArray *uids, const char *mailbox, GArray *copied, GError **error)
{
  struct mailimap_set *set = uid_set(uids);
  struct mailimap_set *source = NULL, *dest = NULL;
  uint32_t validity = 0;
  int r = mailimap_uidplus_uid_copy(mt_imap_handle(s), set, mailbox, &validity, &source, &dest);
  mailimap_set_free(set);
  if (r != MAILIMAP_NO_ERROR) {
    g_autofree char *what = g_strdup_printf("UID COPY to %s", mailbox);
    g_propagate_error(error, mt_imap_command_error(s, what, r));
    return FALSE;
  }
  /* Only what COPYUID names is known to exist in @mailbox: the rest must not be deleted. */
  for (guint i = 0; i < uids->len; i++) {
    guint32 uid = g_array_index(uids, guint32, i);
    if (validity != 0 && dest != NULL && set_contains(source, uid))
      g_array_append_val(copied, uid);
  }
  if (source != NULL)
    mailimap_set_free(source);
  if (dest != NULL)
    mailimap_set_free(dest);
  return TRUE;
}

gboolean
mt_imap_expunge(MtImapSession *s, GArray *uids, GError **error)
{
  if (uids->len == 0)
    return TRUE;
  struct mailimap_set *set = uid_set(uids);
  int r = mailimap_uid_expunge(mt_imap_handle(s), set);
  mailimap_set_free(set);
  if (r != MAILIMAP_NO_ERROR) {
    g_propagate_error(error, mt_imap_command_error(s, "UID EXPUNGE", r));
    return FALSE;
  }
  return TRUE;
}

gboolean
mt_imap_search_copy(MtImapSession *s, const char *message_id, guint32 size, const char *keyword,
                    gboolean *found, GError **error)
{
  *found = FALSE;
  if (!mt_keyword_is_atom(keyword) || size == 0) {
    g_set_error(error, MT_ERROR, MT_ERROR_IMAP, "cannot search for that copy");
    return FALSE;
  }
  struct mailimap_search_key *key = mailimap_search_key_new_multiple_empty();
  /* the substring match of SEARCH HEADER: the id without its angle brackets matches either */
  mailimap_search_key_multiple_add(
      key, mailimap_search_key_new_header(strdup("Message-ID"), strdup(message_id)));
  mailimap_search_key_multiple_add(key, mailimap_search_key_new_larger(size - 1));
  mailimap_search_key_multiple_add(key, mailimap_search_key_new_smaller(size + 1));
  mailimap_search_key_multiple_add(key, mailimap_search_key_new_keyword(strdup(keyword)));
  g_autoptr(GArray) uids = mt_imap_uid_search(s, key, error);
  *found = uids != NULL && uids->len > 0;
  return uids != NULL;
}

/* Whether LIST marked @mb with the SPECIAL-USE attribute @use ("Junk", without the '\\'). */
static gboolean
has_use(const struct mailimap_mailbox_list *mb, const char *use)
{
  if (mb->mb_flag == NULL)
    return FALSE;
  for (clistiter *f = clist_begin(mb->mb_flag->mbf_oflags); f != NULL; f = clist_next(f)) {
    struct mailimap_mbx_list_oflag *of = clist_content(f);
    const char *ext = of->of_flag_ext;
    if (of->of_type == MAILIMAP_MBX_LIST_OFLAG_FLAG_EXT && ext != NULL &&
        g_ascii_strcasecmp(ext + (*ext == '\\'), use) == 0)
      return TRUE;
  }
  return FALSE;
}

/* LIST "" @pattern: the names, and in *@junk the first one marked \Junk. */
static gboolean
list(MtImapSession *s, const char *pattern, GPtrArray *names, char **junk, GError **error)
{
  clist *result = NULL;
  int r = mailimap_list(mt_imap_handle(s), "", pattern, &result);
  if (r != MAILIMAP_NO_ERROR) {
    g_propagate_error(error, mt_imap_command_error(s, "LIST", r));
    return FALSE;
  }
  for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it)) {
    struct mailimap_mailbox_list *mb = clist_content(it);
    g_ptr_array_add(names, g_strdup(mb->mb_name));
    if (junk != NULL && *junk == NULL && has_use(mb, "Junk"))
      *junk = g_strdup(mb->mb_name);
  }
  mailimap_list_result_free(result);
  return TRUE;
}

GStrv
mt_imap_special_use_folders(MtImapSession *s, const char *const *uses, GError **error)
{
  clist *result = NULL;
  int r = mailimap_list(mt_imap_handle(s), "", "*", &result);
  if (r != MAILIMAP_NO_ERROR) {
    g_propagate_error(error, mt_imap_command_error(s, "LIST", r));
    return NULL;
  }
  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it)) {
    struct mailimap_mailbox_list *mb = clist_content(it);
    gboolean wanted = FALSE;
    for (guint i = 0; uses[i] != NULL; i++)
      wanted |= has_use(mb, uses[i]);
    if (wanted && !has_use(mb, "Junk") && mb->mb_name != NULL)
      g_strv_builder_add(b, mb->mb_name);
  }
  mailimap_list_result_free(result);
  return g_strv_builder_end(b);
}

char *
mt_imap_junk_folder(MtImapSession *s, const char *configured, gboolean read_only, GError **error)
{
  g_autofree char *junk = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  if (configured == NULL) {
    if (!list(s, "*", names, &junk, error))
      return NULL;
    if (junk != NULL)
      return g_steal_pointer(&junk);
    g_ptr_array_set_size(names, 0);
  }
  const char *name = configured != NULL ? configured : "Junk";
  if (!list(s, name, names, NULL, error))
    return NULL;
  if (names->len == 0 && !read_only) {
    int r = mailimap_create(mt_imap_handle(s), name);
    if (r != MAILIMAP_NO_ERROR) {
      g_autofree char *what = g_strdup_printf("CREATE %s", name);
      g_propagate_error(error, mt_imap_command_error(s, what, r));
      return NULL;
    }
  }
  return g_strdup(name);
}
