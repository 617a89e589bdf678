#include "imap-guard.h"

#include <libetpan/libetpan.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  mailstream_low *inner;
  gint64 timeout_us;
  gint64 deadline;        /* monotonic µs: the current command's end */
  gsize budget, received; /* bytes the current answer may hold, and has */
  gsize next_budget;      /* 0: MT_IMAP_ANSWER_BYTES */
  gsize max_literal, next_max_literal; /* the largest literal one answer may announce */
  gboolean answering;     /* read since the last write: the next write starts a command */
  /* Where the answer is, to see a literal announced before libetpan allocates it whole. */
  guint64 literal_left; /* bytes of a literal still to come (0: in a line) */
  char tail[24];        /* the end of the current line */
  guint tail_len;
} Guard;

/* The size N of a line that ends with `{N}\r`, or -1. */
static gint64
announced(const char *tail, guint len)
{
  if (len < 4 || tail[len - 1] != '\r' || tail[len - 2] != '}')
    return -1;
  guint i = len - 2;
  while (i > 0 && g_ascii_isdigit(tail[i - 1]))
    i--;
  if (i == 0 || tail[i - 1] != '{' || i == len - 2)
    return -1;
  return (gint64)g_ascii_strtoull(tail + i, NULL, 10);
}

/* Follows @n bytes of the answer. Returns: FALSE when a literal is announced that the answer
 * cannot hold. */
static gboolean
follow(Guard *g, const char *p, gsize n)
{
  while (n > 0) {
    if (g->literal_left > 0) {
      gsize skip = (gsize)MIN((guint64)n, g->literal_left);
      g->literal_left -= skip;
      p += skip;
      n -= skip;
      continue;
    }
    char c = *p++;
    n--;
    if (c != '\n') {
      if (g->tail_len == sizeof g->tail) { /* keep the last characters only */
        memmove(g->tail, g->tail + 1, sizeof g->tail - 1);
        g->tail_len--;
      }
      g->tail[g->tail_len++] = c;
      continue;
    }
    gint64 size = announced(g->tail, g->tail_len);
    g->tail_len = 0;
    if (size > 0 && ((guint64)size > g->max_literal ||
                     (guint64)size > g->budget - MIN(g->received, g->budget)))
      return FALSE;
    g->literal_left = size > 0 ? (guint64)size : 0;
  }
  return TRUE;
}

static Guard *
guard_of(mailstream_low *s)
{
  return s->data;
}

static ssize_t
guard_read(mailstream_low *s, void *buf, size_t count)
{
  Guard *g = guard_of(s);
  gint64 left = g->deadline - g_get_monotonic_time();
  if (left <= 0)
    return -1; /* the command's time is up, however slowly the bytes came */
  mailstream_low_set_timeout(g->inner, (time_t)((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
  ssize_t n = mailstream_low_read(g->inner, buf, count);
  if (n == 0)
    return -1; /* end of stream: libetpan would ask again, for ever */
  if (n > 0) {
    g->answering = TRUE;
    g->received += (gsize)n;
    if (g->received > g->budget || !follow(g, buf, (gsize)n))
      return -1; /* far more than was asked for */
  }
  return n;
}

static ssize_t
guard_write(mailstream_low *s, const void *buf, size_t count)
{
  Guard *g = guard_of(s);
  if (g->answering || g->deadline == 0) { /* a new command */
    g->answering = FALSE;
    g->deadline = g_get_monotonic_time() + g->timeout_us;
    g->received = 0;
    g->budget = g->next_budget != 0 ? g->next_budget : MT_IMAP_ANSWER_BYTES;
    g->max_literal = g->next_max_literal != 0 ? g->next_max_literal : g->budget;
    g->next_budget = g->next_max_literal = 0;
    g->literal_left = 0;
    g->tail_len = 0;
  }
  if (g_get_monotonic_time() >= g->deadline)
    return -1;
  return mailstream_low_write(g->inner, buf, count);
}

static int
guard_close(mailstream_low *s)
{
  return mailstream_low_close(guard_of(s)->inner);
}

static int
guard_get_fd(mailstream_low *s)
{
  return mailstream_low_get_fd(guard_of(s)->inner);
}

static void
guard_free(mailstream_low *s)
{
  Guard *g = guard_of(s);
  mailstream_low_free(g->inner);
  g_free(g);
  free(s->identifier); /* what libetpan's own drivers free with the low stream */
  free(s);
}

static void
guard_cancel(mailstream_low *s)
{
  mailstream_low_cancel(guard_of(s)->inner);
}

static struct mailstream_cancel *
guard_get_cancel(mailstream_low *s)
{
  return mailstream_low_get_cancel(guard_of(s)->inner);
}

static carray *
guard_get_certificate_chain(mailstream_low *s)
{
  return mailstream_low_get_certificate_chain(guard_of(s)->inner);
}

/* IDLE is waited for with poll() on the fd (imap-idle.c): no idle hooks. */
static mailstream_low_driver guard_driver = {
    .mailstream_read = guard_read,
    .mailstream_write = guard_write,
    .mailstream_close = guard_close,
    .mailstream_get_fd = guard_get_fd,
    .mailstream_free = guard_free,
    .mailstream_cancel = guard_cancel,
    .mailstream_get_cancel = guard_get_cancel,
    .mailstream_get_certificate_chain = guard_get_certificate_chain,
};

void
mt_imap_guard_install(struct mailimap *imap, guint timeout)
{
  g_return_if_fail(imap != NULL && imap->imap_stream != NULL);

  Guard *g = g_new0(Guard, 1);
  g->inner = mailstream_get_low(imap->imap_stream);
  g->timeout_us = (gint64)timeout * G_USEC_PER_SEC;
  mailstream_set_low(imap->imap_stream, mailstream_low_new(g, &guard_driver));
}

void
mt_imap_guard_expect(struct mailimap *imap, gsize bytes, gsize max_literal)
{
  mailstream_low *low = imap->imap_stream != NULL ? mailstream_get_low(imap->imap_stream) : NULL;
  if (low != NULL && low->driver == &guard_driver) {
    guard_of(low)->next_budget = bytes;
    guard_of(low)->next_max_literal = max_literal;
  }
}
