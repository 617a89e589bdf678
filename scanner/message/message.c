#include "message.h"

#include <string.h>

#include "mail-date.h"
#include "mime-header.h"
#include "mime-text.h"
#include "mt-limits.h"

/* Our own reader, not a MIME library's tree: the checks need the header block, each part's
 * Content-Type and a capped sample of text, and building a whole tree of objects cost more
 * than everything else mailtrace does with a message (see bench/peers.sh). */

typedef struct {
  MtMessage *msg;
  gboolean body_cut; /* we cut the body, so an unclosed multipart is our doing */
  guint parts;
} ParseState;

/* A header and its three strings in one allocation: a message has dozens of fields. */
static MtHeader *
header_new(const char *name, gsize name_len, const char *raw, gsize raw_len, const char *value)
{
  gsize value_len = strlen(value);
  MtHeader *h = g_malloc(sizeof *h + name_len + raw_len + value_len + 3);
  char *p = (char *)(h + 1);
  h->name = memcpy(p, name, name_len);
  p[name_len] = '\0';
  p += name_len + 1;
  h->raw = memcpy(p, raw, raw_len);
  p[raw_len] = '\0';
  p += raw_len + 1;
  h->value = memcpy(p, value, value_len + 1);
  return h;
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

static void
warn(ParseState *st, gboolean critical, const char *what, gsize offset, const char *item,
     gsize item_len)
{
  MtMessage *msg = st->msg;
  msg->findings |= critical ? MT_MSG_FINDING_MIME_CRITICAL : MT_MSG_FINDING_MIME_WARNING;
  if (msg->warnings->len >= MT_MAX_PARSE_WARNINGS)
    return;
  g_autofree char *shown =
      item != NULL ? mt_charset_to_utf8(NULL, item, MIN(item_len, (gsize)80)) : NULL;
  g_ptr_array_add(msg->warnings,
                  g_strdup_printf("%s at byte %" G_GSIZE_FORMAT "%s%s", what, offset,
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

/* The raw value as kept: folded, without the blanks before it or the line end after it. */
static const char *
chomp_raw(const char *raw, gsize *len)
{
  gsize n = *len;
  while (n > 0 && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
    n--;
  while (n > 0 && (*raw == ' ' || *raw == '\t')) {
    raw++;
    n--;
  }
  *len = n;
  return raw;
}

/* Unfolded (line ends removed, the blanks after them kept), RFC 2047-decoded, trimmed. */
static char *
decoded_value(const char *raw, gsize n)
{
  gboolean plain = TRUE; /* most fields: ASCII on one line, no encoded word */
  for (gsize i = 0; i < n && plain; i++)
    plain = (guchar)raw[i] < 0x80 && raw[i] != '\r' && raw[i] != '\n' &&
            !(raw[i] == '=' && i + 1 < n && raw[i + 1] == '?');
  if (plain)
    return g_strstrip(g_strndup(raw, n));
  g_autofree char *unfolded = g_malloc(n + 1);
  gsize k = 0;
  for (gsize i = 0; i < n; i++)
    if (raw[i] != '\r' && raw[i] != '\n')
      unfolded[k++] = raw[i];
  unfolded[k] = '\0';
  char *v = mt_mime_decode_words(unfolded, k, NULL);
  return g_strstrip(v);
}

/* The fields RFC 5322 §3.6 allows once: a second copy that differs is read differently by
 * different readers (which From is the sender?). */
static gboolean
allowed_once(const char *name, gsize n)
{
  static const char *const once[] = {"bcc",         "cc",       "date",     "from",
                                     "in-reply-to", "message-id", "references", "reply-to",
                                     "sender",      "subject",  "to",       NULL};
  for (guint i = 0; once[i] != NULL; i++)
    if (strlen(once[i]) == n && g_ascii_strncasecmp(name, once[i], n) == 0)
      return TRUE;
  return n > 8 && g_ascii_strncasecmp(name, "Content-", 8) == 0;
}

static gboolean
same_trimmed(const char *a, gsize an, const char *b, gsize bn)
{
  while (an > 0 && g_ascii_isspace(*a))
    a++, an--;
  while (bn > 0 && g_ascii_isspace(*b))
    b++, bn--;
  while (an > 0 && g_ascii_isspace(a[an - 1]))
    an--;
  while (bn > 0 && g_ascii_isspace(b[bn - 1]))
    bn--;
  return an == bn && memcmp(a, b, an) == 0;
}

/* One header block being read: a message's (top level or message/rfc822) or a part's. */
typedef struct {
  ParseState *st;
  gsize base;          /* offset of the block in the message */
  gboolean message;    /* a message's: only fields allowed once may not repeat */
  gboolean keep;       /* the top level: keep every field in msg->headers */
  GArray *fields;      /* MtRawField, pointing into the block */
  gint content_type;   /* index in fields, or -1 */
  gint encoding;
} Block;

static void
on_field(const MtRawField *f, gpointer user)
{
  Block *b = user;
  if (!b->message || allowed_once(f->name, f->name_len))
    for (guint i = 0; i < b->fields->len; i++) {
      const MtRawField *g = &g_array_index(b->fields, MtRawField, i);
      if (g->name_len != f->name_len || g_ascii_strncasecmp(g->name, f->name, f->name_len) != 0)
        continue;
      gboolean same = same_trimmed(g->raw, g->raw_len, f->raw, f->raw_len);
      warn(b->st, !same, same ? "duplicated header" : "conflicting header", b->base + f->offset,
           f->name, f->name_len);
      break;
    }
  g_array_append_val(b->fields, *f);
  gint index = (gint)b->fields->len - 1;
  if (f->name_len == 12 && g_ascii_strncasecmp(f->name, "Content-Type", 12) == 0 &&
      b->content_type < 0)
    b->content_type = index;
  if (f->name_len == 25 && g_ascii_strncasecmp(f->name, "Content-Transfer-Encoding", 25) == 0 &&
      b->encoding < 0)
    b->encoding = index;
  if (b->keep) {
    gsize raw_len = f->raw_len;
    const char *raw = chomp_raw(f->raw, &raw_len);
    g_autofree char *value = decoded_value(raw, raw_len);
    g_ptr_array_add(b->st->msg->headers, header_new(f->name, f->name_len, raw, raw_len, value));
  }
}

static void
on_invalid(gsize offset, const char *line, gsize len, gpointer user)
{
  Block *b = user;
  warn(b->st, TRUE, "invalid header name", b->base + offset, line, len);
}

/* Reads the header block at @data into @ct and *@cte. Returns: the offset of the body. */
static gsize
read_block(ParseState *st, const char *data, gsize len, gsize base, gboolean message,
           gboolean keep, MtContentType *ct, MtTransferEncoding *cte)
{
  Block b = {.st = st, .base = base, .message = message, .keep = keep,
             .fields = g_array_sized_new(FALSE, FALSE, sizeof(MtRawField), 64),
             .content_type = -1, .encoding = -1};
  static const MtHeaderHandler handler = {on_field, on_invalid};
  gsize body = mt_header_block_parse(data, len, &handler, &b);
  const MtRawField *ctf = b.content_type >= 0
                              ? &g_array_index(b.fields, MtRawField, b.content_type) : NULL;
  mt_content_type_parse(ctf != NULL ? ctf->raw : NULL, ctf != NULL ? ctf->raw_len : 0, ct);
  if (ct->conflict != NULL)
    warn(st, TRUE, "conflicting parameter", base + ctf->offset, ct->conflict, strlen(ct->conflict));
  else if (ct->duplicate)
    warn(st, FALSE, "duplicated parameter", base + ctf->offset, NULL, 0);
  if (ct->invalid)
    warn(st, FALSE, "invalid content type", base + ctf->offset, ctf->raw, ctf->raw_len);
  *cte = MT_CTE_IDENTITY;
  if (b.encoding >= 0) {
    const MtRawField *e = &g_array_index(b.fields, MtRawField, b.encoding);
    g_autofree char *v = g_strndup(e->raw, e->raw_len);
    *cte = mt_transfer_encoding(v);
  }
  g_array_unref(b.fields);
  return body;
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

static void walk_body(ParseState *st, const MtContentType *ct, MtTransferEncoding cte,
                      const char *body, gsize len, gsize base, guint depth);

/* A part or an attached message: its header block, then its body. */
static void
walk_entity(ParseState *st, const char *data, gsize len, gsize base, gboolean message, guint depth)
{
  MtContentType ct;
  MtTransferEncoding cte;
  gsize body = read_block(st, data, len, base, message, FALSE, &ct, &cte);
  walk_body(st, &ct, cte, data + body, len - body, base + body, depth);
  mt_content_type_clear(&ct);
}

/* The end of the line at @p without its line end; *@next: where the next line starts. */
static const char *
next_line(const char *p, const char *end, const char **next)
{
  const char *nl = memchr(p, '\n', (gsize)(end - p));
  *next = nl != NULL ? nl + 1 : end;
  return nl != NULL ? (nl > p && nl[-1] == '\r' ? nl - 1 : nl) : end;
}

/* Whether the line [@p, @e) is `--boundary` (blanks after) or `--boundary--` (*@close; what
 * follows is ignored, as mail readers do with `--b--</BODY></HTML>`). */
static gboolean
is_delimiter(const char *p, const char *e, const char *boundary, gsize blen, gboolean *close)
{
  if ((gsize)(e - p) < blen + 2 || p[0] != '-' || p[1] != '-' || memcmp(p + 2, boundary, blen) != 0)
    return FALSE;
  const char *rest = p + 2 + blen;
  *close = e - rest >= 2 && rest[0] == '-' && rest[1] == '-';
  if (*close)
    return TRUE;
  for (; rest < e; rest++)
    if (*rest != ' ' && *rest != '\t')
      return FALSE;
  return TRUE;
}

static void
walk_multipart(ParseState *st, const char *boundary, const char *body, gsize len, gsize base,
               guint depth)
{
  gsize blen = strlen(boundary);
  const char *p = body, *end = body + len, *part = NULL, *next;
  gboolean closed = FALSE, any = FALSE;
  while (p < end && !closed) {
    const char *e = next_line(p, end, &next);
    if (is_delimiter(p, e, boundary, blen, &closed)) {
      if (part != NULL)
        walk_entity(st, part, (gsize)(p - part), base + (gsize)(part - body), FALSE, depth + 1);
      part = next;
      any = TRUE;
    }
    p = next;
  }
  if (!closed && part != NULL) {
    walk_entity(st, part, (gsize)(end - part), base + (gsize)(part - body), FALSE, depth + 1);
    if (!st->body_cut)
      warn(st, FALSE, "truncated message", base + len, NULL, 0);
  }
  if (!any)
    warn(st, FALSE, "malformed multipart", base, boundary, blen);
}

static void
text_part(ParseState *st, const MtContentType *ct, MtTransferEncoding cte, const char *body,
          gsize len)
{
  MtMessage *msg = st->msg;
  if (ct->charset != NULL)
    add_charset(msg, ct->charset, strlen(ct->charset));
  gboolean want_sample = strlen(msg->text_sample) < MT_MAX_TEXT_SAMPLE_BYTES / 2;
  gboolean want_html = msg->html_generator == NULL && g_ascii_strcasecmp(ct->subtype, "html") == 0;
  if (!want_sample && !want_html)
    return;
  gsize cap = want_html ? MT_MAX_HTML_SCAN_BYTES : MT_MAX_TEXT_SAMPLE_BYTES;
  g_autoptr(GByteArray) raw = mt_transfer_decode(cte, body, len, cap);
  g_autofree char *text = mt_charset_to_utf8(ct->charset, (const char *)raw->data, raw->len);
  gsize text_len = strlen(text);
  if (want_sample)
    append_sample(msg, text, text_len);
  if (want_html)
    msg->html_generator = html_generator(text, text_len);
}

static gboolean
is_message(const MtContentType *ct)
{
  static const char *const subtypes[] = {"rfc822", "rfc2822", "global", "news"};
  for (guint i = 0; i < G_N_ELEMENTS(subtypes); i++)
    if (mt_content_type_is(ct, "message", subtypes[i]))
      return TRUE;
  return FALSE;
}

static void
walk_body(ParseState *st, const MtContentType *ct, MtTransferEncoding cte, const char *body,
          gsize len, gsize base, guint depth)
{
  if (depth > MT_MAX_MIME_DEPTH || ++st->parts > MT_MAX_MIME_PARTS) {
    st->msg->findings |= MT_MSG_FINDING_TOO_DEEP;
    return;
  }
  if (mt_content_type_is(ct, "multipart", "*")) {
    if (ct->boundary == NULL || *ct->boundary == '\0')
      warn(st, TRUE, "multipart without boundary", base, ct->subtype, strlen(ct->subtype));
    else
      walk_multipart(st, ct->boundary, body, len, base, depth);
  } else if (is_message(ct) && cte == MT_CTE_IDENTITY) { /* an encoded one is an attachment */
    walk_entity(st, body, len, base, TRUE, depth + 1);
  } else if (mt_content_type_is(ct, "text", "*")) {
    text_part(st, ct, cte, body, len);
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
  return h != NULL ? mt_address_first_mailbox(h->raw, strlen(h->raw)) : NULL;
}

/* The msg-id of a Message-ID value: what the first angle brackets hold, else the value. */
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
  msg->return_path = strip_angles(header_value(msg, "Return-Path"));
  msg->message_id = message_id(header_value(msg, "Message-ID"));
  const MtHeader *date = mt_message_get(msg, "Date");
  if (date != NULL)
    msg->date = mt_mail_date_parse(date->raw, strlen(date->raw));
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

  /* The header block, NULs made blanks, up to its cap; then the body, up to its cap. */
  gsize hdr_len = header_end(data, MIN(len, (gsize)MT_MAX_HEADER_BYTES));
  gboolean cut_headers = hdr_len == 0 && len > MT_MAX_HEADER_BYTES;
  if (hdr_len == 0)
    hdr_len = MIN(len, (gsize)MT_MAX_HEADER_BYTES);
  if (cut_headers)
    msg->findings |= MT_MSG_FINDING_HEADERS_TRUNCATED;
  g_autofree char *block = g_malloc(hdr_len + 1);
  memcpy(block, data, hdr_len);
  block[hdr_len] = '\0';
  for (gsize i = 0; i < hdr_len; i++)
    if (block[i] == '\0') {
      block[i] = ' ';
      msg->findings |= MT_MSG_FINDING_NUL;
    }
  MtContentType ct;
  MtTransferEncoding cte;
  gsize body = read_block(&st, block, hdr_len, 0, TRUE, TRUE, &ct, &cte);
  if (msg->headers->len == 0)
    msg->findings |= MT_MSG_FINDING_NO_HEADERS;
  collect_facts(msg);
  gsize body_len = cut_headers || body > len ? 0 : len - body;
  if (body_len > MT_MAX_BODY_BYTES) {
    body_len = MT_MAX_BODY_BYTES;
    msg->findings |= MT_MSG_FINDING_BODY_TRUNCATED;
    st.body_cut = TRUE;
  }
  if (msg->headers->len > 0)
    walk_body(&st, &ct, cte, data + body, body_len, body, 0);
  mt_content_type_clear(&ct);
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
    gsize n = mt_header_field_name(p, line_end);
    if (first && n == 0)
      return FALSE;
    for (guint i = 0; n > 0 && every_mail_has[i] != NULL; i++)
      if (strlen(every_mail_has[i]) == n && g_ascii_strncasecmp(p, every_mail_has[i], n) == 0)
        return TRUE;
    p = nl != NULL ? nl + 1 : end;
  }
  return FALSE;
}
