#include "message.h"

#include <gmime/gmime.h>
#include <string.h>

#include "gmime-bugs.h"
#include "message-reader.h"
#include "mail-date.h"
#include "mt-limits.h"

/* GMime reads the message; we keep what the checks need and let the tree go. The parse is
 * from memory, without a copy (a borrowed buffer, below), reusing one parser and one set of
 * options per thread, and only the heads of text parts are decoded. */

typedef struct {
  MtMessage *msg;
  gboolean body_cut;  /* we cut the body, so a truncated message is our doing */
  guint parts;
} ParseState;

/* GMime's parser warnings -> findings. Critical: other readers may read the message otherwise
 * (which of two From headers is the sender?); the rest are sloppy but read alike. */
static const struct {
  GMimeParserWarning code;
  const char *what;
  gboolean critical;
} warning_names[] = {
    {GMIME_WARN_DUPLICATED_HEADER, "duplicated header", FALSE},
    {GMIME_WARN_DUPLICATED_PARAMETER, "duplicated parameter", FALSE},
    {GMIME_WARN_UNENCODED_8BIT_HEADER, "unencoded 8-bit header", FALSE},
    {GMIME_WARN_INVALID_CONTENT_TYPE, "invalid content type", FALSE},
    {GMIME_WARN_INVALID_RFC2047_HEADER_VALUE, "invalid encoded word", FALSE},
    {GMIME_WARN_MALFORMED_MULTIPART, "malformed multipart", FALSE},
    {GMIME_WARN_TRUNCATED_MESSAGE, "truncated message", FALSE},
    {GMIME_WARN_MALFORMED_MESSAGE, "malformed message", FALSE},
    {GMIME_WARN_INVALID_PARAMETER, "invalid parameter", FALSE},
    {GMIME_WARN_INVALID_ADDRESS_LIST, "invalid address list", FALSE},
    {GMIME_WARN_PART_WITHOUT_CONTENT, "part without content", FALSE},
    {GMIME_CRIT_INVALID_HEADER_NAME, "invalid header name", TRUE},
    {GMIME_CRIT_CONFLICTING_HEADER, "conflicting header", TRUE},
    {GMIME_CRIT_CONFLICTING_PARAMETER, "conflicting parameter", TRUE},
    {GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY, "multipart without boundary", TRUE},
    {GMIME_CRIT_NESTING_OVERFLOW, "nesting too deep", TRUE},
    {GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT, "part without headers or content", TRUE},
};

static char *
shown_bytes(const char *s, gsize len)
{
  GString *out = g_string_sized_new(len);
  const char *p = s, *end = s + len;
  while (p < end) {
    const char *valid_end = NULL;
    g_utf8_validate(p, end - p, &valid_end);
    g_string_append_len(out, p, valid_end - p);
    p = valid_end;
    if (p < end)
      g_string_append_printf(out, "\\x%02x", (guchar)*p++);
  }
  return g_string_free(out, FALSE);
}

static void
on_warning(gint64 offset, GMimeParserWarning code, const char *item, gpointer user)
{
  ParseState *st = user;
  MtMessage *msg = st->msg;
  if (code == GMIME_WARN_TRUNCATED_MESSAGE && st->body_cut)
    return;
  const char *what = "parser warning";
  gboolean critical = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS(warning_names); i++)
    if (warning_names[i].code == code) {
      what = warning_names[i].what;
      critical = warning_names[i].critical;
    }
  if (code == GMIME_CRIT_NESTING_OVERFLOW)
    msg->findings |= MT_MSG_FINDING_TOO_DEEP;
  msg->findings |= critical ? MT_MSG_FINDING_MIME_CRITICAL : MT_MSG_FINDING_MIME_WARNING;
  if (msg->warnings->len >= MT_MAX_PARSE_WARNINGS)
    return;
  /* @item is what the input said (a header name, a parameter): capped, its valid UTF-8 shown
   * as is and any other byte as \xNN (as replacement marks, high bytes read as garbage) */
  g_autofree char *shown = item != NULL ? shown_bytes(item, MIN(strlen(item), 80)) : NULL;
  g_ptr_array_add(msg->warnings,
                  g_strdup_printf("%s at byte %" G_GINT64_FORMAT "%s%s", what, MAX(offset, 0),
                                  shown != NULL ? ": " : "", shown != NULL ? shown : ""));
}

