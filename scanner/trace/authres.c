#include "authres.h"

#include <string.h>

#include "mt-limits.h"

/* Copies @data without CFWS comments (RFC 8601 section 2.2 allows them almost anywhere),
 * with line breaks and NULs turned into spaces. Quoted strings are kept as they are. */
static char *
strip_comments(const char *data, gsize len)
{
  GString *out = g_string_sized_new(len);
  guint depth = 0;
  gboolean quoted = FALSE;
  for (gsize i = 0; i < len && i < MT_MAX_RECEIVED_BYTES; i++) {
    char c = data[i];
    if (c == '\0' || c == '\r' || c == '\n' || c == '\t')
      c = ' ';
    if (quoted) {
      if (c == '\\' && i + 1 < len)
        g_string_append_c(out, data[++i]);
      else {
        if (c == '"')
          quoted = FALSE;
        g_string_append_c(out, c);
      }
    } else if (c == '(') {
      depth++;
    } else if (c == ')' && depth > 0) {
      depth--;
    } else if (depth == 0) {
      if (c == '"')
        quoted = TRUE;
      g_string_append_c(out, c);
    }
  }
  return g_string_free(out, FALSE);
}

/* Splits at `;` outside quoted strings. */
static GPtrArray *
split_resinfo(const char *s)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
  gboolean quoted = FALSE;
  const char *start = s;
  for (const char *p = s;; p++) {
    if (*p == '"')
      quoted = !quoted;
    if (*p == '\0' || (*p == ';' && !quoted)) {
      if (parts->len <= MT_MAX_AUTHRES_RESULTS)
        g_ptr_array_add(parts, g_strstrip(g_strndup(start, p - start)));
      if (*p == '\0')
        break;
      start = p + 1;
    }
  }
  return parts;
}

typedef struct {
  char *key;
  char *value;
} Pair;

static void
pair_free(gpointer data)
{
  Pair *pr = data;
  g_free(pr->key);
  g_free(pr->value);
  g_free(pr);
}

/* `method=result reason="x y" ptype.prop=value ...` -> key/value pairs; `a = b` allowed. */
static GPtrArray *
split_pairs(const char *s)
{
  GPtrArray *pairs = g_ptr_array_new_with_free_func(pair_free);
  const char *p = s;
  while (*p) {
    while (*p == ' ')
      p++;
    const char *k = p;
    while (*p && *p != '=' && *p != ' ')
      p++;
    gsize klen = p - k;
    while (*p == ' ')
      p++;
    if (*p != '=') {
      if (klen == 0 && *p)
        p++;
      continue; /* a word with no value: skip it */
    }
    p++;
    while (*p == ' ')
      p++;
    const char *v = p;
    gsize vlen;
    if (*p == '"') {
      v = ++p;
      while (*p && *p != '"')
        p++;
      vlen = p - v;
      if (*p)
        p++;
    } else {
      while (*p && *p != ' ')
        p++;
      vlen = p - v;
    }
    Pair *pr = g_new(Pair, 1);
    pr->key = g_ascii_strdown(k, klen);
    pr->value = g_strndup(v, vlen);
    g_ptr_array_add(pairs, pr);
  }
  return pairs;
}

static const char *
pair_get(GPtrArray *pairs, const char *key)
{
  for (guint i = 1; i < pairs->len; i++) {
    Pair *pr = g_ptr_array_index(pairs, i);
    if (strcmp(pr->key, key) == 0)
      return pr->value;
  }
  return NULL;
}

static char *
domain_of(const char *v)
{
  if (v == NULL || *v == '\0')
    return NULL;
  const char *at = strrchr(v, '@');
  const char *d = at != NULL ? at + 1 : v;
  return *d ? g_ascii_strdown(d, -1) : NULL;
}

static void
dkim_free(gpointer data)
{
  MtDkimResult *d = data;
  g_free(d->result);
  g_free(d->domain);
  g_free(d);
}

static void
apply_resinfo(MtAuthRes *ar, const char *resinfo)
{
  g_autoptr(GPtrArray) pairs = split_pairs(resinfo);
  if (pairs->len == 0)
    return;
  Pair *first = g_ptr_array_index(pairs, 0);
  char *slash = strchr(first->key, '/'); /* method version, `dkim/1` */
  if (slash != NULL)
    *slash = '\0';
  char *result = g_ascii_strdown(first->value, -1);
  if (strcmp(first->key, "spf") == 0 && ar->spf == NULL) {
    ar->spf = result;
    const char *from = pair_get(pairs, "smtp.mailfrom");
    ar->spf_domain = domain_of(from != NULL ? from : pair_get(pairs, "smtp.helo"));
  } else if (strcmp(first->key, "dkim") == 0 && ar->dkim->len < MT_MAX_DKIM_RESULTS) {
    MtDkimResult *d = g_new0(MtDkimResult, 1);
    d->result = result;
    const char *dom = pair_get(pairs, "header.d");
    d->domain = domain_of(dom != NULL ? dom : pair_get(pairs, "header.i"));
    g_ptr_array_add(ar->dkim, d);
  } else if (strcmp(first->key, "dmarc") == 0 && ar->dmarc == NULL) {
    ar->dmarc = result;
    ar->dmarc_domain = domain_of(pair_get(pairs, "header.from"));
    const char *action = pair_get(pairs, "action");
    ar->dmarc_action = action != NULL ? g_ascii_strdown(action, -1) : NULL;
  } else if (strcmp(first->key, "compauth") == 0 && ar->compauth == NULL) {
    ar->compauth = result;
    ar->compauth_reason = g_strdup(pair_get(pairs, "reason"));
  } else if (strcmp(first->key, "arc") == 0 && ar->arc == NULL) {
    ar->arc = result;
  } else {
    g_free(result);
  }
}

