#include "config-keys.h"

#include <math.h>
#include <string.h>

#include "country.h"
#include "mt-config.h"
#include "mt-error.h"
#include "reasons.h"

#define C MT_FILE_CONFIG
#define R MT_FILE_RULES

static const MtConfigKey keys[] = {
    {C, "trust", "relays", MT_KEY_LIST, NULL, 0, 0, NULL,
     "your own receiving servers (host patterns such as *.mx.example.net, or CIDRs): the Received "
     "lines they wrote are believed"},
    {C, "trust", "sender_relays", MT_KEY_LIST, NULL, 0, 0, NULL,
     "senders' outgoing servers you vouch for (host patterns or CIDRs)"},
    {C, "trust", "trust_private", MT_KEY_BOOL, "true", 0, 0, NULL,
     "clients on private and loopback addresses are your own"},
    {C, "trust", "authserv_ids", MT_KEY_LIST, NULL, 0, 0, NULL,
     "whose Authentication-Results to believe (authserv-id of your own servers)"},
    {C, "geo", "country_db", MT_KEY_PATH,
     "country.mmdb in the data directories, else GeoLite2-Country.mmdb or GeoIP2-Country.mmdb in "
     "/var/lib/GeoIP or /usr/share/GeoIP",
     0, 0, NULL, "the country database (MMDB)"},
    {C, "geo", "asn_db", MT_KEY_PATH,
     "asn.mmdb in the data directories, else GeoLite2-ASN.mmdb in /var/lib/GeoIP or "
     "/usr/share/GeoIP",
     0, 0, NULL, "the network (AS) database (MMDB)"},
    {C, "store", "path", MT_KEY_PATH, "$XDG_DATA_HOME/mailtrace/profiles.sqlite", 0, 0, NULL,
     "the learned fingerprints and the IMAP journal (SQLite)"},
    {C, "filter", "deadline", MT_KEY_NUMBER, "2", 0.1, 60, NULL,
     "seconds from start to verdict in `mailtrace filter`; past it the message goes on, "
     "verdict unknown"},
    {C, "filter", "max_size", MT_KEY_SIZE, "32M", 0, 0, NULL,
     "larger messages pass through the filter unanalysed"},
    {C, "filter", "learn", MT_KEY_BOOL, "false", 0, 0, NULL,
     "clean mail from a known sender teaches its fingerprint on delivery"},
    {C, "filter", "keyword_prefix", MT_KEY_STRING, "mt-", 0, 0, NULL,
     "before each reason code in X-Mailtrace-Keywords"},
    {C, "filter", "test_stall", MT_KEY_NUMBER, "0", 0, 60, NULL,
     "for the test suite only: seconds to stall the analysis"},
    {C, "filter", "online", MT_KEY_BOOL, "false", 0, 0, NULL,
     "look up DNS and RDAP during delivery too ([online]), within the deadline; a failed or "
     "late lookup gives the offline verdict"},
    {C, "online", "enabled", MT_KEY_BOOL, "false", 0, 0, NULL,
     "scan and watch look up DNS and RDAP for each message (explain: --online)"},
    {C, "online", "resolver", MT_KEY_STRING, "the resolvers of /etc/resolv.conf", 0, 0, NULL,
     "a DNS resolver to ask instead, ADDRESS or ADDRESS@PORT"},
    {C, "online", "timeout", MT_KEY_NUMBER, "2", 0.05, 60, NULL,
     "seconds each DNS query or RDAP request may take"},
    {C, "online", "deadline", MT_KEY_NUMBER, "5", 0.1, 300, NULL,
     "seconds all the lookups of one message may take"},
    {C, "online", "rdap", MT_KEY_BOOL, "true", 0, 0, NULL,
     "look up domains and the origin network in RDAP (registration date, owner, abuse contact)"},
    {C, "online", "rdap_bootstrap", MT_KEY_PATH,
     "$XDG_DATA_HOME/mailtrace/rdap, else the copy shipped with mailtrace", 0, 0, NULL,
     "a directory with IANA's RDAP bootstrap files dns.json, ipv4.json and ipv6.json"},
    {C, "online", "rdap_cache_days", MT_KEY_INT, "7", 0, 365, NULL,
     "days an RDAP answer is kept in the store (DNS answers: their TTL)"},
    {C, "account *", "host", MT_KEY_STRING, NULL, 0, 0, NULL, "the IMAP server (required)"},
    {C, "account *", "user", MT_KEY_STRING, NULL, 0, 0, NULL, "the login (required)"},
    {C, "account *", "port", MT_KEY_INT, "993 with tls, 143 otherwise", 1, 65535, NULL,
     "the IMAP port"},
    {C, "account *", "security", MT_KEY_ENUM, "tls", 0, 0, "tls|starttls|plain",
     "tls (implicit), starttls, or plain (only with insecure = true)"},
    {C, "account *", "insecure", MT_KEY_BOOL, "false", 0, 0, NULL,
     "allow security = plain, which sends the password in clear"},
    {C, "account *", "auth", MT_KEY_ENUM, "password", 0, 0, "password|xoauth2|oauthbearer",
     "how to log in: LOGIN with a password, or an OAuth 2.0 access token by XOAUTH2 or "
     "OAUTHBEARER (RFC 7628) that password_command prints (oama, pizauth, mutt_oauth2.py)"},
    {C, "account *", "password_command", MT_KEY_STRING, NULL, 0, 0, NULL,
     "a command that prints the password (else $MAILTRACE_PASSWORD, else asked on the terminal)"},
    {C, "account *", "ca_file", MT_KEY_PATH, "the system's CAs", 0, 0, NULL,
     "a CA bundle for a server with a private CA"},
    {C, "account *", "folders", MT_KEY_LIST, "INBOX", 0, 0, NULL, "the folders scan and watch read"},
    {C, "account *", "junk_folder", MT_KEY_STRING, "the \\Junk folder, else Junk", 0, 0, NULL,
     "where suspicious mail is moved"},
    {C, "account *", "keyword_prefix", MT_KEY_STRING, "mt-", 0, 0, NULL,
     "before each reason code in the IMAP keywords"},
    {C, "account *", "timeout", MT_KEY_INT, "30", 1, 3600, NULL,
     "seconds for the connection and for each command"},
    {R, "policy", "young_domain_days", MT_KEY_INT, "30", 0, 3650, NULL,
     "a domain registered fewer days than this before the message is a reason (domain-young, "
     "online only); 0: never"},
    {R, "policy", "allowed_countries", MT_KEY_COUNTRIES, NULL, 0, 0, NULL,
     "an origin outside these countries is a reason (country-not-allowed)"},
    {R, "policy", "blocked_countries", MT_KEY_COUNTRIES, NULL, 0, 0, NULL,
     "an origin in these countries is a reason (country-blocked)"},
    {R, "policy", "allowed_charsets", MT_KEY_LIST, NULL, 0, 0, NULL,
     "a charset outside these is a reason (charset-not-allowed)"},
    {R, "policy", "allowed_scripts", MT_KEY_LIST, NULL, 0, 0, NULL,
     "the writing systems you read: script names (Latin, Cyrillic ...) or ISO 15924 codes"},
    {R, "policy", "threshold", MT_KEY_NUMBER, "4.0", 0.1, 1000, NULL,
     "the score at which a message is suspicious"},
    {R, "policy", "min_history", MT_KEY_INT, "5", 1, 1000000, NULL,
     "messages a contact needs before its fingerprint is judged"},
    {R, "policy", "well_known_senders", MT_KEY_PATH,
     "well-known-senders.conf beside the program, else in " MT_SYSTEM_DATA_DIR,
     0, 0, NULL,
     "the table of well-known senders (brands and the domains they send from) that "
     "brand-impersonation compares with; [brand NAME] groups here add to it"},
    {R, "weights", "*", MT_KEY_NUMBER, "each reason's own", -100, 100, NULL,
     "a reason code = its weight in the score"},
    {R, "contact *", "servers", MT_KEY_LIST, NULL, 0, 0, NULL,
     "host patterns, CIDRs and AS numbers the contact's mail comes from"},
    {R, "contact *", "countries", MT_KEY_COUNTRIES, NULL, 0, 0, NULL,
     "countries the contact's mail comes from"},
    {R, "contact *", "charsets", MT_KEY_LIST, NULL, 0, 0, NULL, "charsets the contact writes in"},
    {R, "contact *", "mailers", MT_KEY_LIST, NULL, 0, 0, NULL,
     "mail programs, as case-insensitive globs (*outlook*)"},
    {R, "contact *", "dkim_domains", MT_KEY_LIST, NULL, 0, 0, NULL,
     "domains whose DKIM signature the contact's mail carries"},
    {R, "contact *", "timezones", MT_KEY_LIST, NULL, 0, 0, NULL,
     "UTC offsets of the contact's Date header (-0400)"},
    {R, "contact *", "names", MT_KEY_LIST, NULL, 0, 0, NULL,
     "other display names of this contact (Anne Lee for Ann Lee: two people unless said here); "
     "mail under them from an address the contact never used is contact-name-new-address"},
    {R, "contact *", "require_dkim", MT_KEY_BOOL, "false", 0, 0, NULL,
     "a trusted server must have verified the contact's DKIM signature"},
    {R, "brand *", "domains", MT_KEY_LIST, NULL, 0, 0, NULL,
     "the registered domains the brand sends from; name.* for that name under any public "
     "suffix (required)"},
    {R, "brand *", "names", MT_KEY_LIST, "the group's NAME", 0, 0, NULL,
     "the names a display name or address may claim, matched as whole words, case, accents and "
     "look-alike letters folded"},
    {R, "brand *", "personal", MT_KEY_BOOL, "false", 0, 0, NULL,
     "the name is also a person's or a common word: a claim only in a display name with a "
     "service's words around it (Chase Online Banking), never alone nor in an address"},
};

