#include "country.h"

#include <stdlib.h>
#include <string.h>

#include "country-names.h"

static int
compare_code(const void *key, const void *row)
{
  return strcmp(key, ((const CountryName *)row)->code);
}

const char *
mt_country_name(const char *code)
{
  if (code == NULL || strlen(code) != 2)
    return code;
  const CountryName *row = bsearch(code, country_names, G_N_ELEMENTS(country_names),
                                   sizeof country_names[0], compare_code);
  return row != NULL ? row->name : code;
}

const char *
mt_country_code_of(const char *name)
{
  for (gsize i = 0; name != NULL && i < G_N_ELEMENTS(country_names); i++)
    if (g_ascii_strcasecmp(country_names[i].name, name) == 0)
      return country_names[i].code;
  return NULL;
}
