/* Text from a message or a server, made safe for a terminal: a header can carry ESC sequences
 * that clear the screen or set the window title, or a decoded line break that prints a fake
 * `Verdict: clean` line. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @s as valid UTF-8 with every control character shown visibly: C0 and DEL as `\xNN`
 * (`\x1b`, `\x0a`), C1 (U+0080 to U+009F) and the bidirectional controls (U+061C, U+200E,
 * U+200F, U+202A to U+202E, U+2066 to U+2069) as `\uNNNN`. NULL gives NULL. The one escaping
 * of outside text for a terminal: headers, reasons, server answers.
 * Returns: (transfer full) (nullable) */
char *mt_escape_controls(const char *s);

G_END_DECLS