const MtConfigKey *
mt_config_keys(gsize *n)
{
  *n = G_N_ELEMENTS(keys);
  return keys;
}

const char *
mt_config_group_pattern(MtConfigFileKind file, const char *group)
{
  for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
    const char *g = keys[i].group;
    if (keys[i].file != file)
      continue;
    gsize n = strlen(g);
    if (n > 2 && strcmp(g + n - 2, " *") == 0 ? strncmp(group, g, n - 1) == 0 && group[n - 1]
                                              : strcmp(group, g) == 0)
      return g;
  }
  return NULL;
}

const MtConfigKey *
mt_config_key_find(MtConfigFileKind file, const char *group, const char *key)
{
  const char *pattern = mt_config_group_pattern(file, group);
  for (gsize i = 0; pattern != NULL && i < G_N_ELEMENTS(keys); i++)
    if (keys[i].file == file && strcmp(keys[i].group, pattern) == 0 &&
        (strcmp(keys[i].key, key) == 0 || strcmp(keys[i].key, "*") == 0))
      return &keys[i];
  return NULL;
}

GStrv
mt_config_split_list(const char *value)
{
  g_auto(GStrv) parts = g_strsplit_set(value != NULL ? value : "", ";,", -1);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  for (guint i = 0; parts[i] != NULL; i++) {
    char *v = g_strstrip(parts[i]);
    if (*v != '\0')
      g_strv_builder_add(b, v);
  }
  return g_strv_builder_end(b);
}

