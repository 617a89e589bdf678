#include "mime-header.h"

#include <string.h>

gsize
mt_header_field_name(const char *line, const char *end)
{
  const char *p = line;
  while (p < end && *p > 0x20 && *p < 0x7f && *p != ':')
    p++;
  gsize n = (gsize)(p - line);
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  return n > 0 && p < end && *p == ':' ? n : 0;
}

/* The end of the line at @p, without its line end; *@next: the start of the next line. */
static const char *
line_end(const char *p, const char *end, const char **next)
{
  const char *nl = memchr(p, '\n', (gsize)(end - p));
  *next = nl != NULL ? nl + 1 : end;
  const char *e = nl != NULL ? nl : end;
  return e > p && e[-1] == '\r' ? e - 1 : e;
}

gsize
mt_header_block_parse(const char *data, gsize len, const MtHeaderHandler *h, gpointer user)
{
  const char *p = data, *end = data + len, *next;
  if (len > 5 && memcmp(p, "From ", 5) == 0) /* an mbox separator, not a field */
    line_end(p, end, &p);
  MtRawField f = {0};
  while (p < end) {
    const char *e = line_end(p, end, &next);
    if (e == p) { /* the empty line */
      if (f.name != NULL)
        h->field(&f, user);
      return (gsize)(next - data);
    }
    if ((*p == ' ' || *p == '\t') && f.name != NULL) {
      f.raw_len = (gsize)(e - f.raw); /* the continuation joins the field, folded */
    } else {
      if (f.name != NULL)
        h->field(&f, user);
      f.name = NULL;
      gsize n = mt_header_field_name(p, e);
      if (n == 0) {
        h->invalid((gsize)(p - data), p, (gsize)(e - p), user);
      } else {
        const char *colon = memchr(p + n, ':', (gsize)(e - p - n));
        f = (MtRawField){.name = p, .name_len = n, .raw = colon + 1,
                         .raw_len = (gsize)(e - colon - 1), .offset = (gsize)(p - data)};
      }
    }
    p = next;
  }
  if (f.name != NULL)
    h->field(&f, user);
  return len;
}

static const char *
skip_blanks(const char *p, const char *end)
{
  while (p < end && (g_ascii_isspace(*p) || *p == '(')) {
    if (*p == '(') { /* a comment */
      int depth = 0;
      for (; p < end; p++) {
        depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
        if (depth == 0)
          break;
      }
    }
    p++;
  }
  return p;
}

static char *
token(const char **pp, const char *end, const char *stops)
{
  const char *p = *pp, *start = p;
  while (p < end && !g_ascii_isspace(*p) && strchr(stops, *p) == NULL)
    p++;
  *pp = p;
  return g_ascii_strdown(start, (gssize)(p - start));
}

/* A parameter value: a quoted string (unescaped) or a token. */
static char *
param_value(const char **pp, const char *end)
{
  const char *p = *pp;
  if (p < end && *p == '"') {
    GString *v = g_string_new(NULL);
    for (p++; p < end && *p != '"'; p++) {
      if (*p == '\\' && p + 1 < end)
        p++;
      if (*p != '\r' && *p != '\n')
        g_string_append_c(v, *p);
    }
    *pp = p < end ? p + 1 : end;
    return g_string_free(v, FALSE);
  }
  const char *start = p; /* a token, or what a broken mailer wrote up to the `;` */
  while (p < end && *p != ';')
    p++;
  *pp = p;
  return g_strstrip(g_strndup(start, (gsize)(p - start)));
}

