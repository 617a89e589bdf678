/* Where the running program is: the online module and the well-known senders' table may sit
 * beside it (in the build tree, and in a staged copy for tests). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The directory of /proc/self/exe. Returns: (transfer full) (nullable) */
char *mt_program_dir(void);

G_END_DECLS
