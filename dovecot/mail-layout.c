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

static void
add_span(GArray *spans, gsize offset, gsize len)
{
  if (len == 0)
    return;
  if (spans->len > 0) {
    MtSpan *last = &g_array_index(spans, MtSpan, spans->len - 1);
    if (last->offset + last->len == offset) {
      last->len += len;
      return;
    }
  }
  MtSpan s = {offset, len};
  g_array_append_val(spans, s);
}

/* Lines that are not fields (garbage in the header block) are kept: a reader may still take
 * them for headers, but they are not ours to drop. */
GArray *
mt_mail_spans_without_ours(const char *data, gsize len, const MtMailLayout *layout)
{
  g_return_val_if_fail(layout != NULL && (data != NULL || len == 0), NULL);

  static const char ours[] = "X-Mailtrace-";
  GArray *spans = g_array_new(FALSE, FALSE, sizeof(MtSpan));
  gboolean dropping = FALSE;
  gsize pos = 0;
  while (pos < layout->header_end) {
    gsize end = line_end(data, len, pos);
    gboolean continuation = data[pos] == ' ' || data[pos] == '\t';
    if (!continuation) {
      gsize n = field_name_len(data, pos, end);
      dropping = n > strlen(ours) && g_ascii_strncasecmp(data + pos, ours, strlen(ours)) == 0;
    }
    if (!dropping)
      add_span(spans, pos, end - pos);
    pos = end;
  }
  add_span(spans, pos, len - pos);
  return spans;
}
