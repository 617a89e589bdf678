#include "mail-layout.h"

#include <string.h>

/* The end of the line starting at @pos: the offset just past its LF, or @len. */
static gsize
line_end(const char *data, gsize len, gsize pos)
{
  const char *nl = memchr(data + pos, '\n', len - pos);
  return nl != NULL ? (gsize)(nl - data) + 1 : len;
}

static gboolean
is_blank_line(const char *data, gsize pos, gsize end)
{
  gsize n = end - pos;
  return (n == 1 && data[pos] == '\n') || (n == 2 && data[pos] == '\r' && data[pos + 1] == '\n');
}

/* The length of the field name of a line `name:`, trailing blanks before the colon left out
 * (RFC 5322 obsolete syntax allows them), or 0 when the line is not a field. */
static gsize
field_name_len(const char *data, gsize pos, gsize end)
{
  gsize i = pos;
  while (i < end && data[i] > 0x20 && data[i] < 0x7f && data[i] != ':')
    i++;
  gsize name_end = i;
  while (i < end && (data[i] == ' ' || data[i] == '\t'))
    i++;
  if (name_end == pos || i >= end || data[i] != ':')
    return 0;
  return name_end - pos;
}

void
mt_mail_layout(const char *data, gsize len, MtMailLayout *out)
{
  g_return_if_fail(out != NULL && (data != NULL || len == 0));

  gsize first = len > 0 ? line_end(data, len, 0) : 0;
  out->eol = first > 0 && data[first - 1] == '\n' && (first < 2 || data[first - 2] != '\r')
                 ? "\n"
                 : "\r\n";
  out->has_header = len > 0 && field_name_len(data, 0, first) > 0;
  out->header_end = len;
  for (gsize pos = 0; pos < len;) {
    gsize end = line_end(data, len, pos);
    if (is_blank_line(data, pos, end)) {
      out->header_end = pos;
      break;
    }
    pos = end;
  }
}

static const char ours[] = "X-Mailtrace-";

void
mt_stripper_init(MtStripper *st)
{
  *st = (MtStripper){0};
}

/* Whether the held-back start of a line can still become `X-Mailtrace-`. */
static gboolean
may_be_ours(const MtStripper *st)
{
  return g_ascii_strncasecmp(st->start, ours, st->start_len) == 0;
}

/* The start of the line is known: decides, and lets the held-back bytes go or drops them. */
static void
decide(MtStripper *st, gboolean blank, MtKeepFunc keep, gpointer user)
{
  gboolean continuation = st->start[0] == ' ' || st->start[0] == '\t';
  if (blank)
    st->body = TRUE;
  else if (!continuation)
    st->dropping = st->start_len == sizeof ours - 1 && may_be_ours(st);
  if (!st->dropping || blank)
    keep(st->start, st->start_len, user);
  st->mid_line = TRUE;
}

void
mt_stripper_feed(MtStripper *st, const char *data, gsize len, MtKeepFunc keep, gpointer user)
{
  const char *p = data, *end = data + len;
  while (p < end) {
    if (st->body) {
      keep(p, (gsize)(end - p), user);
      return;
    }
    if (st->mid_line) { /* the rest of the line goes with its start */
      const char *nl = memchr(p, '\n', (gsize)(end - p));
      const char *stop = nl != NULL ? nl + 1 : end;
      if (!st->dropping)
        keep(p, (gsize)(stop - p), user);
      p = stop;
      if (nl != NULL)
        st->mid_line = FALSE, st->start_len = 0;
      continue;
    }
    char c = *p++;
    st->start[st->start_len++] = c;
    gboolean blank = (c == '\n' && st->start_len == 1) ||
                     (c == '\n' && st->start_len == 2 && st->start[0] == '\r');
    if (c == '\n' || blank) {
      decide(st, blank, keep, user);
      st->mid_line = FALSE;
      st->start_len = 0;
    } else if (st->start_len == sizeof ours - 1 || !(st->start[0] == '\r' && st->start_len == 1 ?
                                                       TRUE : may_be_ours(st))) {
      decide(st, FALSE, keep, user);
    }
  }
}

void
mt_stripper_finish(MtStripper *st, MtKeepFunc keep, gpointer user)
{
  if (!st->body && !st->mid_line && st->start_len > 0)
    decide(st, FALSE, keep, user);
  st->start_len = 0;
}

static void
append(const char *data, gsize len, gpointer user)
{
  g_byte_array_append(user, (const guint8 *)data, (guint)len);
}

GByteArray *
mt_mail_without_ours(const char *data, gsize len)
{
  GByteArray *out = g_byte_array_sized_new((guint)MIN(len, G_MAXUINT));
  MtStripper st;
  mt_stripper_init(&st);
  mt_stripper_feed(&st, data, len, append, out);
  mt_stripper_finish(&st, append, out);
  return out;
}
