#include "brands.h"

#include <string.h>

#include "brand-record.h"
#include "brands-cache.h"
#include "config-keys.h"
#include "domain.h"
#include "names.h"
#include "skeleton.h"

struct _MtBrands {
  GPtrArray *all;     /* MtBrand*, in the order added */
  GHashTable *by_key; /* folded NAME -> MtBrand* */
  GHashTable *firsts; /* first folded word of a name or label -> GPtrArray of MtBrand* */
  GHashTable *skeletons; /* skeleton of an exact domain -> that domain (in a brand) */
  GHashTable *owners;    /* skeleton key -> MtBrand* */
  GHashTable *exact;     /* every exact domain of every brand (membership) */
  GHashTable *wild;      /* every label of a `label.*` domain (membership) */
  GPtrArray *typos;      /* Typo: the labels long enough to be mistyped */
};

typedef struct {
  const char *label, *domain; /* the brand's own strings; @domain as in its list */
  const MtBrand *brand;
} Typo;

/* Words a service puts around its name ("Chase Online Banking", "Orange Service client",
 * "Equipe Lidl"): with only these around it, a name that is also a person's is the brand's. */
static const char *const service_words[] = {
    "account", "accounts", "admin", "alert", "alerts", "app", "bank", "banking", "billing",
    "business", "card", "cards", "care", "center", "centre", "client", "clients", "communication",
    "community", "contact", "credit", "customer", "customers", "delivery", "department", "desk",
    "digital", "express", "help", "helpdesk", "id", "info", "information", "mail", "member",
    "members", "message", "messages", "mobile", "news", "no", "noreply", "notice", "notification",
    "notifications", "official", "online", "order", "orders", "pay", "payment", "payments",
    "plus", "premium", "prime", "protect", "protection", "reply", "rewards", "secure",
    "security", "service", "services", "shop", "store", "support", "team", "update", "updates",
    "verification", "wallet", "web", "your", "the", "my",
    /* German, French, Spanish, Portuguese, Italian, Dutch */
    "kundenservice", "kundendienst", "sicherheit", "konto", "ihr", "ihre", "dein", "deine",
    "der", "die", "das", "service", "equipe", "votre", "securite", "compte", "le", "la", "les",
    "de", "du", "des", "equipo", "cuenta", "seguridad", "su", "tu", "el", "atendimento",
    "conta", "seguranca", "sua", "seu", "do", "da", "assistenza", "conto", "klantenservice",
    "rekening", "uw", "het", NULL};

/* A label this long or longer a letter away from a brand's is a typo of it; shorter ones
 * ("chase", "apple", even "windows") have honest neighbours. Look-alike letters ("paypa1",
 * "rnicrosoft") are caught at any length by the skeleton. */
#define MIN_TYPO_LABEL 8

static void
brand_free(gpointer data)
{
  MtBrand *b = data;
  if (b->arena != NULL) /* read from the compiled cache: its strings are the arena's */
    g_bytes_unref(b->arena);
  else
    g_free(b->name);
  g_ptr_array_unref(b->names);
  g_ptr_array_unref(b->domains);
  g_ptr_array_unref(b->labels);
  g_ptr_array_unref(b->skeletons);
  g_ptr_array_unref(b->typo_labels);
  g_free(b);
}

MtBrands *
mt_brands_new(void)
{
  MtBrands *brands = g_new0(MtBrands, 1);
  brands->all = g_ptr_array_new_with_free_func(brand_free);
  brands->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  /* the indexes borrow their keys from the brands, which outlive them: each change of the
   * brands is followed by rebuild_index() before any question */
  brands->firsts =
      g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
  brands->skeletons = g_hash_table_new(g_str_hash, g_str_equal);
  brands->owners = g_hash_table_new(g_str_hash, g_str_equal);
  brands->exact = g_hash_table_new(g_str_hash, g_str_equal);
  brands->wild = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  brands->typos = g_ptr_array_new_with_free_func(g_free);
  return brands;
}

