/* scanner/scan/ over a mailbox in memory (memory-mailbox.c): the journal, and a run over mixed
 * messages that loses the connection at every command, before the server runs it and after,
 * then reruns. Whatever the cut, every message must end exactly once in exactly one folder,
 * the user's \Deleted messages must stay, and no message may be reported judged twice. */
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

#include "batch.h"
#include "check-main.h"
#include "journal.h"
#include "memory-mailbox.h"
#include "mt-error.h"
#include "scan-folder.h"

static char *tmpdir;

static void
setup(void)
{
  tmpdir = g_dir_make_tmp("mt-scan-XXXXXX", NULL);
}

static void
teardown(void)
{
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
  ck_assert_int_eq(system(cmd), 0);
  g_clear_pointer(&tmpdir, g_free);
}

static GArray *
uids(guint n, ...)
{
  GArray *a = g_array_new(FALSE, FALSE, sizeof(guint32));
  va_list ap;
  va_start(ap, n);
  for (guint i = 0; i < n; i++) {
    guint32 u = va_arg(ap, guint);
    g_array_append_val(a, u);
  }
  va_end(ap);
  return a;
}

/* Takes both arrays. */
static gboolean
same_uids(GArray *got, GArray *want)
{
  gboolean same = got != NULL && got->len == want->len &&
                  memcmp(got->data, want->data, want->len * sizeof(guint32)) == 0;
  if (got != NULL)
    g_array_unref(got);
  g_array_unref(want);
  return same;
}

static MtStore *
store_new(const char *name)
{
  g_autofree char *path = g_build_filename(tmpdir, name, NULL);
  g_autoptr(GError) err = NULL;
  MtStore *s = mt_store_open(path, TRUE, &err);
  ck_assert_msg(s != NULL, "%s", err != NULL ? err->message : "");
  return s;
}

/* The folder position and the move journal: what a resumed scan relies on. */
START_TEST(test_journal)
{
  g_autoptr(MtStore) s = store_new("journal.sqlite");
  MtFolderPosition p;
  ck_assert(mt_journal_load_position(s, "work", "INBOX", &p, NULL));
  ck_assert_uint_eq(p.uidvalidity, 0);
  ck_assert_uint_eq(p.last_uid, 0);

  /* moving 5 and 7; then 7's copy confirmed */
  g_autoptr(GArray) both = uids(2, 5u, 7u), seven = uids(1, 7u);
  ck_assert(mt_journal_mark_moving(s, "work", "INBOX", 42, both, FALSE, NULL));
  ck_assert(mt_journal_mark_moving(s, "work", "INBOX", 42, seven, TRUE, NULL));
  ck_assert(same_uids(mt_journal_moving(s, "work", "INBOX", 42, FALSE, NULL), uids(2, 5u, 7u)));
  ck_assert(same_uids(mt_journal_moving(s, "work", "INBOX", 42, TRUE, NULL), uids(1, 7u)));
  /* another folder, another UIDVALIDITY, another account: not mixed up */
  ck_assert(same_uids(mt_journal_moving(s, "work", "Lists", 42, FALSE, NULL), uids(0)));
  ck_assert(same_uids(mt_journal_moving(s, "work", "INBOX", 43, FALSE, NULL), uids(0)));
  ck_assert(same_uids(mt_journal_moving(s, "home", "INBOX", 42, FALSE, NULL), uids(0)));

  /* done up to 6: 5 leaves the journal, 7 stays */
  p = (MtFolderPosition){.uidvalidity = 42, .last_uid = 6};
  ck_assert(mt_journal_save_position(s, "work", "INBOX", &p, NULL));
  ck_assert(same_uids(mt_journal_moving(s, "work", "INBOX", 42, FALSE, NULL), uids(1, 7u)));
  MtFolderPosition back;
  ck_assert(mt_journal_load_position(s, "work", "INBOX", &back, NULL));
  ck_assert_uint_eq(back.uidvalidity, 42);
  ck_assert_uint_eq(back.last_uid, 6);

  /* a new UIDVALIDITY: the old journal means nothing any more */
  p = (MtFolderPosition){.uidvalidity = 99, .last_uid = 1};
  ck_assert(mt_journal_save_position(s, "work", "INBOX", &p, NULL));
  ck_assert(same_uids(mt_journal_moving(s, "work", "INBOX", 42, FALSE, NULL), uids(0)));
  ck_assert(mt_journal_load_position(s, "work", "INBOX", &back, NULL));
  ck_assert_uint_eq(back.uidvalidity, 99);
  ck_assert_uint_eq(back.last_uid, 1);
}
END_TEST

