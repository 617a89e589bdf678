/* The first mailbox of From, Sender or Reply-To, read by GMime, as a mail reader shows it.
 *
 * GMime is strict where senders are not. Broken forms common in phishing are mended before
 * GMime reads them, or read again when GMime finds no mailbox (each class was found by the
 * differential run, bench/reader-diff.sh):
 * - quotes around part of a local part, `"ab"cd@example.com`: GMime finds no mailbox; they go;
 * - a local part with an unquoted '@' or bracket, `<user@host@example.com>` (also what
 *   anonymised corpora make of an address), `reply-[id]@example.com`: GMime stops at the
 *   second '@' and loses the domain the mail came from, or finds no mailbox; the local part
 *   is quoted, as RFC 5322 would have it written; `<mailto:a@example.com>` loses `mailto:`;
 * - specials in an unquoted display name, `EasyCanvas [US] <a@example.com>`, or a stray '<'
 *   before the address, `Name <x@<a@example.com>`: GMime finds no mailbox at all; the name is
 *   quoted and the last angle address taken, as mail readers show it;
 * - a quoted string alone, `From: "Name"`: GMime reads it as an address without a domain; it
 *   is a name without an address; and a whole address quoted, `<"a@example.com">`, is that
 *   address. */
#include <string.h>

#include "address.h"

#include "gmime-bugs.h"
#include "message-reader.h"

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

/* The address part of @value mended where GMime would lose it (see the top): `mailto:` inside
 * the angle brackets dropped, and the local part quoted when it holds a second '@' or a
 * bracket. Only the first angle address, or a value that is a single word.
 * Returns: (transfer full) (nullable): NULL when nothing needs it. */
static char *
mend_addr_spec(const char *value)
{
  const char *open = strchr(value, '<');
  const char *addr = open != NULL ? open + 1 : value + strspn(value, " \t");
  gsize n = open != NULL ? strcspn(addr, ">") : strcspn(addr, " \t");
  if (open == NULL && addr[n + strspn(addr + n, " \t")] != '\0')
    return NULL; /* more than one word: a name, or a list */
  gsize skip = n > 7 && g_ascii_strncasecmp(addr, "mailto:", 7) == 0 ? 7 : 0;
  const char *local = addr + skip;
  gsize local_n = n - skip;
  /* quotes around part of a local part, `"Bannedcd"eowu345@example.com`: GMime finds no
   * mailbox; a reader shows the letters, so the quotes go */
  const char *q = memchr(local, '"', local_n), *at_sign = memchr(local, '@', local_n);
  if (q != NULL && at_sign != NULL && q < at_sign && memchr(q + 1, '"', at_sign - q - 1) != NULL &&
      !(q == local && at_sign[-1] == '"') && memchr(local, ' ', local_n) == NULL) {
    GString *out = g_string_new(NULL);
    g_string_append_len(out, value, local - value);
    for (const char *p = local; p < at_sign; p++)
      if (*p != '"')
        g_string_append_c(out, *p);
    g_string_append(out, at_sign);
    return g_string_free(out, FALSE);
  }
  const char *first = memchr(local, '@', local_n);
  const char *last = first != NULL ? g_strrstr_len(local, (gssize)local_n, "@") : NULL;
  gboolean quote = last != NULL && memchr(local, '"', local_n) == NULL &&
                   (last != first || memchr(local, '[', last - local) != NULL ||
                    memchr(local, ']', last - local) != NULL);
  if (!quote && skip == 0)
    return NULL;
  if (!quote)
    return g_strdup_printf("%.*s%s", (int)(addr - value), value, local);
  return g_strdup_printf("%.*s\"%.*s\"%s", (int)(addr - value), value, (int)(last - local), local,
                         last);
}

/* `"a.b"@example.com` -> `a.b@example.com`: the address a person compares. The quotes of a
 * local part go (a quoted local part holding '@' or a blank keeps its text unquoted, as the
 * domain is all the checks read of it). */
static char *
unquote_local_part(const char *addr)
{
  gsize n = strlen(addr);
  const char *close = n > 2 && addr[0] == '"' ? strchr(addr + 1, '"') : NULL;
  if (close == NULL || close[1] != '@')
    return g_strdup(addr);
  return g_strdup_printf("%.*s%s", (int)(close - addr - 1), addr + 1, close + 1);
}

/* `Name [US] <x@<a@example.com>` -> `"Name [US] <x@" <a@example.com>`: the text before the
 * last angle address, quoted, and that address. Returns: (transfer full) (nullable) */
static char *
quote_phrase(const char *value)
{
  const char *open = strrchr(value, '<');
  const char *close = open != NULL ? strchr(open, '>') : NULL;
  if (close == NULL || close == open + 1)
    return NULL;
  int depth = 0; /* an address inside a comment, `Name,(<a@example.com>)`, names no mailbox */
  for (const char *p = value; p < open; p++)
    depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
  if (depth > 0)
    return NULL;
  GString *s = g_string_new("\"");
  for (const char *p = value; p < open; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c(s, '\\');
    g_string_append_c(s, *p);
  }
  g_string_append(s, "\" ");
  g_string_append_len(s, open, close - open + 1);
  return g_string_free(s, FALSE);
}