/* A header and its three strings in one allocation: a message has dozens of fields. */
static MtHeader *
header_new(const char *name, const char *raw, gsize raw_len, const char *value)
{
  gsize name_len = strlen(name), value_len = strlen(value);
  MtHeader *h = g_malloc(sizeof *h + name_len + raw_len + value_len + 3);
  char *p = (char *)(h + 1);
  h->name = memcpy(p, name, name_len + 1);
  p += name_len + 1;
  h->raw = memcpy(p, raw, raw_len);
  p[raw_len] = '\0';
  p += raw_len + 1;
  h->value = memcpy(p, value, value_len + 1);
  return h;
}

/* Unfolded (line ends removed, the blanks after them kept), RFC 2047-decoded, trimmed. */
static char *
decoded_value(GMimeParserOptions *options, const char *raw)
{
  gboolean plain = TRUE, folded = FALSE; /* most fields: ASCII on one line, no encoded word */
  for (const char *p = raw; *p != '\0' && plain; p++) {
    plain = (guchar)*p < 0x80 && !(p[0] == '=' && p[1] == '?');
    folded |= *p == '\n';
  }
  if (plain && !folded)
    return g_strstrip(g_strdup(raw));
  g_autofree char *unfolded = g_mime_utils_header_unfold(raw);
  if (plain)
    return g_strstrip(g_steal_pointer(&unfolded));
  g_autofree char *mended = mt_gmime_mend_padded_words(unfolded);
  char *v = g_mime_utils_header_decode_text(options, mended != NULL ? mended : unfolded);
  return g_strstrip(v);
}

static gint
by_offset(gconstpointer a, gconstpointer b)
{
  gint64 x = g_mime_header_get_offset(*(GMimeHeader *const *)a);
  gint64 y = g_mime_header_get_offset(*(GMimeHeader *const *)b);
  return x < y ? -1 : x > y;
}

/* The top-level header block in file order: GMime keeps the Content-* fields with the body
 * part, the others with the message. */
static void
collect_headers(MtMessage *msg, GMimeParserOptions *options, GMimeMessage *message)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new();
  GMimeHeaderList *lists[] = {
      g_mime_object_get_header_list(GMIME_OBJECT(message)),
      message->mime_part != NULL ? g_mime_object_get_header_list(message->mime_part) : NULL};
  for (guint l = 0; l < G_N_ELEMENTS(lists); l++)
    for (int i = 0; lists[l] != NULL && i < g_mime_header_list_get_count(lists[l]); i++)
      g_ptr_array_add(all, g_mime_header_list_get_header_at(lists[l], i));
  g_ptr_array_sort(all, by_offset);
  for (guint i = 0; i < all->len; i++) {
    GMimeHeader *h = g_ptr_array_index(all, i);
    const char *raw = g_mime_header_get_raw_value(h);
    if (raw == NULL)
      raw = "";
    /* as in the message: folded, without the blanks before it or the line end after it */
    raw += strspn(raw, " \t");
    gsize n = strlen(raw);
    while (n > 0 && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
      n--;
    g_autofree char *kept = g_strndup(raw, n);
    g_autofree char *value = decoded_value(options, kept);
    g_ptr_array_add(msg->headers, header_new(g_mime_header_get_name(h), kept, n, value));
  }
}

static void
add_charset(MtMessage *msg, const char *charset, gsize len)
{
  if (len == 0 || len > 40 || msg->charsets->len >= MT_MAX_CHARSETS)
    return;
  g_autofree char *lower = g_ascii_strdown(charset, len);
  for (guint i = 0; i < msg->charsets->len; i++)
    if (strcmp(g_ptr_array_index(msg->charsets, i), lower) == 0)
      return;
  g_ptr_array_add(msg->charsets, g_steal_pointer(&lower));
}

/* The charsets encoded words name (`=?koi8-r?B?...?=`): GMime decodes the words but does not
 * say which charsets they used, and the fingerprint keeps them. */
static void
add_header_charsets(MtMessage *msg, const char *raw)
{
  for (const char *p = strstr(raw, "=?"); p != NULL; p = strstr(p + 2, "=?")) {
    const char *cs = p + 2;
    gsize n = strcspn(cs, "?* \t\r\n");
    if (cs[n] == '?' || cs[n] == '*')
      add_charset(msg, cs, n);
  }
}

