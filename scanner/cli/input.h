/* Reading one message from a file or stdin, only as much as the scanner will look at. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reads at most MT_MAX_HEADER_BYTES + MT_MAX_BODY_BYTES of @path (`-`: standard input).
 * Returns: (transfer full) (nullable): NULL with @error set when it cannot be read. */
GBytes *mt_input_read(const char *path, GError **error);

G_END_DECLS