void
mt_brands_free(MtBrands *brands)
{
  if (brands == NULL)
    return;
  g_hash_table_unref(brands->by_key);
  g_hash_table_unref(brands->firsts);
  g_hash_table_unref(brands->skeletons);
  g_hash_table_unref(brands->owners);
  g_hash_table_unref(brands->exact);
  g_hash_table_unref(brands->wild);
  g_ptr_array_unref(brands->typos);
  g_ptr_array_unref(brands->all);
  g_free(brands);
}

guint
mt_brands_count(const MtBrands *brands)
{
  return brands != NULL ? brands->all->len : 0;
}

const char *
mt_brand_name(const MtBrand *brand)
{
  return brand->name;
}

/* `paypal.*` -> "paypal"; NULL for an exact domain. */
static char *
wildcard_label(const char *domain)
{
  return g_str_has_suffix(domain, ".*") ? g_strndup(domain, strlen(domain) - 2) : NULL;
}

/* The registered label of an exact domain ("bankofamerica" of bankofamerica.com). */
static char *
registered_label(const char *domain)
{
  g_autofree char *reg = mt_registered_domain(domain);
  const char *suffix = NULL;
  return mt_domain_label(reg, &suffix);
}

static gboolean
parse_brand(GKeyFile *kf, const char *group, MtBrand **out, GError **error)
{
  const char *name = group + strlen("brand ");
  while (*name == ' ')
    name++;
  g_auto(GStrv) domains = mt_config_get_list(kf, group, "domains", FALSE);
  if (*name == '\0' || domains == NULL) {
    g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                "[%s] needs a name and at least one domain", group);
    return FALSE;
  }
  MtBrand *b = g_new0(MtBrand, 1);
  b->name = g_strdup(name);
  b->names = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  b->domains = g_ptr_array_new_with_free_func(g_free);
  b->labels = g_ptr_array_new_with_free_func(g_free);
  b->personal = g_key_file_get_boolean(kf, group, "personal", NULL);
  /* names keep their case and accents for folding: not mt_config_get_list()'s lower case */
  g_autofree char *raw_names = g_key_file_get_value(kf, group, "names", NULL);
  g_auto(GStrv) names = raw_names != NULL ? mt_config_split_list(raw_names) : NULL;
  const char *const only[] = {name, NULL};
  for (const char *const *n = names != NULL ? (const char *const *)names : only; *n; n++) {
    GStrv words = mt_name_words(*n);
    if (words != NULL && words[0] != NULL)
      g_ptr_array_add(b->names, words);
    else
      g_strfreev(words);
  }
  for (guint i = 0; domains[i] != NULL; i++) {
    /* IDNA only for what needs it: libidn2 is the costliest step of loading the table */
    gboolean plain = TRUE;
    for (const char *c = domains[i]; *c != '\0'; c++)
      plain &= (guchar)*c < 0x80;
    g_autofree char *ascii = plain ? g_ascii_strdown(domains[i], -1) : mt_domain_to_ascii(domains[i]);
    g_ptr_array_add(b->domains,
                    g_strdup(ascii != NULL && !g_str_has_suffix(domains[i], ".*") ? ascii
                                                                                 : domains[i]));
  }
  /* an address writes a name of several words as one: bankofamerica-alerts.com */
  for (guint i = 0; i < b->names->len; i++) {
    g_autofree char *joined = g_strjoinv("", g_ptr_array_index(b->names, i));
    GStrv seq = g_ptr_array_index(b->names, i);
    if (seq[1] != NULL && strlen(joined) >= 5 &&
        !g_ptr_array_find_with_equal_func(b->labels, joined, g_str_equal, NULL))
      g_ptr_array_add(b->labels, g_steal_pointer(&joined));
  }
  mt_brand_derive(b);
  *out = b;
  return TRUE;
}

