/* ISO 3166-1 alpha-2 code -> English short name, from Debian's iso-codes data. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns: (transfer none): the name, or @code itself when it is unknown or the data is
 * missing (a human sentence then shows the code). */
const char *mt_country_name(const char *code);

/* Returns: (nullable) (transfer none): the code of the country whose English name is @name
 * (any case), for a hint when a person wrote "Germany" where DE was meant. */
const char *mt_country_code_of(const char *name);

G_END_DECLS
