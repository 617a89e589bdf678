/* The rules and configuration parsers on arbitrary files. */
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *path = NULL;

/* the one file the target writes goes with the process (one was left per run) */
static void
remove_file(void)
{
  if (path != NULL)
    g_unlink(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (path == NULL) {
    int fd = g_file_open_tmp("mt-fuzz-config-XXXXXX", &path, NULL);
    g_assert(fd >= 0);
    close(fd);
    atexit(remove_file);
  }
  if (!g_file_set_contents(path, (const char *)data, size, NULL))
    return 0;
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  mt_config_free(mt_config_load(path, path, w, NULL));
  return 0;
}
