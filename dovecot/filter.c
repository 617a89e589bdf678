#include "filter.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sysexits.h>
#include <unistd.h>

#include "filter-settings.h"
#include "learner.h"
#include "mail-layout.h"
#include "mt-limits.h"
#include "verdict-headers.h"

/* What the analysis thread hands back, guarded by lock. */
typedef struct {
  GMutex lock;
  GCond cond;
  gboolean done;
  /* inputs, read-only while the thread runs */
  MtConfig *cfg; /* taken by the thread */
  const MtFilterSettings *settings;
  const char *data;
  gsize len;
  const char *eol;
  /* results */
  MtVerdictKind kind;
  char *headers; /* (nullable) NULL: failed, see error */
  char *error;
} Job;

static void
finish(Job *job, char *headers, MtVerdictKind kind, char *error)
{
  g_mutex_lock(&job->lock);
  job->headers = headers;
  job->kind = kind;
  job->error = error;
  job->done = TRUE;
  g_cond_signal(&job->cond);
  g_mutex_unlock(&job->lock);
}

/* Opens the engine (geo, store), judges the message and, when configured, learns from it.
 * Everything slow happens here, inside the deadline the main thread keeps. */
static gpointer
analyse_thread(gpointer user)
{
  Job *job = user;
  const MtFilterSettings *s = job->settings;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtEngine) engine = mt_engine_new(
      g_steal_pointer(&job->cfg), s->learn ? MT_STORE_WRITE : MT_STORE_READ, warnings, &err);
  if (engine == NULL || !mt_engine_is_complete(engine, &err)) {
    finish(job, NULL, MT_VERDICT_CLEAN, g_strdup(err->message));
    return NULL;
  }
  if (s->test_stall > 0)
    g_usleep((gulong)(s->test_stall * G_USEC_PER_SEC));
  gsize analysed = MIN(job->len, (gsize)MT_MAX_MESSAGE_BYTES);
  g_autoptr(MtAnalysis) a = mt_analyse(engine, job->data, analysed);
  if (s->learn) {
    MtLearned learned;
    if (!mt_learn_analysis(mt_engine_store(engine), a, job->data, analysed, MT_FEEDBACK_NONE,
                           &learned, &err))
      fprintf(stderr, "mailtrace filter: not learned: %s\n", err->message);
  }
  finish(job, mt_verdict_headers(a, s->keyword_prefix, job->eol), a->verdict->kind, NULL);
  return NULL;
}

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
 * Only write(2): safe from the main thread while the analysis thread may still run. */
static gboolean
write_message(const char *headers, const GByteArray *stripped)
{
  return write_all(headers, strlen(headers)) &&
         write_all((const char *)stripped->data, stripped->len);
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

  g_autofree char *late = g_strdup_printf("over the %g s deadline", s.deadline);
  g_autofree char *fallback = mt_unknown_headers(late, layout.eol);
  Job *job = g_new0(Job, 1); /* leaked on purpose when the thread is abandoned */
  g_mutex_init(&job->lock);
  g_cond_init(&job->cond);
  job->cfg = g_steal_pointer(&cfg);
  job->settings = &s;
  job->data = data;
  job->len = len;
  job->eol = layout.eol;
  g_thread_unref(g_thread_new("analyse", analyse_thread, job));

  g_mutex_lock(&job->lock);
  while (!job->done)
    if (!g_cond_wait_until(&job->cond, &job->lock, deadline))
      break;
  gboolean done = job->done;
  g_mutex_unlock(&job->lock);

  if (!done) { /* the thread may hold any lock: leave without touching the heap again */
    if (verdict_only) {
      static const char unknown[] = "unknown\n";
      _exit(write_all(unknown, sizeof unknown - 1) ? 1 : EX_IOERR);
    }
    _exit(write_message(fallback, stripped) ? 0 : EX_IOERR);
  }
  g_autofree char *headers = job->headers;
  g_autofree char *error = job->error;
  MtVerdictKind kind = job->kind;
  g_free(job);
  if (headers == NULL)
    return verdict_only ? (fprintf(stderr, "mailtrace filter: %s\n", error), 2)
                        : refuse(EX_TEMPFAIL, error);
  if (verdict_only)
    return verdict_only_exit(mt_verdict_kind_name(kind));
  if (!write_message(headers, stripped))
    return refuse(EX_IOERR, "writing the message failed");
  return 0;
}
