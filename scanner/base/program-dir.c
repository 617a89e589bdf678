#include "program-dir.h"

char *
mt_program_dir(void)
{
  g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
  return self != NULL ? g_path_get_dirname(self) : NULL;
}
