#include "mime-text.h"

#include <errno.h>
#include <string.h>

/* windows-1252 from 0x80 to 0x9F; 0 where the code page leaves a hole. Below and above that
 * range it is ISO 8859-1, whose bytes are their own code points. */
static const gunichar cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static void
append_unichar(GString *out, gunichar c)
{
  char buf[6];
  g_string_append_len(out, buf, g_unichar_to_utf8(c, buf));
}

static void
append_single_byte(GString *out, const char *data, gsize len, gboolean cp1252)
{
  for (gsize i = 0; i < len; i++) {
    guchar b = (guchar)data[i];
    if (b < 0x80)
      g_string_append_c(out, (char)b);
    else if (b < 0xA0 && cp1252)
      append_unichar(out, cp1252_high[b - 0x80] != 0 ? cp1252_high[b - 0x80] : 0xFFFD);
    else
      append_unichar(out, b);
  }
}

/* Undeclared bytes: UTF-8 when they are, else windows-1252 (GMime's and mail readers' order). */
static void
append_undeclared(GString *out, const char *data, gsize len)
{
  if (g_utf8_validate_len(data, len, NULL))
    g_string_append_len(out, data, len);
  else
    append_single_byte(out, data, len, TRUE);
}

static char *
normalise(const char *charset)
{
  while (*charset == ' ' || *charset == '"' || *charset == '\'')
    charset++;
  gsize n = strcspn(charset, " \"';*");
  return g_ascii_strdown(charset, (gssize)n);
}

static gboolean
in_list(const char *name, const char *const *list)
{
  for (; *list != NULL; list++)
    if (strcmp(name, *list) == 0)
      return TRUE;
  return FALSE;
}

/* One converter per charset and thread: opening an iconv descriptor costs more than most
 * conversions do. (GIConv)-1 remembers a charset iconv does not know. */
static GPrivate converters = G_PRIVATE_INIT((GDestroyNotify)g_hash_table_unref);

static void
close_converter(gpointer cd)
{
  if (cd != (gpointer)-1)
    g_iconv_close((GIConv)cd);
}

static GIConv
converter(const char *charset)
{
  GHashTable *table = g_private_get(&converters);
  if (table == NULL) {
    table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, close_converter);
    g_private_set(&converters, table);
  }
  gpointer cd;
  if (g_hash_table_lookup_extended(table, charset, NULL, &cd))
    return (GIConv)cd;
  if (g_hash_table_size(table) >= 64) /* hostile mail names a new charset each time */
    g_hash_table_remove_all(table);
  GIConv fresh = g_iconv_open("UTF-8", charset);
  g_hash_table_insert(table, g_strdup(charset), (gpointer)fresh);
  return fresh;
}

/* Converts with @cd, replacing each byte the charset does not allow by U+FFFD. */
static void
append_converted(GString *out, GIConv cd, const char *data, gsize len)
{
  g_iconv(cd, NULL, NULL, NULL, NULL);
  char *in = (char *)data;
  gsize in_left = len;
  char buf[4096];
  while (in_left > 0) {
    char *o = buf;
    gsize o_left = sizeof buf;
    gsize r = g_iconv(cd, &in, &in_left, &o, &o_left);
    g_string_append_len(out, buf, (gssize)(o - buf));
    if (r != (gsize)-1 || errno == E2BIG)
      continue;
    if (errno == EINVAL) /* cut inside a character at the end */
      break;
    g_string_append(out, "\xEF\xBF\xBD");
    in++;
    in_left--;
    g_iconv(cd, NULL, NULL, NULL, NULL);
  }
}

static void
append_in_charset(GString *out, const char *charset, const char *data, gsize len)
{
  static const char *const utf8[] = {"utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968",
                                     NULL};
  static const char *const latin1[] = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", NULL};
  static const char *const cp1252[] = {"windows-1252", "cp1252", "x-cp1252", NULL};
  g_autofree char *name = charset != NULL ? normalise(charset) : NULL;
  if (name == NULL || *name == '\0' || in_list(name, utf8)) {
    append_undeclared(out, data, len);
    return;
  }
  if (in_list(name, latin1) || in_list(name, cp1252)) {
    append_single_byte(out, data, len, in_list(name, cp1252));
    return;
  }
  GIConv cd = converter(name);
  if (cd == (GIConv)-1)
    append_undeclared(out, data, len);
  else
    append_converted(out, cd, data, len);
}

char *
mt_charset_to_utf8(const char *charset, const char *data, gsize len)
{
  GString *out = g_string_sized_new(len + 1);
  append_in_charset(out, charset, data, len); /* every path appends valid UTF-8 */
  return g_string_free(out, FALSE);
}

static int
hex_value(char c)
{
  return g_ascii_isxdigit(c) ? g_ascii_xdigit_value(c) : -1;
}

