/* scanner/online/ without the network: what RDAP answers are read as, which server the bootstrap files
 * name, reverse names, the resolver's address form, and the lookup cache's expiry. The lookups
 * themselves run against real servers in tests/integration/test-online.sh. */
#include <string.h>

#include "check-main.h"
#include "json-depth.h"
#include "lookup-cache.h"
#include "online-settings.h"
#include "rdap-bootstrap.h"
#include "rdap-parse.h"
#include "resolver.h"

static MtRdapDomain
parse_domain_ok(const char *json)
{
  MtRdapDomain d;
  g_autoptr(GError) err = NULL;
  ck_assert_msg(mt_rdap_parse_domain(json, strlen(json), &d, &err), "%s",
                err != NULL ? err->message : "");
  return d;
}

START_TEST(test_domain)
{
  MtRdapDomain d = parse_domain_ok(
      "{\"objectClassName\":\"domain\",\"ldhName\":\"EXAMPLE.COM\","
      "\"status\":[\"client transfer prohibited\",\"active\"],"
      "\"events\":[{\"eventAction\":\"expiration\",\"eventDate\":\"2030-01-01T00:00:00Z\"},"
      "{\"eventAction\":\"registration\",\"eventDate\":\"2014-04-06T10:12:44Z\"}],"
      "\"entities\":[{\"objectClassName\":\"entity\",\"roles\":[\"technical\"],"
      "\"vcardArray\":[\"vcard\",[[\"fn\",{},\"text\",\"Not the registrar\"]]]},"
      "{\"objectClassName\":\"entity\",\"roles\":[\"registrar\"],"
      "\"vcardArray\":[\"vcard\",[[\"version\",{},\"text\",\"4.0\"],"
      "[\"fn\",{},\"text\",\"Example Registrar\\u0007, LLC\"]]]}]}");
  ck_assert_int_eq(d.registered, 1396779164); /* the registration, not the expiration */
  ck_assert_str_eq(d.registrar, "Example Registrar\\x07, LLC"); /* controls shown escaped */
  ck_assert_str_eq(d.status, "client transfer prohibited, active");
  mt_rdap_domain_clear(&d);

  /* nothing but the class: no date, no registrar, still an answer */
  d = parse_domain_ok("{\"objectClassName\":\"domain\",\"events\":[{\"eventAction\":"
                      "\"registration\",\"eventDate\":\"not a date\"}],\"entities\":7}");
  ck_assert_int_eq(d.registered, 0);
  ck_assert_ptr_null(d.registrar);
  mt_rdap_domain_clear(&d);
}
END_TEST

START_TEST(test_not_rdap)
{
  static const char *const bad[] = {
      "", "not json", "{\"objectClassName\":\"domain\",\"events\":[", "[1,2]",
      "{\"objectClassName\":\"ip network\"}", /* a network is not a domain */
      "{\"events\":[]}",                      /* no class at all */
      "{\"objectClassName\":7}",
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    MtRdapDomain d;
    g_autoptr(GError) err = NULL;
    ck_assert_msg(!mt_rdap_parse_domain(bad[i], strlen(bad[i]), &d, &err), "%s", bad[i]);
    ck_assert_ptr_nonnull(err);
    mt_rdap_domain_clear(&d);
  }
}
END_TEST

/* An answer nested 200,000 deep (400 KB, under the body cap) overflowed the stack inside
 * json-glib; it is refused before the parser sees it, while a real answer's dozen levels and
 * brackets inside strings pass. */
START_TEST(test_deep_nesting)
{
  const char *shapes[] = {"[", "{\"a\":"};
  for (guint k = 0; k < G_N_ELEMENTS(shapes); k++) {
    g_autoptr(GString) deep = g_string_new(NULL);
    for (guint i = 0; i < 200000; i++)
      g_string_append(deep, shapes[k]);
    MtRdapDomain d;
    MtRdapNetwork n;
    g_autoptr(GError) err = NULL, err2 = NULL;
    ck_assert(!mt_rdap_parse_domain(deep->str, deep->len, &d, &err));
    ck_assert_ptr_nonnull(strstr(err->message, "nested deeper"));
    ck_assert(!mt_rdap_parse_network(deep->str, deep->len, &n, &err2));
    mt_rdap_domain_clear(&d);
    mt_rdap_network_clear(&n);
    g_autoptr(MtRdapBootstrap) b = mt_rdap_bootstrap_new();
    g_autoptr(GError) err3 = NULL;
    ck_assert(!mt_rdap_bootstrap_parse(b, "dns", deep->str, deep->len, &err3));
  }
  const char *strings = "[[[\"]]]]]]\\\"[[[[\"]]]"; /* brackets in a string, an escaped quote */
  ck_assert(mt_json_depth_within(strings, strlen(strings), 3));
  ck_assert(!mt_json_depth_within("[[[[", 4, 3));
}
END_TEST

