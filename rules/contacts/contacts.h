/* A message's fingerprint against what its sender's genuine mail has shown before. */
#pragma once

#include "fingerprint.h"
#include "reasons.h"
#include "store.h"

G_BEGIN_DECLS

typedef struct {
  const char *attr;
  char *usual; /* the contact's dominant value, e.g. `AS3320 Deutsche Telekom AG (40 of 41)` */
  char *seen;  /* what this message shows */
  double weight;
} MtDeviation;

typedef struct {
  MtProfile *profile;    /* the contact as learned */
  GPtrArray *deviations; /* MtDeviation*: attributes whose value is new for this contact */
  gboolean enough;       /* the history is long enough to judge (min_history) */
} MtContactReport;

/* Compares @fp with @profile (both owned by the caller; the report takes @profile).
 * Returns: (transfer full) */
MtContactReport *mt_contacts_compare(MtProfile *profile, const MtFingerprint *fp,
                                     guint min_history);
void mt_contact_report_free(MtContactReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtContactReport, mt_contact_report_free)

/* One `contact-fingerprint` reason summing the deviations' weights, or nothing. */
void mt_contacts_add_reason(const MtContactReport *r, MtVerdict *verdict, double scale);

/* Whether the origin is the contact's usual one: enough history, and no network or
 * origin-domain deviation. */
gboolean mt_contacts_origin_is_usual(const MtContactReport *r);

/* Weight of a new value of @attr for a perfectly stable contact. */
double mt_contacts_attr_weight(const char *attr);

G_END_DECLS
