#include "escape.h"

#include <string.h>

/* The Unicode bidirectional controls (UAX #9): marks, embeddings, overrides and isolates.
 * Printed raw, U+202E turns the rest of a line around, so a sender could reorder the sentence
 * a person reads. */
static gboolean
is_bidi_control(gunichar c)
{
  return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069);
}

char *
mt_escape_controls(const char *s)
{
  if (s == NULL)
    return NULL;
  g_autofree char *valid = g_utf8_make_valid(s, -1);
  GString *out = g_string_sized_new(strlen(valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (c < 0x20 || c == 0x7f)
      g_string_append_printf(out, "\\x%02x", c);
    else if ((c >= 0x80 && c <= 0x9f) || is_bidi_control(c))
      g_string_append_printf(out, "\\u%04x", c);
    else
      g_string_append_len(out, p, g_utf8_next_char(p) - p);
  }
  return g_string_free(out, FALSE);
}
