#include "check-main.h"
#include <glib.h>
#include <string.h>

#include "ipaddr.h"

static const struct {
  const char *in, *out;
} norm[] = {
    {"192.0.2.1", "192.0.2.1"},
    {"[192.0.2.1]", "192.0.2.1"},
    {"[192.0.2.1]:41986", "192.0.2.1"},
    {"192.0.2.1:25", "192.0.2.1"},
    {"[IPv6:2001:DB8::1]", "2001:db8::1"},
    {"IPv6:2001:db8:0:0:0:0:0:1", "2001:db8::1"},
    {"[::ffff:192.0.2.55]", "192.0.2.55"},
    {"fe80::1d4c:2b3a:9e8f:7a6b%9", "fe80::1d4c:2b3a:9e8f:7a6b"},
    {" 198.51.100.7 ", "198.51.100.7"},
    {"", NULL},
    {"[]", NULL},
    {"unknown", NULL},
    {"300.1.1.1", NULL},
    {"[192.0.2.1", NULL},
    {"mail.example.org", NULL},
    {"1.2.3.4.5", NULL},
};

START_TEST(test_normalize)
{
  g_autofree char *got = mt_ip_normalize(norm[_i].in, strlen(norm[_i].in));
  ck_assert_msg(g_strcmp0(got, norm[_i].out) == 0, "'%s' -> '%s', expected '%s'", norm[_i].in, got,
                norm[_i].out);
}
END_TEST

static const struct {
  const char *ip;
  gboolean loopback, private_;
} classes[] = {
    {"127.0.0.1", TRUE, TRUE},     {"::1", TRUE, TRUE},          {"10.1.2.3", FALSE, TRUE},
    {"172.16.0.1", FALSE, TRUE},   {"192.168.1.1", FALSE, TRUE}, {"100.64.0.1", FALSE, TRUE},
    {"169.254.1.1", FALSE, TRUE},  {"fe80::1", FALSE, TRUE},     {"fd00::1", FALSE, TRUE},
    {"192.0.2.1", FALSE, FALSE},   {"8.8.8.8", FALSE, FALSE},    {"2001:db8::1", FALSE, FALSE},
    {"100.128.0.1", FALSE, FALSE}, {"not an ip", FALSE, FALSE},
};

START_TEST(test_classes)
{
  ck_assert_int_eq(mt_ip_is_loopback(classes[_i].ip), classes[_i].loopback);
  ck_assert_msg(mt_ip_is_private(classes[_i].ip) == classes[_i].private_, "%s", classes[_i].ip);
}
END_TEST

START_TEST(test_cidr)
{
  g_autoptr(MtCidr) v4 = mt_cidr_parse("192.0.2.0/24");
  g_autoptr(MtCidr) v6 = mt_cidr_parse("2001:db8::/32");
  g_autoptr(MtCidr) one = mt_cidr_parse("198.51.100.7");
  ck_assert_ptr_nonnull(v4);
  ck_assert(mt_cidr_contains(v4, "192.0.2.200"));
  ck_assert(!mt_cidr_contains(v4, "192.0.3.1"));
  ck_assert(!mt_cidr_contains(v4, "2001:db8::1"));
  ck_assert(mt_cidr_contains(v6, "2001:db8:ffff::1"));
  ck_assert(mt_cidr_contains(one, "198.51.100.7"));
  ck_assert(!mt_cidr_contains(one, "198.51.100.8"));
  ck_assert_ptr_null(mt_cidr_parse("192.0.2.0/33"));
  ck_assert_ptr_null(mt_cidr_parse("*.example.org"));
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("ipaddr");
  TCase *tc = tcase_create("ipaddr");
  tcase_add_loop_test(tc, test_normalize, 0, G_N_ELEMENTS(norm));
  tcase_add_loop_test(tc, test_classes, 0, G_N_ELEMENTS(classes));
  tcase_add_test(tc, test_cidr);
  suite_add_tcase(s, tc);
  return s;
}
