#include "names.h"

#include <string.h>

#include "skeleton.h"

/* Code points a reader does not see: format characters (zero-width space and joiners, the
 * word joiner, the BOM, the soft hyphen, bidi controls, tag characters) and the variation
 * selectors. */
static gboolean
is_invisible(gunichar c)
{
  return g_unichar_type(c) == G_UNICODE_FORMAT || c == 0x034f || (c >= 0x180b && c <= 0x180f) ||
         (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0100 && c <= 0xe01ef);
}

static gboolean
is_ascii(const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar)*s >= 0x80)
      return FALSE;
  return TRUE;
}

/* The Hangul fillers: letters that print as blank space, used to fake one. */
static gboolean
is_filler(gunichar c)
{
  return c == 0x115f || c == 0x1160 || c == 0x3164 || c == 0xffa0;
}

/* @display as it looks: invisible characters out, fillers as blanks, compatibility forms
 * (full-width, mathematical bold) as plain letters, then the TR39 skeleton of its lower case
 * (a Cyrillic "а" is "a", a capital "I" is "l", "m" is "rn"). Each step also happens to a
 * plain ASCII name, so a name and its disguise have one form. */
static char *
seen_as(const char *display)
{
  GString *visible = g_string_new(NULL);
  for (const char *p = display; *p != '\0'; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (is_filler(c))
      g_string_append_c(visible, ' ');
    else if (!is_invisible(c))
      g_string_append_unichar(visible, c);
  }
  /* ASCII is its own NFKC (most names: the costly normalisations are skipped) */
  g_autofree char *nfkc = is_ascii(visible->str) ? g_strdup(visible->str)
                                                  : g_utf8_normalize(visible->str, -1,
                                                                     G_NORMALIZE_NFKC);
  g_string_free(visible, TRUE);
  if (nfkc == NULL)
    return NULL;
  /* word by word: in a word with lower case, the skeleton comes before lower-casing, so that
   * a capital "I" among small letters is the "l" it imitates; a word in capitals ("MILLER")
   * is lower-cased first. The skeleton after lower-casing makes "m" "rn" in every case. */
  g_auto(GStrv) words = g_strsplit_set(nfkc, " \t", -1);
  GString *out = g_string_new(NULL);
  for (guint i = 0; words[i] != NULL; i++) {
    gboolean has_lower = FALSE;
    for (const char *p = words[i]; *p != '\0'; p = g_utf8_next_char(p))
      has_lower |= g_unichar_islower(g_utf8_get_char(p));
    g_autofree char *first = has_lower ? mt_skeleton(words[i]) : g_strdup(words[i]);
    g_autofree char *lower = first == NULL       ? NULL
                             : is_ascii(first) ? g_ascii_strdown(first, -1)
                                               : g_utf8_casefold(first, -1);
    g_autofree char *skeleton = lower != NULL ? mt_skeleton(lower) : NULL;
    if (skeleton != NULL)
      g_string_append_printf(out, "%s%s", i > 0 ? " " : "", skeleton);
  }
  return g_string_free(out, FALSE);
}

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
  if (is_ascii(s)) /* its case folding is its lower case, and it has no marks */
    return g_ascii_strdown(s, -1);
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
  g_autofree char *seen = seen_as(display);
  g_autofree char *folded = seen != NULL ? fold(seen) : NULL;
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

/* mt_name_words() of an ASCII string, without the Unicode machinery: the same steps (per
 * blank-separated word: the skeleton before lower-casing when it has lower case, after it
 * otherwise; then lower case, the skeleton again, split at what is not a letter or digit),
 * over bytes. The well-known senders' table folds hundreds of names at each start. */
static GStrv
ascii_words(const char *s)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  const char *p = s;
  while (*p != '\0') {
    while (*p == ' ' || *p == '\t')
      p++;
    const char *end = p;
    gboolean has_lower = FALSE;
    while (*end != '\0' && *end != ' ' && *end != '\t')
      has_lower |= g_ascii_islower(*end++);
    if (end == p)
      break;
    g_autofree char *word = g_strndup(p, (gsize)(end - p));
    g_autofree char *first = has_lower ? mt_skeleton(word) : g_strdup(word);
    g_autofree char *lower = g_ascii_strdown(first, -1);
    g_autofree char *skeleton = mt_skeleton(lower);
    char *folded = g_ascii_strdown(skeleton, -1);
    for (char *w = folded; *w != '\0';) {
      while (*w != '\0' && !g_ascii_isalnum(*w))
        w++;
      char *e = w;
      while (*e != '\0' && g_ascii_isalnum(*e))
        e++;
      if (e > w) {
        g_autofree char *one = g_strndup(w, (gsize)(e - w));
        g_strv_builder_add(b, one);
      }
      w = e;
    }
    g_free(folded);
    p = end;
  }
  return g_strv_builder_end(b);
}