/* `<meta name="Generator" content="Microsoft Word 15">`, attributes in either order. */
static char *
meta_generator(const char *html, gsize len)
{
  const char *end = html + len;
  for (const char *p = html; p < end; p++) {
    if (*p != '<' || end - p < 5 || g_ascii_strncasecmp(p, "<meta", 5) != 0)
      continue;
    const char *close = memchr(p, '>', end - p);
    if (close == NULL)
      return NULL;
    g_autofree char *tag = g_ascii_strdown(p, close - p);
    g_autofree char *orig = g_strndup(p, close - p);
    if (strstr(tag, "name=\"generator\"") == NULL && strstr(tag, "name=generator") == NULL &&
        strstr(tag, "name='generator'") == NULL)
      continue;
    const char *c = strstr(tag, "content=");
    if (c == NULL)
      continue;
    const char *v = orig + (c - tag) + 8;
    char quote = (*v == '"' || *v == '\'') ? *v++ : ' ';
    gsize n = quote == ' ' ? strcspn(v, " />") : strcspn(v, quote == '"' ? "\"" : "'");
    if (n > 0 && n < 200)
      return g_strndup(v, n);
  }
  return NULL;
}

static char *
html_generator(const char *html, gsize len)
{
  char *meta = meta_generator(html, len);
  if (meta != NULL)
    return meta;
  static const char *const office[] = {"schemas-microsoft-com:office",
                                       "schemas.microsoft.com/office"};
  for (guint i = 0; i < G_N_ELEMENTS(office); i++)
    if (memmem(html, len, office[i], strlen(office[i])) != NULL)
      return g_strdup("Microsoft Office");
  return NULL;
}

/* Appends valid UTF-8 up to the sample cap, cut at a character boundary. */
static void
append_sample(MtMessage *msg, const char *text, gsize len)
{
  gsize have = strlen(msg->text_sample);
  if (text == NULL || have + 1 >= MT_MAX_TEXT_SAMPLE_BYTES)
    return;
  g_autofree char *valid = g_utf8_make_valid(text, MIN(len, MT_MAX_TEXT_SAMPLE_BYTES));
  gsize n = MIN(strlen(valid), MT_MAX_TEXT_SAMPLE_BYTES - have - 1);
  while (n > 0 && ((guchar)valid[n] & 0xC0) == 0x80) /* never split a character */
    n--;
  char *out = g_strdup_printf("%s%s%.*s", msg->text_sample, have ? "\n" : "", (int)n, valid);
  g_free(msg->text_sample);
  msg->text_sample = out;
}

/* The first @cap bytes of a text part, transfer-decoded and converted to UTF-8 by GMime's
 * filters; only that much of the part is read. NULs become blanks: the HTML scan and the
 * sample read C strings, and a NUL must not hide what follows it. */
static char *
text_head(GMimeParserOptions *options, GMimePart *part, const char *charset, gsize cap)
{
  GMimeDataWrapper *content = g_mime_part_get_content(part);
  GMimeStream *raw = content != NULL ? g_mime_data_wrapper_get_stream(content) : NULL;
  if (raw == NULL)
    return g_strdup("");
  g_mime_stream_reset(raw);
  GMimeStream *filtered = g_mime_stream_filter_new(raw);
  GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding(content);
  if (enc == GMIME_CONTENT_ENCODING_BASE64 || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE ||
      enc == GMIME_CONTENT_ENCODING_UUENCODE) {
    GMimeFilter *f = g_mime_filter_basic_new(enc, FALSE);
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), f);
    g_object_unref(f);
  }
  GMimeFilter *conv = charset != NULL ? g_mime_filter_charset_new(charset, "utf-8") : NULL;
  if (conv != NULL) {
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), conv);
    g_object_unref(conv);
  }
  char *buf = g_malloc(cap + 1);
  gsize n = 0;
  while (n < cap) {
    ssize_t got = g_mime_stream_read(filtered, buf + n, cap - n);
    if (got <= 0)
      break;
    n += (gsize)got;
  }
  g_object_unref(filtered);
  for (gsize i = 0; i < n; i++)
    if (buf[i] == '\0')
      buf[i] = ' ';
  buf[n] = '\0';
  if (conv != NULL || g_utf8_validate(buf, (gssize)n, NULL))
    return buf;
  /* no charset, or one iconv does not know: UTF-8 when valid, else windows-1252 */
  char *text = g_mime_utils_decode_8bit(options, buf, n);
  g_free(buf);
  return text;
}