/* RFC 2231 `charset'lang'percent-encoded`, for a `name*=` parameter. */
static char *
rfc2231_value(const char *v)
{
  const char *q = strchr(v, '\'');
  q = q != NULL ? strchr(q + 1, '\'') : NULL;
  const char *s = q != NULL ? q + 1 : v;
  GString *out = g_string_new(NULL);
  for (; *s; s++) {
    if (*s == '%' && g_ascii_isxdigit(s[1]) && g_ascii_isxdigit(s[2])) {
      g_string_append_c(out, (char)(g_ascii_xdigit_value(s[1]) * 16 + g_ascii_xdigit_value(s[2])));
      s += 2;
    } else {
      g_string_append_c(out, *s);
    }
  }
  return g_string_free(out, FALSE);
}

static void
keep_param(MtContentType *ct, char **slot, char *value)
{
  if (*slot == NULL) {
    *slot = value;
    return;
  }
  if (strcmp(*slot, value) == 0)
    ct->duplicate = TRUE;
  else if (ct->conflict == NULL)
    ct->conflict = g_strdup(slot == &ct->charset ? "charset" : "boundary");
  g_free(value);
}

void
mt_content_type_parse(const char *raw, gsize len, MtContentType *ct)
{
  memset(ct, 0, sizeof *ct);
  const char *p = raw, *end = raw + len;
  if (raw != NULL) {
    p = skip_blanks(p, end);
    ct->type = token(&p, end, "/;");
    p = skip_blanks(p, end);
    if (p < end && *p == '/') {
      p = skip_blanks(p + 1, end);
      ct->subtype = token(&p, end, ";");
    }
  }
  if (raw != NULL && (ct->type == NULL || *ct->type == '\0' || ct->subtype == NULL ||
                      *ct->subtype == '\0')) {
    ct->invalid = TRUE;
    g_free(ct->type);
    g_free(ct->subtype);
    ct->type = g_strdup("application");
    ct->subtype = g_strdup("octet-stream");
  } else if (raw == NULL) {
    ct->type = g_strdup("text");
    ct->subtype = g_strdup("plain");
  }
  /* parameters: `; name=value`, the names we read kept, the others checked for nothing */
  GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
  while (p < end) {
    const char *semi = memchr(p, ';', (gsize)(end - p));
    if (semi == NULL)
      break;
    p = skip_blanks(semi + 1, end);
    g_autofree char *name = token(&p, end, "=;");
    p = skip_blanks(p, end);
    if (p >= end || *p != '=' || *name == '\0')
      continue;
    p = skip_blanks(p + 1, end);
    char *value = param_value(&p, end);
    gsize n = strlen(name);
    gboolean extended = n > 1 && name[n - 1] == '*';
    if (extended) {
      name[n - 1] = '\0';
      char *plain = rfc2231_value(value);
      g_free(value);
      value = plain;
    }
    if (strcmp(name, "charset") == 0)
      keep_param(ct, &ct->charset, value);
    else if (strcmp(name, "boundary") == 0)
      keep_param(ct, &ct->boundary, value);
    else {
      /* another parameter given twice with different values is a conflict too */
      for (guint i = 0; i + 1 < seen->len; i += 2)
        if (strcmp(g_ptr_array_index(seen, i), name) == 0) {
          if (strcmp(g_ptr_array_index(seen, i + 1), value) != 0 && ct->conflict == NULL)
            ct->conflict = g_strdup(name);
          else
            ct->duplicate = TRUE;
        }
      if (seen->len < 32) {
        g_ptr_array_add(seen, g_strdup(name));
        g_ptr_array_add(seen, value);
      } else {
        g_free(value);
      }
    }
  }
  g_ptr_array_unref(seen);
}

void
mt_content_type_clear(MtContentType *ct)
{
  g_free(ct->type);
  g_free(ct->subtype);
  g_free(ct->charset);
  g_free(ct->boundary);
  g_free(ct->conflict);
  memset(ct, 0, sizeof *ct);
}

gboolean
mt_content_type_is(const MtContentType *ct, const char *type, const char *subtype)
{
  return g_ascii_strcasecmp(ct->type, type) == 0 &&
         (strcmp(subtype, "*") == 0 || g_ascii_strcasecmp(ct->subtype, subtype) == 0);
}
