/* The pieces of the impersonation checks: the display-name normaliser, TR39 skeletons, the
 * edit distance, look-alike addresses, with rows that must match and rows that must not. */
#include <sqlite3.h>
#include <string.h>

#include "check-main.h"
#include "impersonation.h"
#include "lookalike.h"
#include "names.h"

/* @name has the key of the plain lower-case name @same (NULL: no key at all). Keys are
 * compared, not spelled: a key is what a name looks like (TR39 skeleton: "m" is "rn"). */
static void
assert_key(const char *name, const char *same)
{
  g_autofree char *got = mt_name_key(name);
  g_autofree char *want = same != NULL ? mt_name_key(same) : NULL;
  if (same == NULL)
    ck_assert_msg(got == NULL, "%s -> %s, expected none", name != NULL ? name : "NULL",
                  got != NULL ? got : "");
  else
    ck_assert_msg(got != NULL && want != NULL && strcmp(got, want) == 0,
                  "%s -> %s, expected %s (the key of %s)", name, got != NULL ? got : "(none)",
                  want != NULL ? want : "(none)", same);
}

START_TEST(test_name_key)
{
  /* one person, however written */
  assert_key("Dan Miller", "dan miller");
  assert_key("dan MILLER", "dan miller");
  assert_key("\"Miller, Dan\"", "dan miller");
  assert_key("Miller Dan", "dan miller");
  assert_key("Dan J. Miller", "dan miller");
  assert_key("'Dan Miller'", "dan miller");
  assert_key("Dan Miller via Acme Portal", "dan miller");
  assert_key("Dan Miller (via Google Docs)", "dan miller");
  assert_key("Dan Miller (Northwind)", "dan miller");
  assert_key("Dán Müller", "dan muller");
  assert_key("José  Álvarez-Núñez", "alvarez-nunez jose");
  /* not a person's name to compare */
  assert_key("Dan", NULL);
  assert_key("dan@example.com", NULL);
  assert_key("\"dan.miller@example.com\" Dan", NULL);
  assert_key("D. Miller", "d miller"); /* an initial alone stays: it is not Dan for sure */
  assert_key("", NULL);
  assert_key(NULL, NULL);
  assert_key("a b c d e f g", NULL);
  /* disguises: the business-email-compromise tricks fold to the name they imitate */
  assert_key("Dan Mi\xe2\x80\x8bller", "dan miller");        /* U+200B inside a word */
  assert_key("Dan\xe2\x80\x8d Miller", "dan miller");        /* U+200D */
  assert_key("Dan \xe2\x81\xa0Miller", "dan miller");        /* U+2060 word joiner */
  assert_key("\xef\xbb\xbf" "Dan Miller", "dan miller");     /* U+FEFF */
  assert_key("Dan Mil\xc2\xadler", "dan miller");             /* soft hyphen */
  assert_key("Dan \xe2\x80\x8eMiller", "dan miller");        /* LRM */
  assert_key("Dan Miller\xf3\xa0\x80\x81", "dan miller");   /* a tag character */
  assert_key("Dan\xe3\x85\xa4Miller", "dan miller");         /* the Hangul filler as a space */
  assert_key("D\xd0\xb0n Mill\xd0\xb5r", "dan miller");     /* Cyrillic а and е */
  assert_key("Dan M\xce\xb9ller", "dan miller");              /* Greek ι */
  assert_key("\xef\xbc\xa4\xef\xbd\x81\xef\xbd\x8e Miller", "dan miller"); /* full-width */
  assert_key("\xf0\x9d\x90\x83\xf0\x9d\x90\x9a\xf0\x9d\x90\xa7 Miller", "dan miller"); /* bold */
  assert_key("Dan MiIler", "dan miller");                       /* a capital I for an l */
}
END_TEST

