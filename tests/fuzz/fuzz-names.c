/* Display names and addresses come from anyone: whatever a From header holds is reduced to a
 * name key, a TR39 skeleton, punycode both ways and a look-alike search without a crash. The
 * input's first line is the display name, the rest the address. */
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "lookalike.h"
#include "names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static MtKnownSenders *known;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (known == NULL) {
    static const char *const contacts[] = {"dan.miller@northwind-supply.com",
                                           "ann.lee@contoso.co.uk", "bob@gmail.com",
                                           "team@xn--80ak6aa92e.com", NULL};
    known = mt_known_senders_new(contacts);
  }
  g_autofree char *text = g_strndup((const char *)data, size);
  char *nl = strchr(text, '\n');
  const char *address = nl != NULL ? nl + 1 : text;
  if (nl != NULL)
    *nl = '\0';
  g_autofree char *key = mt_name_key(text);
  (void)mt_name_has_via(text);
  g_autofree char *skeleton = mt_skeleton(address);
  g_autofree char *unicode = mt_domain_to_unicode(address);
  g_autofree char *ascii = mt_domain_to_ascii(address);
  (void)mt_edit_distance(text, address, 2);
  MtLookalike l;
  if (mt_lookalike_find(known, address, &l))
    mt_lookalike_clear(&l);
  return 0;
}