void
mt_brand_derive(MtBrand *b)
{
  b->skeletons = g_ptr_array_new_with_free_func(g_free);
  b->typo_labels = g_ptr_array_new_with_free_func(g_free);
  for (guint j = 0; j < b->domains->len; j++) {
    const char *d = g_ptr_array_index(b->domains, j);
    g_autofree char *wild = wildcard_label(d);
    /* a typo target is a long registered label: the public suffix list is asked only for a
     * domain whose first label is long enough (a subdomain's registered domain is listed too,
     * as the brand's own entry); a mail provider's has honest neighbours by the hundred */
    gsize first = strcspn(d, ".");
    g_autofree char *label = wild != NULL                ? g_strdup(wild)
                             : first >= MIN_TYPO_LABEL ? registered_label(d)
                                                       : NULL;
    gboolean typo = label != NULL && strlen(label) >= MIN_TYPO_LABEL && !mt_domain_is_shared(d);
    g_ptr_array_add(b->typo_labels, g_strdup(typo ? label : ""));
    if (wild != NULL) {
      g_ptr_array_add(b->skeletons, g_strdup(""));
      continue;
    }
    g_autofree char *unicode = strstr(d, "xn--") != NULL ? mt_domain_to_unicode(d) : NULL;
    char *skel = mt_skeleton(unicode != NULL ? unicode : d);
    g_ptr_array_add(b->skeletons, skel != NULL ? skel : g_strdup(""));
  }
}


static void
index_first(MtBrands *brands, const char *word, MtBrand *b)
{
  GPtrArray *list = g_hash_table_lookup(brands->firsts, word);
  if (list == NULL) {
    list = g_ptr_array_new();
    g_hash_table_insert(brands->firsts, (gpointer)word, list);
  }
  if (list->len == 0 || g_ptr_array_index(list, list->len - 1) != b)
    g_ptr_array_add(list, b);
}

/* The indexes, rebuilt after each change: the questions come from several threads at once and
 * only read. */
static void
rebuild_index(MtBrands *brands)
{
  g_hash_table_remove_all(brands->firsts);
  g_hash_table_remove_all(brands->skeletons);
  g_hash_table_remove_all(brands->owners);
  g_hash_table_remove_all(brands->exact);
  g_hash_table_remove_all(brands->wild);
  g_ptr_array_set_size(brands->typos, 0);
  for (guint i = 0; i < brands->all->len; i++) {
    MtBrand *b = g_ptr_array_index(brands->all, i);
    for (guint j = 0; j < b->domains->len; j++) {
      const char *d = g_ptr_array_index(b->domains, j);
      const char *typo = g_ptr_array_index(b->typo_labels, j);
      char *wild = wildcard_label(d);
      if (wild != NULL)
        g_hash_table_add(brands->wild, wild);
      else
        g_hash_table_add(brands->exact, (gpointer)d);
      if (*typo != '\0') {
        Typo *t = g_new0(Typo, 1);
        t->label = typo;
        t->domain = d;
        t->brand = b;
        g_ptr_array_add(brands->typos, t);
      }
    }
    for (guint j = 0; j < b->names->len; j++)
      index_first(brands, ((GStrv)g_ptr_array_index(b->names, j))[0], b);
    for (guint j = 0; j < b->labels->len; j++)
      index_first(brands, g_ptr_array_index(b->labels, j), b);
    for (guint j = 0; j < b->domains->len; j++) {
      const char *skel = g_ptr_array_index(b->skeletons, j);
      if (*skel == '\0' || g_hash_table_contains(brands->skeletons, skel))
        continue;
      g_hash_table_insert(brands->skeletons, (gpointer)skel, g_ptr_array_index(b->domains, j));
      g_hash_table_insert(brands->owners, (gpointer)skel, b);
    }
  }
}

/* Takes @b, replacing a brand of the same name (case folded). */
static void
add_brand(MtBrands *brands, MtBrand *b)
{
  char *key = g_utf8_casefold(b->name, -1);
  MtBrand *old = g_hash_table_lookup(brands->by_key, key);
  if (old != NULL)
    g_ptr_array_remove(brands->all, old);
  g_hash_table_insert(brands->by_key, key, b);
  g_ptr_array_add(brands->all, b);
}