/* The reason names the disguise a person can check. */
START_TEST(test_name_disguise)
{
  const struct {
    const char *name, *says;
  } cases[] = {
      {"Dan MiIler", "a capital 'I' where your contact writes an 'l'"},
      {"Dan\xe2\x80\x8b Miller", "an invisible character (U+200B) between 'Dan' and 'Miller'"},
      {"Dan\xe3\x85\xa4Miller", "a Hangul filler (U+3164) as a blank"},
      {"D\xd0\xb0n Miller", "a Cyrillic"},
      {"Dan M\xce\xb9ller", "a Greek"},
      {"\xef\xbc\xa4" "an Miller", "full-width or mathematical letters"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *d = mt_name_disguise(cases[i].name, "Dan Miller");
    ck_assert_msg(d != NULL && strstr(d, cases[i].says) != NULL, "%s -> %s", cases[i].name,
                  d != NULL ? d : "(none)");
  }
  ck_assert_ptr_null(mt_name_disguise("Dan Miller", "Dan Miller"));
  ck_assert_ptr_null(mt_name_disguise("José Álvarez", NULL));
  ck_assert_ptr_null(mt_name_disguise("Ian McIntyre", "Ian McIntyre")); /* a real capital I */
}
END_TEST

START_TEST(test_names_that_differ)
{
  /* Ann Lee and Anne Lee are two people unless the user says so */
  g_autofree char *ann = mt_name_key("Ann Lee"), *anne = mt_name_key("Anne Lee");
  ck_assert_str_ne(ann, anne);
  g_autofree char *dan = mt_name_key("Dan Miller"), *daniel = mt_name_key("Daniel Miller");
  ck_assert_str_ne(dan, daniel);
  g_autofree char *d = mt_name_key("D. Miller");
  ck_assert_str_ne(d, dan);
  ck_assert(mt_name_has_via("Dan Miller via LinkedIn"));
  ck_assert(mt_name_has_via("Dan Miller (via Acme)"));
  ck_assert(!mt_name_has_via("Dan Viator"));
  ck_assert(!mt_name_has_via(NULL));
}
END_TEST

static void
assert_same_skeleton(const char *a, const char *b, gboolean same)
{
  g_autofree char *x = mt_skeleton(a), *y = mt_skeleton(b);
  ck_assert(x != NULL && y != NULL);
  ck_assert_msg((strcmp(x, y) == 0) == same, "%s (%s) vs %s (%s)", a, x, b, y);
}

START_TEST(test_skeleton)
{
  assert_same_skeleton("northwind-suppIy.com", "northwind-supply.com", TRUE); /* capital I */
  assert_same_skeleton("rnicrosoft.com", "microsoft.com", TRUE);
  assert_same_skeleton("g00gle.com", "google.com", FALSE); /* a zero is no capital O */
  assert_same_skeleton("gOOgle.com", "google.com", FALSE);
  assert_same_skeleton("\xd0\xb0pple.com", "apple.com", TRUE); /* Cyrillic a */
  assert_same_skeleton("p\xd0\xb0yp\xd0\xb0l.com", "paypal.com", TRUE);
  assert_same_skeleton("example.com", "examp1e.com", TRUE); /* a one for an l */
  assert_same_skeleton("northwind.com", "northwood.com", FALSE);
  assert_same_skeleton("ann", "anne", FALSE);
  ck_assert_ptr_null(mt_skeleton("\xff\xfe"));
}
END_TEST

/* Names folded into words: ASCII takes a path of its own, which must give what the Unicode
 * path gives (forced by a last word with an accent, which folds to "e"). */
START_TEST(test_name_words_ascii_path)
{
  static const char *const names[] = {"Microsoft account team ,_", "PayPal-Secure Login",
                                      "MILLER, Dan J.", "I T A U", "g00gle\tDrive", "AB-cd",
                                      "Booking.com Support", "  spaced   out  ", "x|l1I0O", ""};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
    g_auto(GStrv) fast = mt_name_words(names[i]);
    g_autofree char *forced = g_strconcat(names[i], " \xc3\xa9", NULL);
    g_auto(GStrv) slow = mt_name_words(forced);
    ck_assert(fast != NULL && slow != NULL);
    guint n = g_strv_length(fast);
    ck_assert_uint_eq(g_strv_length(slow), n + 1);
    for (guint k = 0; k < n; k++)
      ck_assert_msg(strcmp(fast[k], slow[k]) == 0, "%s: %s vs %s", names[i], fast[k], slow[k]);
    ck_assert_str_eq(slow[n], "e");
  }
  g_auto(GStrv) m = mt_name_words("Microsoft");
  ck_assert_str_eq(m[0], "rnicrosoft");
}
END_TEST

/* An ASCII string takes the table of ASCII skeletons: each printable character alone, and a
 * mixed string, give what the general path gives (forced by a trailing non-ASCII letter). */
START_TEST(test_skeleton_ascii_path)
{
  for (int c = 0x20; c < 0x7f; c++) {
    char ascii[8] = {(char)c, 'x', 'Y', '\0'};
    char mixed[8] = {(char)c, 'x', 'Y', '\xc3', '\xa9', '\0'}; /* ...é */
    g_autofree char *fast = mt_skeleton(ascii);
    g_autofree char *slow = mt_skeleton(mixed);
    ck_assert(fast != NULL && slow != NULL);
    ck_assert_msg(g_str_has_prefix(slow, fast), "'%c': %s vs %s", c, fast, slow);
  }
  g_autofree char *a = mt_skeleton("PayPal-l1I|0O mw");
  g_autofree char *b = mt_skeleton("PayPal-l1I|0O mw\xc3\xa9");
  ck_assert(g_str_has_prefix(b, a));
}
END_TEST