/* The mailbox of every case: the demo messages in turn under their own Message-IDs; one of
 * them the user has marked \Deleted. */
#define MESSAGES 10
#define USER_DELETED 6 /* m6 */
#define BATCH 3

static MtEngine *engine;
static char *templates[3];
static gboolean suspicious[MESSAGES + 1]; /* the engine's verdict on m1..m10, read once */

static char *
message(guint n)
{
  const char *t = templates[(n - 1) % G_N_ELEMENTS(templates)];
  g_autoptr(GRegex) re = g_regex_new("^Message-ID: .*$", G_REGEX_MULTILINE | G_REGEX_CASELESS, 0,
                                     NULL);
  g_autofree char *id = g_strdup_printf("Message-ID: <m%u@scan.test>", n);
  return g_regex_replace_literal(re, t, -1, 0, id, 0, NULL);
}

static void
engine_setup(void)
{
  setup();
  static const char *const names[] = {"01-colleague-gmail.eml", "02-paypal-display-name.eml",
                                      "03-bank-spoof-auth-fails.eml"};
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
    g_autofree char *path = g_build_filename(g_getenv("MT_TEST_DATA"), "demo", names[i], NULL);
    ck_assert(g_file_get_contents(path, &templates[i], NULL, NULL));
  }
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  MtConfig *cfg = mt_config_load(NULL, NULL, w, NULL);
  ck_assert_ptr_nonnull(cfg);
  mt_config_set_databases(cfg, g_getenv("MT_TEST_COUNTRY_DB"), g_getenv("MT_TEST_ASN_DB"));
  engine = mt_engine_new(cfg, MT_STORE_NONE, w, NULL);
  ck_assert_ptr_nonnull(engine);
  guint clean = 0, bad = 0;
  for (guint n = 1; n <= MESSAGES; n++) {
    g_autofree char *data = message(n);
    g_autoptr(MtAnalysis) a = mt_analyse(engine, data, strlen(data));
    suspicious[n] = a->verdict->kind == MT_VERDICT_SUSPICIOUS;
    clean += !suspicious[n];
    bad += suspicious[n];
  }
  ck_assert_msg(clean >= 2 && bad >= 2, "the demo mail no longer mixes clean and suspicious");
}

static void
engine_teardown(void)
{
  g_clear_pointer(&engine, mt_engine_free);
  for (gsize i = 0; i < G_N_ELEMENTS(templates); i++)
    g_clear_pointer(&templates[i], g_free);
  teardown();
}

typedef struct {
  GHashTable *judged; /* Message-ID -> times reported judged */
  guint failed;
} Seen;

static void
on_judged(const MtScanResult *r, gpointer user)
{
  Seen *seen = user;
  const char *id = r->analysis->facts->message->message_id;
  ck_assert_ptr_nonnull(id);
  guint n = GPOINTER_TO_UINT(g_hash_table_lookup(seen->judged, id));
  g_hash_table_insert(seen->judged, g_strdup(id), GUINT_TO_POINTER(n + 1));
}

static void
on_failed(const char *folder, guint32 uid, const char *what, const char *why, gpointer user)
{
  ((Seen *)user)->failed++;
}

/* One run over INBOX on a connection lost at command @lose_at (0: never).
 * Returns: whether the run completed; *@commands: the commands it sent. */
static gboolean
run_limited(MemServer *srv, MtStore *store, Seen *seen, guint lose_at, gboolean after,
            guint limit, guint *commands, MtScanRun *out)
{
  MtMailbox *mb = mem_connect(srv, lose_at, after);
  MtScanRun sc = {.engine = engine,
                  .store = store,
                  .account = "test",
                  .keyword_prefix = "mt-",
                  .batch = BATCH,
                  .limit = limit,
                  .report = {.judged = on_judged, .failed = on_failed, .user = seen}};
  guint before = mem_server_commands(srv);
  g_autoptr(GError) err = NULL;
  gboolean ok = mt_scan_attach(&sc, mb, &err) && mt_scan_folder(&sc, "INBOX", &err);
  ck_assert_msg(ok || g_error_matches(err, MT_ERROR, MT_ERROR_CONNECT), "%s",
                err != NULL ? err->message : "");
  if (commands != NULL)
    *commands = mem_server_commands(srv) - before + (lose_at != 0 && !after);
  mt_scan_detach(&sc);
  mem_disconnect(mb);
  if (out != NULL)
    *out = sc;
  return ok;
}