static void
text_part(ParseState *st, GMimeParserOptions *options, GMimePart *part, GMimeContentType *ct)
{
  MtMessage *msg = st->msg;
  const char *charset = g_mime_content_type_get_parameter(ct, "charset");
  if (charset != NULL)
    add_charset(msg, charset, strlen(charset));
  gboolean want_sample = strlen(msg->text_sample) < MT_MAX_TEXT_SAMPLE_BYTES / 2;
  gboolean want_html = msg->html_generator == NULL && g_mime_content_type_is_type(ct, "text", "html");
  if (!want_sample && !want_html)
    return;
  gsize cap = want_html ? MT_MAX_HTML_SCAN_BYTES : MT_MAX_TEXT_SAMPLE_BYTES;
  g_autofree char *text = text_head(options, part, charset, cap);
  gsize len = strlen(text);
  if (want_sample)
    append_sample(msg, text, len);
  if (want_html)
    msg->html_generator = html_generator(text, len);
}

static void
walk(ParseState *st, GMimeParserOptions *options, GMimeObject *obj, guint depth)
{
  if (obj == NULL)
    return;
  if (depth > MT_MAX_MIME_DEPTH || ++st->parts > MT_MAX_MIME_PARTS) {
    st->msg->findings |= MT_MSG_FINDING_TOO_DEEP;
    return;
  }
  if (GMIME_IS_MULTIPART(obj)) {
    GMimeMultipart *mp = GMIME_MULTIPART(obj);
    for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
      walk(st, options, g_mime_multipart_get_part(mp, i), depth + 1);
  } else if (GMIME_IS_MESSAGE_PART(obj)) {
    GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
    if (inner != NULL)
      walk(st, options, inner->mime_part, depth + 1);
  } else if (GMIME_IS_PART(obj)) {
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    if (ct != NULL && g_mime_content_type_is_type(ct, "text", "*"))
      text_part(st, options, GMIME_PART(obj), ct);
  }
}

static const char *
header_value(const MtMessage *msg, const char *name)
{
  const MtHeader *h = mt_message_get(msg, name);
  return h != NULL ? h->value : NULL;
}

static MtAddress *
first_mailbox(const MtMessage *msg, const char *name)
{
  const MtHeader *h = mt_message_get(msg, name);
  return h != NULL ? mt_address_first_mailbox(h->raw) : NULL;
}

static char *
strip_angles(const char *s)
{
  if (s == NULL)
    return NULL;
  while (g_ascii_isspace(*s))
    s++;
  gsize n = strlen(s);
  while (n > 0 && g_ascii_isspace(s[n - 1]))
    n--;
  if (n >= 2 && s[0] == '<' && s[n - 1] == '>')
    return g_strndup(s + 1, n - 2);
  return n > 0 ? g_strndup(s, n) : NULL;
}

/* The msg-id of a Message-ID value: what the first angle brackets hold, else the value.
 * Not g_mime_utils_decode_message_id(): it stops at a second '@' and, without a closing '>',
 * takes the rest of the line; in the differential run (bench/reader-diff.sh) every one of its
 * 94 different answers was further from what a mail reader shows. */
static char *
message_id(const char *value)
{
  if (value == NULL)
    return NULL;
  const char *open = strchr(value, '<');
  if (open == NULL)
    return strip_angles(value);
  gsize n = strcspn(open + 1, "> \t"); /* unclosed: up to the first blank */
  return n > 0 ? g_strndup(open + 1, n) : NULL;
}

static void
collect_facts(MtMessage *msg)
{
  msg->from = first_mailbox(msg, "From");
  msg->sender = first_mailbox(msg, "Sender");
  msg->reply_to = first_mailbox(msg, "Reply-To");
  const MtHeader *rt = mt_message_get(msg, "Reply-To");
  msg->replies = mt_address_all_mailboxes(rt != NULL ? rt->raw : NULL);
  msg->return_path = strip_angles(header_value(msg, "Return-Path"));
  msg->message_id = message_id(header_value(msg, "Message-ID"));
  const MtHeader *date = mt_message_get(msg, "Date");
  if (date != NULL)
    msg->date = mt_mail_date_parse(date->value, strlen(date->value));
  if (msg->date != NULL)
    msg->date_zone = g_date_time_format(msg->date, "%z");
  const char *mailer_headers[] = {"X-Mailer", "User-Agent", "X-Newsreader"};
  for (gsize i = 0; i < G_N_ELEMENTS(mailer_headers) && msg->mailer == NULL; i++) {
    const char *v = header_value(msg, mailer_headers[i]);
    if (v != NULL && *v)
      msg->mailer = g_strstrip(g_strdup(v));
  }
  const char *encoded[] = {"Subject", "From", "To"};
  for (gsize i = 0; i < G_N_ELEMENTS(encoded); i++) {
    const MtHeader *h = mt_message_get(msg, encoded[i]);
    if (h != NULL)
      add_header_charsets(msg, h->raw);
  }
  const char *subject = header_value(msg, "Subject");
  if (subject != NULL)
    append_sample(msg, subject, strlen(subject));
}

