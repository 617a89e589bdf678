#include "imap-keyword.h"

#include <string.h>

gboolean
mt_keyword_is_atom(const char *s)
{
  if (s == NULL || *s == '\0' || *s == '\\' || strlen(s) > 64)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (*p <= 0x20 || *p >= 0x7f || strchr("(){%*\"\\]", *p) != NULL)
      return FALSE;
  return TRUE;
}
