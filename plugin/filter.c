#include "filter.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sysexits.h>
#include <unistd.h>

#include "filter-settings.h"
#include "learner.h"
#include "mail-layout.h"
#include "mt-limits.h"
#include "verdict-headers.h"

/* Reads standard input, at most @cap bytes plus one to tell whether more remains (*@more),
 * giving up at @deadline (monotonic µs). Returns: (transfer full) (nullable): NULL with *@why. */
static GByteArray *
read_input(guint64 cap, gint64 deadline, gboolean *more, const char **why)
{
  struct stat st;
  gboolean sized = fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
  g_autoptr(GByteArray) buf =
      g_byte_array_sized_new(sized ? (guint)MIN((guint64)st.st_size, cap) + 1 : 65536);
  guint8 chunk[65536];
  *more = FALSE;
  for (;;) {
    gint64 left = deadline - g_get_monotonic_time();
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    int r = left > 0 ? poll(&p, 1, (int)MAX(left / 1000, 1)) : 0;
    if (r < 0 && errno == EINTR)
      continue;
    if (r == 0) {
      *why = "the deadline passed while reading the message";
      return NULL;
    }
    gsize want = buf->len < cap ? MIN(sizeof chunk, cap - buf->len) : 1;
    ssize_t n = r > 0 ? read(STDIN_FILENO, chunk, want) : -1;
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      *why = g_strerror(errno);
      return NULL;
    }
    if (n == 0)
      return g_steal_pointer(&buf);
    g_byte_array_append(buf, chunk, (guint)n);
    if (buf->len > cap) { /* the byte past the cap stays: the rest is streamed after it */
      *more = TRUE;
      return g_steal_pointer(&buf);
    }
  }
}

static gboolean
write_all(const char *data, gsize len)
{
  while (len > 0) {
    ssize_t n = write(STDOUT_FILENO, data, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    data += n;
    len -= (gsize)n;
  }
  return TRUE;
}

/* Our header fields, then the message without any X-Mailtrace-* field it came with.
 * Only write(2): safe in the deadline's signal handler. */
static gboolean
write_message(const char *headers, const GByteArray *stripped)
{
  return write_all(headers, strlen(headers)) &&
         write_all((const char *)stripped->data, stripped->len);
}

/* The deadline. The analysis runs on the main thread; SIGALRM at the deadline writes the
 * message with "unknown" header fields prepared beforehand and exits, unless the verdict is
 * already being written. The handler calls only write(2) and _exit(2), and reads only what was
 * set before the timer was armed. */
enum { ANALYSING, WRITING_VERDICT, LATE };
static struct {
  atomic_int stage;
  gboolean verdict_only;
  const char *headers;       /* the "unknown" header fields */
  const GByteArray *message; /* the message without our fields */
} late;

static void
on_deadline(int sig)
{
  int analysing = ANALYSING;
  if (!atomic_compare_exchange_strong(&late.stage, &analysing, LATE))
    return; /* the verdict is being written: let it finish */
  if (late.verdict_only) {
    static const char unknown[] = "unknown\n";
    _exit(write_all(unknown, sizeof unknown - 1) ? 1 : EX_IOERR);
  }
  _exit(write_message(late.headers, late.message) ? 0 : EX_IOERR);
}

static void
arm_deadline(gint64 deadline)
{
  struct sigaction sa = {.sa_handler = on_deadline, .sa_flags = SA_RESTART};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  gint64 left = MAX(deadline - g_get_monotonic_time(), 1);
  struct itimerval t = {.it_value = {.tv_sec = left / G_USEC_PER_SEC,
                                     .tv_usec = left % G_USEC_PER_SEC}};
  setitimer(ITIMER_REAL, &t, NULL);
}

/* Returns: TRUE when the verdict may be written; FALSE when the deadline handler has taken the
 * output (it writes the message and exits). */
static gboolean
claim_output(void)
{
  int analysing = ANALYSING;
  return atomic_compare_exchange_strong(&late.stage, &analysing, WRITING_VERDICT);
}

typedef struct {
  gboolean ok;
} Writer;

static void
keep_written(const char *data, gsize len, gpointer user)
{
  Writer *w = user;
  w->ok = w->ok && write_all(data, len);
}

/* A message over the size cap: our header fields, then what was read and the rest of standard
 * input, streamed through the same stripping, which sees whole lines wherever the cap fell. */
static gboolean
stream_message(const char *headers, const GByteArray *head)
{
  Writer w = {write_all(headers, strlen(headers))};
  MtStripper st;
  mt_stripper_init(&st);
  mt_stripper_feed(&st, (const char *)head->data, head->len, keep_written, &w);
  char chunk[65536];
  while (w.ok) {
    ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      w.ok = n == 0;
      break;
    }
    mt_stripper_feed(&st, chunk, (gsize)n, keep_written, &w);
  }
  mt_stripper_finish(&st, keep_written, &w);
  return w.ok;
}

static int
refuse(int status, const char *why)
{
  fprintf(stderr, "mailtrace filter: %s; the message is left as it is\n", why);
  return status;
}

static int
verdict_only_exit(const char *verdict)
{
  printf("%s\n", verdict);
  fflush(stdout);
  return strcmp(verdict, "suspicious") == 0 ? 0 : 1;
}