gboolean
mt_config_parse_size(const char *text, guint64 *out)
{
  char *end = NULL;
  if (!g_ascii_isdigit(*text))
    return FALSE;
  guint64 n = g_ascii_strtoull(text, &end, 10);
  guint shift = 0;
  switch (g_ascii_toupper(*end)) {
  case 'K':
    shift = 10;
    end++;
    break;
  case 'M':
    shift = 20;
    end++;
    break;
  case 'G':
    shift = 30;
    end++;
    break;
  }
  if (*end != '\0' || n == 0 || n > (G_MAXUINT64 >> shift))
    return FALSE;
  *out = n << shift;
  return TRUE;
}

static gboolean
check_number(const MtConfigKey *k, const char *value, char **why)
{
  char *end = NULL;
  double v = g_ascii_strtod(value, &end);
  gboolean is_int = k->type == MT_KEY_INT;
  if (end == value || *end != '\0' || !isfinite(v) || (is_int && v != floor(v)))
    *why = g_strdup_printf("“%s” is not %s", value, is_int ? "a whole number" : "a number");
  else if (v < k->min || v > k->max)
    *why = g_strdup_printf("%s is out of range (%g to %g)", value, k->min, k->max);
  return *why == NULL;
}

/* ISO codes, with the code of a country written by its English name as the hint. */
static gboolean
check_countries(const char *value, char **why)
{
  g_auto(GStrv) items = mt_config_split_list(value);
  for (guint i = 0; items[i] != NULL; i++) {
    g_autofree char *code = g_ascii_strup(items[i], -1);
    if (strlen(code) == 2 && mt_country_name(code) != code)
      continue;
    const char *named = mt_country_code_of(items[i]);
    *why = named != NULL
               ? g_strdup_printf("“%s” is not an ISO 3166 country code (did you mean %s?)",
                                 items[i], named)
               : g_strdup_printf("“%s” is not an ISO 3166 country code (such as DE, FR, US)",
                                 items[i]);
    return FALSE;
  }
  return TRUE;
}