static MtAddress *
first_in_list(InternetAddressList *list, const char *text)
{
  for (int i = 0; list != NULL && i < internet_address_list_length(list); i++) {
    InternetAddress *ia = internet_address_list_get_address(list, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
      continue; /* a group names no sender */
    InternetAddressMailbox *mb = INTERNET_ADDRESS_MAILBOX(ia);
    const char *addr = internet_address_mailbox_get_addr(mb);
    /* GMime decodes a punycode domain; the address is kept as written (the look-alike check
     * shows both forms): the domain is encoded again when the header wrote it so */
    g_autofree char *as_written = NULL;
    const char *at = addr != NULL ? strrchr(addr, '@') : NULL;
    if (at != NULL && strcasestr(text, "xn--") != NULL && !g_str_is_ascii(at + 1)) {
      g_autofree char *ascii = g_hostname_to_ascii(at + 1);
      if (ascii != NULL)
        addr = as_written = g_strdup_printf("%.*s@%s", (int)(at - addr), addr, ascii);
    }
    const char *name = internet_address_get_name(ia);
    g_autofree char *name_from_addr = NULL, *unquoted = NULL;
    gsize len = addr != NULL ? strlen(addr) : 0;
    if (len >= 2 && addr[0] == '"' && addr[len - 1] == '"' && strchr(addr + 1, '"') == addr + len - 1) {
      if (strchr(addr, '@') == NULL) { /* `From: "Name"`: a name, no address */
        name_from_addr = g_strndup(addr + 1, len - 2);
        name = name_from_addr;
        addr = NULL;
      } else { /* `<"a@example.com">`: the quotes hide the domain from GMime, not from a reader */
        addr = unquoted = g_strndup(addr + 1, len - 2);
      }
    }
    if ((addr == NULL || *addr == '\0') && (name == NULL || *name == '\0'))
      continue;
    MtAddress *a = g_new0(MtAddress, 1);
    if (name != NULL && *name != '\0')
      a->name = g_strdup(name);
    if (addr != NULL && *addr != '\0') {
      /* a trailing dot of the domain is the root, not part of its name */
      g_autofree char *plain = unquote_local_part(addr);
      gsize n = strlen(plain);
      a->written = g_strndup(plain, n > 1 && plain[n - 1] == '.' ? n - 1 : n);
      a->address = g_ascii_strdown(a->written, -1);
    }
    const char *cs = internet_address_get_charset(ia);
    a->charset = g_strdup(cs);
    return a;
  }
  return NULL;
}

static MtAddress *
parse(GMimeParserOptions *options, const char *value)
{
  InternetAddressList *list = internet_address_list_parse(options, value);
  MtAddress *a = first_in_list(list, value);
  if (list != NULL)
    g_object_unref(list);
  return a;
}

/* `"Facebook" <>`: a name and an empty address; GMime reads no mailbox. */
static MtAddress *
name_before_empty_angles(GMimeParserOptions *options, const char *text)
{
  const char *open = strrchr(text, '<');
  if (open == NULL || open == text || open[1 + strspn(open + 1, " \t")] != '>')
    return NULL;
  g_autofree char *phrase = g_strstrip(g_strndup(text, (gsize)(open - text)));
  g_autofree char *name = g_mime_utils_header_decode_phrase(options, phrase);
  if (name == NULL || *g_strstrip(name) == '\0')
    return NULL;
  gsize n = strlen(name);
  if (n >= 2 && name[0] == '"' && name[n - 1] == '"') { /* decode_phrase keeps the quotes */
    memmove(name, name + 1, n - 2);
    name[n - 2] = '\0';
  }
  if (*g_strstrip(name) == '\0')
    return NULL; /* `"" <>`: nothing at all */
  MtAddress *a = g_new0(MtAddress, 1);
  a->name = g_steal_pointer(&name);
  return a;
}

static void
collect_mailboxes(InternetAddressList *list, GPtrArray *out, guint depth)
{
  for (int i = 0; list != NULL && i < internet_address_list_length(list) &&
                  out->len < MT_MAX_REPLY_ADDRESSES;
       i++) {
    InternetAddress *ia = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(ia) && depth == 0) {
      collect_mailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)), out, 1);
      continue;
    }
    if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
      continue;
    const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
    if (addr != NULL && strchr(addr, '@') != NULL)
      g_ptr_array_add(out, g_ascii_strdown(addr, -1));
  }
}

GPtrArray *
mt_address_all_mailboxes(const char *value)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  if (value == NULL)
    return out;
  Reader *r = mt_message_reader();
  g_autofree char *unfolded = g_mime_utils_header_unfold(value);
  InternetAddressList *list = internet_address_list_parse(r->options, unfolded);
  collect_mailboxes(list, out, 0);
  if (list != NULL)
    g_object_unref(list);
  return out;
}

MtAddress *
mt_address_first_mailbox(const char *value)
{
  Reader *r = mt_message_reader();
  /* unfolded first: the CR/LF of a folded quoted name is not part of the name */
  g_autofree char *unfolded = g_mime_utils_header_unfold(value);
  g_autofree char *words = mt_gmime_mend_padded_words(unfolded);
  const char *text = words != NULL ? words : unfolded;
  g_autofree char *blanks = mt_gmime_collapse_blanks(text);
  if (blanks != NULL)
    text = blanks;
  g_autofree char *mended = mend_addr_spec(text);
  if (mended != NULL)
    text = mended;
  MtAddress *a = parse(r->options, text);
  if (a == NULL || a->address == NULL) {
    g_autofree char *phrase = quote_phrase(text);
    MtAddress *again = phrase != NULL ? parse(r->options, phrase) : NULL;
    if (again != NULL && again->address != NULL) {
      mt_address_free(a);
      a = again;
    } else {
      mt_address_free(again);
    }
  }
  return a != NULL ? a : name_before_empty_angles(r->options, text);
}