static gboolean
run(MemServer *srv, MtStore *store, Seen *seen, guint lose_at, gboolean after, guint *commands,
    MtScanRun *out)
{
  return run_limited(srv, store, seen, lose_at, after, 0, commands, out);
}

static MemServer *
server_new(gboolean move, gboolean uidplus)
{
  MemServer *srv = mem_server_new(move, uidplus);
  for (guint n = 1; n <= MESSAGES; n++) {
    g_autofree char *id = g_strdup_printf("m%u@scan.test", n);
    g_autofree char *data = message(n);
    mem_server_append(srv, "INBOX", id, data, n == USER_DELETED);
  }
  return srv;
}

/* Every message once, where its verdict sends it, the user's \Deleted one untouched. */
static void
check_mailbox(MemServer *srv, gboolean moves, const char *label)
{
  for (guint n = 1; n <= MESSAGES; n++) {
    g_autofree char *id = g_strdup_printf("m%u@scan.test", n);
    guint inbox = mem_server_count(srv, "INBOX", id), junk = mem_server_count(srv, "Junk", id);
    ck_assert_msg(inbox + junk == 1, "%s: m%u is %u times in INBOX and %u in Junk", label, n,
                  inbox, junk);
    if (n == USER_DELETED) {
      ck_assert_msg(inbox == 1 && mem_server_has_flag(srv, "INBOX", id, "\\Deleted") &&
                        !mem_server_has_flag(srv, "INBOX", id, "$Suspicious"),
                    "%s: the user's deleted message was touched", label);
      continue;
    }
    gboolean to_junk = suspicious[n] && moves;
    ck_assert_msg(junk == (to_junk ? 1u : 0u), "%s: m%u (%s) is in the wrong folder", label, n,
                  suspicious[n] ? "suspicious" : "clean");
    ck_assert_msg(mem_server_has_flag(srv, to_junk ? "Junk" : "INBOX", id, "$Suspicious") ==
                      suspicious[n],
                  "%s: m%u tagged wrongly", label, n);
    ck_assert_msg(!mem_server_has_flag(srv, to_junk ? "Junk" : "INBOX", id, "\\Deleted"),
                  "%s: m%u left marked deleted", label, n);
  }
}

/* The whole test for one kind of server: a clean run counts the commands, then the connection
 * is lost at each of them in turn, before and after the server runs it. */