/* One encoded word at @p (`=?charset?B|Q?text?=`): appends its text and returns the end. */
static const char *
decode_word(const char *p, const char *end, GString *out, char **charset)
{
  const char *cs = p + 2;
  const char *q = memchr(cs, '?', (gsize)(end - cs));
  if (q == NULL || q == cs || q + 3 >= end || q[2] != '?' || q - cs > 64)
    return NULL;
  char enc = g_ascii_toupper(q[1]);
  if (enc != 'B' && enc != 'Q')
    return NULL;
  const char *text = q + 3, *stop = NULL;
  for (const char *t = text; t + 1 < end; t++)
    if (t[0] == '?' && t[1] == '=') {
      stop = t;
      break;
    }
  if (stop == NULL)
    return NULL;
  g_autofree char *name = g_strndup(cs, (gsize)(q - cs));
  char *star = strchr(name, '*'); /* RFC 2231 language: `utf-8*en` */
  if (star != NULL)
    *star = '\0';
  GByteArray *bytes = g_byte_array_sized_new((guint)(stop - text));
  if (enc == 'B') {
    gint state = 0;
    guint save = 0;
    g_byte_array_set_size(bytes, (guint)((stop - text) * 3 / 4 + 3));
    gsize n = g_base64_decode_step(text, (gsize)(stop - text), bytes->data, &state, &save);
    g_byte_array_set_size(bytes, (guint)n);
  } else {
    for (const char *t = text; t < stop; t++) {
      guint8 b = (guint8)*t;
      if (*t == '_')
        b = ' ';
      else if (*t == '=' && t + 2 < stop && hex_value(t[1]) >= 0 && hex_value(t[2]) >= 0) {
        b = (guint8)(hex_value(t[1]) * 16 + hex_value(t[2]));
        t += 2;
      }
      g_byte_array_append(bytes, &b, 1);
    }
  }
  append_in_charset(out, name, (const char *)bytes->data, bytes->len);
  g_byte_array_unref(bytes);
  if (charset != NULL && *charset == NULL)
    *charset = g_strdup(name);
  return stop + 2;
}

char *
mt_mime_decode_words(const char *text, gsize len, char **charset)
{
  if (charset != NULL)
    *charset = NULL;
  GString *out = g_string_sized_new(len + 1);
  const char *p = text, *end = text + len;
  const char *pending = NULL; /* whitespace after an encoded word, dropped before the next */
  gsize pending_len = 0;
  gboolean after_word = FALSE;
  while (p < end) {
    if (p[0] == '=' && p + 1 < end && p[1] == '?') {
      g_autoptr(GString) word = g_string_new(NULL);
      const char *next = decode_word(p, end, word, charset);
      if (next != NULL) {
        if (pending != NULL) /* the whitespace between two words was appended: take it back */
          g_string_truncate(out, out->len - pending_len);
        g_string_append_len(out, word->str, (gssize)word->len);
        p = next;
        pending = NULL;
        after_word = TRUE;
        continue;
      }
    }
    const char *q = p + 1;
    while (q < end && !(q[0] == '=' && q + 1 < end && q[1] == '?'))
      q++;
    gboolean blank = TRUE;
    for (const char *t = p; t < q && blank; t++)
      blank = *t == ' ' || *t == '\t' || *t == '\r' || *t == '\n';
    gsize before = out->len;
    append_undeclared(out, p, (gsize)(q - p));
    pending = after_word && blank && q < end ? p : NULL;
    pending_len = pending != NULL ? out->len - before : 0;
    after_word = FALSE;
    p = q;
  }
  return g_string_free(out, FALSE); /* valid: every piece was appended as UTF-8 */
}

MtTransferEncoding
mt_transfer_encoding(const char *value)
{
  if (value == NULL)
    return MT_CTE_IDENTITY;
  while (g_ascii_isspace(*value))
    value++;
  if (g_ascii_strncasecmp(value, "base64", 6) == 0)
    return MT_CTE_BASE64;
  if (g_ascii_strncasecmp(value, "quoted-printable", 16) == 0)
    return MT_CTE_QP;
  return MT_CTE_IDENTITY;
}

GByteArray *
mt_transfer_decode(MtTransferEncoding enc, const char *data, gsize len, gsize cap)
{
  GByteArray *out = g_byte_array_sized_new((guint)MIN(len, cap) + 4);
  if (enc == MT_CTE_BASE64) {
    gsize in = MIN(len, cap / 3 * 4 + 8 + cap / 16); /* line breaks are skipped, not decoded */
    gint state = 0;
    guint save = 0;
    g_byte_array_set_size(out, (guint)(in * 3 / 4 + 3));
    gsize n = g_base64_decode_step(data, in, out->data, &state, &save);
    g_byte_array_set_size(out, (guint)MIN(n, cap));
  } else if (enc == MT_CTE_QP) {
    g_byte_array_set_size(out, (guint)MIN(len, cap));
    gsize o = 0;
    for (gsize i = 0; i < len && o < cap; i++) {
      guint8 b = (guint8)data[i];
      if (b == '=' && i + 2 < len && hex_value(data[i + 1]) >= 0 && hex_value(data[i + 2]) >= 0) {
        b = (guint8)(hex_value(data[i + 1]) * 16 + hex_value(data[i + 2]));
        i += 2;
      } else if (b == '=') { /* a soft line break: `=`, blanks, line end */
        gsize j = i + 1;
        while (j < len && (data[j] == ' ' || data[j] == '\t'))
          j++;
        if (j < len && data[j] == '\r')
          j++;
        if (j < len && data[j] == '\n') {
          i = j;
          continue;
        }
      }
      out->data[o++] = b;
    }
    g_byte_array_set_size(out, (guint)o);
  } else {
    g_byte_array_append(out, (const guint8 *)data, (guint)MIN(len, cap));
  }
  return out;
}
