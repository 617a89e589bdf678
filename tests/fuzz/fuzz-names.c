/* Display names and addresses come from anyone: whatever a From header holds is reduced to a
 * name key, its words, a TR39 skeleton, punycode both ways, a look-alike search and a brand
 * claim (rules/brands) without a crash. The input's first line is the display name, the rest
 * the address. */
#include <stdint.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "brands.h"
#include "facts.h"
#include "fingerprint.h"
#include "lookalike.h"
#include "names.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static MtStore *known; /* the contacts below, learned into a scratch store */
static char *known_dir;
static MtBrands *brands;

static const char brand_table[] =
    "[brand PayPal]\ndomains = paypal.com; paypal.*\n"
    "[brand Chase]\npersonal = true\nnames = Chase; Chase Bank\ndomains = chase.com\n"
    "[brand Bank of America]\nnames = Bank of America; BofA\ndomains = bankofamerica.com\n"
    "[brand Caf\xc3\xa9 \xd0\x90pple]\ndomains = xn--80ak6aa92e.com\n";

static void
remove_known(void)
{
  g_clear_pointer(&known, mt_store_close);
  static const char *const files[] = {"profiles.sqlite", "profiles.sqlite-wal",
                                      "profiles.sqlite-shm", NULL};
  for (guint i = 0; files[i] != NULL; i++) {
    g_autofree char *path = g_build_filename(known_dir, files[i], NULL);
    g_unlink(path);
  }
  g_rmdir(known_dir);
}

/* A store in a scratch directory (removed at exit) that learned a message from each of
 * @addresses: the look-alike search reads the contacts' keys there. */
static MtStore *
learned(const char *const *addresses)
{
  known_dir = g_dir_make_tmp("mt-fuzz-names-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(known_dir, "profiles.sqlite", NULL);
  MtStore *store = known_dir != NULL ? mt_store_open(path, TRUE, NULL) : NULL;
  if (store == NULL)
    g_error("fuzz-names: no scratch store");
  atexit(remove_known);
  g_autoptr(MtTrust) trust = mt_trust_new();
  MtFactsContext ctx = {.trust = trust};
  for (guint i = 0; addresses[i] != NULL; i++) {
    g_autofree char *text = g_strdup_printf("From: <%s>\nMessage-ID: <%u@x>\n\nhi\n",
                                            addresses[i], i);
    g_autoptr(MtFacts) facts = mt_facts_collect(text, strlen(text), &ctx);
    g_autoptr(MtFingerprint) fp = mt_fingerprint_of(facts);
    g_autofree char *hash = g_strdup_printf("%u", i);
    MtLearnResult result;
    if (!mt_store_learn(store, fp, hash, NULL, &result, NULL))
      g_error("fuzz-names: the scratch store learns nothing");
  }
  return store;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (known == NULL) {
    static const char *const contacts[] = {"dan.miller@northwind-supply.com",
                                           "ann.lee@contoso.co.uk", "bob@gmail.com",
                                           "team@xn--80ak6aa92e.com", NULL};
    known = learned(contacts);
    g_autoptr(GKeyFile) kf = g_key_file_new();
    brands = mt_brands_new();
    if (!g_key_file_load_from_data(kf, brand_table, sizeof brand_table - 1, 0, NULL) ||
        !mt_brands_add_groups(brands, kf, NULL))
      g_error("fuzz-names: the brand table does not load");
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
  if (mt_lookalike_find(known, 1, address, &l))
    mt_lookalike_clear(&l);
  g_auto(GStrv) words = mt_name_words(text);
  MtBrandClaimKind where;
  const MtBrand *b = mt_brands_claimed(brands, text, address, &where);
  if (b != NULL) {
    g_autofree char *theirs = mt_brand_domains_text(b);
    (void)mt_brand_owns(b, address);
  }
  const char *at = strrchr(address, '@');
  MtLookalikeKind kind;
  const char *imitated = NULL;
  (void)mt_brands_lookalike(brands, at != NULL ? at + 1 : address, &kind, &imitated);
  (void)mt_brands_own(brands, at != NULL ? at + 1 : address);
  return 0;
}