GStrv
mt_name_words(const char *s)
{
  if (s == NULL)
    return NULL;
  if (is_ascii(s))
    return ascii_words(s);
  if (!g_utf8_validate(s, -1, NULL))
    return NULL;
  g_autofree char *seen = seen_as(s);
  g_autofree char *folded = seen != NULL ? fold(seen) : NULL;
  if (folded == NULL)
    return NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  GString *word = g_string_new(NULL);
  for (const char *p = folded;; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c != 0 && g_unichar_isalnum(c)) {
      g_string_append_unichar(word, c);
      continue;
    }
    if (word->len > 0)
      g_strv_builder_add(b, word->str);
    g_string_truncate(word, 0);
    if (c == 0)
      break;
  }
  g_string_free(word, TRUE);
  return g_strv_builder_end(b);
}

gboolean
mt_name_has_via(const char *display)
{
  if (display == NULL || !g_utf8_validate(display, -1, NULL))
    return FALSE;
  g_autofree char *folded = fold(display);
  return folded != NULL && via_at(folded) != NULL;
}

/* The words around byte @at of @s: the one before and the one after (or containing). */
static void
words_around(const char *s, gsize at, char **before, char **after)
{
  const char *p = s + at, *start = p;
  while (start > s && !g_unichar_isspace(g_utf8_get_char(g_utf8_prev_char(start))))
    start = g_utf8_prev_char(start);
  const char *end = p;
  while (*end != '\0' && !g_unichar_isspace(g_utf8_get_char(end)))
    end = g_utf8_next_char(end);
  *before = start < p ? g_strndup(start, (gsize)(p - start)) : NULL;
  *after = *end == '\0' && end == p ? NULL : g_strndup(p, (gsize)(end - p));
}

static char *
plain(const char *s)
{
  GString *out = g_string_new(NULL);
  for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (!is_invisible(c) && !is_filler(c))
      g_string_append_unichar(out, c);
  }
  return g_string_free(out, FALSE);
}

char *
mt_name_disguise(const char *display, const char *theirs)
{
  if (display == NULL || !g_utf8_validate(display, -1, NULL))
    return NULL;
  for (const char *p = display; *p != '\0'; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (!is_invisible(c) && !is_filler(c))
      continue;
    g_autofree char *before = NULL, *after = NULL;
    words_around(display, (gsize)(p - display), &before, &after);
    g_autofree char *b = before != NULL ? plain(before) : NULL;
    const char *rest = g_utf8_next_char(p);
    g_autofree char *a = plain(rest);
    g_strchug(a);
    a[strcspn(a, " ")] = '\0';
    g_autofree char *head = is_filler(c)
                                ? g_strdup_printf("a Hangul filler (U+%04X) as a blank", c)
                                : g_strdup_printf("an invisible character (U+%04X)", c);
    if (b != NULL && *b != '\0' && *a != '\0')
      return g_strdup_printf("with %s between '%s' and '%s'", head, b, a);
    return g_strdup_printf("with %s in it", head);
  }
  g_autofree char *nfkc = g_utf8_normalize(display, -1, G_NORMALIZE_NFKC);
  if (nfkc != NULL && strcmp(nfkc, display) != 0)
    for (const char *p = display; *p != '\0'; p = g_utf8_next_char(p)) {
      gunichar c = g_utf8_get_char(p);
      char one[8] = {0};
      g_unichar_to_utf8(c, one);
      g_autofree char *k = g_utf8_normalize(one, -1, G_NORMALIZE_NFKC);
      if (k != NULL && strcmp(k, one) != 0 && g_ascii_isalnum(k[0]))
        return g_strdup_printf("in full-width or mathematical letters ('%s' for '%s')", one, k);
    }
  for (const char *p = display; *p != '\0'; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c < 0x80 || !g_unichar_isalpha(c))
      continue;
    char one[8] = {0};
    g_unichar_to_utf8(c, one);
    g_autofree char *skel = mt_skeleton(one);
    if (skel != NULL && skel[0] != '\0' && (guchar)skel[0] < 0x80 && skel[1] == '\0') {
      GUnicodeScript script = g_unichar_get_script(c);
      const char *name = script == G_UNICODE_SCRIPT_CYRILLIC ? "a Cyrillic"
                         : script == G_UNICODE_SCRIPT_GREEK  ? "a Greek"
                         : script == G_UNICODE_SCRIPT_ARMENIAN ? "an Armenian"
                                                               : "a look-alike";
      return g_strdup_printf("with %s '%s' (U+%04X) for a Latin '%s'", name, one, c, skel);
    }
  }
  /* a capital I where the contact writes an l: "MiIler" for "Miller" ("McIntyre" is a name) */
  g_autofree char *mine = plain(display);
  for (gsize i = 0; theirs != NULL && mine[i] != '\0' && theirs[i] != '\0'; i++)
    if (mine[i] == 'I' && theirs[i] == 'l')
      return g_strdup("with a capital 'I' where your contact writes an 'l'");
  return NULL;
}
