#include <glib/gstdio.h>
#include <string.h>

#include "check-main.h"
#include "geo.h"

static const struct {
  const char *ip, *country;
  guint32 asn;
  const char *org;
} rows[] = {
    {"186.226.237.238", "BR", 28333, "Example Telecom Brasil"},
    {"72.52.186.80", "US", 6939, "Hurricane Electric LLC"},
    {"203.0.113.9", "RU", 64500, "Documentation Networks, Test"},
    {"2001:db8::25", "DE", 64501, "IPv6 Documentation"},
    {"198.51.100.1", NULL, 0, NULL},
    {"not-an-address", NULL, 0, NULL},
};

/* Both country layouts: ip-location-db's flat `country_code` and GeoLite2's nested one. */
START_TEST(test_lookup)
{
  const char *country_db =
      g_getenv((guint)_i < G_N_ELEMENTS(rows) ? "MT_TEST_COUNTRY_DB" : "MT_TEST_GEOLITE_DB");
  guint r = _i % G_N_ELEMENTS(rows);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(MtGeoDb) geo = mt_geo_open(country_db, g_getenv("MT_TEST_ASN_DB"), warnings);
  ck_assert_uint_eq(warnings->len, 0);
  ck_assert(mt_geo_is_usable(geo));
  MtGeoInfo info;
  mt_geo_lookup(geo, rows[r].ip, &info);
  ck_assert_pstr_eq(info.country, rows[r].country);
  ck_assert_uint_eq(info.asn, rows[r].asn);
  ck_assert_pstr_eq(info.as_org, rows[r].org);
  mt_geo_info_clear(&info);
}
END_TEST

START_TEST(test_missing_and_corrupt)
{
  g_autofree char *dir = g_dir_make_tmp("mt-geo-XXXXXX", NULL);
  g_autofree char *corrupt = g_build_filename(dir, "corrupt.mmdb", NULL);
  ck_assert(g_file_set_contents(corrupt, "this is not a MaxMind DB\n", -1, NULL));
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(MtGeoDb) geo = mt_geo_open(corrupt, "/nonexistent/asn.mmdb", warnings);
  ck_assert_uint_eq(warnings->len, 2);
  ck_assert_ptr_nonnull(strstr(g_ptr_array_index(warnings, 0), "corrupt.mmdb"));
  ck_assert(!mt_geo_is_usable(geo));
  MtGeoInfo info;
  mt_geo_lookup(geo, "186.226.237.238", &info);
  ck_assert_ptr_null(info.country);
  ck_assert_uint_eq(info.asn, 0);
  mt_geo_lookup(NULL, "186.226.237.238", &info);
  ck_assert_ptr_null(info.country);
  g_unlink(corrupt);
  g_rmdir(dir);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("geo");
  TCase *tc = tcase_create("geo");
  tcase_add_loop_test(tc, test_lookup, 0, 2 * G_N_ELEMENTS(rows));
  tcase_add_test(tc, test_missing_and_corrupt);
  suite_add_tcase(s, tc);
  return s;
}