START_TEST(test_distance)
{
  ck_assert_uint_eq(mt_edit_distance("northwind", "northwind", 2), 0);
  ck_assert_uint_eq(mt_edit_distance("northwind", "northwnd", 2), 1);      /* dropped */
  ck_assert_uint_eq(mt_edit_distance("northwind", "nortwhind", 2), 1);     /* swapped */
  ck_assert_uint_eq(mt_edit_distance("northwind", "north-wind", 2), 1);    /* inserted */
  ck_assert_uint_eq(mt_edit_distance("northwind", "northwinf", 2), 1);     /* replaced */
  ck_assert_uint_eq(mt_edit_distance("northwind", "southwind", 2), 2);
  ck_assert_uint_eq(mt_edit_distance("kitten", "sitting", 5), 3);
  ck_assert_uint_eq(mt_edit_distance("northwind", "contoso", 2), 3); /* over max: max + 1 */
  ck_assert_uint_eq(mt_edit_distance("", "abc", 5), 3);
  ck_assert_uint_eq(mt_edit_distance("m\xc3\xbcller", "muller", 2), 1); /* code points */
}
END_TEST

static const char *const contacts[] = {"dan.miller@northwind-supply.com",
                                       "ann.lee@contoso.co.uk", "bob@gmail.com",
                                       "team@apple.com", NULL};

/* Learns one message from each of @addresses into a new store in @dir. */
static MtStore *
store_with(const char *dir, const char *const *addresses)
{
  g_autofree char *path = g_build_filename(dir, "profiles.sqlite", NULL);
  MtStore *store = mt_store_open(path, TRUE, NULL);
  ck_assert_ptr_nonnull(store);
  g_autoptr(MtTrust) trust = mt_trust_new();
  MtFactsContext ctx = {.trust = trust};
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++) {
    g_autofree char *text = g_strdup_printf("From: <%s>\nTo: me@example.net\nSubject: hi\n"
                                            "Message-ID: <%u@x>\n\nhi\n",
                                            addresses[i], i);
    g_autoptr(MtFacts) facts = mt_facts_collect(text, strlen(text), &ctx);
    g_autoptr(MtFingerprint) fp = mt_fingerprint_of(facts);
    g_autofree char *hash = g_strdup_printf("hash-%u", i);
    MtLearnResult result;
    ck_assert(mt_store_learn(store, fp, hash, NULL, &result, NULL));
  }
  return store;
}

static void
remove_dir(const char *dir)
{
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}

static void
assert_lookalike(MtStore *store, const char *address, MtLookalikeKind kind, const char *known)
{
  MtLookalike l;
  gboolean hit = mt_lookalike_find(store, 1, address, &l);
  if (kind == MT_LOOKALIKE_NONE) {
    ck_assert_msg(!hit, "%s looks like %s (kind %d)", address, hit ? l.known : "", l.kind);
  } else {
    ck_assert_msg(hit, "%s: no lookalike found", address);
    ck_assert_msg(l.kind == kind, "%s: kind %d, expected %d", address, l.kind, kind);
    ck_assert_str_eq(l.known, known);
  }
  mt_lookalike_clear(&l);
}