/* The `[brand NAME]` groups of @kf, parsed into @into (MtBrand*). */
static gboolean
parse_groups(GKeyFile *kf, GPtrArray *into, GError **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++) {
    if (!g_str_has_prefix(groups[i], "brand "))
      continue;
    MtBrand *b = NULL;
    if (!parse_brand(kf, groups[i], &b, error))
      return FALSE;
    g_ptr_array_add(into, b);
  }
  return TRUE;
}

/* Takes every brand of @parsed into @brands, then indexes them all. */
static void
add_all(MtBrands *brands, GPtrArray *parsed)
{
  if (parsed->len == 0) /* rules.conf without [brand] groups changes nothing */
    return;
  while (parsed->len > 0)
    add_brand(brands, g_ptr_array_steal_index(parsed, 0));
  rebuild_index(brands);
}

gboolean
mt_brands_add_groups(MtBrands *brands, GKeyFile *kf, GError **error)
{
  g_return_val_if_fail(brands != NULL && kf != NULL, FALSE);

  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func(brand_free);
  if (!parse_groups(kf, parsed, error))
    return FALSE;
  add_all(brands, parsed);
  return TRUE;
}

gboolean
mt_brands_load_file(MtBrands *brands, const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) err = NULL;
  if (!g_file_get_contents(path, &contents, &len, &err)) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s", err->message);
    return FALSE;
  }
  /* the compiled table, when the cache holds one of exactly this file (brands-cache.h) */
  g_autoptr(GPtrArray) parsed = mt_brands_cache_read(contents, len, brand_free);
  if (parsed == NULL) {
    g_autoptr(GKeyFile) kf = g_key_file_new();
    parsed = g_ptr_array_new_with_free_func(brand_free);
    if (!g_key_file_load_from_data(kf, contents, len, G_KEY_FILE_NONE, &err) ||
        !parse_groups(kf, parsed, &err)) {
      g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path, err->message);
      return FALSE;
    }
    mt_brands_cache_write(contents, len, parsed);
  }
  add_all(brands, parsed);
  return TRUE;
}

static GHashTable *
service_set(void)
{
  static gsize once = 0;
  static GHashTable *set;
  if (g_once_init_enter(&once)) {
    set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (guint i = 0; service_words[i] != NULL; i++) {
      g_auto(GStrv) w = mt_name_words(service_words[i]);
      for (guint j = 0; w != NULL && w[j] != NULL; j++)
        g_hash_table_add(set, g_strdup(w[j]));
    }
    g_once_init_leave(&once, 1);
  }
  return set;
}

static gboolean
all_service(const char *const *words, guint from, guint to)
{
  GHashTable *service = service_set();
  for (guint i = from; i < to; i++)
    if (!g_hash_table_contains(service, words[i]))
      return FALSE;
  return TRUE;
}

/* Whether @seq occurs in @words at @at. */
static gboolean
seq_at(const char *const *words, guint n_words, guint at, const char *const *seq)
{
  for (guint k = 0; seq[k] != NULL; k++)
    if (at + k >= n_words || strcmp(words[at + k], seq[k]) != 0)
      return FALSE;
  return TRUE;
}

/* The brand @words name. @from_address: they are an address's, which claims no personal
 * name and may write a name of several words as one (the brands' labels). */
static const MtBrand *
claimed_in(const MtBrands *brands, const char *const *words, gboolean from_address)
{
  guint n = words != NULL ? g_strv_length((GStrv)words) : 0;
  for (guint i = 0; i < n; i++) {
    GPtrArray *list = g_hash_table_lookup(brands->firsts, words[i]);
    for (guint j = 0; list != NULL && j < list->len; j++) {
      const MtBrand *b = g_ptr_array_index(list, j);
      /* a person's name in an address is a person's: chase@example.org */
      if (b->personal && from_address)
        continue;
      guint len = 0;
      for (guint k = 0; k < b->names->len && len == 0; k++) {
        const char *const *seq = g_ptr_array_index(b->names, k);
        if (seq_at(words, n, i, seq))
          len = g_strv_length((GStrv)seq);
      }
      for (guint k = 0; from_address && k < b->labels->len && len == 0; k++)
        if (strcmp(words[i], g_ptr_array_index(b->labels, k)) == 0)
          len = 1;
      if (len == 0)
        continue;
      /* "Chase Online Banking" is the bank; "Chase" alone may be a person's first name */
      if (b->personal && (n == len || !all_service(words, 0, i) || !all_service(words, i + len, n)))
        continue;
      return b;
    }
  }
  return NULL;
}

