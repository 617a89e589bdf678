#include "mail-date.h"

#include <gmime/gmime.h>

#include "gmime-bugs.h"
#include "message-reader.h"

GDateTime *
mt_mail_date_parse(const char *text, gsize len)
{
  mt_message_library_init();
  g_autofree char *s = g_strndup(text, len); /* a NUL inside ends the date */
  g_autofree char *mended = mt_gmime_mend_date(s);
  return g_mime_utils_header_decode_date(mended != NULL ? mended : s);
}
