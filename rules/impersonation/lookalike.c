#include "lookalike.h"

#include <idn2.h>
#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "skeleton.h"

/* The optimal string alignment distance of @x and @y, or @max + 1 past @max. Rows on the
 * stack for names (a label is at most 63 octets); longer strings are not names: max + 1. */
static guint
distance(const gunichar *x, glong n, const gunichar *y, glong m, guint max)
{
  if ((guint)ABS(n - m) > max || m > 255)
    return max + 1;
  guint rows[3][256];
  guint *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
  for (glong j = 0; j <= m; j++)
    prev[j] = (guint)j;
  for (glong i = 1; i <= n; i++) {
    cur[0] = (guint)i;
    guint best = cur[0];
    for (glong j = 1; j <= m; j++) {
      guint cost = x[i - 1] == y[j - 1] ? 0 : 1;
      guint v = MIN(MIN(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1])
        v = MIN(v, prev2[j - 2] + 1);
      cur[j] = v;
      best = MIN(best, v);
    }
    if (best > max)
      return max + 1;
    guint *t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return MIN(prev[m], max + 1);
}

guint
mt_edit_distance(const char *a, const char *b, guint max)
{
  glong n = 0, m = 0;
  g_autofree gunichar *x = g_utf8_to_ucs4(a, -1, NULL, &n, NULL);
  g_autofree gunichar *y = g_utf8_to_ucs4(b, -1, NULL, &m, NULL);
  if (x == NULL || y == NULL)
    return max + 1;
  return distance(x, n, y, m, max);
}

char *
mt_domain_to_unicode(const char *domain)
{
  char *out = NULL;
  if (domain == NULL || idn2_to_unicode_8z8z(domain, &out, 0) != IDN2_OK)
    return NULL;
  char *copy = g_strdup(out);
  idn2_free(out);
  return copy;
}

char *
mt_domain_to_ascii(const char *domain)
{
  char *out = NULL;
  if (domain == NULL ||
      idn2_to_ascii_8z(domain, &out, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT) != IDN2_OK)
    return NULL;
  char *copy = g_strdup(out);
  idn2_free(out);
  return copy;
}

/* Providers whose addresses belong to unrelated people, under several TLDs each. */
static const char *const shared_providers[] = {
    "gmail", "googlemail", "yahoo", "ymail", "outlook", "hotmail", "live", "msn", "aol",
    "icloud", "me", "mac", "gmx", "web", "mail", "yandex", "proton", "protonmail", "pm",
    "zoho", "fastmail", "tutanota", "tuta", "qq", "163", "126", "naver", "daum", "rediffmail",
    "libero", "orange", "free", "t-online", "laposte", "seznam", "wp", "o2", "onet", "interia",
    "rambler", "bk", "inbox", "list", "ukr", "earthlink", "comcast", "verizon", "att",
    "sbcglobal", "btinternet", "virginmedia", "sky", "bigpond", "optusnet", "shaw", "rogers",
    "sympatico", "juno", "netzero", "lycos", "excite", "mail2world", "hushmail", "runbox",
    "posteo", "mailbox", "disroot", "riseup", NULL};

/* `northwind-supply.co.uk` -> `northwind-supply`; the suffix goes to *@suffix. */
static char *
label_of(const char *registered, const char **suffix)
{
  const char *dot = strchr(registered, '.');
  if (dot == NULL)
    return NULL;
  *suffix = dot + 1;
  return g_strndup(registered, (gsize)(dot - registered));
}

gboolean
mt_domain_is_shared(const char *domain)
{
  const char *suffix = NULL;
  g_autofree char *label = domain != NULL ? label_of(domain, &suffix) : NULL;
  if (label == NULL)
    return FALSE;
  for (guint i = 0; shared_providers[i] != NULL; i++)
    if (strcmp(label, shared_providers[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Local parts every organisation has: the same one elsewhere is no sign. */
static gboolean
is_distinctive_local(const char *local)
{
  static const char *const roles[] = {
      "info", "admin", "support", "sales", "contact", "office", "hello", "mail", "email",
      "noreply", "no-reply", "donotreply", "webmaster", "postmaster", "billing", "service",
      "team", "news", "newsletter", "help", "marketing", "accounts", "account", "jobs", "root",
      "abuse", "security", "orders", "enquiries", "inquiries", "reception", "hostmaster",
      "mailer-daemon", "notifications", "notification", "alerts", "updates", "feedback",
      "press", "legal", "privacy", "finance", "hr", "careers", "invoice", "invoices", NULL};
  if (strlen(local) < 5)
    return FALSE;
  for (guint i = 0; roles[i] != NULL; i++)
    if (strcmp(local, roles[i]) == 0)
      return FALSE;
  return TRUE;
}

typedef struct {
  char *domain; /* registered */
  char *label;
  const char *suffix; /* in @domain */
  char *address;      /* one learned address there */
  gunichar *chars;    /* (nullable) @label's code points, for the distances */
  glong n_chars;
} KnownDomain;

struct _MtKnownSenders {
  GHashTable *addresses; /* normalised address -> itself */
  GHashTable *domains;   /* registered domain -> KnownDomain* */
  GHashTable *skeletons; /* skeleton of a registered domain -> KnownDomain* */
  GHashTable *labels;    /* label -> KnownDomain* (for another TLD) */
  GHashTable *locals;    /* distinctive local part -> an address with it */
  GPtrArray *all;        /* KnownDomain* */
};

static void
known_domain_free(gpointer data)
{
  KnownDomain *k = data;
  g_free(k->domain);
  g_free(k->label);
  g_free(k->address);
  g_free(k->chars);
  g_free(k);
}

MtKnownSenders *
mt_known_senders_new(const char *const *addresses)
{
  MtKnownSenders *ks = g_new0(MtKnownSenders, 1);
  ks->addresses = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  ks->domains = g_hash_table_new(g_str_hash, g_str_equal);
  ks->skeletons = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  ks->labels = g_hash_table_new(g_str_hash, g_str_equal);
  ks->locals = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  ks->all = g_ptr_array_new_with_free_func(known_domain_free);
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++) {
    const char *a = addresses[i];
    const char *at = strrchr(a, '@');
    if (at == NULL || g_hash_table_contains(ks->addresses, a))
      continue;
    g_hash_table_add(ks->addresses, g_strdup(a));
    g_autofree char *local = g_strndup(a, (gsize)(at - a));
    if (is_distinctive_local(local) && !g_hash_table_contains(ks->locals, local))
      g_hash_table_insert(ks->locals, g_steal_pointer(&local), g_strdup(a));
    g_autofree char *reg = mt_registered_domain(at + 1);
    if (reg == NULL || g_hash_table_contains(ks->domains, reg))
      continue;
    KnownDomain *k = g_new0(KnownDomain, 1);
    k->domain = g_steal_pointer(&reg);
    k->label = label_of(k->domain, &k->suffix);
    k->address = g_strdup(a);
    if (k->label != NULL)
      k->chars = g_utf8_to_ucs4(k->label, -1, NULL, &k->n_chars, NULL);
    g_ptr_array_add(ks->all, k);
    g_hash_table_insert(ks->domains, k->domain, k);
    g_autofree char *unicode = mt_domain_to_unicode(k->domain);
    char *skel = mt_skeleton(unicode != NULL ? unicode : k->domain);
    if (skel != NULL)
      g_hash_table_insert(ks->skeletons, skel, k);
    if (k->label != NULL && !g_hash_table_contains(ks->labels, k->label))
      g_hash_table_insert(ks->labels, k->label, k);
  }
  return ks;
}

void
mt_known_senders_free(MtKnownSenders *ks)
{
  if (ks == NULL)
    return;
  g_hash_table_unref(ks->addresses);
  g_hash_table_unref(ks->domains);
  g_hash_table_unref(ks->skeletons);
  g_hash_table_unref(ks->labels);
  g_hash_table_unref(ks->locals);
  g_ptr_array_unref(ks->all);
  g_free(ks);
}

guint
mt_known_senders_count(const MtKnownSenders *ks)
{
  return ks != NULL ? g_hash_table_size(ks->addresses) : 0;
}

/* The last @labels labels of @domain. */
static const char *
last_labels(const char *domain, guint labels)
{
  const char *p = domain + strlen(domain);
  guint seen = 0;
  while (p > domain) {
    p--;
    if (*p == '.' && ++seen == labels)
      return p + 1;
  }
  return domain;
}

static guint
count_labels(const char *domain)
{
  guint n = 1;
  for (const char *p = domain; *p != '\0'; p++)
    n += *p == '.';
  return n;
}

static gboolean
found(MtLookalike *out, MtLookalikeKind kind, const char *known, const char *written)
{
  out->kind = kind;
  out->known = g_strdup(known);
  g_autofree char *unicode = mt_domain_to_unicode(written);
  out->domain = g_strdup(unicode != NULL ? unicode : written);
  out->ascii = mt_domain_to_ascii(out->domain);
  if (out->ascii == NULL)
    out->ascii = g_ascii_strdown(written, -1);
  return TRUE;
}

gboolean
mt_lookalike_find(const MtKnownSenders *ks, const char *address, MtLookalike *out)
{
  g_return_val_if_fail(ks != NULL && out != NULL, FALSE);

  *out = (MtLookalike){0};
  const char *at = address != NULL ? strrchr(address, '@') : NULL;
  if (at == NULL || at[1] == '\0' || g_hash_table_size(ks->addresses) == 0)
    return FALSE;
  g_autofree char *lower = g_utf8_strdown(address, -1);
  char *plus = strchr(lower, '+');
  g_autofree char *tagless = plus != NULL && plus < strrchr(lower, '@')
                                 ? g_strndup(lower, (gsize)(plus - lower))
                                 : NULL;
  g_autofree char *norm =
      tagless != NULL ? g_strconcat(tagless, strrchr(lower, '@'), NULL) : g_strdup(lower);
  if (g_hash_table_contains(ks->addresses, norm) || g_hash_table_contains(ks->addresses, lower))
    return FALSE;
  const char *written = at + 1; /* case and script as the reader sees them */
  g_autofree char *ascii = mt_domain_to_ascii(written);
  g_autofree char *ascii_lower = g_ascii_strdown(ascii != NULL ? ascii : written, -1);
  g_autofree char *reg = mt_registered_domain(ascii_lower);
  if (reg == NULL)
    return FALSE;
  g_autofree char *local = g_strndup(norm, (gsize)(strrchr(norm, '@') - norm));
  const char *same = is_distinctive_local(local) ? g_hash_table_lookup(ks->locals, local) : NULL;
  if (g_hash_table_contains(ks->domains, reg)) {
    /* a domain a contact uses: another address there is theirs, or anybody's on a provider
     * shared by everyone, where only a contact's own local part is a sign */
    if (same != NULL && mt_domain_is_shared(reg) && !mt_same_registered_domain(same, reg))
      return found(out, MT_LOOKALIKE_LOCAL_PART, same, reg);
    return FALSE;
  }
  /* the registered part as written: the skeleton must see a capital I, a Cyrillic a */
  g_autofree char *written_unicode = mt_domain_to_unicode(written);
  const char *shown = written_unicode != NULL ? written_unicode : written;
  const char *reg_shown = last_labels(shown, count_labels(reg));
  g_autofree char *skel = mt_skeleton(reg_shown);
  KnownDomain *k = skel != NULL ? g_hash_table_lookup(ks->skeletons, skel) : NULL;
  if (k != NULL)
    return found(out, MT_LOOKALIKE_CONFUSABLE, k->address, reg_shown);
  const char *suffix = NULL;
  g_autofree char *label = label_of(reg, &suffix);
  if (label != NULL && g_utf8_strlen(label, -1) >= 4) {
    k = g_hash_table_lookup(ks->labels, label);
    if (k != NULL && !mt_domain_is_shared(k->domain))
      return found(out, MT_LOOKALIKE_OTHER_TLD, k->address, reg_shown);
  }
  glong len = 0;
  g_autofree gunichar *chars = label != NULL ? g_utf8_to_ucs4(label, -1, NULL, &len, NULL) : NULL;
  for (guint i = 0; chars != NULL && len >= 4 && i < ks->all->len; i++) {
    k = g_ptr_array_index(ks->all, i);
    glong klen = k->n_chars;
    guint allowed = MIN(len, klen) >= 10 ? 2 : 1;
    if (k->chars == NULL || klen < 5 || ABS(klen - len) > (glong)allowed)
      continue;
    guint d = distance(chars, len, k->chars, klen, allowed);
    if (d > 0 && d <= allowed)
      return found(out, MT_LOOKALIKE_TYPO, k->address, reg_shown);
  }
  if (same != NULL)
    return found(out, MT_LOOKALIKE_LOCAL_PART, same, reg_shown);
  return FALSE;
}

void
mt_lookalike_clear(MtLookalike *l)
{
  g_clear_pointer(&l->known, g_free);
  g_clear_pointer(&l->domain, g_free);
  g_clear_pointer(&l->ascii, g_free);
}

const char *
mt_lookalike_kind_phrase(MtLookalikeKind kind)
{
  switch (kind) {
  case MT_LOOKALIKE_CONFUSABLE:
    return "written with characters that look the same as";
  case MT_LOOKALIKE_TYPO:
    return "a letter or two away from";
  case MT_LOOKALIKE_OTHER_TLD:
    return "the same name under another ending than";
  case MT_LOOKALIKE_LOCAL_PART:
    return "the same name before the @ as";
  case MT_LOOKALIKE_NONE:
    break;
  }
  return "like";
}
