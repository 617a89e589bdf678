#include "escape.h"

#include <string.h>

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
    else if (c >= 0x80 && c <= 0x9f)
      g_string_append_printf(out, "\\u%04x", c);
    else
      g_string_append_len(out, p, g_utf8_next_char(p) - p);
  }
  return g_string_free(out, FALSE);
}
