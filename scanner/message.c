#include "message.h"

#include <string.h>

#include "mt-gmime.h"
#include "mt-limits.h"


typedef struct {
  MtMessage *msg;
  gboolean body_cut; /* we cut the body, so GMime's "truncated" warning is ours */
} ParseState;

static void
header_free(gpointer data)
{
  MtHeader *h = data;
  g_free(h->name);
  g_free(h->raw);
  g_free(h->value);
  g_free(h);
}

static void
address_free(MtAddress *a)
{
  if (a == NULL)
    return;
  g_free(a->name);
  g_free(a->address);
  g_free(a->charset);
  g_free(a);
}

/* Finds where the header block ends: the offset just past the empty line, or 0. */
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

/* The bytes GMime will see: the header block (NULs replaced) and the capped body. */
static GByteArray *
capped_copy(const char *data, gsize len, guint *findings, gboolean *body_cut)
{
  gsize hdr_len = header_end(data, MIN(len, (gsize)MT_MAX_HEADER_BYTES));
  GByteArray *out =
      g_byte_array_sized_new(MIN(len, (gsize)MT_MAX_MESSAGE_BYTES));
  if (hdr_len == 0) {
    hdr_len = MIN(len, (gsize)MT_MAX_HEADER_BYTES);
    if (len > MT_MAX_HEADER_BYTES)
      *findings |= MT_MSG_FINDING_HEADERS_TRUNCATED;
  }
  g_byte_array_append(out, (const guint8 *)data, hdr_len);
  for (gsize i = 0; i < hdr_len; i++) {
    if (out->data[i] == '\0') {
      out->data[i] = ' ';
      *findings |= MT_MSG_FINDING_NUL;
    }
  }
  gsize body_len = len - hdr_len;
  if (*findings & MT_MSG_FINDING_HEADERS_TRUNCATED) {
    body_len = 0;
    g_byte_array_append(out, (const guint8 *)"\n\n", 2);
  }
  if (body_len > MT_MAX_BODY_BYTES) {
    body_len = MT_MAX_BODY_BYTES;
    *findings |= MT_MSG_FINDING_BODY_TRUNCATED;
    *body_cut = TRUE;
  }
  g_byte_array_append(out, (const guint8 *)data + hdr_len, body_len);
  return out;
}

/* GMime has no GType for its warning codes; the names follow the enum, in order. */
static const char *const warning_names[] = {NULL,
                                            "duplicated header",
                                            "duplicated parameter",
                                            "unencoded 8-bit header",
                                            "invalid content type",
                                            "invalid RFC 2047 header value",
                                            "malformed multipart",
                                            "truncated message",
                                            "malformed message",
                                            "invalid header name",
                                            "conflicting header",
                                            "conflicting parameter",
                                            "multipart without boundary",
                                            "invalid parameter",
                                            "invalid address list",
                                            "MIME nesting overflow",
                                            "part without content",
                                            "part without headers or content"};

static gboolean
is_critical(GMimeParserWarning code)
{
  switch (code) {
  case GMIME_CRIT_INVALID_HEADER_NAME:
  case GMIME_CRIT_CONFLICTING_HEADER:
  case GMIME_CRIT_CONFLICTING_PARAMETER:
  case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
  case GMIME_CRIT_NESTING_OVERFLOW:
  case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
    return TRUE;
  default:
    return FALSE;
  }
}