START_TEST(test_lookalike)
{
  g_autofree char *dir = g_dir_make_tmp("mt-look-XXXXXX", NULL);
  g_autoptr(MtStore) ks = store_with(dir, contacts);
  const char *dan = contacts[0], *ann = contacts[1];
  assert_lookalike(ks, "dan.miller@northwind-suppIy.com", MT_LOOKALIKE_CONFUSABLE, dan);
  assert_lookalike(ks, "dan.miller@northwnd-supply.com", MT_LOOKALIKE_TYPO, dan);
  assert_lookalike(ks, "dan.miller@northwindsupply.com", MT_LOOKALIKE_TYPO, dan);
  assert_lookalike(ks, "dan.miller@nortwhind-supply.com", MT_LOOKALIKE_TYPO, dan); /* swapped */
  assert_lookalike(ks, "accounts@northwnd-suply.com", MT_LOOKALIKE_TYPO, dan); /* two, long */
  assert_lookalike(ks, "accounts@nrthwnd-suply.com", MT_LOOKALIKE_NONE, NULL); /* three */
  assert_lookalike(ks, "info@contosso.co.uk", MT_LOOKALIKE_TYPO, ann);
  assert_lookalike(ks, "info@cantasso.com", MT_LOOKALIKE_NONE, NULL); /* two, short */
  assert_lookalike(ks, "dan.miller@northwind-supply.co", MT_LOOKALIKE_OTHER_TLD, dan);
  assert_lookalike(ks, "billing@contoso.com", MT_LOOKALIKE_OTHER_TLD, ann);
  assert_lookalike(ks, "info@apple.org", MT_LOOKALIKE_OTHER_TLD, contacts[3]);
  assert_lookalike(ks, "dan.miller@yahoo.com", MT_LOOKALIKE_LOCAL_PART, dan);
  assert_lookalike(ks, "dan.miller@gmail.com", MT_LOOKALIKE_LOCAL_PART, dan); /* a shared one */
  /* an IDN homograph, as it arrives: punycode */
  g_autofree char *idn = mt_domain_to_ascii("\xd0\xb0pple.com");
  ck_assert_ptr_nonnull(idn);
  ck_assert(g_str_has_prefix(idn, "xn--"));
  g_autofree char *spoof = g_strconcat("team@", idn, NULL);
  MtLookalike l;
  ck_assert(mt_lookalike_find(ks, 1, spoof, &l));
  ck_assert_int_eq(l.kind, MT_LOOKALIKE_CONFUSABLE);
  ck_assert_str_eq(l.domain, "\xd0\xb0pple.com"); /* decoded for the reader */
  ck_assert_str_eq(l.ascii, idn);                 /* and as DNS has it */
  mt_lookalike_clear(&l);

  /* rows that must not match */
  assert_lookalike(ks, "dan.miller@northwind-supply.com", MT_LOOKALIKE_NONE, NULL); /* itself */
  assert_lookalike(ks, "Dan.Miller+x@Northwind-Supply.com", MT_LOOKALIKE_NONE, NULL);
  assert_lookalike(ks, "sales@northwind-supply.com", MT_LOOKALIKE_NONE, NULL); /* its domain */
  assert_lookalike(ks, "alice@gmail.co.uk", MT_LOOKALIKE_NONE, NULL); /* shared provider */
  assert_lookalike(ks, "carol@gmx.de", MT_LOOKALIKE_NONE, NULL);
  assert_lookalike(ks, "bob@hotmail.com", MT_LOOKALIKE_NONE, NULL); /* a short local part */
  assert_lookalike(ks, "support@ab.com", MT_LOOKALIKE_NONE, NULL); /* names too short to tell */
  assert_lookalike(ks, "someone@southwind-trade.com", MT_LOOKALIKE_NONE, NULL);
  assert_lookalike(ks, "not an address", MT_LOOKALIKE_NONE, NULL);
  /* a contact of one message is nobody to imitate yet when two are asked for */
  ck_assert(!mt_lookalike_find(ks, 2, "dan.miller@northwnd-supply.com", &l));
  g_autofree char *empty_dir = g_dir_make_tmp("mt-look-XXXXXX", NULL);
  g_autoptr(MtStore) none = store_with(empty_dir, NULL);
  assert_lookalike(none, "dan.miller@northwnd-supply.com", MT_LOOKALIKE_NONE, NULL);
  remove_dir(dir);
  remove_dir(empty_dir);
}
END_TEST

/* The keys follow the contacts: a forgotten contact is nobody to imitate, the keys of a domain
 * stay while another contact writes from there, and a store from before the keys gets them. */
