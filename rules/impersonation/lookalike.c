#include "lookalike.h"

#include <stdlib.h>
#include <string.h>

#include "domain.h"
#include "skeleton.h"
#include "store-private.h"

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

/* Every query counts only the contacts learned from enough messages (?2), and reads one row
 * per domain at most (in index order, not sorted): thousands of colleagues at one domain cost
 * what one does. */
#define KNOWN_CONTACT "JOIN contacts c ON c.address = k.address AND c.messages >= ?2 "
#define ONE_AT(domain)                                                                     \
  "(SELECT k.address FROM contact_keys k " KNOWN_CONTACT "WHERE k.domain = " domain      \
  " ORDER BY k.address LIMIT 1)"
static const char sql_address[] =
    "SELECT 1 FROM contacts WHERE address IN (?1, ?3) AND messages >= ?2";
static const char sql_in_domain[] = "SELECT " ONE_AT("?1");
static const char sql_local[] = "SELECT k.address FROM contact_keys k " KNOWN_CONTACT
                                "WHERE k.local = ?1 ORDER BY k.address LIMIT 1";
static const char sql_skeleton[] =
    "SELECT a FROM (SELECT " ONE_AT("d.domain") " AS a FROM domain_keys d WHERE d.skeleton = ?1)"
    " WHERE a IS NOT NULL LIMIT 1";
static const char sql_label[] =
    "SELECT d.domain, " ONE_AT("d.domain") " AS a FROM domain_keys d WHERE d.label = ?1";
/* the labels sharing a deletion variant with the sender's (?1: a JSON array of them) */
static const char sql_variants[] =
    "SELECT DISTINCT d.id, d.label, " ONE_AT("d.domain") " AS a FROM json_each(?1) j "
    "JOIN label_variants v ON v.variant = j.value JOIN domain_keys d ON d.id = v.domain_id "
    "ORDER BY d.id";

/* The first column of @sql's first row for @key (and ?3 = @other), or NULL. */
static char *
ask(MtStoreReader *r, const char *sql, const char *key, const char *other, guint min_history)
{
  sqlite3_stmt *st = mt_store_reader_statement(r, sql, NULL);
  if (st == NULL)
    return NULL;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 2, (int)min_history);
  if (other != NULL)
    sqlite3_bind_text(st, 3, other, -1, SQLITE_STATIC);
  char *first = sqlite3_step(st) == SQLITE_ROW
                    ? g_strdup((const char *)sqlite3_column_text(st, 0))
                    : NULL;
  sqlite3_reset(st);
  return first;
}

/* A contact at another registered domain named @label, not a shared provider's. */
static char *
other_tld(MtStoreReader *r, const char *label, guint min_history)
{
  sqlite3_stmt *st = mt_store_reader_statement(r, sql_label, NULL);
  if (st == NULL)
    return NULL;
  sqlite3_bind_text(st, 1, label, -1, SQLITE_STATIC);
  sqlite3_bind_int(st, 2, (int)min_history);
  char *known = NULL;
  while (known == NULL && sqlite3_step(st) == SQLITE_ROW)
    if (sqlite3_column_type(st, 1) != SQLITE_NULL &&
        !mt_domain_is_shared((const char *)sqlite3_column_text(st, 0)))
      known = g_strdup((const char *)sqlite3_column_text(st, 1));
  sqlite3_reset(st);
  return known;
}

/* A contact whose domain's label is a letter or two from @label (the closest): the candidates
 * share a deletion variant with it (contact-keys.h), then their distance decides. */
static char *
typo_of(MtStoreReader *r, const char *label, guint min_history)
{
  glong len = 0;
  g_autofree gunichar *chars = g_utf8_to_ucs4(label, -1, NULL, &len, NULL);
  if (chars == NULL || len < 4)
    return NULL;
  g_autoptr(GArray) variants = mt_label_variants(chars, len, mt_label_typo_reach(len));
  /* written by hand: printf was a tenth of the cost of an unknown sender */
  g_autoptr(GString) json = g_string_sized_new(12 * variants->len + 2);
  g_string_append_c(json, '[');
  for (guint i = 0; i < variants->len; i++) {
    char digits[24], *p = digits + sizeof digits;
    guint64 v = (guint64)g_array_index(variants, gint64, i);
    do
      *--p = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    if (i > 0)
      g_string_append_c(json, ',');
    g_string_append_len(json, p, digits + sizeof digits - p);
  }
  g_string_append_c(json, ']');
  sqlite3_stmt *st = mt_store_reader_statement(r, sql_variants, NULL);
  if (st == NULL)
    return NULL;
  sqlite3_bind_text(st, 1, json->str, (int)json->len, SQLITE_STATIC);
  sqlite3_bind_int(st, 2, (int)min_history);
  char *best = NULL;
  guint best_distance = G_MAXUINT;
  while (sqlite3_step(st) == SQLITE_ROW) {
    if (sqlite3_column_type(st, 2) == SQLITE_NULL)
      continue; /* nobody with enough history writes from there */
    glong klen = 0;
    g_autofree gunichar *known =
        g_utf8_to_ucs4((const char *)sqlite3_column_text(st, 1), -1, NULL, &klen, NULL);
    guint allowed = MIN(mt_label_typo_reach(len), mt_label_typo_reach(klen));
    if (known == NULL || klen < MT_LABEL_TYPO_MIN || ABS(klen - len) > (glong)allowed)
      continue;
    guint d = distance(chars, len, known, klen, allowed);
    if (d > 0 && d <= allowed && d < best_distance) {
      best_distance = d;
      g_free(best);
      best = g_strdup((const char *)sqlite3_column_text(st, 2));
    }
  }
  sqlite3_reset(st);
  return best;
}

