#include "contacts.h"

#include <string.h>

#include "country.h"

/* How much a new value of each attribute says, for a contact that never varied: the origin
 * network and the DKIM domain are hard to change for an impostor; the time zone is easy to
 * get right by accident and travels with the sender. */
/* Attributes that change together form a group, and a group counts once (its strongest
 * deviation): a sender writing directly instead of through a list changes network, country
 * and relay at once, a new mail client changes the client and its Message-IDs. */
typedef enum { GROUP_PATH, GROUP_SENDER, GROUP_SIGNER, GROUP_CLIENT, GROUP_ZONE, N_GROUPS } Group;

static const struct {
  const char *attr;
  double weight;
  Group group;
  const char *phrase; /* the words before a value in a sentence */
} attrs[] = {
    {MT_FP_NETWORK, 3.0, GROUP_PATH, "from "},
    {MT_FP_COUNTRY, 2.0, GROUP_PATH, "from "},
    {MT_FP_ORIGIN, 2.0, GROUP_PATH, "through "},
    {MT_FP_FIRST_HOP, 2.0, GROUP_SENDER, "first relayed by "},
    {MT_FP_DKIM, 3.0, GROUP_SIGNER, "signed by "},
    {MT_FP_MAILER, 1.5, GROUP_CLIENT, "with "},
    {MT_FP_CHARSET, 1.0, GROUP_CLIENT, "in "},
    {MT_FP_MSGID, 1.0, GROUP_CLIENT, "with Message-IDs of "},
    {MT_FP_HTML, 0.5, GROUP_CLIENT, "with HTML by "},
    {MT_FP_TIMEZONE, 1.0, GROUP_ZONE, "at "},
};

double
mt_contacts_attr_weight(const char *attr)
{
  for (gsize i = 0; i < G_N_ELEMENTS(attrs); i++)
    if (strcmp(attrs[i].attr, attr) == 0)
      return attrs[i].weight;
  return 0;
}

static Group
group_of(const char *attr)
{
  for (gsize i = 0; i < G_N_ELEMENTS(attrs); i++)
    if (strcmp(attrs[i].attr, attr) == 0)
      return attrs[i].group;
  return GROUP_CLIENT;
}

static const char *
phrase_of(const char *attr)
{
  for (gsize i = 0; i < G_N_ELEMENTS(attrs); i++)
    if (strcmp(attrs[i].attr, attr) == 0)
      return attrs[i].phrase;
  return "";
}

static void
deviation_free(gpointer data)
{
  MtDeviation *d = data;
  g_free(d->usual);
  g_free(d->seen);
  g_free(d);
}

void
mt_contact_report_free(MtContactReport *r)
{
  if (r == NULL)
    return;
  mt_profile_free(r->profile);
  g_ptr_array_unref(r->deviations);
  g_free(r);
}

static const char *
shown(const char *attr, const char *value, const char *label)
{
  if (label != NULL)
    return label;
  if (mt_fp_absent(value))
    return mt_fp_shown(value);
  if (strcmp(attr, MT_FP_COUNTRY) == 0)
    return mt_country_name(value);
  return value;
}

/* `+0100` -> minutes east of UTC; G_MININT when it is not an offset. */
static int
zone_minutes(const char *z)
{
  if (z == NULL || (z[0] != '+' && z[0] != '-') || strlen(z) != 5)
    return G_MININT;
  for (int i = 1; i < 5; i++)
    if (!g_ascii_isdigit(z[i]))
      return G_MININT;
  int m = ((z[1] - '0') * 10 + (z[2] - '0')) * 60 + (z[3] - '0') * 10 + (z[4] - '0');
  return z[0] == '-' ? -m : m;
}

/* Daylight saving moves a sender's offset by an hour twice a year: that is not new. */
static gboolean
same_value(const char *attr, const char *known, const char *seen)
{
  if (strcmp(known, seen) == 0)
    return TRUE;
  if (strcmp(attr, MT_FP_TIMEZONE) != 0)
    return FALSE;
  int a = zone_minutes(known), b = zone_minutes(seen);
  return a != G_MININT && b != G_MININT && ABS(a - b) <= 60;
}

