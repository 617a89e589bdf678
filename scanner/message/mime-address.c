#include "mime-address.h"

#include <string.h>

#include "mime-text.h"

void
mt_address_free(MtAddress *a)
{
  if (a == NULL)
    return;
  g_free(a->name);
  g_free(a->address);
  g_free(a->written);
  g_free(a->charset);
  g_free(a);
}

/* Where the item that starts at @p ends: the next `,` (or `;` closing a group, or `:` opening
 * one, in *@stop) outside quotes, comments and angle brackets. */
static const char *
item_end(const char *p, const char *end, char *stop)
{
  int comment = 0;
  gboolean quoted = FALSE, angle = FALSE;
  for (; p < end; p++) {
    if (*p == '\\' && p + 1 < end && (quoted || comment > 0)) {
      p++;
      continue;
    }
    if (quoted) {
      quoted = *p != '"';
      continue;
    }
    if (*p == '(')
      comment++;
    else if (*p == ')' && comment > 0)
      comment--;
    else if (comment > 0)
      continue;
    else if (*p == '"')
      quoted = TRUE;
    else if (*p == '<')
      angle = TRUE;
    else if (*p == '>')
      angle = FALSE;
    else if (!angle && (*p == ',' || *p == ';' || *p == ':')) {
      *stop = *p;
      return p;
    }
  }
  *stop = '\0';
  return end;
}

/* @p..@end without comments and quotes (a quoted string's content kept as written, unescaped;
 * blanks elsewhere collapsed to one), trimmed. *@comment gets the first comment's text. */
static char *
plain_text(const char *p, const char *end, char **comment)
{
  GString *out = g_string_new(NULL);
  gboolean quoted = FALSE;
  for (; p < end; p++) {
    if (*p == '\r' || *p == '\n')
      continue; /* folding: the blank after the line end stays */
    if (*p == '\\' && p + 1 < end && quoted) {
      g_string_append_c(out, *++p);
    } else if (*p == '"') {
      quoted = !quoted;
    } else if (*p == '(' && !quoted) {
      const char *start = ++p;
      for (int depth = 1; p < end; p++) {
        if (*p == '\\' && p + 1 < end)
          p++;
        else if (*p == '(')
          depth++;
        else if (*p == ')' && --depth == 0)
          break;
      }
      if (comment != NULL && *comment == NULL)
        *comment = g_strndup(start, (gsize)(p - start));
      if (out->len > 0 && out->str[out->len - 1] != ' ')
        g_string_append_c(out, ' ');
    } else if (!quoted && (*p == ' ' || *p == '\t')) {
      if (out->len > 0 && out->str[out->len - 1] != ' ')
        g_string_append_c(out, ' ');
    } else {
      g_string_append_c(out, *p);
    }
  }
  return g_strstrip(g_string_free(out, FALSE));
}

/* Whether [@p, @end) holds @c outside quotes and comments. */
static gboolean
holds_outside(const char *p, const char *end, char c)
{
  int comment = 0;
  gboolean quoted = FALSE;
  for (; p < end; p++) {
    if (*p == '\\' && p + 1 < end && (quoted || comment > 0))
      p++;
    else if (quoted)
      quoted = *p != '"';
    else if (*p == '(')
      comment++;
    else if (*p == ')' && comment > 0)
      comment--;
    else if (comment == 0 && *p == '"')
      quoted = TRUE;
    else if (comment == 0 && *p == c)
      return TRUE;
  }
  return FALSE;
}

static char *
decoded_name(const char *text, char **charset)
{
  if (text == NULL || *text == '\0')
    return NULL;
  char *name = mt_mime_decode_words(text, strlen(text), charset);
  g_strstrip(name);
  if (*name == '\0')
    g_clear_pointer(&name, g_free);
  return name;
}

static MtAddress *
mailbox(const char *p, const char *end)
{
  int comment = 0;
  gboolean quoted = FALSE;
  const char *open = NULL;
  for (const char *q = p; q < end && open == NULL; q++) {
    if (*q == '\\' && (quoted || comment > 0))
      q++;
    else if (quoted)
      quoted = *q != '"';
    else if (*q == '(')
      comment++;
    else if (*q == ')' && comment > 0)
      comment--;
    else if (comment == 0 && *q == '"')
      quoted = TRUE;
    else if (comment == 0 && *q == '<')
      open = q;
  }
  g_autofree char *name_text = NULL, *addr_text = NULL, *comment_text = NULL;
  if (open != NULL) {
    const char *close = memchr(open, '>', (gsize)(end - open));
    name_text = plain_text(p, open, NULL);
    addr_text = plain_text(open + 1, close != NULL ? close : end, NULL);
  } else {
    /* a bare addr-spec; `a@b (Name)` names it in a comment, the obsolete way */
    addr_text = plain_text(p, end, &comment_text);
    if (strchr(addr_text, ' ') != NULL)
      return NULL; /* words, not an address: `NOEMIE Dating` */
    if (strchr(addr_text, '@') != NULL && memchr(p, '"', (gsize)(end - p)) == NULL)
      name_text = g_strdup(comment_text);
  }
  const char *route_end = addr_text[0] == '@' ? strchr(addr_text, ':') : NULL; /* obs-route */
  const char *addr = route_end != NULL ? route_end + 1 : addr_text;
  gsize n = strlen(addr_text); /* `user@example.org.`: the root dot is not part of the name */
  if (n > 1 && addr_text[n - 1] == '.')
    addr_text[n - 1] = '\0';
  MtAddress *a = g_new0(MtAddress, 1);
  a->name = decoded_name(name_text, &a->charset);
  if (*addr != '\0') { /* blanks inside an address: the mail readers drop them */
    a->written = g_strdup(addr);
    char *w = a->written;
    for (char *r = a->written; *r; r++)
      if (*r != ' ')
        *w++ = *r;
    *w = '\0';
    a->address = g_ascii_strdown(a->written, -1);
  }
  if (a->name == NULL && a->address == NULL) {
    mt_address_free(a);
    return NULL;
  }
  return a;
}

MtAddress *
mt_address_first_mailbox(const char *raw, gsize len)
{
  g_return_val_if_fail(raw != NULL || len == 0, NULL);

  const char *p = raw, *end = raw + len;
  gboolean in_group = FALSE;
  while (p < end) {
    char stop;
    const char *e = item_end(p, end, &stop);
    /* `Name, Title <a@b>` or `"x@y", <a@b>`: a comma in a name; what precedes it holds no
     * address, so it names the mailbox that follows, as mail readers show it */
    while (stop == ',' && !in_group && !holds_outside(p, e, '@') && !holds_outside(p, e, '<')) {
      char next_stop;
      const char *next_end = item_end(e + 1, end, &next_stop);
      if (!holds_outside(e + 1, next_end, '<'))
        break;
      e = next_end;
      stop = next_stop;
    }
    if (stop == ':') { /* a group's name: its members are not a sender */
      in_group = TRUE;
    } else if (!in_group) {
      MtAddress *a = mailbox(p, e);
      if (a != NULL)
        return a;
    }
    if (stop == ';')
      in_group = FALSE;
    p = e < end ? e + 1 : end;
  }
  return NULL;
}