static void
on_warning(gint64 offset, GMimeParserWarning code, const char *item, gpointer user_data)
{
  ParseState *st = user_data;
  if (code == GMIME_WARN_TRUNCATED_MESSAGE && st->body_cut)
    return;
  /* GMIME_CRIT_* marks input that other software will read differently. */
  st->msg->findings |=
      is_critical(code) ? MT_MSG_FINDING_MIME_CRITICAL : MT_MSG_FINDING_MIME_WARNING;
  if (st->msg->warnings->len >= MT_MAX_PARSE_WARNINGS)
    return;
  const char *name = (guint)code < G_N_ELEMENTS(warning_names) && warning_names[code] != NULL
                         ? warning_names[code]
                         : "parser warning";
  g_autofree char *shown = item != NULL ? g_utf8_make_valid(item, MIN(strlen(item), 80)) : NULL;
  g_ptr_array_add(st->msg->warnings,
                  g_strdup_printf("%s at byte %" G_GINT64_FORMAT "%s%s", name, offset,
                                  shown != NULL ? ": " : "", shown != NULL ? shown : ""));
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

static char *
chomp_raw(const char *raw)
{
  if (raw == NULL)
    return g_strdup("");
  gsize n = strlen(raw);
  while (n > 0 && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
    n--;
  const char *p = raw;
  while (n > 0 && (*p == ' ' || *p == '\t')) {
    p++;
    n--;
  }
  return g_strndup(p, n);
}

static void
collect_headers(MtMessage *msg, GMimeMessage *m)
{
  GMimeHeaderList *list = g_mime_object_get_header_list(GMIME_OBJECT(m));
  int count = g_mime_header_list_get_count(list);
  for (int i = 0; i < count; i++) {
    GMimeHeader *gh = g_mime_header_list_get_header_at(list, i);
    MtHeader *h = g_new0(MtHeader, 1);
    h->name = g_strdup(g_mime_header_get_name(gh));
    h->raw = chomp_raw(g_mime_header_get_raw_value(gh));
    h->value = g_strdup(g_mime_header_get_value(gh));
    g_ptr_array_add(msg->headers, h);
  }
}

static MtAddress *
first_mailbox(InternetAddressList *list)
{
  if (list == NULL)
    return NULL;
  for (int i = 0; i < internet_address_list_length(list); i++) {
    InternetAddress *ia = internet_address_list_get_address(list, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
      continue;
    MtAddress *a = g_new0(MtAddress, 1);
    const char *name = internet_address_get_name(ia);
    a->name = name != NULL && *name ? g_strdup(name) : NULL;
    const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
    a->address = addr != NULL && *addr ? g_ascii_strdown(addr, -1) : NULL;
    a->charset = g_strdup(internet_address_get_charset(ia));
    return a;
  }
  return NULL;
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

/* RFC 2047 encoded words name their charset: `=?koi8-r?B?...?=`. */
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
  len = MIN(len, (gsize)MT_MAX_HTML_SCAN_BYTES);
  char *meta = meta_generator(html, len);
  if (meta != NULL)
    return meta;
  g_autofree char *head = g_strndup(html, len);
  if (strstr(head, "schemas-microsoft-com:office") != NULL ||
      strstr(head, "schemas.microsoft.com/office") != NULL)
    return g_strdup("Microsoft Office");
  return NULL;
}

/* Appends valid UTF-8 up to the sample cap, cut at a character boundary. */
static void
append_sample(MtMessage *msg, const char *text)
{
  gsize have = strlen(msg->text_sample);
  if (text == NULL || have + 1 >= MT_MAX_TEXT_SAMPLE_BYTES)
    return;
  g_autofree char *valid = g_utf8_make_valid(text, MIN(strlen(text), MT_MAX_TEXT_SAMPLE_BYTES));
  gsize n = MIN(strlen(valid), MT_MAX_TEXT_SAMPLE_BYTES - have - 1);
  while (n > 0 && ((guchar)valid[n] & 0xC0) == 0x80) /* never split a character */
    n--;
  char *out = g_strdup_printf("%s%s%.*s", msg->text_sample, have ? "\n" : "", (int)n, valid);
  g_free(msg->text_sample);
  msg->text_sample = out;
}

static void
walk_parts(MtMessage *msg, GMimeObject *obj, guint depth, guint *parts)
{
  if (obj == NULL)
    return;
  if (depth > MT_MAX_MIME_DEPTH || ++*parts > MT_MAX_MIME_PARTS) {
    msg->findings |= MT_MSG_FINDING_TOO_DEEP;
    return;
  }
  if (GMIME_IS_MULTIPART(obj)) {
    GMimeMultipart *mp = GMIME_MULTIPART(obj);
    for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
      walk_parts(msg, g_mime_multipart_get_part(mp, i), depth + 1, parts);
    return;
  }
  if (GMIME_IS_MESSAGE_PART(obj)) {
    GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
    if (inner != NULL)
      walk_parts(msg, g_mime_message_get_mime_part(inner), depth + 1, parts);
    return;
  }
  GMimeContentType *ct = g_mime_object_get_content_type(obj);
  if (ct == NULL || !g_mime_content_type_is_type(ct, "text", "*"))
    return;
  const char *charset = g_mime_content_type_get_parameter(ct, "charset");
  if (charset != NULL)
    add_charset(msg, charset, strlen(charset));
  if (GMIME_IS_TEXT_PART(obj) && strlen(msg->text_sample) < MT_MAX_TEXT_SAMPLE_BYTES / 2) {
    g_autofree char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(obj));
    append_sample(msg, text);
  }
  if (msg->html_generator == NULL && g_mime_content_type_is_type(ct, "text", "html") &&
      GMIME_IS_TEXT_PART(obj)) {
    g_autofree char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(obj));
    if (text != NULL)
      msg->html_generator = html_generator(text, strlen(text));
  }
}

static const char *
header_value(const MtMessage *msg, const char *name)
{
  const MtHeader *h = mt_message_get(msg, name);
  return h != NULL ? h->value : NULL;
}

static void
collect_facts(MtMessage *msg, GMimeMessage *m)
{
  msg->from = first_mailbox(g_mime_message_get_from(m));
  msg->sender = first_mailbox(g_mime_message_get_sender(m));
  msg->reply_to = first_mailbox(g_mime_message_get_reply_to(m));
  msg->return_path = strip_angles(header_value(msg, "Return-Path"));
  msg->message_id = strip_angles(g_mime_message_get_message_id(m));
  GDateTime *date = g_mime_message_get_date(m);
  if (date != NULL) {
    msg->date = g_date_time_ref(date);
    msg->date_zone = g_date_time_format(date, "%z");
  }
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
  append_sample(msg, g_mime_message_get_subject(m));
  guint parts = 0;
  walk_parts(msg, g_mime_message_get_mime_part(m), 0, &parts);
}

MtMessage *
mt_message_parse(const char *data, gsize len)
{
  g_return_val_if_fail(data != NULL || len == 0, NULL);

  MtMessage *msg = g_new0(MtMessage, 1);
  msg->headers = g_ptr_array_new_with_free_func(header_free);
  msg->charsets = g_ptr_array_new_with_free_func(g_free);
  msg->warnings = g_ptr_array_new_with_free_func(g_free);
  msg->text_sample = g_strdup("");

  ParseState st = {.msg = msg};
  GByteArray *bytes = capped_copy(data, len, &msg->findings, &st.body_cut);
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_byte_array(bytes);
  g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream(stream);
  g_autoptr(GMimeParserOptions) opts = g_mime_parser_options_new();
  g_mime_parser_options_set_warning_callback(opts, on_warning, &st);
  static const char *fallback[] = {"UTF-8", "windows-1252", NULL};
  g_mime_parser_options_set_fallback_charsets(opts, fallback);
  g_autoptr(GMimeMessage) m = g_mime_parser_construct_message(parser, opts);
  if (m == NULL) {
    msg->findings |= MT_MSG_FINDING_NO_HEADERS;
    return msg;
  }
  collect_headers(msg, m);
  if (msg->headers->len == 0)
    msg->findings |= MT_MSG_FINDING_NO_HEADERS;
  collect_facts(msg, m);
  return msg;
}

void
mt_message_free(MtMessage *msg)
{
  if (msg == NULL)
    return;
  g_ptr_array_unref(msg->headers);
  address_free(msg->from);
  address_free(msg->sender);
  address_free(msg->reply_to);
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
  if (end - p > 5 && memcmp(p, "From ", 5) == 0) { /* an mbox separator */
    const char *nl = memchr(p, '\n', (gsize)(end - p));
    p = nl != NULL ? nl + 1 : end;
  }
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
