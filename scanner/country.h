/* ISO 3166-1 alpha-2 code -> English short name, from Debian's iso-codes data. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns: (transfer none): the name, or @code itself when it is unknown or the data is
 * missing (a human sentence then shows the code). */
const char *mt_country_name(const char *code);

G_END_DECLS