/* Where the header block ends: just past the empty line, or 0 when none is in @len. */
static gsize
header_end(const char *data, gsize len)
{
  for (gsize i = 0; i + 1 < len; i++) {
    if (data[i] != '\n')
      continue;
    if (data[i + 1] == '\n')
      return i + 2;
    if (data[i + 1] == '\r' && i + 2 < len && data[i + 2] == '\n')
      return i + 3;
  }
  return 0;
}

gsize
mt_message_mbox_line(const char *data, gsize len)
{
  if (len < 5 || memcmp(data, "From ", 5) != 0)
    return 0;
  gsize i = 5;
  while (i < len && (data[i] == ' ' || data[i] == '\t'))
    i++;
  if (i < len && data[i] == ':')
    return 0; /* `From :`, obsolete syntax for a From field */
  const char *nl = memchr(data, '\n', len);
  return nl != NULL ? (gsize)(nl - data) + 1 : len;
}

/* GMime reads from a stream; a memory stream over a borrowed GByteArray reads our buffer in
 * place. GMime's memory stream only reads `data` and `len` of the array when it does not own
 * it, so the array is pointed at @data for the parse and emptied before it is freed. */
static GMimeMessage *
parse_in_place(Reader *r, const char *data, gsize len, GByteArray **borrowed)
{
  GByteArray *array = g_byte_array_new();
  array->data = (guint8 *)data;
  array->len = (guint)len;
  GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(array);
  g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
  g_mime_parser_init_with_stream(r->parser, stream);
  g_object_unref(stream); /* the parser holds it */
  *borrowed = array;
  return g_mime_parser_construct_message(r->parser, r->options);
}

static void
return_borrowed(Reader *r, GByteArray *array)
{
  /* the parts' streams are substreams of ours: let go of them before the buffer goes */
  GMimeStream *empty = g_mime_stream_mem_new();
  g_mime_parser_init_with_stream(r->parser, empty);
  g_object_unref(empty);
  array->data = NULL;
  array->len = 0;
  g_byte_array_unref(array);
}

MtMessage *
mt_message_parse(const char *data, gsize len)
{
  g_return_val_if_fail(data != NULL || len == 0, NULL);

  MtMessage *msg = g_new0(MtMessage, 1);
  msg->headers = g_ptr_array_new_with_free_func(g_free);
  msg->charsets = g_ptr_array_new_with_free_func(g_free);
  msg->warnings = g_ptr_array_new_with_free_func(g_free);
  msg->text_sample = g_strdup("");
  ParseState st = {.msg = msg};
  Reader *r = mt_message_reader();

  gsize skip = mt_message_mbox_line(data, len);
  data += skip;
  len -= skip;
  /* The header block up to its cap, then the body up to its cap: GMime sees no more. */
  gsize hdr_len = header_end(data, MIN(len, (gsize)MT_MAX_HEADER_BYTES));
  gboolean cut_headers = hdr_len == 0 && len > MT_MAX_HEADER_BYTES;
  if (hdr_len == 0)
    hdr_len = MIN(len, (gsize)MT_MAX_HEADER_BYTES);
  if (cut_headers) {
    msg->findings |= MT_MSG_FINDING_HEADERS_TRUNCATED;
    st.body_cut = TRUE;
  }
  gsize body_len = cut_headers ? 0 : len - hdr_len;
  if (body_len > MT_MAX_BODY_BYTES) {
    body_len = MT_MAX_BODY_BYTES;
    msg->findings |= MT_MSG_FINDING_BODY_TRUNCATED;
    st.body_cut = TRUE;
  }
  gsize total = hdr_len + body_len;

  /* NULs in the header block: GMime reads names and values as C strings, so they would cut
   * a field short. Blanks in a copy of the (rare) message that has them. */
  g_autofree char *copy = NULL;
  if (memchr(data, '\0', hdr_len) != NULL) {
    msg->findings |= MT_MSG_FINDING_NUL;
    copy = g_memdup2(data, total);
    for (gsize i = 0; i < hdr_len; i++)
      if (copy[i] == '\0')
        copy[i] = ' ';
    data = copy;
  }

  g_mime_parser_options_set_warning_callback(r->options, on_warning, &st);
  GByteArray *borrowed = NULL;
  GMimeMessage *message = parse_in_place(r, data, total, &borrowed);
  if (message != NULL) {
    collect_headers(msg, r->options, message);
    if (msg->headers->len > 0) {
      collect_facts(msg);
      walk(&st, r->options, message->mime_part, 0);
    }
    g_object_unref(message);
  }
  g_mime_parser_options_set_warning_callback(r->options, NULL, NULL);
  return_borrowed(r, borrowed);
  if (msg->headers->len == 0)
    msg->findings |= MT_MSG_FINDING_NO_HEADERS;
  return msg;
}

