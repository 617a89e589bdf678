#include "skeleton.h"

#include <stdlib.h>

#include "confusables.h"

static int
compare_cp(const void *key, const void *row)
{
  unsigned a = *(const unsigned *)key, b = *(const unsigned *)row;
  return a < b ? -1 : a > b;
}

char *
mt_skeleton(const char *s)
{
  if (s == NULL || !g_utf8_validate(s, -1, NULL))
    return NULL;
  g_autofree char *nfd = g_utf8_normalize(s, -1, G_NORMALIZE_NFD);
  if (nfd == NULL)
    return NULL;
  GString *mapped = g_string_new(NULL);
  for (const char *p = nfd; *p != '\0'; p = g_utf8_next_char(p)) {
    unsigned c = g_utf8_get_char(p);
    /* rows are sorted by code point, the first member of each */
    const char *row = bsearch(&c, mt_confusables, MT_N_CONFUSABLES, sizeof mt_confusables[0],
                              compare_cp);
    if (row != NULL)
      g_string_append(mapped,
                      mt_confusables[(gsize)(row - (const char *)mt_confusables) /
                                     sizeof mt_confusables[0]]
                          .skeleton);
    else
      g_string_append_unichar(mapped, c);
  }
  char *out = g_utf8_normalize(mapped->str, -1, G_NORMALIZE_NFD);
  g_string_free(mapped, TRUE);
  return out;
}
