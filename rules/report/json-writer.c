#include "json-writer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
mt_json_init(MtJsonWriter *w, GString *out)
{
  w->out = out;
  w->comma = FALSE;
}

static void
separate(MtJsonWriter *w)
{
  if (w->comma)
    g_string_append_c(w->out, ',');
  w->comma = TRUE;
}

void
mt_json_begin_object(MtJsonWriter *w)
{
  separate(w);
  g_string_append_c(w->out, '{');
  w->comma = FALSE;
}

void
mt_json_end_object(MtJsonWriter *w)
{
  g_string_append_c(w->out, '}');
  w->comma = TRUE;
}

void
mt_json_begin_array(MtJsonWriter *w)
{
  separate(w);
  g_string_append_c(w->out, '[');
  w->comma = FALSE;
}

void
mt_json_end_array(MtJsonWriter *w)
{
  g_string_append_c(w->out, ']');
  w->comma = TRUE;
}

static void
append_escaped(GString *out, const char *s, gsize len)
{
  static const char hex[] = "0123456789abcdef";
  g_string_append_c(out, '"');
  const char *run = s; /* bytes that need no escape are copied in runs */
  for (const char *p = s; p < s + len; p++) {
    guchar c = (guchar)*p;
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    g_string_append_len(out, run, p - run);
    run = p + 1;
    switch (c) {
    case '"': g_string_append(out, "\\\""); break;
    case '\\': g_string_append(out, "\\\\"); break;
    case '\n': g_string_append(out, "\\n"); break;
    case '\r': g_string_append(out, "\\r"); break;
    case '\t': g_string_append(out, "\\t"); break;
    default: {
      char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
      g_string_append(out, u);
    }
    }
  }
  g_string_append_len(out, run, s + len - run);
  g_string_append_c(out, '"');
}

void
mt_json_string(MtJsonWriter *w, const char *s)
{
  if (s == NULL) {
    mt_json_null(w);
    return;
  }
  separate(w);
  gsize len = strlen(s);
  if (g_utf8_validate_len(s, len, NULL)) {
    append_escaped(w->out, s, len);
  } else {
    g_autofree char *valid = g_utf8_make_valid(s, (gssize)len);
    append_escaped(w->out, valid, strlen(valid));
  }
}

void
mt_json_key(MtJsonWriter *w, const char *key)
{
  separate(w);
  append_escaped(w->out, key, strlen(key));
  g_string_append_c(w->out, ':');
  w->comma = FALSE;
}

void
mt_json_null(MtJsonWriter *w)
{
  separate(w);
  g_string_append(w->out, "null");
}

void
mt_json_bool(MtJsonWriter *w, gboolean v)
{
  separate(w);
  g_string_append(w->out, v ? "true" : "false");
}

void
mt_json_int(MtJsonWriter *w, gint64 v)
{
  separate(w);
  g_string_append_printf(w->out, "%" G_GINT64_FORMAT, v);
}

void
mt_json_double(MtJsonWriter *w, double v)
{
  separate(w);
  if (!isfinite(v)) { /* JSON has no NaN or infinity */
    g_string_append(w->out, "null");
    return;
  }
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  for (int digits = 15; digits <= 17; digits++) { /* the fewest digits that read back */
    g_ascii_formatd(buf, sizeof buf, digits == 15 ? "%.15g" : digits == 16 ? "%.16g" : "%.17g", v);
    if (g_ascii_strtod(buf, NULL) == v)
      break;
  }
  g_string_append(w->out, buf);
  if (strpbrk(buf, ".eE") == NULL)
    g_string_append(w->out, ".0");
}

void
mt_json_member_string(MtJsonWriter *w, const char *key, const char *s)
{
  mt_json_key(w, key);
  mt_json_string(w, s);
}

void
mt_json_member_bool(MtJsonWriter *w, const char *key, gboolean v)
{
  mt_json_key(w, key);
  mt_json_bool(w, v);
}

void
mt_json_member_int(MtJsonWriter *w, const char *key, gint64 v)
{
  mt_json_key(w, key);
  mt_json_int(w, v);
}

void
mt_json_member_double(MtJsonWriter *w, const char *key, double v)
{
  mt_json_key(w, key);
  mt_json_double(w, v);
}
