/* Taking our fields out of a message (plugin/mail-layout.c): fed in two pieces cut anywhere,
 * the result is the same as in one, and no line of the header block that is kept starts with
 * `X-Mailtrace-`. */
#include <stdint.h>
#include <string.h>

#include "mail-layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
append(const char *data, gsize len, gpointer user)
{
  g_byte_array_append(user, (const guint8 *)data, (guint)len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(GByteArray) whole = mt_mail_without_ours((const char *)data, size);
  size_t cut = size > 0 ? data[0] % (size + 1) : 0;
  g_autoptr(GByteArray) pieces = g_byte_array_new();
  MtStripper st;
  mt_stripper_init(&st);
  mt_stripper_feed(&st, (const char *)data, cut, append, pieces);
  mt_stripper_feed(&st, (const char *)data + cut, size - cut, append, pieces);
  mt_stripper_finish(&st, append, pieces);
  g_assert(whole->len == pieces->len && memcmp(whole->data, pieces->data, whole->len) == 0);
  for (guint i = 0; i + 12 <= whole->len; i++) {
    if (i > 0 && whole->data[i - 1] != '\n')
      continue;
    if (i == 1 || (i >= 2 && whole->data[i - 2] == '\n') ||
        (i >= 3 && whole->data[i - 3] == '\n' && whole->data[i - 2] == '\r'))
      break; /* the blank line: the body is not ours to judge */
    g_assert(g_ascii_strncasecmp((const char *)whole->data + i, "X-Mailtrace-", 12) != 0);
  }
  return 0;
}