/* The values @fp shows for @attr that the profile never saw; NULL when none is new. */
static char *
new_values(const MtFingerprint *fp, const char *attr, GPtrArray *known)
{
  GString *seen = NULL;
  for (guint i = 0; i < fp->values->len; i++) {
    const MtFpValue *v = g_ptr_array_index(fp->values, i);
    if (strcmp(v->attr, attr) != 0)
      continue;
    gboolean is_known = FALSE;
    for (guint k = 0; known != NULL && k < known->len && !is_known; k++)
      is_known = same_value(attr, ((MtProfileValue *)g_ptr_array_index(known, k))->value, v->value);
    if (is_known)
      continue;
    if (seen == NULL)
      seen = g_string_new(NULL);
    g_string_append_printf(seen, "%s%s", seen->len ? ", " : "", shown(attr, v->value, v->label));
  }
  return seen != NULL ? g_string_free(seen, FALSE) : NULL;
}

/* Stability: the share of the contact's messages that showed the dominant value. Confidence
 * grows with the history: n / (n + 3) is 0.63 at 5 messages and 0.93 at 40. */
static double
deviation_weight(const char *attr, const MtProfileValue *top, guint messages)
{
  double stability = messages > 0 ? MIN(1.0, (double)top->count / messages) : 0;
  double confidence = (double)messages / (messages + 3.0);
  return mt_contacts_attr_weight(attr) * stability * confidence;
}

MtContactReport *
mt_contacts_compare(MtProfile *profile, const MtFingerprint *fp, guint min_history)
{
  g_return_val_if_fail(profile != NULL && fp != NULL, NULL);

  MtContactReport *r = g_new0(MtContactReport, 1);
  r->profile = profile;
  r->deviations = g_ptr_array_new_with_free_func(deviation_free);
  r->enough = profile->messages >= MAX(min_history, 1u);
  if (!r->enough)
    return r;
  for (gsize i = 0; i < G_N_ELEMENTS(attrs); i++) {
    GPtrArray *known = g_hash_table_lookup(profile->attrs, attrs[i].attr);
    if (known == NULL || known->len == 0)
      continue; /* never observed (no geo data then, say): nothing to compare */
    g_autofree char *seen = new_values(fp, attrs[i].attr, known);
    if (seen == NULL)
      continue;
    const MtProfileValue *top = g_ptr_array_index(known, 0);
    MtDeviation *d = g_new0(MtDeviation, 1);
    d->attr = attrs[i].attr;
    d->usual = g_strdup_printf("%s (%u of %u)", shown(d->attr, top->value, top->label), top->count,
                               profile->messages);
    d->seen = g_steal_pointer(&seen);
    d->weight = deviation_weight(d->attr, top, profile->messages);
    g_ptr_array_add(r->deviations, d);
  }
  return r;
}

void
mt_contacts_add_reason(const MtContactReport *r, MtVerdict *verdict, double scale)
{
  g_return_if_fail(r != NULL && verdict != NULL);

  if (r->deviations->len == 0)
    return;
  g_autoptr(GString) usual = g_string_new(NULL), seen = g_string_new(NULL);
  double strongest[N_GROUPS] = {0};
  for (guint i = 0; i < r->deviations->len; i++) {
    const MtDeviation *d = g_ptr_array_index(r->deviations, i);
    const char *sep = i ? ", " : " ";
    g_string_append_printf(usual, "%s%s%s", sep, phrase_of(d->attr), d->usual);
    g_string_append_printf(seen, "%s%s%s", sep, phrase_of(d->attr), d->seen);
    Group g = group_of(d->attr);
    strongest[g] = MAX(strongest[g], d->weight);
  }
  double weight = 0;
  for (int g = 0; g < N_GROUPS; g++)
    weight += strongest[g];
  mt_verdict_add(verdict, "contact-fingerprint", weight * scale,
                 "%s wrote %u times%s; this message comes%s.", r->profile->address,
                 r->profile->messages, usual->str, seen->str);
}

gboolean
mt_contacts_origin_is_usual(const MtContactReport *r)
{
  g_return_val_if_fail(r != NULL, FALSE);

  if (!r->enough || g_hash_table_lookup(r->profile->attrs, MT_FP_ORIGIN) == NULL)
    return FALSE;
  for (guint i = 0; i < r->deviations->len; i++) {
    const MtDeviation *d = g_ptr_array_index(r->deviations, i);
    if (group_of(d->attr) == GROUP_PATH)
      return FALSE;
  }
  return TRUE;
}
