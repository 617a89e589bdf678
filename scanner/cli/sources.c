#include "sources.h"

#include <stdio.h>
#include <string.h>

#include "input.h"
#include "message.h"

static gboolean
each_mbox_message(const char *path, const char *data, gsize len, MtMessageFunc fn, gpointer user)
{
  const char *end = data + len;
  const char *p = data;
  guint n = 0;
  while (p < end) {
    /* p is at a `From ` separator line: the message starts after it. */
    const char *start = p + mt_message_mbox_line(p, (gsize)(end - p));
    const char *q = start;
    while (q < end) {
      const char *next = memchr(q, '\n', end - q);
      if (next == NULL) {
        q = end;
        break;
      }
      q = next + 1;
      if (mt_message_mbox_line(q, (gsize)(end - q)) > 0)
        break;
    }
    /* mboxrd: `>From ` and `>>From ` lines lose one `>`. */
    g_autoptr(GString) msg = g_string_sized_new(q - start);
    for (const char *l = start; l < q;) {
      const char *le = memchr(l, '\n', q - l);
      le = le != NULL ? le + 1 : q;
      const char *g = l;
      while (g < le && *g == '>')
        g++;
      gboolean escaped = g > l && le - g >= 5 && memcmp(g, "From ", 5) == 0;
      g_string_append_len(msg, escaped ? l + 1 : l, le - (escaped ? l + 1 : l));
      l = le;
    }
    /* a file holding one message keeps its own name (a message saved with its From_ line) */
    g_autofree char *name =
        n == 0 && q == end ? g_strdup(path) : g_strdup_printf("%s#%u", path, n + 1);
    n++;
    if (!fn(name, msg->str, msg->len, user))
      return FALSE;
    p = q;
  }
  return TRUE;
}

static void
each_file(const char *path, MtMessageFunc fn, gpointer user, guint *errors)
{
  g_autoptr(GError) err = NULL;
  g_autoptr(GMappedFile) map = g_mapped_file_new(path, FALSE, &err);
  if (map == NULL) {
    fprintf(stderr, "mailtrace: %s\n", err->message);
    (*errors)++;
    return;
  }
  const char *data = g_mapped_file_get_contents(map);
  gsize len = g_mapped_file_get_length(map);
  if (mt_message_mbox_line(data, len) > 0)
    each_mbox_message(path, data, len, fn, user);
  else
    fn(path, data != NULL ? data : "", len, user);
}

static gint
compare_paths(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static GPtrArray *
sorted_entries(const char *dir, guint *errors)
{
  g_autoptr(GError) err = NULL;
  g_autoptr(GDir) d = g_dir_open(dir, 0, &err);
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  if (d == NULL) {
    fprintf(stderr, "mailtrace: %s\n", err->message);
    (*errors)++;
    return names;
  }
  for (const char *n; (n = g_dir_read_name(d)) != NULL;)
    if (n[0] != '.')
      g_ptr_array_add(names, g_build_filename(dir, n, NULL));
  g_ptr_array_sort(names, compare_paths);
  return names;
}

static void
each_regular(const char *dir, MtMessageFunc fn, gpointer user, guint *errors)
{
  g_autoptr(GPtrArray) names = sorted_entries(dir, errors);
  for (guint i = 0; i < names->len; i++) {
    const char *p = g_ptr_array_index(names, i);
    if (g_file_test(p, G_FILE_TEST_IS_REGULAR))
      each_file(p, fn, user, errors);
    else if (g_file_test(p, G_FILE_TEST_IS_DIR)) /* said, not passed over in silence */
      fprintf(stderr, "mailtrace: %s: a folder inside %s, not read (name it to read it)\n", p,
              dir);
  }
}

void
mt_sources_foreach(const char *path, MtMessageFunc fn, gpointer user, guint *errors)
{
  g_return_if_fail(path != NULL && fn != NULL && errors != NULL);

  if (strcmp(path, "-") == 0) {
    g_autoptr(GError) err = NULL;
    g_autoptr(GBytes) bytes = mt_input_read("-", &err);
    if (bytes == NULL) {
      fprintf(stderr, "mailtrace: %s\n", err->message);
      (*errors)++;
      return;
    }
    gsize len = 0;
    const char *data = g_bytes_get_data(bytes, &len);
    fn("-", data != NULL ? data : "", len, user);
    return;
  }
  if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
    each_file(path, fn, user, errors);
    return;
  }
  g_autofree char *cur = g_build_filename(path, "cur", NULL);
  g_autofree char *new_ = g_build_filename(path, "new", NULL);
  gboolean maildir = g_file_test(cur, G_FILE_TEST_IS_DIR) || g_file_test(new_, G_FILE_TEST_IS_DIR);
  if (!maildir) {
    each_regular(path, fn, user, errors);
    return;
  }
  if (g_file_test(cur, G_FILE_TEST_IS_DIR))
    each_regular(cur, fn, user, errors);
  if (g_file_test(new_, G_FILE_TEST_IS_DIR))
    each_regular(new_, fn, user, errors);
}
