/* The ordered pool: results come back on the submitting thread, in submission order, whatever
 * order the workers finish in; nothing is lost in a partial last batch. */
#include "check-main.h"
#include "ordered-pool.h"

typedef struct {
  GThread *submitter;
  guint next;   /* the item expected next */
  guint wrong;  /* deliveries out of order or on another thread */
  guint worked; /* atomic */
} Seen;

static gpointer
work(gpointer item, gpointer user)
{
  Seen *s = user;
  guint n = GPOINTER_TO_UINT(item);
  g_usleep((n * 7919) % 5 * 100); /* finish out of order */
  g_atomic_int_inc(&s->worked);
  return GUINT_TO_POINTER(n * 2);
}

static void
deliver(gpointer item, gpointer result, gpointer user)
{
  Seen *s = user;
  guint n = GPOINTER_TO_UINT(item);
  if (n != s->next || GPOINTER_TO_UINT(result) != n * 2 || g_thread_self() != s->submitter)
    s->wrong++;
  s->next++;
}

START_TEST(test_order)
{
  static const guint threads[] = {1, 2, 4};
  static const guint counts[] = {0, 1, 15, 16, 17, 1000};
  for (guint t = 0; t < G_N_ELEMENTS(threads); t++)
    for (guint c = 0; c < G_N_ELEMENTS(counts); c++) {
      Seen s = {.submitter = g_thread_self()};
      MtOrderedPool *pool = mt_ordered_pool_new(threads[t], work, deliver, &s);
      for (guint i = 0; i < counts[c]; i++)
        mt_ordered_pool_push(pool, GUINT_TO_POINTER(i));
      mt_ordered_pool_finish(pool);
      ck_assert_msg(s.next == counts[c] && s.worked == counts[c] && s.wrong == 0,
                    "%u threads, %u items: %u delivered, %u worked, %u wrong", threads[t],
                    counts[c], s.next, s.worked, s.wrong);
    }
}
END_TEST

START_TEST(test_default_threads)
{
  ck_assert_uint_ge(mt_ordered_pool_threads(0), 1);
  ck_assert_uint_eq(mt_ordered_pool_threads(3), 3);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("pool");
  TCase *tc = tcase_create("pool");
  tcase_add_test(tc, test_order);
  tcase_add_test(tc, test_default_threads);
  suite_add_tcase(s, tc);
  return s;
}
