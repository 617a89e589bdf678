#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mt-error.h"
#include "mt-limits.h"

/* Reads straight into @buf, grown to the file's size when it has one (one read, no copy). */
static gboolean
read_capped(int fd, GByteArray *buf, gsize cap, gsize size_hint, GError **error)
{
  gsize have = 0, room = MIN(MAX(size_hint + 1, (gsize)16384), cap);
  g_byte_array_set_size(buf, (guint)room);
  while (have < cap) {
    if (have == room) {
      room = MIN(room * 2, cap);
      g_byte_array_set_size(buf, (guint)room);
    }
    ssize_t n = read(fd, buf->data + have, room - have);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      g_set_error(error, MT_ERROR, MT_ERROR_IO, "%s", g_strerror(errno));
      return FALSE;
    }
    if (n == 0)
      break;
    have += (gsize)n;
  }
  g_byte_array_set_size(buf, (guint)have);
  return TRUE;
}

GBytes *
mt_input_read(const char *path, GError **error)
{
  g_return_val_if_fail(path != NULL, NULL);

  gboolean is_stdin = strcmp(path, "-") == 0;
  int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO, "%s: %s", path, g_strerror(errno));
    return NULL;
  }
  struct stat st;
  gboolean stat_ok = fstat(fd, &st) == 0;
  if (stat_ok && S_ISDIR(st.st_mode)) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO, "%s: is a directory", path);
    close(fd);
    return NULL;
  }
  g_autoptr(GByteArray) buf = g_byte_array_new();
  g_autoptr(GError) err = NULL;
  gsize hint = stat_ok && S_ISREG(st.st_mode) ? (gsize)st.st_size : 0;
  gboolean ok = read_capped(fd, buf, (gsize)MT_MAX_MESSAGE_BYTES, hint, &err);
  if (!is_stdin)
    close(fd);
  if (!ok) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO, "%s: %s", path, err->message);
    return NULL;
  }
  return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}