gboolean
mt_config_key_check(const MtConfigKey *k, const char *value, char **why)
{
  g_return_val_if_fail(k != NULL && value != NULL && why != NULL, FALSE);
  *why = NULL;
  guint64 size;
  switch (k->type) {
  case MT_KEY_BOOL:
    if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
      *why = g_strdup_printf("“%s” is not true or false", value);
    break;
  case MT_KEY_INT:
  case MT_KEY_NUMBER:
    return check_number(k, value, why);
  case MT_KEY_SIZE:
    if (!mt_config_parse_size(value, &size))
      *why = g_strdup_printf("“%s” is not a size in bytes, such as 33554432 or 32M", value);
    break;
  case MT_KEY_ENUM: {
    g_auto(GStrv) allowed = g_strsplit(k->allowed, "|", -1);
    if (!g_strv_contains((const char *const *)allowed, value))
      *why = g_strdup_printf("“%s” is not one of %s", value, k->allowed);
    break;
  }
  case MT_KEY_COUNTRIES:
    return check_countries(value, why);
  case MT_KEY_PATH:
    if (*value == '\0')
      *why = g_strdup("an empty path: leave the key out for the default");
    break;
  case MT_KEY_STRING:
  case MT_KEY_LIST:
    break;
  }
  return *why == NULL;
}

guint
mt_config_line(const char *contents, const char *group, const char *key)
{
  if (contents == NULL)
    return 0;
  g_auto(GStrv) lines = g_strsplit(contents, "\n", -1);
  gboolean in_group = FALSE;
  for (guint i = 0; lines[i] != NULL; i++) {
    const char *l = lines[i];
    while (*l == ' ' || *l == '\t')
      l++;
    if (*l == '[') {
      const char *close = strchr(l, ']');
      in_group = close != NULL && (gsize)(close - l - 1) == strlen(group) &&
                 strncmp(l + 1, group, strlen(group)) == 0;
      if (in_group && key == NULL)
        return i + 1;
      continue;
    }
    gsize n = key != NULL ? strlen(key) : 0;
    if (in_group && key != NULL && strncmp(l, key, n) == 0) {
      const char *after = l + n;
      while (*after == ' ' || *after == '\t')
        after++;
      if (*after == '=')
        return i + 1;
    }
  }
  return 0;
}

/* Levenshtein distance, for "did you mean". */
static guint
distance(const char *a, const char *b)
{
  gsize la = strlen(a), lb = strlen(b);
  g_autofree guint *row = g_new(guint, lb + 1);
  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint)j;
  for (gsize i = 1; i <= la; i++) {
    guint diag = row[0];
    row[0] = (guint)i;
    for (gsize j = 1; j <= lb; j++) {
      guint up = row[j];
      guint cost = g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 1]) ? 0 : 1;
      row[j] = MIN(MIN(row[j] + 1, row[j - 1] + 1), diag + cost);
      diag = up;
    }
  }
  return row[lb];
}

/* The known name nearest to @name among @names: one edit away for a short name, two (or a
 * third of its letters) for a longer one. */
static const char *
nearest(const char *name, GPtrArray *names)
{
  const char *best = NULL;
  gsize len = strlen(name);
  guint best_d = (len >= 5 ? MAX((guint)len / 3, 2u) : 1u) + 1;
  for (guint i = 0; i < names->len; i++) {
    guint d = distance(name, g_ptr_array_index(names, i));
    if (d < best_d) {
      best_d = d;
      best = g_ptr_array_index(names, i);
    }
  }
  return best;
}

static char *
did_you_mean(const char *name, GPtrArray *names)
{
  const char *n = nearest(name, names);
  return n != NULL ? g_strdup_printf(" (did you mean %s?)", n) : g_strdup("");
}

