#include "brands-cache.h"

#include <string.h>

#include "brand-record.h"
#include "mt-config.h"

/* The compiled form, plain text: a first line with the key, then one line per brand of seven
 * fields separated by tabs: name, personal (0 or 1), then five lists, each its count and its
 * items separated by US (0x1F): the names (each its folded words joined by blanks), domains, labels,
 * skeletons, typo labels. (GVariant was tried first: reading it back cost as much as folding
 * the table anew.) */
#define FIELD '\t'
#define ITEM "\x1f"

/* FNV-1a over the table: a cache of another table, or of an edited one, is told apart. */
static char *
cache_key(const char *contents, gsize len)
{
  guint64 h = 14695981039346656037ULL;
  for (gsize i = 0; i < len; i++) {
    h ^= (guchar)contents[i];
    h *= 1099511628211ULL;
  }
  return g_strdup_printf("mailtrace %s well-known senders %" G_GSIZE_FORMAT " %016" G_GINT64_MODIFIER "x",
                         MT_VERSION, len, h);
}

static char *
cache_path(void)
{
  return g_build_filename(g_get_user_cache_dir(), "mailtrace", "well-known-senders.compiled",
                          NULL);
}

/* The items of @field (their count first, so that one empty item is not none), cut in place
 * (separators become NULs): pointers into the arena. Returns: (transfer container)
 * (nullable): NULL when the count does not match */
static GPtrArray *
items(char *field)
{
  char *end = NULL;
  guint64 n = g_ascii_strtoull(field, &end, 10);
  if (end == field || (*end != '\0' && *end != ITEM[0]) || n > G_MAXUINT16)
    return NULL;
  GPtrArray *out = g_ptr_array_sized_new((guint)n);
  for (char *p = end; *p == ITEM[0];) {
    *p++ = '\0';
    g_ptr_array_add(out, p);
    p += strcspn(p, ITEM);
  }
  if (out->len != n) {
    g_ptr_array_unref(out);
    return NULL;
  }
  return out;
}

/* A name's words, cut in place at the blanks. Returns: (transfer container) */
static char **
words_of(char *name)
{
  guint n = 1;
  for (const char *p = name; *p != '\0'; p++)
    n += *p == ' ';
  char **words = g_new(char *, n + 1);
  guint k = 0;
  for (char *p = name;;) {
    words[k++] = p;
    p = strchr(p, ' ');
    if (p == NULL)
      break;
    *p++ = '\0';
  }
  words[k] = NULL;
  return words;
}

GPtrArray *
mt_brands_cache_read(const char *contents, gsize len, GDestroyNotify free_brand)
{
  g_autofree char *path = cache_path();
  char *data = NULL;
  gsize size = 0;
  if (!g_file_get_contents(path, &data, &size, NULL))
    return NULL;
  /* the brands read keep the text: their strings are cut out of it, not copied */
  g_autoptr(GBytes) arena = g_bytes_new_take(data, size + 1); /* its final NUL included */
  if (memchr(data, '\0', size) != NULL)
    return NULL;
  g_autofree char *key = cache_key(contents, len);
  char *line = data;
  char *eol = strchr(line, '\n');
  if (eol == NULL)
    return NULL;
  *eol = '\0';
  if (strcmp(line, key) != 0)
    return NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(free_brand);
  for (line = eol + 1; *line != '\0'; line = eol + 1) {
    eol = strchr(line, '\n');
    if (eol == NULL)
      return NULL; /* cut short: not what was written */
    *eol = '\0';
    char *f[7];
    guint n = 0;
    for (char *p = line; n < 7;) {
      f[n++] = p;
      p = strchr(p, FIELD);
      if (p == NULL)
        break;
      *p++ = '\0';
    }
    if (n != 7)
      return NULL;
    struct _MtBrand *b = g_new0(struct _MtBrand, 1);
    b->arena = g_bytes_ref(arena);
    g_ptr_array_add(out, b);
    b->name = f[0];
    b->personal = strcmp(f[1], "1") == 0;
    g_autoptr(GPtrArray) names = items(f[2]);
    b->names = g_ptr_array_new_with_free_func(g_free);
    for (guint k = 0; names != NULL && k < names->len; k++)
      g_ptr_array_add(b->names, words_of(g_ptr_array_index(names, k)));
    b->domains = items(f[3]);
    b->labels = items(f[4]);
    b->skeletons = items(f[5]);
    b->typo_labels = items(f[6]);
    if (names == NULL || b->domains == NULL || b->labels == NULL || b->skeletons == NULL ||
        b->typo_labels == NULL || b->skeletons->len != b->domains->len ||
        b->typo_labels->len != b->domains->len)
      return NULL;
  }
  return g_steal_pointer(&out);
}

/* Whether @s can stand in a field: no separator of the format. */
static gboolean
fits(const char *s)
{
  return strpbrk(s, "\t\n" ITEM) == NULL;
}

static gboolean
append_items(GString *s, GPtrArray *strings)
{
  g_string_append_printf(s, "%u", strings->len);
  for (guint i = 0; i < strings->len; i++) {
    const char *item = g_ptr_array_index(strings, i);
    if (!fits(item))
      return FALSE;
    g_string_append_printf(s, ITEM "%s", item);
  }
  return TRUE;
}

void
mt_brands_cache_write(const char *contents, gsize len, GPtrArray *brands)
{
  g_autofree char *key = cache_key(contents, len);
  g_autoptr(GString) s = g_string_new(key);
  g_string_append_c(s, '\n');
  for (guint i = 0; i < brands->len; i++) {
    const struct _MtBrand *b = g_ptr_array_index(brands, i);
    g_autoptr(GPtrArray) joined = g_ptr_array_new_with_free_func(g_free);
    for (guint j = 0; j < b->names->len; j++)
      g_ptr_array_add(joined, g_strjoinv(" ", g_ptr_array_index(b->names, j)));
    if (!fits(b->name))
      return;
    g_string_append_printf(s, "%s%c%d%c", b->name, FIELD, b->personal ? 1 : 0, FIELD);
    GPtrArray *lists[] = {joined, b->domains, b->labels, b->skeletons, b->typo_labels};
    for (guint k = 0; k < G_N_ELEMENTS(lists); k++) {
      if (!append_items(s, lists[k]))
        return;
      g_string_append_c(s, k + 1 < G_N_ELEMENTS(lists) ? FIELD : '\n');
    }
  }
  g_autofree char *path = cache_path();
  g_autofree char *dir = g_path_get_dirname(path);
  if (g_mkdir_with_parents(dir, 0700) != 0)
    return;
  /* written whole under a temporary name, then renamed: a reader never sees half of it */
  (void)g_file_set_contents(path, s->str, (gssize)s->len, NULL);
}
