#include "gmime-bugs.h"

#include <string.h>

/* One RFC 2047 encoded word at @p: `=?charset?B?payload?=`, only the base64 ones. */
typedef struct {
  const char *charset, *payload;
  gsize charset_len, payload_len;
  const char *end; /* just past `?=` */
} B64Word;

static gboolean
b64_word_at(const char *p, B64Word *w)
{
  if (p[0] != '=' || p[1] != '?')
    return FALSE;
  w->charset = p + 2;
  w->charset_len = strcspn(w->charset, "? \t\r\n");
  const char *q = w->charset + w->charset_len;
  if (w->charset_len == 0 || q[0] != '?' || (q[1] != 'B' && q[1] != 'b') || q[2] != '?')
    return FALSE;
  w->payload = q + 3;
  const char *close = strstr(w->payload, "?=");
  if (close == NULL)
    return FALSE;
  w->payload_len = (gsize)(close - w->payload);
  if (memchr(w->payload, ' ', w->payload_len) != NULL)
    return FALSE;
  w->end = close + 2;
  return TRUE;
}

char *
mt_gmime_mend_padded_words(const char *text)
{
  if (strstr(text, "=?") == NULL)
    return NULL;
  GString *out = NULL;
  const char *copied = text; /* what is not in @out yet */
  for (const char *p = strstr(text, "=?"); p != NULL; p = strstr(p, "=?")) {
    B64Word first;
    if (!b64_word_at(p, &first)) {
      p += 2;
      continue;
    }
    /* The run of base64 words in the same charset, blanks between them. */
    GPtrArray *run = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(run, g_memdup2(&first, sizeof first));
    gboolean padded_inside = FALSE;
    const char *end = first.end;
    for (;;) {
      const B64Word *last = g_ptr_array_index(run, run->len - 1);
      const char *next = last->end + strspn(last->end, " \t\r\n");
      B64Word w;
      if (!b64_word_at(next, &w) || w.charset_len != first.charset_len ||
          g_ascii_strncasecmp(w.charset, first.charset, first.charset_len) != 0)
        break;
      padded_inside |= last->payload_len > 0 && last->payload[last->payload_len - 1] == '=';
      g_ptr_array_add(run, g_memdup2(&w, sizeof w));
      end = w.end;
    }
    if (padded_inside) {
      GByteArray *bytes = g_byte_array_new();
      for (guint i = 0; i < run->len; i++) {
        const B64Word *w = g_ptr_array_index(run, i);
        g_autofree char *payload = g_strndup(w->payload, w->payload_len);
        gsize n = 0;
        g_autofree guchar *raw = g_base64_decode(payload, &n);
        g_byte_array_append(bytes, raw, (guint)n);
      }
      g_autofree char *joined = g_base64_encode(bytes->data, bytes->len);
      g_byte_array_unref(bytes);
      if (out == NULL)
        out = g_string_sized_new(strlen(text) + 16);
      g_string_append_len(out, copied, p - copied);
      g_string_append_printf(out, "=?%.*s?B?%s?=", (int)first.charset_len, first.charset, joined);
      copied = end;
    }
    g_ptr_array_unref(run);
    p = end;
  }
  if (out == NULL)
    return NULL;
  g_string_append(out, copied);
  return g_string_free(out, FALSE);
}

static gboolean
digits(const char *p, guint n)
{
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit(p[i]))
      return FALSE;
  return TRUE;
}

char *
mt_gmime_mend_date(const char *text)
{
  GString *out = NULL;
  const char *copied = text;
  for (const char *p = text; *p != '\0'; p++) {
    gsize before = (gsize)(p - text);
    /* `hh:mm:ss.fff`: the fraction goes */
    if (*p == '.' && before >= 8 && digits(p - 2, 2) && p[-3] == ':' && digits(p - 5, 2) &&
        p[-6] == ':' && g_ascii_isdigit(p[1])) {
      if (out == NULL)
        out = g_string_new(NULL);
      g_string_append_len(out, copied, p - copied);
      p += strspn(p + 1, "0123456789");
      copied = p + 1;
      continue;
    }
    /* `hh:mm+zzzz` or `hh:mm:ss-zzzz`: a blank before the zone */
    gboolean zone = (*p == '+' || *p == '-') && digits(p + 1, 4);
    if (zone && before >= 5 && digits(p - 2, 2) && p[-3] == ':' && g_ascii_isdigit(p[-4])) {
      if (out == NULL)
        out = g_string_new(NULL);
      g_string_append_len(out, copied, p - copied);
      g_string_append_c(out, ' ');
      copied = p;
    }
    /* `+zzzz(KST)`: a blank before the comment */
    if (zone && p[5] == '(') {
      if (out == NULL)
        out = g_string_new(NULL);
      g_string_append_len(out, copied, p + 5 - copied);
      g_string_append_c(out, ' ');
      copied = p + 5;
      p += 4;
    }
  }
  if (out == NULL)
    return NULL;
  g_string_append(out, copied);
  return g_string_free(out, FALSE);
}

char *
mt_gmime_collapse_blanks(const char *text)
{
  GString *out = NULL;
  const char *copied = text; /* what is not in @out yet */
  gboolean quoted = FALSE;
  for (const char *p = text; *p != '\0'; p++) {
    if (quoted) {
      if (*p == '\\' && p[1] != '\0')
        p++;
      else if (*p == '"')
        quoted = FALSE;
    } else if (*p == '"') {
      quoted = TRUE;
    } else if (p[0] == '=' && p[1] == '?') { /* an encoded word: its text is kept */
      const char *end = strstr(p + 2, "?=");
      if (end != NULL && memchr(p, ' ', (gsize)(end - p)) == NULL)
        p = end + 1;
    } else if ((*p == ' ' || *p == '\t') && (p[1] == ' ' || p[1] == '\t')) {
      if (out == NULL)
        out = g_string_new(NULL);
      g_string_append_len(out, copied, p - copied);
      g_string_append_c(out, ' ');
      p += strspn(p, " \t") - 1;
      copied = p + 1;
    }
  }
  if (out == NULL)
    return NULL;
  g_string_append(out, copied);
  return g_string_free(out, FALSE);
}