static GPtrArray *
known_groups(MtConfigFileKind file)
{
  GPtrArray *out = g_ptr_array_new();
  for (gsize i = 0; i < G_N_ELEMENTS(keys); i++)
    if (keys[i].file == file && !g_ptr_array_find_with_equal_func(out, keys[i].group, g_str_equal,
                                                                  NULL))
      g_ptr_array_add(out, (gpointer)keys[i].group);
  return out;
}

static GPtrArray *
known_keys(MtConfigFileKind file, const char *pattern)
{
  GPtrArray *out = g_ptr_array_new();
  for (gsize i = 0; i < G_N_ELEMENTS(keys); i++)
    if (keys[i].file == file && strcmp(keys[i].group, pattern) == 0)
      g_ptr_array_add(out, (gpointer)keys[i].key);
  return out;
}

static GPtrArray *
reason_codes(void)
{
  GPtrArray *out = g_ptr_array_new();
  for (const MtReasonKind *k = mt_reason_kinds; k->code != NULL; k++)
    g_ptr_array_add(out, (gpointer)k->code);
  return out;
}

gboolean
mt_config_validate(GKeyFile *kf, MtConfigFileKind file, const char *path, const char *contents,
                   GPtrArray *warnings, GError **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
  for (guint g = 0; groups[g] != NULL; g++) {
    const char *group = groups[g];
    const char *pattern = mt_config_group_pattern(file, group);
    if (pattern == NULL) {
      g_autoptr(GPtrArray) names = known_groups(file);
      MtConfigFileKind other = file == MT_FILE_CONFIG ? MT_FILE_RULES : MT_FILE_CONFIG;
      /* a group of the other file: say where it belongs, not just that it is unknown */
      g_autofree char *hint =
          mt_config_group_pattern(other, group) != NULL
              ? g_strdup_printf(" (it belongs in %s)",
                                other == MT_FILE_RULES ? "rules.conf" : "the config file")
              : did_you_mean(group, names);
      g_ptr_array_add(warnings, g_strdup_printf("%s:%u: unknown group [%s] ignored%s", path,
                                                mt_config_line(contents, group, NULL), group,
                                                hint));
      continue;
    }
    g_auto(GStrv) ks = g_key_file_get_keys(kf, group, NULL, NULL);
    for (guint i = 0; ks != NULL && ks[i] != NULL; i++) {
      const MtConfigKey *k = mt_config_key_find(file, group, ks[i]);
      gboolean weight = k != NULL && strcmp(k->key, "*") == 0;
      if (k == NULL || (weight && mt_reason_kind(ks[i]) == NULL)) {
        g_autoptr(GPtrArray) names = weight ? reason_codes() : known_keys(file, pattern);
        g_autofree char *hint = did_you_mean(ks[i], names);
        g_ptr_array_add(warnings,
                        g_strdup_printf("%s:%u: %s %s in [%s] ignored%s", path,
                                        mt_config_line(contents, group, ks[i]),
                                        weight ? "unknown reason code" : "unknown key", ks[i],
                                        group, hint));
        continue;
      }
      g_autofree char *raw = g_key_file_get_value(kf, group, ks[i], NULL);
      g_autofree char *value = g_strstrip(g_strdup(raw != NULL ? raw : ""));
      g_autofree char *why = NULL;
      if (!mt_config_key_check(k, value, &why)) {
        g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "%s:%u: [%s] %s: %s", path,
                    mt_config_line(contents, group, ks[i]), group, ks[i], why);
        return FALSE;
      }
    }
  }
  return TRUE;
}

GStrv
mt_config_get_list(GKeyFile *kf, const char *group, const char *key, gboolean upper)
{
  g_autofree char *raw = g_key_file_get_value(kf, group, key, NULL);
  if (raw == NULL)
    return NULL;
  g_auto(GStrv) items = mt_config_split_list(raw);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  for (guint i = 0; items[i] != NULL; i++) {
    g_autofree char *norm = upper ? g_ascii_strup(items[i], -1) : g_ascii_strdown(items[i], -1);
    g_strv_builder_add(b, norm);
  }
  GStrv out = g_strv_builder_end(b);
  if (out[0] == NULL)
    g_clear_pointer(&out, g_strfreev);
  return out;
}
