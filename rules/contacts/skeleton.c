#include "skeleton.h"

#include <stdlib.h>
#include <string.h>

#include "confusables.h"

static int
compare_cp(const void *key, const void *row)
{
  unsigned a = *(const unsigned *)key, b = *(const unsigned *)row;
  return a < b ? -1 : a > b;
}

static char *skeleton_slow(const char *s);

char *
mt_skeleton(const char *s)
{
  if (s == NULL)
    return NULL;
  const char *p = s;
  while (*p != '\0' && (guchar)*p < 0x80)
    p++;
  if (*p != '\0')
    return skeleton_slow(s);
  /* ASCII is its own NFD, and its skeleton the skeletons of its characters end to end
   * (mt_ascii_skeleton, from ICU at build time): most names and domains take this path */
  gsize n = 0;
  gboolean ascii = TRUE; /* '%' has a skeleton that is not ASCII: then the final NFD */
  for (p = s; *p != '\0'; p++) {
    n += mt_ascii_skeleton[(guchar)*p].len;
    ascii &= mt_ascii_skeleton[(guchar)*p].ascii;
  }
  char *out = g_malloc(n + 1), *o = out;
  for (p = s; *p != '\0'; p++) {
    memcpy(o, mt_ascii_skeleton[(guchar)*p].s, mt_ascii_skeleton[(guchar)*p].len);
    o += mt_ascii_skeleton[(guchar)*p].len;
  }
  *o = '\0';
  if (ascii)
    return out;
  char *nfd = g_utf8_normalize(out, -1, G_NORMALIZE_NFD);
  g_free(out);
  return nfd;
}

static char *
skeleton_slow(const char *s)
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