void
mt_message_free(MtMessage *msg)
{
  if (msg == NULL)
    return;
  g_ptr_array_unref(msg->headers);
  mt_address_free(msg->from);
  mt_address_free(msg->sender);
  mt_address_free(msg->reply_to);
  if (msg->replies != NULL)
    g_ptr_array_unref(msg->replies);
  g_free(msg->return_path);
  g_free(msg->message_id);
  if (msg->date != NULL)
    g_date_time_unref(msg->date);
  g_free(msg->date_zone);
  g_free(msg->mailer);
  g_ptr_array_unref(msg->charsets);
  g_free(msg->html_generator);
  g_free(msg->text_sample);
  g_ptr_array_unref(msg->warnings);
  g_free(msg);
}

GPtrArray *
mt_message_get_all(const MtMessage *msg, const char *name)
{
  g_return_val_if_fail(msg != NULL && name != NULL, NULL);

  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; i < msg->headers->len; i++) {
    const MtHeader *h = g_ptr_array_index(msg->headers, i);
    if (g_ascii_strcasecmp(h->name, name) == 0)
      g_ptr_array_add(out, h->raw);
  }
  return out;
}

const MtHeader *
mt_message_get(const MtMessage *msg, const char *name)
{
  g_return_val_if_fail(msg != NULL && name != NULL, NULL);

  for (guint i = 0; i < msg->headers->len; i++) {
    const MtHeader *h = g_ptr_array_index(msg->headers, i);
    if (g_ascii_strcasecmp(h->name, name) == 0)
      return h;
  }
  return NULL;
}

/* The length of the field name that starts @line (up to @end), 0 when it is not a field:
 * printable ASCII without ':' or space, then optional blanks (obsolete syntax), then ':'. */
static gsize
field_name(const char *line, const char *end)
{
  const char *p = line;
  while (p < end && *p > 0x20 && *p < 0x7f && *p != ':')
    p++;
  gsize n = (gsize)(p - line);
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return n > 0 && p < end && *p == ':' ? n : 0;
}

gboolean
mt_message_looks_like_mail(const char *data, gsize len)
{
  static const char *const every_mail_has[] = {
      "From",       "Sender",  "Date",         "Received", "Message-ID",
      "Return-Path", "Subject", "MIME-Version", "Delivered-To", NULL};
  const char *p = data, *end = data + MIN(len, (gsize)MT_MAX_HEADER_BYTES);
  p += mt_message_mbox_line(p, (gsize)(end - p));
  for (gboolean first = TRUE; p < end; first = FALSE) {
    const char *nl = memchr(p, '\n', (gsize)(end - p));
    const char *line_end = nl != NULL ? nl : end;
    if (line_end == p || (line_end == p + 1 && *p == '\r'))
      return FALSE; /* the end of the header block */
    gsize n = field_name(p, line_end);
    if (first && n == 0)
      return FALSE;
    for (guint i = 0; n > 0 && every_mail_has[i] != NULL; i++)
      if (strlen(every_mail_has[i]) == n && g_ascii_strncasecmp(p, every_mail_has[i], n) == 0)
        return TRUE;
    p = nl != NULL ? nl + 1 : end;
  }
  return FALSE;
}

char *
mt_message_library_version(void)
{
  return g_strdup_printf("GMime %u.%u.%u", gmime_major_version, gmime_minor_version,
                         gmime_micro_version);
}