/* The words of an address a reader takes for a name: the local part's and the domain's in
 * front of its public suffix (`secure-paypal-login` of secure-paypal-login.co.uk). */
static GStrv
address_words(const char *address)
{
  const char *at = strrchr(address, '@');
  if (at == NULL)
    return NULL;
  g_autofree char *domain = g_ascii_strdown(at + 1, -1);
  g_autofree char *reg = mt_registered_domain(domain);
  const char *dot = reg != NULL ? strchr(reg, '.') : NULL;
  gsize suffix = dot != NULL ? strlen(dot) : 0;
  g_autofree char *local = g_strndup(address, (gsize)(at - address));
  g_autofree char *front = g_strndup(domain, strlen(domain) - suffix);
  g_autofree char *both = g_strconcat(local, " ", front, NULL);
  return mt_name_words(both);
}

/* @words with each run of three or more one-letter words joined: a name spelt out letter by
 * letter ("P A Y P A L", "I T A Ú") reads as the word. Returns: (transfer full) (nullable):
 * NULL when there is no such run. */
static GStrv
join_spaced_letters(const char *const *words)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  gboolean joined = FALSE;
  for (guint i = 0; words[i] != NULL;) {
    guint j = i;
    while (words[j] != NULL && g_utf8_strlen(words[j], -1) == 1)
      j++;
    if (j - i >= 3) {
      g_autoptr(GString) w = g_string_new(NULL);
      for (guint k = i; k < j; k++)
        g_string_append(w, words[k]);
      g_strv_builder_add(b, w->str);
      joined = TRUE;
      i = j;
    } else {
      g_strv_builder_add(b, words[i++]);
    }
  }
  GStrv out = g_strv_builder_end(b);
  if (!joined)
    g_clear_pointer(&out, g_strfreev);
  return out;
}

const MtBrand *
mt_brands_claimed(const MtBrands *brands, const char *display, const char *address,
                  MtBrandClaimKind *where)
{
  g_return_val_if_fail(brands != NULL, NULL);

  *where = MT_BRAND_CLAIM_NONE;
  /* a name that shows an address is display-name-address's to judge */
  g_auto(GStrv) name_words =
      display != NULL && strchr(display, '@') == NULL ? mt_name_words(display) : NULL;
  g_auto(GStrv) spaced = name_words != NULL ? join_spaced_letters((const char *const *)name_words) : NULL;
  const MtBrand *b = claimed_in(brands, (const char *const *)name_words, FALSE);
  if (b == NULL && spaced != NULL)
    b = claimed_in(brands, (const char *const *)spaced, FALSE);
  if (b != NULL) {
    *where = MT_BRAND_CLAIM_NAME;
    return b;
  }
  g_auto(GStrv) addr_words = address != NULL ? address_words(address) : NULL;
  b = claimed_in(brands, (const char *const *)addr_words, TRUE);
  if (b != NULL)
    *where = MT_BRAND_CLAIM_ADDRESS;
  return b;
}

gboolean
mt_brand_owns(const MtBrand *brand, const char *domain)
{
  g_return_val_if_fail(brand != NULL, FALSE);
  if (domain == NULL || *domain == '\0')
    return FALSE;
  g_autofree char *reg = mt_registered_domain(domain);
  g_autofree char *label = reg != NULL ? registered_label(reg) : NULL;
  for (guint i = 0; i < brand->domains->len; i++) {
    const char *d = g_ptr_array_index(brand->domains, i);
    g_autofree char *wild = wildcard_label(d);
    if (wild != NULL) {
      if (label != NULL && g_ascii_strcasecmp(label, wild) == 0)
        return TRUE;
      continue;
    }
    gsize dl = strlen(d), l = strlen(domain);
    if (g_ascii_strcasecmp(domain, d) == 0 ||
        (l > dl && domain[l - dl - 1] == '.' && g_ascii_strcasecmp(domain + l - dl, d) == 0))
      return TRUE;
  }
  return FALSE;
}