static const char network_fmt[] =
    "{\"objectClassName\":\"ip network\",\"startAddress\":\"192.0.2.0\","
    "\"endAddress\":\"192.0.2.255\",\"name\":\"NET-1\",\"country\":\"%s\","
    "\"entities\":[{\"objectClassName\":\"entity\",\"roles\":[\"registrant\"],"
    "\"vcardArray\":[\"vcard\",[[\"fn\",{},\"text\",\"Example Hosting\"]]],"
    "\"entities\":[{\"objectClassName\":\"entity\",\"roles\":[\"abuse\",\"technical\"],"
    "\"vcardArray\":[\"vcard\",[[\"fn\",{},\"text\",\"Abuse\"],"
    "[\"email\",{},\"text\",\"%s\"]]]}]}]}";

START_TEST(test_network)
{
  g_autofree char *json = g_strdup_printf(network_fmt, "us", "abuse@hosting.example");
  MtRdapNetwork n;
  g_autoptr(GError) err = NULL;
  ck_assert(mt_rdap_parse_network(json, strlen(json), &n, &err));
  ck_assert_str_eq(n.range, "192.0.2.0 - 192.0.2.255");
  ck_assert_str_eq(n.name, "NET-1");
  ck_assert_str_eq(n.owner, "Example Hosting");
  ck_assert_str_eq(n.country, "US");
  ck_assert_str_eq(n.abuse_email, "abuse@hosting.example"); /* found one entity down */
  mt_rdap_network_clear(&n);

  /* a bidi override in the owner's name is shown escaped, as every control is */
  g_autofree char *bidi = g_strdup(json);
  char *owner = strstr(bidi, "Example Hosting");
  memcpy(owner, "Ex\xe2\x80\xae", 5); /* U+202E in place of "amp" */
  ck_assert(mt_rdap_parse_network(bidi, strlen(bidi), &n, NULL));
  ck_assert_str_eq(n.owner, "Ex\\u202ele Hosting");
  mt_rdap_network_clear(&n);

  /* an address a report would be sent to carries no header syntax; a country is two letters */
  static const char *const refused[] = {"abuse@x.example\r\nBcc: all@x.example",
                                        "Abuse <abuse@x.example>", "no-at-sign", "a@b, c@d"};
  for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
    g_autofree char *j = g_strdup_printf(network_fmt, "United States", refused[i]);
    ck_assert(mt_rdap_parse_network(j, strlen(j), &n, NULL));
    ck_assert_msg(n.abuse_email == NULL, "%s", refused[i]);
    ck_assert_ptr_null(n.country);
    mt_rdap_network_clear(&n);
  }
}
END_TEST

START_TEST(test_bootstrap)
{
  g_autoptr(MtRdapBootstrap) b = mt_rdap_bootstrap_new();
  static const char dns[] =
      "{\"services\":[[[\"com\",\"net\"],[\"http://rdap.example/plain\",\"https://rdap.example/"
      "com/\"]],[[\"uk\"],[\"https://rdap.uk.example\"]],[[\"bad\"],[\"ftp://x\"]]]}";
  ck_assert(mt_rdap_bootstrap_parse(b, "dns", dns, strlen(dns), NULL));
  static const char ipv4[] = "{\"services\":[[[\"192.0.0.0/8\"],[\"https://big.example/\"]],"
                             "[[\"192.0.2.0/24\"],[\"https://small.example/\"]],"
                             "[[\"10.0.0.0/99\",\"nonsense\"],[\"https://never.example/\"]]]}";
  ck_assert(mt_rdap_bootstrap_parse(b, "ipv4", ipv4, strlen(ipv4), NULL));
  static const char ipv6[] = "{\"services\":[[[\"2001:db8::/32\"],[\"https://v6.example/\"]]]}";
  ck_assert(mt_rdap_bootstrap_parse(b, "ipv6", ipv6, strlen(ipv6), NULL));

  /* https preferred, a final slash added; matched on the TLD, in any case */
  ck_assert_str_eq(mt_rdap_bootstrap_domain(b, "Mail.Example.COM"), "https://rdap.example/com/");
  ck_assert_str_eq(mt_rdap_bootstrap_domain(b, "example.co.uk"), "https://rdap.uk.example/");
  ck_assert_ptr_null(mt_rdap_bootstrap_domain(b, "example.org"));
  ck_assert_ptr_null(mt_rdap_bootstrap_domain(b, "x.bad")); /* no http(s) URL */
  /* the longest prefix wins */
  ck_assert_str_eq(mt_rdap_bootstrap_ip(b, "192.0.2.7"), "https://small.example/");
  ck_assert_str_eq(mt_rdap_bootstrap_ip(b, "192.0.3.7"), "https://big.example/");
  ck_assert_ptr_null(mt_rdap_bootstrap_ip(b, "10.1.2.3"));
  ck_assert_str_eq(mt_rdap_bootstrap_ip(b, "2001:db8::1"), "https://v6.example/");
  ck_assert_ptr_null(mt_rdap_bootstrap_ip(b, "2001:db9::1"));
  ck_assert_ptr_null(mt_rdap_bootstrap_ip(b, "not an address"));

  g_autoptr(MtRdapBootstrap) empty = mt_rdap_bootstrap_new();
  ck_assert(!mt_rdap_bootstrap_parse(empty, "dns", "{\"services\":[]}", 15, NULL));
  ck_assert(!mt_rdap_bootstrap_parse(empty, "dns", "{}", 2, NULL));
}
END_TEST