/* [filter] online in mailtrace-filter: the full program, which links the lookups, takes the
 * delivery over with the same arguments and the unread stdin. Should it fail to start, this
 * one goes on offline: the message is never held up for the lookups. */
static void
hand_over(const MtFilterOptions *o)
{
  if (o->online_program == NULL || o->argv == NULL)
    return;
  GStrvBuilder *b = g_strv_builder_new();
  g_strv_builder_add(b, o->online_program);
  g_strv_builder_add(b, "filter");
  for (guint i = 1; o->argv[i] != NULL; i++)
    g_strv_builder_add(b, o->argv[i]);
  g_auto(GStrv) args = g_strv_builder_end(b);
  g_strv_builder_unref(b);
  fflush(stderr);
  execv(o->online_program, args);
  fprintf(stderr, "mailtrace filter: warning: [filter] online: cannot start %s (%s); judged "
                  "offline\n", o->online_program, g_strerror(errno));
}

int
mt_filter_run(const MtFilterOptions *o)
{
  gint64 start = g_get_monotonic_time();
  signal(SIGPIPE, SIG_IGN); /* a closed stdout is a write error, handled */
  gboolean verdict_only = o->verdict_only;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtConfig) cfg = mt_config_load(o->config, o->rules, warnings, &err);
  g_auto(MtFilterSettings) s = {0};
  if (cfg == NULL || !mt_filter_settings_load(cfg->file, cfg->path, &s, warnings, &err))
    return refuse(EX_CONFIG, err->message);
  mt_config_set_databases(cfg, o->country_db, o->asn_db);
  for (guint i = 0; i < warnings->len; i++)
    fprintf(stderr, "mailtrace filter: warning: %s\n", (char *)g_ptr_array_index(warnings, i));

  if (s.online && o->investigate == NULL)
    hand_over(o);
  gint64 deadline = start + (gint64)(s.deadline * G_USEC_PER_SEC);
  gboolean more = FALSE;
  const char *why = NULL;
  g_autoptr(GByteArray) buf = read_input(s.max_size, deadline, &more, &why);
  if (buf == NULL)
    return verdict_only ? verdict_only_exit("unknown") : refuse(EX_TEMPFAIL, why);
  const char *data = (const char *)buf->data;
  gsize len = buf->len;
  g_autoptr(GByteArray) stripped = more ? NULL : mt_mail_without_ours(data, len);
  /* judged without our fields: a forged first line must not hide the header block */
  MtMailLayout layout;
  mt_mail_layout(more ? data : (const char *)stripped->data, more ? len : stripped->len, &layout);
  if (!layout.has_header && !more)
    return verdict_only ? verdict_only_exit("unknown")
                        : refuse(EX_DATAERR, len == 0 ? "empty input"
                                                      : "the input does not start with a header");

  if (more) {
    if (verdict_only)
      return verdict_only_exit("unknown");
    g_autofree char *size = g_strdup_printf("larger than %" G_GUINT64_FORMAT " bytes", s.max_size);
    g_autofree char *headers = mt_unknown_headers(size, layout.eol);
    if (!stream_message(headers, buf))
      return refuse(EX_IOERR, "writing the message failed");
    return 0;
  }

  /* Everything slow happens from here on, inside the deadline. */
  g_autofree char *over = g_strdup_printf("over the %g s deadline", s.deadline);
  g_autofree char *fallback = mt_unknown_headers(over, layout.eol);
  late.verdict_only = verdict_only;
  late.headers = fallback;
  late.message = stripped;
  arm_deadline(deadline);

  g_autoptr(MtEngine) engine =
      mt_engine_new(g_steal_pointer(&cfg), s.learn ? MT_STORE_WRITE : MT_STORE_READ, warnings, &err);
  if (engine == NULL || !mt_engine_is_complete(engine, &err)) {
    claim_output();
    return verdict_only ? (fprintf(stderr, "mailtrace filter: %s\n", err->message), 2)
                        : refuse(EX_TEMPFAIL, err->message);
  }
  if (s.test_stall > 0)
    g_usleep((gulong)(s.test_stall * G_USEC_PER_SEC));
  gsize analysed = MIN(len, (gsize)MT_MAX_MESSAGE_BYTES);
  g_autoptr(MtAnalysis) a = mt_analyse(engine, data, analysed);
  if (s.online && o->investigate != NULL) /* a quarter of the deadline left to write */
    o->investigate(engine, a, start + (gint64)(s.deadline * 0.75 * G_USEC_PER_SEC));
  if (s.learn) {
    MtLearned learned;
    g_autoptr(GError) learn_err = NULL;
    if (!mt_learn_analysis(mt_engine_store(engine), a, data, analysed, MT_FEEDBACK_NONE, &learned,
                           &learn_err))
      fprintf(stderr, "mailtrace filter: not learned: %s\n", learn_err->message);
  }
  g_autofree char *headers = mt_verdict_headers(a, s.keyword_prefix, layout.eol);
  if (!claim_output())
    pause(); /* the deadline handler is writing the message and will exit */
  if (verdict_only)
    return verdict_only_exit(mt_verdict_kind_name(a->verdict->kind));
  if (!write_message(headers, stripped))
    return refuse(EX_IOERR, "writing the message failed");
  /* Delivered: Pigeonhole waits for the exit, and unmapping the databases and freeing the
   * analysis would only make it wait longer. */
  _exit(0);
}