gboolean
mt_brands_own(const MtBrands *brands, const char *domain)
{
  if (brands == NULL || domain == NULL || *domain == '\0')
    return FALSE;
  g_autofree char *lower = g_ascii_strdown(domain, -1);
  for (const char *p = lower; p != NULL; p = strchr(p, '.') != NULL ? strchr(p, '.') + 1 : NULL)
    if (*p != '\0' && g_hash_table_contains(brands->exact, p))
      return TRUE;
  g_autofree char *reg = mt_registered_domain(lower);
  g_autofree char *label = reg != NULL ? registered_label(reg) : NULL;
  return label != NULL && g_hash_table_contains(brands->wild, label);
}

const MtBrand *
mt_brands_lookalike(const MtBrands *brands, const char *domain, MtLookalikeKind *kind,
                    const char **theirs)
{
  g_return_val_if_fail(brands != NULL, NULL);

  *kind = MT_LOOKALIKE_NONE;
  if (domain == NULL || mt_brands_own(brands, domain))
    return NULL;
  g_autofree char *ascii = mt_domain_to_ascii(domain);
  g_autofree char *reg = mt_registered_domain(ascii != NULL ? ascii : domain);
  if (reg == NULL || mt_domain_is_shared(reg))
    return NULL;
  g_autofree char *unicode = mt_domain_to_unicode(reg);
  g_autofree char *skel = mt_skeleton(unicode != NULL ? unicode : reg);
  const char *d = skel != NULL ? g_hash_table_lookup(brands->skeletons, skel) : NULL;
  if (d != NULL) {
    *kind = MT_LOOKALIKE_CONFUSABLE;
    *theirs = d;
    return g_hash_table_lookup(brands->owners, skel);
  }
  g_autofree char *label = registered_label(reg);
  glong len = label != NULL ? g_utf8_strlen(label, -1) : 0;
  if (len < MIN_TYPO_LABEL)
    return NULL;
  guint allowed = len >= 11 ? 2 : 1;
  for (guint i = 0; i < brands->typos->len; i++) {
    const Typo *t = g_ptr_array_index(brands->typos, i);
    if (ABS((glong)strlen(t->label) - len) > (glong)allowed)
      continue;
    guint dist = mt_edit_distance(label, t->label, allowed);
    if (dist > 0 && dist <= allowed) {
      *kind = MT_LOOKALIKE_TYPO;
      *theirs = t->domain;
      return t->brand;
    }
  }
  return NULL;
}

#define DOMAINS_SHOWN 3

char *
mt_brand_domains_text(const MtBrand *brand)
{
  /* exact domains first; `amazon.*` reads "amazon under other endings" */
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func(g_free);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < brand->domains->len; i++) {
      const char *d = g_ptr_array_index(brand->domains, i);
      g_autofree char *wild = wildcard_label(d);
      if ((wild != NULL) == (pass == 1))
        g_ptr_array_add(shown, wild != NULL ? g_strdup_printf("%s under other endings", wild)
                                            : g_strdup(d));
    }
  GString *s = g_string_new(NULL);
  guint n = shown->len;
  for (guint i = 0; i < n && i < DOMAINS_SHOWN; i++)
    g_string_append_printf(s, "%s%s", i == 0 ? "" : (i + 1 == n ? " and " : ", "),
                           (const char *)g_ptr_array_index(shown, i));
  if (n > DOMAINS_SHOWN)
    g_string_append_printf(s, " and %u more", n - DOMAINS_SHOWN);
  return g_string_free(s, FALSE);
}