/* The copy shipped in packaging/rdap-bootstrap reads, and names the registries' servers. */
/* Without the files, the warning names where they were looked for (from a build tree it said
 * only "no RDAP bootstrap file"). */
START_TEST(test_bootstrap_missing_says_where)
{
  const char *dirs[] = {"/nonexistent/mailtrace-rdap", NULL};
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(MtRdapBootstrap) b = mt_rdap_bootstrap_load(dirs, w);
  ck_assert_uint_eq(w->len, 3);
  ck_assert_ptr_nonnull(strstr(g_ptr_array_index(w, 0), "looked in /nonexistent/mailtrace-rdap"));
}
END_TEST

START_TEST(test_shipped_bootstrap)
{
  g_autofree char *dir = g_build_filename(g_getenv("MT_SOURCE"), "packaging", "rdap-bootstrap",
                                          NULL);
  const char *const dirs[] = {dir, NULL};
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(MtRdapBootstrap) b = mt_rdap_bootstrap_load(dirs, warnings);
  ck_assert_msg(warnings->len == 0, "%s",
                warnings->len > 0 ? (char *)g_ptr_array_index(warnings, 0) : "");
  ck_assert_ptr_nonnull(mt_rdap_bootstrap_domain(b, "example.com"));
  ck_assert(g_str_has_prefix(mt_rdap_bootstrap_ip(b, "193.0.6.139"), "https://rdap.db.ripe.net"));
  ck_assert(g_str_has_prefix(mt_rdap_bootstrap_ip(b, "8.8.8.8"), "https://rdap.arin.net"));
}
END_TEST

START_TEST(test_reverse_and_resolver)
{
  g_autofree char *v4 = mt_dns_reverse_name("173.0.145.21");
  ck_assert_str_eq(v4, "21.145.0.173.in-addr.arpa");
  g_autofree char *v6 = mt_dns_reverse_name("2001:db8::1");
  ck_assert_str_eq(v6, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
  ck_assert_ptr_null(mt_dns_reverse_name("example.com"));

  ck_assert(mt_resolver_address_is_valid("127.0.0.1"));
  ck_assert(mt_resolver_address_is_valid("127.0.0.1@5353"));
  ck_assert(mt_resolver_address_is_valid("::1@53"));
  static const char *const bad[] = {"127.0.0.1@", "127.0.0.1@0", "127.0.0.1@70000",
                                    "localhost", "127.0.0.1:53", "1.2.3.4@53x", ""};
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
    ck_assert_msg(!mt_resolver_address_is_valid(bad[i]), "%s", bad[i]);
}
END_TEST

START_TEST(test_cache_expiry)
{
  g_autofree char *dir = g_dir_make_tmp("mt-online-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "profiles.sqlite", NULL);
  g_autoptr(MtStore) store = mt_store_open(path, TRUE, NULL);
  ck_assert_ptr_nonnull(store);
  mt_lookup_cache_put(store, "dns A example.com", "ok 192.0.2.1", 1000, 60);
  g_autofree char *v = NULL;
  gint64 at = 0;
  ck_assert(mt_lookup_cache_get(store, "dns A example.com", 1059, &v, &at));
  ck_assert_str_eq(v, "ok 192.0.2.1");
  ck_assert_int_eq(at, 1000);
  g_clear_pointer(&v, g_free);
  ck_assert(!mt_lookup_cache_get(store, "dns A example.com", 1060, &v, NULL)); /* expired */
  ck_assert(!mt_lookup_cache_get(store, "dns A other.example", 1000, &v, NULL));
  /* a new answer replaces the old one */
  mt_lookup_cache_put(store, "dns A example.com", "nxdomain", 2000, 300);
  ck_assert(mt_lookup_cache_get(store, "dns A example.com", 2001, &v, NULL));
  ck_assert_str_eq(v, "nxdomain");
  g_clear_pointer(&v, g_free);
  /* a server's TTL or wait near the largest integer: no signed overflow (UBSan), kept */
  mt_lookup_cache_put(store, "rdap wait example.com", "wait", 3000, G_MAXINT64);
  ck_assert(mt_lookup_cache_get(store, "rdap wait example.com", 4000, &v, NULL));
  g_clear_pointer(&store, mt_store_close);
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("online");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_domain);
  tcase_add_test(tc, test_not_rdap);
  tcase_add_test(tc, test_deep_nesting);
  tcase_add_test(tc, test_network);
  tcase_add_test(tc, test_bootstrap);
  tcase_add_test(tc, test_shipped_bootstrap);
  tcase_add_test(tc, test_bootstrap_missing_says_where);
  tcase_add_test(tc, test_reverse_and_resolver);
  tcase_add_test(tc, test_cache_expiry);
  suite_add_tcase(s, tc);
  return s;
}
