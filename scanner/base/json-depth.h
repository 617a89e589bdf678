/* How deep JSON text nests, read without parsing it: json-glib's parser recurses once a level
 * and has no limit, so text from a server is checked here first (mt-limits.h: MT_MAX_JSON_DEPTH). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether @text's arrays and objects nest at most @max deep (brackets inside strings do not
 * count). Invalid JSON that nests little passes: the parser will say what is wrong with it. */
gboolean mt_json_depth_within(const char *text, gsize len, guint max);

G_END_DECLS