gboolean
mt_lookalike_find(MtStore *store, guint min_history, const char *address, MtLookalike *out)
{
  g_return_val_if_fail(store != NULL && out != NULL, FALSE);

  *out = (MtLookalike){0};
  const char *at = address != NULL ? strrchr(address, '@') : NULL;
  if (at == NULL || at[1] == '\0')
    return FALSE;
  g_autofree char *lower = g_utf8_strdown(address, -1);
  char *plus = strchr(lower, '+');
  g_autofree char *tagless = plus != NULL && plus < strrchr(lower, '@')
                                 ? g_strndup(lower, (gsize)(plus - lower))
                                 : NULL;
  g_autofree char *norm =
      tagless != NULL ? g_strconcat(tagless, strrchr(lower, '@'), NULL) : g_strdup(lower);
  const char *written = at + 1; /* case and script as the reader sees them */
  g_autofree char *ascii = mt_domain_to_ascii(written);
  g_autofree char *ascii_lower = g_ascii_strdown(ascii != NULL ? ascii : written, -1);
  g_autofree char *reg = mt_registered_domain(ascii_lower);
  if (reg == NULL)
    return FALSE;
  g_autofree char *local = g_strndup(norm, (gsize)(strrchr(norm, '@') - norm));

  MtStoreReader *r = mt_store_reader_take(store);
  g_autofree char *known = NULL;
  MtLookalikeKind kind = MT_LOOKALIKE_NONE;
  g_autofree char *is_known = ask(r, sql_address, norm, lower, min_history);
  g_autofree char *same =
      is_known == NULL && is_distinctive_local(local) ? ask(r, sql_local, local, NULL, min_history)
                                                      : NULL;
  /* the registered part as written: the skeleton must see a capital I, a Cyrillic a */
  g_autofree char *written_unicode = mt_domain_to_unicode(written);
  const char *shown = written_unicode != NULL ? written_unicode : written;
  const char *reg_shown = last_labels(shown, count_labels(reg));
  g_autofree char *in_domain =
      is_known == NULL ? ask(r, sql_in_domain, reg, NULL, min_history) : NULL;
  if (is_known != NULL) {
    /* the contact's own address */
  } else if (in_domain != NULL) {
    /* a domain a contact uses: another address there is theirs, or anybody's on a provider
     * shared by everyone, where only a contact's own local part is a sign */
    if (same != NULL && mt_domain_is_shared(reg) && !mt_same_registered_domain(same, reg)) {
      kind = MT_LOOKALIKE_LOCAL_PART;
      known = g_steal_pointer(&same);
      reg_shown = reg;
    }
  } else {
    g_autofree char *skel = mt_skeleton(reg_shown);
    const char *suffix = NULL;
    g_autofree char *label = mt_domain_label(reg, &suffix);
    if (skel != NULL && (known = ask(r, sql_skeleton, skel, NULL, min_history)) != NULL)
      kind = MT_LOOKALIKE_CONFUSABLE;
    else if (label != NULL && g_utf8_strlen(label, -1) >= 4 &&
             (known = other_tld(r, label, min_history)) != NULL)
      kind = MT_LOOKALIKE_OTHER_TLD;
    else if (label != NULL && (known = typo_of(r, label, min_history)) != NULL)
      kind = MT_LOOKALIKE_TYPO;
    else if (same != NULL) {
      kind = MT_LOOKALIKE_LOCAL_PART;
      known = g_steal_pointer(&same);
    }
  }
  mt_store_reader_give_back(store, r);
  return kind != MT_LOOKALIKE_NONE && found(out, kind, known, reg_shown);
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
