#include "names.h"

#include <string.h>

/* Where a " via " word starts in @folded, or NULL. */
static char *
via_at(char *folded)
{
  char *via = strstr(folded, " via ");
  return via != NULL ? via : strstr(folded, "(via ");
}

/* Case folded, decomposed, combining marks left out: "Dán" -> "dan". */
static char *
fold(const char *s)
{
  g_autofree char *folded = g_utf8_casefold(s, -1);
  g_autofree char *nfd = g_utf8_normalize(folded, -1, G_NORMALIZE_NFD);
  if (nfd == NULL)
    return NULL;
  GString *out = g_string_new(NULL);
  for (const char *p = nfd; *p != '\0'; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    GUnicodeType t = g_unichar_type(c);
    if (t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_SPACING_MARK ||
        t == G_UNICODE_ENCLOSING_MARK)
      continue;
    g_string_append_unichar(out, c);
  }
  return g_string_free(out, FALSE);
}

static gint
compare_words(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char *
mt_name_key(const char *display)
{
  if (display == NULL || !g_utf8_validate(display, -1, NULL) || strchr(display, '@') != NULL)
    return NULL;
  g_autofree char *folded = fold(display);
  if (folded == NULL)
    return NULL;
  char *via = via_at(folded);
  if (via != NULL)
    *via = '\0';
  /* words: letters (and digits) only; quotes, dots, commas and parenthesised parts go */
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
  GString *word = g_string_new(NULL);
  guint depth = 0;
  for (const char *p = folded;; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c == '(' || c == '[')
      depth++;
    else if ((c == ')' || c == ']') && depth > 0)
      depth--;
    gboolean letter = c != 0 && depth == 0 && (g_unichar_isalnum(c) || c == '-');
    if (letter) {
      g_string_append_unichar(word, c);
      continue;
    }
    if (word->len > 0 && strcmp(word->str, "-") != 0)
      g_ptr_array_add(words, g_strdup(word->str));
    g_string_truncate(word, 0);
    if (c == 0)
      break;
  }
  g_string_free(word, TRUE);
  guint full = 0;
  for (guint i = 0; i < words->len; i++)
    full += g_utf8_strlen(g_ptr_array_index(words, i), -1) > 1;
  /* middle initials go when two full words remain: "Dan J. Miller" is "Dan Miller" */
  if (full >= 2)
    for (guint i = words->len; i-- > 0;)
      if (g_utf8_strlen(g_ptr_array_index(words, i), -1) == 1)
        g_ptr_array_remove_index(words, i);
  if (words->len < 2 || words->len > 6)
    return NULL;
  g_ptr_array_sort(words, compare_words);
  GString *key = g_string_new(NULL);
  for (guint i = 0; i < words->len; i++)
    g_string_append_printf(key, "%s%s", i > 0 ? " " : "", (char *)g_ptr_array_index(words, i));
  return g_string_free(key, FALSE);
}

gboolean
mt_name_has_via(const char *display)
{
  if (display == NULL || !g_utf8_validate(display, -1, NULL))
    return FALSE;
  g_autofree char *folded = fold(display);
  return folded != NULL && via_at(folded) != NULL;
}
