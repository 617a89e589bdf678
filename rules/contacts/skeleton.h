/* What a string looks like: its Unicode TR39 skeleton, so that a Cyrillic "а", a capital "I"
 * for an "l" or "rn" for "m" compare equal to what they imitate (domains and display names). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The TR39 skeleton of @s (UTF-8): NFD, each code point replaced by its prototype (ICU's
 * confusables, built into the program), NFD. Returns: (transfer full) (nullable) */
char *mt_skeleton(const char *s);

G_END_DECLS
