#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mt-error.h"
#include "mt-limits.h"

static gboolean
read_capped(int fd, GByteArray *buf, gsize cap, GError **error)
{
  guint8 chunk[65536];
  while (buf->len < cap) {
    ssize_t n = read(fd, chunk, MIN(sizeof chunk, cap - buf->len));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      g_set_error(error, MT_ERROR, MT_ERROR_IO, "%s", g_strerror(errno));
      return FALSE;
    }
    if (n == 0)
      break;
    g_byte_array_append(buf, chunk, (guint)n);
  }
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
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO, "%s: is a directory", path);
    close(fd);
    return NULL;
  }
  g_autoptr(GByteArray) buf = g_byte_array_new();
  g_autoptr(GError) err = NULL;
  gboolean ok = read_capped(fd, buf, (gsize)MT_MAX_MESSAGE_BYTES, &err);
  if (!is_stdin)
    close(fd);
  if (!ok) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO, "%s: %s", path, err->message);
    return NULL;
  }
  return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}