MtAuthRes *
mt_authres_parse(const char *data, gsize len)
{
  g_return_val_if_fail(data != NULL || len == 0, NULL);

  g_autofree char *clean = strip_comments(data, len);
  g_autoptr(GPtrArray) parts = split_resinfo(clean);
  const char *head = g_ptr_array_index(parts, 0);
  gsize id_len = strcspn(head, " ");
  /* Microsoft writes none: the header starts with a result. */
  gboolean no_id = id_len == 0 || memchr(head, '=', id_len) != NULL;
  MtAuthRes *ar = g_new0(MtAuthRes, 1);
  ar->authserv_id = no_id ? g_strdup("") : g_ascii_strdown(head, id_len);
  ar->dkim = g_ptr_array_new_with_free_func(dkim_free);
  for (guint i = no_id ? 0 : 1; i < parts->len; i++)
    apply_resinfo(ar, g_ptr_array_index(parts, i));
  if (no_id && ar->spf == NULL && ar->dmarc == NULL && ar->arc == NULL && ar->compauth == NULL &&
      ar->dkim->len == 0) {
    mt_authres_free(ar); /* neither an id nor a result: not an Authentication-Results */
    return NULL;
  }
  return ar;
}

void
mt_authres_free(MtAuthRes *ar)
{
  if (ar == NULL)
    return;
  g_free(ar->authserv_id);
  g_free(ar->spf);
  g_free(ar->spf_domain);
  g_free(ar->dmarc);
  g_free(ar->dmarc_domain);
  g_free(ar->dmarc_action);
  g_free(ar->arc);
  g_free(ar->compauth);
  g_free(ar->compauth_reason);
  g_ptr_array_unref(ar->dkim);
  g_free(ar);
}

/* With no configured ids, the topmost header's authserv-id is the receiving provider's:
 * every header it wrote counts (some write one per method). */
static gboolean
is_trusted(const char *id, const char *const *trusted_ids, const char *topmost_id)
{
  if (trusted_ids == NULL || trusted_ids[0] == NULL)
    return g_ascii_strcasecmp(id, topmost_id) == 0;
  for (; *trusted_ids; trusted_ids++)
    if (g_ascii_strcasecmp(id, *trusted_ids) == 0)
      return TRUE;
  return FALSE;
}

static void
add_unique(GPtrArray *ids, const char *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (strcmp(g_ptr_array_index(ids, i), id) == 0)
      return;
  g_ptr_array_add(ids, g_strdup(id));
}

static void
take_first(char **dst, char **src)
{
  if (*dst == NULL)
    *dst = g_steal_pointer(src);
}

static void
merge(MtAuth *auth, MtAuthRes *ar)
{
  take_first(&auth->spf, &ar->spf);
  if (auth->spf_domain == NULL && auth->spf != NULL)
    auth->spf_domain = g_steal_pointer(&ar->spf_domain);
  take_first(&auth->dmarc, &ar->dmarc);
  if (auth->dmarc_domain == NULL && auth->dmarc != NULL) {
    auth->dmarc_domain = g_steal_pointer(&ar->dmarc_domain);
    auth->dmarc_action = g_steal_pointer(&ar->dmarc_action);
  }
  take_first(&auth->arc, &ar->arc);
  if (auth->compauth == NULL && ar->compauth != NULL) {
    auth->compauth = g_steal_pointer(&ar->compauth);
    auth->compauth_reason = g_steal_pointer(&ar->compauth_reason);
  }
  while (ar->dkim->len > 0 && auth->dkim->len < MT_MAX_DKIM_RESULTS)
    g_ptr_array_add(auth->dkim, g_ptr_array_steal_index(ar->dkim, 0));
}

MtAuth *
mt_auth_collect(GPtrArray *raw_values, const char *const *trusted_ids, gboolean provider_written)
{
  g_return_val_if_fail(raw_values != NULL, NULL);

  MtAuth *auth = g_new0(MtAuth, 1);
  auth->dkim = g_ptr_array_new_with_free_func(dkim_free);
  auth->trusted = g_ptr_array_new_with_free_func(g_free);
  auth->untrusted = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *topmost_id = NULL;
  for (guint i = 0; i < raw_values->len && i < MT_MAX_AUTHRES_HEADERS; i++) {
    const char *raw = g_ptr_array_index(raw_values, i);
    g_autoptr(MtAuthRes) ar = mt_authres_parse(raw, strlen(raw));
    if (ar == NULL)
      continue;
    if (topmost_id == NULL && *ar->authserv_id != '\0')
      topmost_id = g_strdup(ar->authserv_id);
    gboolean configured = trusted_ids != NULL && trusted_ids[0] != NULL;
    gboolean trusted = provider_written && !configured
                           ? TRUE
                           : *ar->authserv_id != '\0' && topmost_id != NULL &&
                                 is_trusted(ar->authserv_id, trusted_ids, topmost_id);
    if (trusted) {
      add_unique(auth->trusted, ar->authserv_id);
      merge(auth, ar);
    } else {
      add_unique(auth->untrusted, ar->authserv_id);
    }
  }
  return auth;
}

void
mt_auth_free(MtAuth *auth)
{
  if (auth == NULL)
    return;
  g_free(auth->spf);
  g_free(auth->spf_domain);
  g_free(auth->dmarc);
  g_free(auth->dmarc_domain);
  g_free(auth->dmarc_action);
  g_free(auth->arc);
  g_free(auth->compauth);
  g_free(auth->compauth_reason);
  g_ptr_array_unref(auth->dkim);
  g_ptr_array_unref(auth->trusted);
  g_ptr_array_unref(auth->untrusted);
  g_free(auth);
}
