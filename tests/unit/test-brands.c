/* The well-known senders' table (rules/brands): claims, ownership, look-alikes, and its
 * compiled cache, which must answer exactly as the table does, and never for another table. */
#include <glib/gstdio.h>
#include <string.h>

#include "brands.h"
#include "check-main.h"

static char *tmpdir;

static void
setup(void)
{
  tmpdir = g_dir_make_tmp("mt-brands-XXXXXX", NULL);
  g_setenv("XDG_CACHE_HOME", tmpdir, TRUE);
}

static void
teardown(void)
{
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
  ck_assert(system(cmd) == 0);
  g_clear_pointer(&tmpdir, g_free);
}

static char *
table(const char *text)
{
  char *path = g_build_filename(tmpdir, "table.conf", NULL);
  ck_assert(g_file_set_contents(path, text, -1, NULL));
  return path;
}

static MtBrands *
load(const char *path)
{
  MtBrands *b = mt_brands_new();
  g_autoptr(GError) err = NULL;
  ck_assert_msg(mt_brands_load_file(b, path, &err), "%s", err ? err->message : "");
  return b;
}

static const char *
claimed(const MtBrands *b, const char *display, const char *address)
{
  MtBrandClaimKind where;
  const MtBrand *brand = mt_brands_claimed(b, display, address, &where);
  return brand != NULL ? mt_brand_name(brand) : NULL;
}

#define TABLE                                                                                      \
  "[brand Northwind Bank]\nnames = Northwind Bank; Northwind\ndomains = northwindbank.example; "   \
  "northwind.*\n[brand Chase]\npersonal = true\ndomains = chase.example\n[brand Venmo]\n"          \
  "domains = venmo.example\n"

START_TEST(test_claims)
{
  g_autofree char *path = table(TABLE);
  g_autoptr(MtBrands) b = load(path);
  ck_assert_str_eq(claimed(b, "NORTHWIND Bank Security", NULL), "Northwind Bank");
  ck_assert_str_eq(claimed(b, "N o r t h w i n d", NULL), "Northwind Bank");
  ck_assert_str_eq(claimed(b, NULL, "alerts@secure-northwindbank.example.com"), "Northwind Bank");
  ck_assert_str_eq(claimed(b, "Chase Online Banking", NULL), "Chase");
  ck_assert_ptr_null(claimed(b, "Chase", NULL));        /* a first name alone */
  ck_assert_ptr_null(claimed(b, "Chase Smith", NULL));  /* a person */
  ck_assert_ptr_null(claimed(b, NULL, "chase@example.org"));
  ck_assert(mt_brands_own(b, "mail.northwindbank.example"));
  ck_assert(mt_brands_own(b, "northwind.co.uk"));
  ck_assert(!mt_brands_own(b, "northwind-bank.example"));
  MtLookalikeKind kind;
  const char *theirs = NULL;
  const MtBrand *l = mt_brands_lookalike(b, "n0rthwindbank.example", &kind, &theirs);
  ck_assert(l == NULL || kind != MT_LOOKALIKE_NONE);
  l = mt_brands_lookalike(b, "northwindbamk.example", &kind, &theirs);
  ck_assert(l != NULL && kind == MT_LOOKALIKE_TYPO);
  ck_assert_str_eq(theirs, "northwindbank.example");
}
END_TEST

/* Loaded twice, the second time from the compiled cache: the same answers. */
START_TEST(test_cache_same_answers)
{
  g_autofree char *path = table(TABLE);
  g_autoptr(MtBrands) first = load(path);
  g_autofree char *cache =
      g_build_filename(tmpdir, "mailtrace", "well-known-senders.compiled", NULL);
  ck_assert(g_file_test(cache, G_FILE_TEST_EXISTS));
  g_autoptr(MtBrands) second = load(path);
  ck_assert_uint_eq(mt_brands_count(first), mt_brands_count(second));
  ck_assert_str_eq(claimed(second, "Northwind Bank", NULL), "Northwind Bank");
  ck_assert_str_eq(claimed(second, "Chase Online Banking", NULL), "Chase");
  ck_assert_ptr_null(claimed(second, "Chase", NULL));
  ck_assert(mt_brands_own(second, "northwind.co.uk"));
  MtLookalikeKind kind;
  const char *theirs = NULL;
  ck_assert(mt_brands_lookalike(second, "northwindbamk.example", &kind, &theirs) != NULL);
}
END_TEST

/* A cache of another table, or a damaged one, is never used. */
START_TEST(test_cache_never_stale)
{
  g_autofree char *path = table(TABLE);
  g_autoptr(MtBrands) first = load(path);
  g_free(table("[brand Contoso]\ndomains = contoso.example\n"));
  g_autoptr(MtBrands) edited = load(path);
  ck_assert_uint_eq(mt_brands_count(edited), 1);
  ck_assert_ptr_null(claimed(edited, "Northwind Bank", NULL));
  ck_assert_str_eq(claimed(edited, "Contoso", NULL), "Contoso");
  g_autofree char *cache =
      g_build_filename(tmpdir, "mailtrace", "well-known-senders.compiled", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  ck_assert(g_file_get_contents(cache, &contents, &len, NULL));
  ck_assert(g_file_set_contents(cache, contents, (gssize)(len - 5), NULL)); /* cut short */
  g_autoptr(MtBrands) again = load(path);
  ck_assert_uint_eq(mt_brands_count(again), 1);
  ck_assert_str_eq(claimed(again, "Contoso", NULL), "Contoso");
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("brands");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_claims);
  tcase_add_test(tc, test_cache_same_answers);
  tcase_add_test(tc, test_cache_never_stale);
  suite_add_tcase(s, tc);
  return s;
}
