#include <glib/gstdio.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check-main.h"
#include "names.h"
#include "relays.h"
#include "store.h"

static char *tmpdir, *path;

static void
setup(void)
{
  tmpdir = g_dir_make_tmp("mt-store-XXXXXX", NULL);
  path = g_build_filename(tmpdir, "sub", "profiles.sqlite", NULL);
}

static void
teardown(void)
{
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
  ck_assert_int_eq(system(cmd), 0);
  g_clear_pointer(&tmpdir, g_free);
  g_clear_pointer(&path, g_free);
}

/* A fingerprint with the given attr=value pairs. */
static MtFingerprint *
fp_new(const char *address, gboolean aligned, ...)
{
  MtFingerprint *fp = g_new0(MtFingerprint, 1);
  fp->address = g_strdup(address);
  fp->dkim_aligned = aligned;
  fp->values = g_ptr_array_new();
  va_list ap;
  va_start(ap, aligned);
  for (const char *attr; (attr = va_arg(ap, const char *)) != NULL;) {
    MtFpValue *v = g_new0(MtFpValue, 1);
    v->attr = attr;
    v->value = g_strdup(va_arg(ap, const char *));
    g_ptr_array_add(fp->values, v);
  }
  va_end(ap);
  g_ptr_array_set_free_func(fp->values, NULL);
  return fp;
}

static void
fp_free(MtFingerprint *fp)
{
  for (guint i = 0; i < fp->values->len; i++) {
    MtFpValue *v = g_ptr_array_index(fp->values, i);
    g_free(v->value);
    g_free(v);
  }
  g_ptr_array_unref(fp->values);
  g_free(fp->address);
  g_free(fp);
}

static const MtProfileValue *
top(const MtProfile *p, const char *attr)
{
  GPtrArray *list = g_hash_table_lookup(p->attrs, attr);
  return list != NULL && list->len > 0 ? g_ptr_array_index(list, 0) : NULL;
}

static MtLearnResult
learn(MtStore *s, MtFingerprint *fp, const char *hash, const char *mid)
{
  MtLearnResult r;
  g_autoptr(GError) err = NULL;
  ck_assert_msg(mt_store_learn(s, fp, hash, mid, &r, &err), "%s", err ? err->message : "");
  return r;
}

