/* What IMAP accepts as a keyword. libetpan sends keywords verbatim: a space would set two,
 * a CR/LF would inject a command, a leading backslash would set a system flag. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether @s is an IMAP atom (RFC 3501) fit to be a keyword: 1 to 64 printable ASCII
 * characters, none of SP ( ) { % * " \ ] and no leading backslash (a system flag). */
gboolean mt_keyword_is_atom(const char *s);

G_END_DECLS