START_TEST(test_lookalike_keys_follow_contacts)
{
  g_autofree char *dir = g_dir_make_tmp("mt-look-XXXXXX", NULL);
  static const char *const two[] = {"dan.miller@northwind-supply.com",
                                    "eve.stone@northwind-supply.com", NULL};
  g_autoptr(MtStore) store = store_with(dir, two);
  gboolean found = FALSE;
  ck_assert(mt_store_forget(store, two[0], &found, NULL) && found);
  assert_lookalike(store, "dan.miller@northwnd-supply.com", MT_LOOKALIKE_TYPO, two[1]);
  ck_assert(mt_store_forget(store, two[1], &found, NULL) && found);
  assert_lookalike(store, "dan.miller@northwnd-supply.com", MT_LOOKALIKE_NONE, NULL);
  g_clear_pointer(&store, mt_store_close);

  /* a store at schema 7, made by the mailtrace before the keys: opened, it is filed */
  g_autofree char *old_dir = g_dir_make_tmp("mt-look-XXXXXX", NULL);
  g_autoptr(MtStore) old = store_with(old_dir, contacts);
  g_clear_pointer(&old, mt_store_close);
  g_autofree char *path = g_build_filename(old_dir, "profiles.sqlite", NULL);
  sqlite3 *db = NULL;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(db,
                                "DROP TABLE contact_keys; DROP TABLE domain_keys; "
                                "DROP TABLE label_variants; DROP INDEX contacts_by_messages; "
                                "PRAGMA user_version = 7",
                                NULL, NULL, NULL),
                   SQLITE_OK);
  sqlite3_close(db);
  old = mt_store_open(path, FALSE, NULL);
  ck_assert_ptr_nonnull(old);
  assert_lookalike(old, "dan.miller@northwnd-supply.com", MT_LOOKALIKE_TYPO, contacts[0]);
  assert_lookalike(old, "info@apple.org", MT_LOOKALIKE_OTHER_TLD, contacts[3]);
  remove_dir(dir);
  remove_dir(old_dir);
}
END_TEST

static gboolean
has_reason(const MtVerdict *v, const char *code)
{
  for (guint i = 0; i < v->reasons->len; i++)
    if (strcmp(((const MtReason *)g_ptr_array_index(v->reasons, i))->code, code) == 0)
      return TRUE;
  return FALSE;
}

/* A long-running process (watch) sees a contact that another process learned since it started. */
START_TEST(test_index_follows_store)
{
  g_autofree char *dir = g_dir_make_tmp("mt-imp-XXXXXX", NULL);
  g_autofree char *path = g_build_filename(dir, "profiles.sqlite", NULL);
  g_autoptr(MtStore) store = mt_store_open(path, TRUE, NULL);
  ck_assert_ptr_nonnull(store);
  g_autoptr(MtImpersonation) imp = mt_impersonation_new(1);
  g_autoptr(MtTrust) trust = mt_trust_new();
  MtFactsContext ctx = {.trust = trust};
  g_autoptr(GHashTable) weights = g_hash_table_new(g_str_hash, g_str_equal);
  MtPolicy policy = {.weights = weights, .threshold = 4, .min_history = 1};
  static const char forged[] = "From: Dan Miller <dan.miller@northwnd-supply.com>\nTo: a@b.example\n"
                               "Subject: pay\nMessage-ID: <f@northwnd-supply.com>\n\npay\n";
  g_autoptr(MtFacts) facts = mt_facts_collect(forged, strlen(forged), &ctx);
  g_autoptr(MtFingerprint) fp = mt_fingerprint_of(facts);
  g_autoptr(MtVerdict) before = mt_verdict_new();
  mt_impersonation_check(imp, store, facts, fp, NULL, &policy, before);
  ck_assert_uint_eq(before->reasons->len, 0); /* nobody learned: nothing to resemble */

  /* another process learns Dan */
  static const char genuine[] = "From: Dan Miller <dan.miller@northwind-supply.com>\nTo: a@b.example\n"
                                "Subject: order\nMessage-ID: <g@northwind-supply.com>\n\nok\n";
  g_autoptr(MtFacts) gf = mt_facts_collect(genuine, strlen(genuine), &ctx);
  g_autoptr(MtFingerprint) gfp = mt_fingerprint_of(gf);
  g_autoptr(MtStore) other = mt_store_open(path, FALSE, NULL);
  MtLearnResult result;
  ck_assert(mt_store_learn(other, gfp, "hash-1", "g@northwind-supply.com", &result, NULL));
  g_autoptr(MtVerdict) after = mt_verdict_new();
  mt_impersonation_check(imp, store, facts, fp, NULL, &policy, after);
  ck_assert(has_reason(after, "lookalike-contact"));
  ck_assert(has_reason(after, "contact-name-new-address"));
  ck_assert(has_reason(after, "first-contact"));
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("impersonation");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_name_key);
  tcase_add_test(tc, test_names_that_differ);
  tcase_add_test(tc, test_name_disguise);
  tcase_add_test(tc, test_skeleton);
  tcase_add_test(tc, test_skeleton_ascii_path);
  tcase_add_test(tc, test_name_words_ascii_path);
  tcase_add_test(tc, test_distance);
  tcase_add_test(tc, test_lookalike);
  tcase_add_test(tc, test_index_follows_store);
  tcase_add_test(tc, test_lookalike_keys_follow_contacts);
  suite_add_tcase(s, tc);
  return s;
}
