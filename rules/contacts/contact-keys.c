#include "contact-keys.h"

#include <idn2.h>
#include <string.h>

#include "domain.h"
#include "skeleton.h"
#include "store-private.h"

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

char *
mt_domain_label(const char *registered, const char **suffix)
{
  const char *dot = registered != NULL ? strchr(registered, '.') : NULL;
  if (dot == NULL)
    return NULL;
  *suffix = dot + 1;
  return g_strndup(registered, (gsize)(dot - registered));
}

gboolean
mt_domain_is_shared(const char *domain)
{
  const char *suffix = NULL;
  g_autofree char *label = mt_domain_label(domain, &suffix);
  if (label == NULL)
    return FALSE;
  for (guint i = 0; shared_providers[i] != NULL; i++)
    if (strcmp(label, shared_providers[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Two letters for names of ten or more; past 32 code points, one: the variants of a long
 * label grow with the square of its length, and such a name is no one's to type by heart. */
guint
mt_label_typo_reach(glong n_chars)
{
  return n_chars >= 10 && n_chars <= 32 ? 2 : 1;
}

/* FNV-1a over the code points of @chars but @skip1 and @skip2, folded to 31 bits: a short
 * number to write and read (lookalike.c passes them to SQLite as JSON); two labels that share
 * one only become candidates, which the edit distance then decides. */
static gint64
variant_hash(const gunichar *chars, glong n, glong skip1, glong skip2)
{
  guint64 h = 14695981039346656037ull;
  for (glong i = 0; i < n; i++) {
    if (i == skip1 || i == skip2)
      continue;
    for (guint b = 0; b < 4; b++) {
      h ^= (chars[i] >> (8 * b)) & 0xff;
      h *= 1099511628211ull;
    }
  }
  return (gint64)((h ^ (h >> 31) ^ (h >> 62)) & 0x7fffffff);
}

GArray *
mt_label_variants(const gunichar *chars, glong n, guint reach)
{
  GArray *out = g_array_new(FALSE, FALSE, sizeof(gint64));
  gint64 h = variant_hash(chars, n, -1, -1);
  g_array_append_val(out, h);
  for (glong i = 0; reach >= 1 && i < n; i++) {
    h = variant_hash(chars, n, i, -1);
    g_array_append_val(out, h);
    for (glong j = i + 1; reach >= 2 && j < n; j++) {
      h = variant_hash(chars, n, i, j);
      g_array_append_val(out, h);
    }
  }
  return out;
}

/* Steps @st once and finalizes it; *@row (nullable) gets the first column of a row. */
static gboolean
step_once(MtStore *s, sqlite3_stmt *st, const char *what, char **row, GError **error)
{
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW && row != NULL)
    *row = g_strdup((const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? TRUE : mt_store_fail(s, what, error);
}

/* The variants of @label (filed for the domain @id, or taken out with @add FALSE). */
static gboolean
put_variants(MtStore *s, const char *label, gint64 id, gboolean add, GError **error)
{
  glong n = 0;
  g_autofree gunichar *chars = g_utf8_to_ucs4(label, -1, NULL, &n, NULL);
  if (chars == NULL || n < MT_LABEL_TYPO_MIN)
    return TRUE;
  sqlite3_stmt *st = mt_store_prepare(
      s,
      add ? "INSERT OR IGNORE INTO label_variants (variant, domain_id) VALUES (?1, ?2)"
          : "DELETE FROM label_variants WHERE variant = ?1 AND domain_id = ?2",
      error);
  if (st == NULL)
    return FALSE;
  g_autoptr(GArray) variants = mt_label_variants(chars, n, mt_label_typo_reach(n));
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < variants->len; i++) {
    sqlite3_bind_int64(st, 1, g_array_index(variants, gint64, i));
    sqlite3_bind_int64(st, 2, id);
    ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  return ok ? TRUE : mt_store_fail(s, "filing a contact's domain", error);
}

/* Whether @sql finds a row for @key; FALSE with @error when it cannot be asked. */
static gboolean
has_row(MtStore *s, const char *sql, const char *key, gboolean *found, GError **error)
{
  sqlite3_stmt *st = mt_store_prepare(s, sql, error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
  *found = sqlite3_step(st) == SQLITE_ROW;
  sqlite3_finalize(st);
  return TRUE;
}

/* Files @domain's keys, unless they are already. */
static gboolean
file_domain(MtStore *s, const char *domain, GError **error)
{
  gboolean filed = FALSE;
  if (!has_row(s, "SELECT 1 FROM domain_keys WHERE domain = ?1", domain, &filed, error))
    return FALSE;
  if (filed)
    return TRUE;
  const char *suffix = NULL;
  g_autofree char *label = mt_domain_label(domain, &suffix);
  g_autofree char *unicode = mt_domain_to_unicode(domain);
  g_autofree char *skeleton = mt_skeleton(unicode != NULL ? unicode : domain);
  sqlite3_stmt *st = mt_store_prepare(
      s, "INSERT INTO domain_keys (domain, label, skeleton) VALUES (?1, ?2, ?3) RETURNING id",
      error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, label, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, skeleton, -1, SQLITE_STATIC);
  g_autofree char *id = NULL;
  if (!step_once(s, st, "filing a contact's domain", &id, error))
    return FALSE;
  return label == NULL || id == NULL ||
         put_variants(s, label, g_ascii_strtoll(id, NULL, 10), TRUE, error);
}

gboolean
mt_contact_keys_file(MtStore *s, const char *address, GError **error)
{
  const char *at = address != NULL ? strrchr(address, '@') : NULL;
  if (at == NULL)
    return TRUE;
  gboolean filed = FALSE;
  if (!has_row(s, "SELECT 1 FROM contact_keys WHERE address = ?1", address, &filed, error))
    return FALSE;
  if (filed)
    return TRUE;
  g_autofree char *local = g_strndup(address, (gsize)(at - address));
  g_autofree char *domain = mt_registered_domain(at + 1);
  sqlite3_stmt *st = mt_store_prepare(
      s, "INSERT INTO contact_keys (address, domain, local) VALUES (?1, ?2, ?3)", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_text(st, 1, address, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 2, domain, -1, SQLITE_STATIC);
  sqlite3_bind_text(st, 3, local, -1, SQLITE_STATIC);
  return step_once(s, st, "filing a contact", NULL, error) &&
         (domain == NULL || file_domain(s, domain, error));
}

gboolean
mt_contact_keys_unfile(MtStore *s, const char *address, GError **error)
{
  sqlite3_stmt *st = mt_store_prepare(
      s, "DELETE FROM contact_keys WHERE address = ?1 RETURNING domain", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_text(st, 1, address, -1, SQLITE_STATIC);
  g_autofree char *domain = NULL;
  if (!step_once(s, st, "forgetting a contact's keys", &domain, error))
    return FALSE;
  if (domain == NULL)
    return TRUE;
  /* the domain's keys stay while another contact writes from there */
  st = mt_store_prepare(s,
                        "DELETE FROM domain_keys WHERE domain = ?1 AND NOT EXISTS (SELECT 1 "
                        "FROM contact_keys WHERE domain = ?1) RETURNING id || ' ' || label",
                        error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_text(st, 1, domain, -1, SQLITE_STATIC);
  g_autofree char *gone = NULL; /* "ID LABEL" */
  if (!step_once(s, st, "forgetting a contact's domain", &gone, error))
    return FALSE;
  const char *label = gone != NULL ? strchr(gone, ' ') : NULL;
  return label == NULL || put_variants(s, label + 1, g_ascii_strtoll(gone, NULL, 10), FALSE, error);
}

gboolean
mt_contact_keys_file_all(MtStore *s, GError **error)
{
  sqlite3_stmt *st = mt_store_prepare(s, "SELECT address FROM contacts", error);
  if (st == NULL)
    return FALSE;
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func(g_free);
  while (sqlite3_step(st) == SQLITE_ROW)
    g_ptr_array_add(all, g_strdup((const char *)sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  for (guint i = 0; i < all->len; i++)
    if (!mt_contact_keys_file(s, g_ptr_array_index(all, i), error))
      return FALSE;
  return TRUE;
}