START_TEST(test_create_reopen_dedup)
{
  g_autoptr(GError) err = NULL;
  ck_assert_ptr_null(mt_store_open(path, FALSE, &err)); /* not there, not created */
  g_clear_error(&err);
  MtStore *s = mt_store_open(path, TRUE, &err);
  ck_assert_msg(s != NULL, "%s", err ? err->message : "");
  GStatBuf st;
  ck_assert_int_eq(g_stat(path, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0600); /* the user's alone */
  MtFingerprint *a = fp_new("alice@example.org", FALSE, MT_FP_NETWORK, "AS3320", MT_FP_MAILER,
                            "Thunderbird", NULL);
  ck_assert_int_eq(learn(s, a, "h1", "m1@example.org"), MT_LEARN_ADDED);
  ck_assert_int_eq(learn(s, a, "h1", NULL), MT_LEARN_DUPLICATE);             /* same content */
  ck_assert_int_eq(learn(s, a, "h2", "m1@example.org"), MT_LEARN_DUPLICATE); /* same id */
  ck_assert_int_eq(learn(s, a, "h3", "m3@example.org"), MT_LEARN_ADDED);
  mt_store_close(s);

  s = mt_store_open(path, FALSE, &err);
  ck_assert_ptr_nonnull(s);
  g_autoptr(MtProfile) p = mt_store_profile(s, "alice@example.org", &err);
  ck_assert_ptr_nonnull(p);
  ck_assert_uint_eq(p->messages, 2);
  ck_assert_str_eq(top(p, MT_FP_NETWORK)->value, "AS3320");
  ck_assert_uint_eq(top(p, MT_FP_NETWORK)->count, 2);
  ck_assert_ptr_null(mt_store_profile(s, "nobody@example.org", &err));
  ck_assert_ptr_null(err);
  fp_free(a);
  mt_store_close(s);
}
END_TEST

START_TEST(test_dkim_counts_more)
{
  g_autoptr(MtStore) s = mt_store_open(path, TRUE, NULL);
  MtFingerprint *signed_ = fp_new("bob@example.org", TRUE, MT_FP_MAILER, "Outlook", NULL);
  MtFingerprint *plain = fp_new("bob@example.org", FALSE, MT_FP_MAILER, "Mutt", NULL);
  learn(s, signed_, "h1", NULL);
  learn(s, plain, "h2", NULL);
  g_autoptr(MtProfile) p = mt_store_profile(s, "bob@example.org", NULL);
  ck_assert_str_eq(top(p, MT_FP_MAILER)->value, "Outlook");
  ck_assert_double_eq(top(p, MT_FP_MAILER)->weight, 2.0);
  fp_free(signed_);
  fp_free(plain);
}
END_TEST

START_TEST(test_spam_feedback_and_forget)
{
  g_autoptr(MtStore) s = mt_store_open(path, TRUE, NULL);
  MtFingerprint *good = fp_new("carol@example.org", FALSE, MT_FP_NETWORK, "AS1", NULL);
  MtFingerprint *bad = fp_new("carol@example.org", FALSE, MT_FP_NETWORK, "AS666", NULL);
  learn(s, good, "g1", NULL);
  learn(s, bad, "b1", "spam@x");
  MtLearnResult r;
  ck_assert(mt_store_feedback(s, bad, "b1", "spam@x", TRUE, &r, NULL));
  ck_assert_int_eq(r, MT_LEARN_ADDED);
  g_autoptr(MtProfile) p = mt_store_profile(s, "carol@example.org", NULL);
  ck_assert_uint_eq(p->messages, 1);
  ck_assert_uint_eq(p->spam, 1);
  GPtrArray *nets = g_hash_table_lookup(p->attrs, MT_FP_NETWORK);
  ck_assert_uint_eq(nets->len, 1); /* AS666 taken back */
  ck_assert_int_eq(learn(s, bad, "b1", NULL), MT_LEARN_REFUSED);
  ck_assert(
      mt_store_feedback(s, bad, "b2", NULL, TRUE, &r, NULL)); /* never learned: refused later */
  ck_assert_int_eq(learn(s, bad, "b2", NULL), MT_LEARN_REFUSED);
  gboolean found = FALSE;
  ck_assert(mt_store_forget(s, "carol@example.org", &found, NULL));
  ck_assert(found);
  ck_assert_ptr_null(mt_store_profile(s, "carol@example.org", NULL));
  ck_assert(mt_store_forget(s, "carol@example.org", &found, NULL));
  ck_assert(!found);
  fp_free(good);
  fp_free(bad);
}
END_TEST

/* A message moved into Junk by mistake and moved back out: the user's later word wins. */
START_TEST(test_ham_after_spam)
{
  g_autoptr(MtStore) s = mt_store_open(path, TRUE, NULL);
  MtFingerprint *fp = fp_new("dave@example.org", FALSE, MT_FP_NETWORK, "AS1", NULL);
  MtLearnResult r;
  ck_assert(mt_store_feedback(s, fp, "h1", "m1@x", TRUE, &r, NULL));
  ck_assert_int_eq(r, MT_LEARN_ADDED);
  ck_assert(mt_store_feedback(s, fp, "h1", "m1@x", FALSE, &r, NULL));
  ck_assert_int_eq(r, MT_LEARN_ADDED);
  g_autoptr(MtProfile) p = mt_store_profile(s, "dave@example.org", NULL);
  ck_assert_uint_eq(p->messages, 1);
  ck_assert_uint_eq(p->spam, 0);
  ck_assert_uint_eq(((GPtrArray *)g_hash_table_lookup(p->attrs, MT_FP_NETWORK))->len, 1);
  /* plain learning still refuses what is reported as spam; the report again undoes it */
  ck_assert(mt_store_feedback(s, fp, "h1", "m1@x", TRUE, &r, NULL));
  ck_assert_int_eq(learn(s, fp, "h1", "m1@x"), MT_LEARN_REFUSED);
  g_autoptr(MtProfile) q = mt_store_profile(s, "dave@example.org", NULL);
  ck_assert_uint_eq(q->messages, 0);
  ck_assert_uint_eq(q->spam, 1);
  fp_free(fp);
}
END_TEST

/* The profile cache: what another connection (another process) commits is seen at once, a
 * known answer is served again, and a profile outlives its first holder. */
START_TEST(test_profile_cache)
{
  g_autoptr(MtStore) reader = mt_store_open(path, TRUE, NULL);
  g_autoptr(MtStore) learner = mt_store_open(path, TRUE, NULL);
  ck_assert_ptr_null(mt_store_profile(reader, "erin@example.org", NULL)); /* cached: unknown */
  MtFingerprint *fp = fp_new("erin@example.org", FALSE, MT_FP_NETWORK, "AS1", NULL);
  ck_assert_int_eq(learn(learner, fp, "h1", "m1@x"), MT_LEARN_ADDED);
  MtProfile *p = mt_store_profile(reader, "erin@example.org", NULL);
  ck_assert_ptr_nonnull(p);
  ck_assert_uint_eq(p->messages, 1);
  MtProfile *again = mt_store_profile(reader, "erin@example.org", NULL);
  mt_profile_free(p);
  ck_assert_str_eq(again->address, "erin@example.org");
  ck_assert_uint_eq(again->messages, 1);
  mt_profile_free(again);
  ck_assert_int_eq(learn(learner, fp, "h2", "m2@x"), MT_LEARN_ADDED);
  g_autoptr(MtProfile) later = mt_store_profile(reader, "erin@example.org", NULL);
  ck_assert_uint_eq(later->messages, 2);
  fp_free(fp);
}
END_TEST

/* A contact's dates are those of their mail (learned in any order), not of the learning; an
 * impossible date (ahead of now) is taken as now. */
START_TEST(test_contact_dates_are_the_mails)
{
  g_autoptr(MtStore) s = mt_store_open(path, TRUE, NULL);
  MtFingerprint *fp = fp_new("frank@example.org", FALSE, MT_FP_NETWORK, "AS1", NULL);
  fp->when = 1500000000; /* 2017-07-14 */
  ck_assert_int_eq(learn(s, fp, "h1", "m1@x"), MT_LEARN_ADDED);
  fp->when = 1400000000; /* 2014-05-13, learned later */
  ck_assert_int_eq(learn(s, fp, "h2", "m2@x"), MT_LEARN_ADDED);
  g_autoptr(MtProfile) p = mt_store_profile(s, "frank@example.org", NULL);
  ck_assert_int_eq(p->first_seen, 1400000000);
  ck_assert_int_eq(p->last_seen, 1500000000);
  fp->when = g_get_real_time() / G_USEC_PER_SEC + 10 * 86400; /* forged: ten days ahead */
  ck_assert_int_eq(learn(s, fp, "h3", "m3@x"), MT_LEARN_ADDED);
  g_autoptr(MtProfile) q = mt_store_profile(s, "frank@example.org", NULL);
  ck_assert_int_le(q->last_seen, g_get_real_time() / G_USEC_PER_SEC);
  ck_assert_int_gt(q->last_seen, 1500000000);
  fp_free(fp);
}
END_TEST

START_TEST(test_newer_and_corrupt)
{
  {
    g_autoptr(MtStore) s = mt_store_open(path, TRUE, NULL);
  }
  sqlite3 *db = NULL;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
  g_autoptr(GError) err = NULL;
  ck_assert_ptr_null(mt_store_open(path, FALSE, &err));
  ck_assert_ptr_nonnull(strstr(err->message, "newer"));
  g_clear_error(&err);
  g_autofree char *junk = g_build_filename(tmpdir, "junk.sqlite", NULL);
  ck_assert(
      g_file_set_contents(junk, "this is not a database, just text that is long enough", -1, NULL));
  ck_assert_ptr_null(mt_store_open(junk, TRUE, &err));
  ck_assert_ptr_nonnull(strstr(err->message, "junk.sqlite"));
}
END_TEST

/* A store from before schema 6 kept a missing part as the word "none": opening it makes that
 * the absent value, and leaves a value of an attribute that never meant absence alone. */
START_TEST(test_absent_was_none)
{
  {
    g_autoptr(MtStore) s = mt_store_open(path, TRUE, NULL);
  }
  sqlite3 *db = NULL;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  const char *v5 =
      "PRAGMA user_version = 5;"
      "INSERT INTO contacts VALUES ('a@example.org', 1, 0, 0, 0);"
      "INSERT INTO observations VALUES ('a@example.org', 'mailer', 'none', NULL, 1.0, 1);"
      "INSERT INTO observations VALUES ('a@example.org', 'timezone', 'none', NULL, 1.0, 1);";
  ck_assert_int_eq(sqlite3_exec(db, v5, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
  g_autoptr(MtStore) s = mt_store_open(path, FALSE, NULL);
  ck_assert_ptr_nonnull(s);
  g_autoptr(MtProfile) p = mt_store_profile(s, "a@example.org", NULL);
  ck_assert_ptr_nonnull(p);
  GPtrArray *mailer = g_hash_table_lookup(p->attrs, MT_FP_MAILER);
  ck_assert(mt_fp_absent(((const MtProfileValue *)g_ptr_array_index(mailer, 0))->value));
  GPtrArray *zone = g_hash_table_lookup(p->attrs, MT_FP_TIMEZONE);
  ck_assert_str_eq(((const MtProfileValue *)g_ptr_array_index(zone, 0))->value, "none");
}
END_TEST

/* The user's own relays: counted, trusted from a share of the mail, forgotten for good. */
START_TEST(test_relays)
{
  g_autoptr(MtStore) s = mt_store_open(path, TRUE, NULL);
  for (int i = 0; i < 6; i++)
    ck_assert(mt_relays_note(s, "example.net", NULL));
  for (int i = 0; i < 3; i++)
    ck_assert(mt_relays_note(s, "old-isp.example", NULL));
  ck_assert(mt_relays_note(s, "once.example", NULL));
  g_auto(GStrv) trusted = mt_relays_trusted(s, NULL);
  ck_assert_uint_eq(g_strv_length(trusted), 2); /* once.example: too few */
  ck_assert_str_eq(trusted[0], "example.net");
  ck_assert_str_eq(trusted[1], "old-isp.example");
  gboolean found = FALSE;
  ck_assert(mt_relays_forget(s, "old-isp.example", &found, NULL));
  ck_assert(found);
  ck_assert(mt_relays_note(s, "old-isp.example", NULL)); /* learning again does not undo it */
  g_auto(GStrv) after = mt_relays_trusted(s, NULL);
  ck_assert_uint_eq(g_strv_length(after), 1);
  ck_assert(mt_relays_forget(s, "never.example", &found, NULL));
  ck_assert(!found);
  g_autoptr(GPtrArray) all = mt_relays_list(s, NULL);
  ck_assert_uint_eq(all->len, 4);
  ck_assert_str_eq(((MtRelay *)g_ptr_array_index(all, 0))->domain, "example.net");
}
END_TEST

/* Two processes learning at once: WAL plus the busy timeout serialise them, nothing lost. */
START_TEST(test_concurrent_writers)
{
  {
    g_autoptr(MtStore) s = mt_store_open(path, TRUE, NULL);
  }
  pid_t pids[2];
  for (int w = 0; w < 2; w++) {
    pids[w] = fork();
    ck_assert_int_ge(pids[w], 0);
    if (pids[w] == 0) {
      MtStore *s = mt_store_open(path, FALSE, NULL);
      int bad = s == NULL;
      for (int i = 0; s != NULL && i < 150; i++) {
        g_autofree char *hash = g_strdup_printf("w%d-%d", w, i);
        g_autofree char *net = g_strdup_printf("AS%d", i % 3);
        MtFingerprint *fp = fp_new("dave@example.org", FALSE, MT_FP_NETWORK, net, NULL);
        MtLearnResult r;
        bad |= !mt_store_learn(s, fp, hash, NULL, &r, NULL) || r != MT_LEARN_ADDED;
        fp_free(fp);
      }
      mt_store_close(s);
      _exit(bad);
    }
  }
  for (int w = 0; w < 2; w++) {
    int status = 0;
    ck_assert_int_eq(waitpid(pids[w], &status, 0), pids[w]);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  g_autoptr(MtStore) s = mt_store_open(path, FALSE, NULL);
  g_autoptr(MtProfile) p = mt_store_profile(s, "dave@example.org", NULL);
  ck_assert_uint_eq(p->messages, 300);
  GPtrArray *nets = g_hash_table_lookup(p->attrs, MT_FP_NETWORK);
  guint total = 0;
  for (guint i = 0; i < nets->len; i++)
    total += ((MtProfileValue *)g_ptr_array_index(nets, i))->count;
  ck_assert_uint_eq(total, 300);
}
END_TEST

/* Schema 7: display names stored unfolded by an older mailtrace become today's keys, two that
 * fold into one key leave one row, and a name that is no key stays as it was. */
START_TEST(test_names_become_keys)
{
  {
    g_autoptr(MtStore) s = mt_store_open(path, TRUE, NULL);
  }
  sqlite3 *db = NULL;
  ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
  const char *v6 =
      "PRAGMA user_version = 6;"
      "INSERT INTO contacts VALUES ('a@example.org', 3, 0, 0, 0);"
      "INSERT INTO observations VALUES ('a@example.org', 'name', 'Miller, Dan', 'Dan', 1.0, 1);"
      "INSERT INTO observations VALUES ('a@example.org', 'name', 'dan miller', 'Dan', 1.0, 1);"
      "INSERT INTO observations VALUES ('a@example.org', 'name', 'D\xc3\xa1n Miller', NULL, 1.0, 1);"
      "INSERT INTO observations VALUES ('a@example.org', 'name', 'Dan', NULL, 1.0, 1);"
      "INSERT INTO message_values VALUES ('h1', 'name', 'Miller, Dan');";
  ck_assert_int_eq(sqlite3_exec(db, v6, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
  g_autoptr(MtStore) s = mt_store_open(path, FALSE, NULL);
  ck_assert_ptr_nonnull(s);
  g_autoptr(MtProfile) p = mt_store_profile(s, "a@example.org", NULL);
  GPtrArray *names = g_hash_table_lookup(p->attrs, MT_FP_NAME);
  g_autofree char *key = mt_name_key("Dan Miller");
  guint keys = 0, others = 0;
  for (guint i = 0; i < names->len; i++) {
    const char *v = ((const MtProfileValue *)g_ptr_array_index(names, i))->value;
    keys += strcmp(v, key) == 0;
    others += strcmp(v, "Dan") == 0;
  }
  ck_assert_uint_eq(keys, 1);
  ck_assert_uint_eq(others, 1);
  ck_assert_uint_eq(names->len, 2);
}
END_TEST

/* Profiles read on several threads at once through the store's read connections: every
 * thread sees every profile whole, the cache is bypassed (many addresses), and a learner in
 * another connection is seen once it committed. */
typedef struct {
  MtStore *store;
  guint bad;
} ReadJob;

static gpointer
read_many(gpointer data)
{
  ReadJob *j = data;
  for (guint round = 0; round < 3; round++)
    for (guint i = 0; i < 1500; i++) {
      g_autofree char *a = g_strdup_printf("c%u@example.org", i % 1500);
      g_autoptr(MtProfile) p = mt_store_profile(j->store, a, NULL);
      j->bad += p == NULL || p->messages != 1 + i % 3 ||
                g_hash_table_lookup(p->attrs, MT_FP_NETWORK) == NULL;
    }
  return NULL;
}

START_TEST(test_parallel_reads)
{
  {
    g_autoptr(MtStore) s = mt_store_open(path, TRUE, NULL);
    for (guint i = 0; i < 1500; i++)
      for (guint k = 0; k <= i % 3; k++) {
        g_autofree char *a = g_strdup_printf("c%u@example.org", i);
        g_autofree char *hash = g_strdup_printf("%u-%u", i, k);
        MtFingerprint *fp = fp_new(a, FALSE, MT_FP_NETWORK, "AS1", NULL);
        ck_assert_int_eq(learn(s, fp, hash, NULL), MT_LEARN_ADDED);
        fp_free(fp);
      }
  }
  g_autoptr(MtStore) s = mt_store_open(path, FALSE, NULL);
  mt_store_read_in_parallel(s, 3);
  ReadJob jobs[4];
  GThread *threads[4];
  for (guint t = 0; t < 4; t++) {
    jobs[t] = (ReadJob){s, 0};
    threads[t] = g_thread_new("reader", read_many, &jobs[t]);
  }
  for (guint t = 0; t < 4; t++) {
    g_thread_join(threads[t]);
    ck_assert_uint_eq(jobs[t].bad, 0);
  }
  g_autoptr(MtStore) learner = mt_store_open(path, FALSE, NULL);
  MtFingerprint *fp = fp_new("new@example.org", FALSE, MT_FP_NETWORK, "AS2", NULL);
  ck_assert_int_eq(learn(learner, fp, "new", NULL), MT_LEARN_ADDED);
  fp_free(fp);
  g_autoptr(MtProfile) p = mt_store_profile(s, "new@example.org", NULL);
  ck_assert_ptr_nonnull(p);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("store");
  TCase *tc = tcase_create("store");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_create_reopen_dedup);
  tcase_add_test(tc, test_dkim_counts_more);
  tcase_add_test(tc, test_spam_feedback_and_forget);
  tcase_add_test(tc, test_ham_after_spam);
  tcase_add_test(tc, test_newer_and_corrupt);
  tcase_add_test(tc, test_absent_was_none);
  tcase_add_test(tc, test_profile_cache);
  tcase_add_test(tc, test_contact_dates_are_the_mails);
  tcase_add_test(tc, test_concurrent_writers);
  tcase_add_test(tc, test_parallel_reads);
  tcase_add_test(tc, test_names_become_keys);
  tcase_add_test(tc, test_relays);
  suite_add_tcase(s, tc);
  return s;
}