static void
cut_everywhere(gboolean move, gboolean uidplus)
{
  guint total = 0;
  {
    MemServer *srv = server_new(move, uidplus);
    g_autoptr(MtStore) store = store_new("clean.sqlite");
    Seen seen = {.judged = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
    ck_assert(run(srv, store, &seen, 0, FALSE, &total, NULL));
    check_mailbox(srv, move || uidplus, "uncut");
    ck_assert_uint_eq(g_hash_table_size(seen.judged), MESSAGES - 1);
    g_hash_table_unref(seen.judged);
    mem_server_free(srv);
  }
  ck_assert_uint_gt(total, 4);
  for (guint k = 1; k <= total; k++) {
    for (int after = 0; after <= 1; after++) {
      g_autofree char *label = g_strdup_printf("cut %s command %u", after ? "after" : "before", k);
      g_autofree char *name = g_strdup_printf("cut-%u-%d.sqlite", k, after);
      MemServer *srv = server_new(move, uidplus);
      g_autoptr(MtStore) store = store_new(name);
      Seen seen = {.judged = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
      ck_assert_msg(!run(srv, store, &seen, k, after, NULL, NULL), "%s: not cut", label);
      MtScanRun again, third;
      ck_assert_msg(run(srv, store, &seen, 0, FALSE, NULL, &again), "%s: rerun failed", label);
      ck_assert_msg(run(srv, store, &seen, 0, FALSE, NULL, &third), "%s: third run failed",
                    label);
      ck_assert_msg(third.scanned == 0 && third.moved == 0, "%s: a third run judged again",
                    label);
      check_mailbox(srv, move || uidplus, label);
      GHashTableIter it;
      gpointer id, times;
      g_hash_table_iter_init(&it, seen.judged);
      while (g_hash_table_iter_next(&it, &id, &times))
        ck_assert_msg(GPOINTER_TO_UINT(times) == 1, "%s: %s judged %u times", label,
                      (char *)id, GPOINTER_TO_UINT(times));
      ck_assert_uint_eq(seen.failed, 0);
      g_hash_table_unref(seen.judged);
      mem_server_free(srv);
    }
  }
}

START_TEST(test_cut_with_move)
{
  cut_everywhere(TRUE, TRUE);
}
END_TEST

START_TEST(test_cut_with_uidplus_only)
{
  cut_everywhere(FALSE, TRUE);
}
END_TEST

START_TEST(test_cut_tag_only)
{
  cut_everywhere(FALSE, FALSE);
}
END_TEST

/* A hostile or broken server (memory-mailbox.h's MemHostile): three messages m1..m3, the
 * first clean and the other two suspicious, at UIDs @a, @b, @c. */
typedef struct {
  MemServer *srv;
  MtStore *store;
  Seen seen;
} Hostile;

static void
hostile_open(Hostile *h, guint32 a, guint32 b, guint32 c)
{
  ck_assert_msg(!suspicious[1] && suspicious[2] && suspicious[3],
                "the demo mail no longer starts clean, suspicious, suspicious");
  h->srv = mem_server_new(TRUE, TRUE);
  const guint32 at[] = {a, b, c};
  for (guint n = 1; n <= 3; n++) {
    g_autofree char *id = g_strdup_printf("m%u@scan.test", n);
    g_autofree char *data = message(n);
    mem_server_set_uidnext(h->srv, "INBOX", at[n - 1]);
    ck_assert_uint_eq(mem_server_append(h->srv, "INBOX", id, data, FALSE), at[n - 1]);
  }
  g_autofree char *name = g_strdup_printf("hostile-%u.sqlite", g_random_int());
  h->store = store_new(name);
  h->seen.judged = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static guint
times_judged(Hostile *h, guint n)
{
  g_autofree char *id = g_strdup_printf("m%u@scan.test", n);
  return GPOINTER_TO_UINT(g_hash_table_lookup(h->seen.judged, id));
}

/* After the hostile run: an honest one finishes the job, each message judged once in all. */
static void
hostile_close(Hostile *h)
{
  mem_server_hostile(h->srv, &(MemHostile){0});
  ck_assert(run(h->srv, h->store, &h->seen, 0, FALSE, NULL, NULL));
  for (guint n = 1; n <= 3; n++) {
    g_autofree char *id = g_strdup_printf("m%u@scan.test", n);
    ck_assert_msg(times_judged(h, n) == 1, "m%u judged %u times", n, times_judged(h, n));
    ck_assert_uint_eq(mem_server_count(h->srv, "INBOX", id), n == 1);
    ck_assert_uint_eq(mem_server_count(h->srv, "Junk", id), n != 1);
  }
  g_hash_table_unref(h->seen.judged);
  mt_store_close(h->store);
  mem_server_free(h->srv);
}

/* Whether any command named a UID outside @ok. */
static gboolean
acted_only_on(Hostile *h, guint n, const guint32 *ok)
{
  GArray *acted = mem_server_acted_on(h->srv);
  for (guint i = 0; i < acted->len; i++) {
    gboolean known = FALSE;
    for (guint k = 0; k < n; k++)
      known |= g_array_index(acted, guint32, i) == ok[k];
    if (!known)
      return FALSE;
  }
  return TRUE;
}

/* Answers for UIDs never asked are not acted on. */
START_TEST(test_uid_never_asked)
{
  Hostile h;
  hostile_open(&h, 1, 2, 3);
  mem_server_hostile(h.srv, &(MemHostile){.extra_uid = 4000000000u});
  ck_assert(run(h.srv, h.store, &h.seen, 0, FALSE, NULL, NULL));
  ck_assert(acted_only_on(&h, 3, (const guint32[]){1, 2, 3}));
  hostile_close(&h);
}
END_TEST

/* Two different answers for one UID: refused, failed now, judged next run. */
START_TEST(test_two_answers_for_one_uid)
{
  Hostile h;
  hostile_open(&h, 1, 2, 3);
  mem_server_hostile(h.srv, &(MemHostile){.twice_uid = 1});
  MtScanRun r;
  ck_assert(run(h.srv, h.store, &h.seen, 0, FALSE, NULL, &r));
  ck_assert_uint_eq(r.failed, 1);
  ck_assert_uint_eq(times_judged(&h, 1), 0);
  ck_assert(acted_only_on(&h, 2, (const guint32[]){2, 3}));
  hostile_close(&h);
}
END_TEST

/* A partial FETCH that says OK, one sent half, and one answered NO: failed now, not skipped. */
START_TEST(test_partial_fetch)
{
  const MemHostile cases[] = {{.drop_uid = 2}, {.short_uid = 2}, {.refuse_fetch = TRUE}};
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    Hostile h;
    hostile_open(&h, 1, 2, 3);
    mem_server_hostile(h.srv, &cases[i]);
    MtScanRun r;
    ck_assert(run(h.srv, h.store, &h.seen, 0, FALSE, NULL, &r));
    ck_assert_uint_ge(r.failed, 1);
    ck_assert_uint_eq(times_judged(&h, 2), 0);
    hostile_close(&h);
  }
}
END_TEST

/* Answers in descending order with --limit: what is below the judged UID is not skipped. */
START_TEST(test_descending_with_limit)
{
  Hostile h;
  hostile_open(&h, 1, 2, 3);
  mem_server_hostile(h.srv, &(MemHostile){.descending = TRUE});
  ck_assert(run_limited(h.srv, h.store, &h.seen, 0, FALSE, 1, NULL, NULL));
  ck_assert_uint_eq(times_judged(&h, 1), 1);
  ck_assert(run_limited(h.srv, h.store, &h.seen, 0, FALSE, 1, NULL, NULL));
  ck_assert_uint_eq(times_judged(&h, 2), 1);
  hostile_close(&h);
}
END_TEST

/* Three messages spread up to the last UID there can be: a handful of commands, and the
 * position saved at 4294967295 does not wrap to the start. */
START_TEST(test_sparse_uids)
{
  Hostile h;
  hostile_open(&h, 1, 10000000, G_MAXUINT32);
  guint commands = 0;
  ck_assert(run(h.srv, h.store, &h.seen, 0, FALSE, &commands, NULL));
  ck_assert_uint_le(commands, 10);
  MtScanRun again;
  ck_assert(run(h.srv, h.store, &h.seen, 0, FALSE, NULL, &again));
  ck_assert_uint_eq(again.scanned, 0);
  hostile_close(&h);
}
END_TEST

/* A fetched batch is held once while it is judged: the messages admitted are the fetched
 * copies themselves, taken out of the answers, not copied again. */
START_TEST(test_batch_taken_not_copied)
{
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func((GDestroyNotify)mt_fetched_free);
  g_autoptr(GArray) asked = g_array_new(FALSE, FALSE, sizeof(guint32));
  const char *const no_flags[] = {NULL};
  for (guint32 uid = 1; uid <= 3; uid++) {
    MtImapMessage m = {.uid = uid, .size = 3, .data = "abc", .len = 3, .flags = no_flags};
    g_ptr_array_add(answers, mt_fetched_copy(&m));
    g_array_append_val(asked, uid);
  }
  const char *fetched[3];
  for (guint i = 0; i < 3; i++)
    fetched[i] = ((const MtImapMessage *)g_ptr_array_index(answers, i))->data;
  g_autoptr(GArray) missing = g_array_new(FALSE, FALSE, sizeof(guint32));
  g_autoptr(GPtrArray) admitted = mt_batch_admit(answers, asked, missing);
  ck_assert_uint_eq(admitted->len, 3);
  for (guint i = 0; i < 3; i++) {
    ck_assert_ptr_eq(((const MtImapMessage *)g_ptr_array_index(admitted, i))->data, fetched[i]);
    ck_assert_ptr_null(g_ptr_array_index(answers, i));
  }
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("scan");
  TCase *tc = tcase_create("journal");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_journal);
  suite_add_tcase(s, tc);
  TCase *cut = tcase_create("connection lost");
  tcase_add_checked_fixture(cut, engine_setup, engine_teardown);
  tcase_add_test(cut, test_cut_with_move);
  tcase_add_test(cut, test_cut_with_uidplus_only);
  tcase_add_test(cut, test_cut_tag_only);
  suite_add_tcase(s, cut);
  TCase *hostile = tcase_create("hostile server");
  tcase_add_checked_fixture(hostile, engine_setup, engine_teardown);
  tcase_add_test(hostile, test_uid_never_asked);
  tcase_add_test(hostile, test_two_answers_for_one_uid);
  tcase_add_test(hostile, test_partial_fetch);
  tcase_add_test(hostile, test_descending_with_limit);
  tcase_add_test(hostile, test_sparse_uids);
  tcase_add_test(hostile, test_batch_taken_not_copied);
  suite_add_tcase(s, hostile);
  return s;
}
