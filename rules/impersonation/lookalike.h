/* Addresses that look like a learned contact's without being theirs: a confusable skeleton
 * (Unicode TR39: `northwind-suppIy.com`, Cyrillic `аpple.com`), a small edit distance on the
 * registered domain (`northwnd-supply.com`), another TLD of the same name
 * (`northwind-supply.co`), the same local part on another registered domain. */
#pragma once

#include <glib.h>

#include "skeleton.h"

G_BEGIN_DECLS

typedef enum {
  MT_LOOKALIKE_NONE,
  MT_LOOKALIKE_CONFUSABLE, /* the same TR39 skeleton */
  MT_LOOKALIKE_TYPO,       /* the registered name a letter or two away */
  MT_LOOKALIKE_OTHER_TLD,  /* the same name under another public suffix */
  MT_LOOKALIKE_LOCAL_PART, /* the same distinctive local part, another registered domain */
} MtLookalikeKind;

/* Damerau-Levenshtein distance (optimal string alignment) between @a and @b in code points,
 * or @max + 1 when it is larger than @max. */
guint mt_edit_distance(const char *a, const char *b, guint max);

/* A domain's Unicode form ("xn--80ak6aa92e.com" -> "аррӏе.com") and its ASCII (punycode)
 * form. Returns: (transfer full) (nullable): NULL when it cannot be converted. */
char *mt_domain_to_unicode(const char *domain);
char *mt_domain_to_ascii(const char *domain);

/* Whether @domain (a registered domain) belongs to a provider shared by many unrelated
 * people (gmail.com, outlook.com, gmx.de ...): its name under another TLD is no lookalike. */
gboolean mt_domain_is_shared(const char *domain);

typedef struct _MtKnownSenders MtKnownSenders;

/* Indexes @addresses (normalised, lower case), the learned contacts.
 * Returns: (transfer full) */
MtKnownSenders *mt_known_senders_new(const char *const *addresses);
void mt_known_senders_free(MtKnownSenders *ks);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtKnownSenders, mt_known_senders_free)
guint mt_known_senders_count(const MtKnownSenders *ks);

typedef struct {
  MtLookalikeKind kind;
  char *known;  /* the learned address it resembles */
  char *domain; /* the sender's registered domain as written, Unicode */
  char *ascii;  /* the same in ASCII (punycode) */
} MtLookalike;

/* Whether @address (as written in From: case and Unicode kept) resembles a learned address
 * without being one, and how. A domain some learned contact uses is no lookalike.
 * Returns: FALSE, or TRUE with @out filled (mt_lookalike_clear() it). */
gboolean mt_lookalike_find(const MtKnownSenders *ks, const char *address, MtLookalike *out);
void mt_lookalike_clear(MtLookalike *l);

/* "a confusable of", "a letter away from" ... for the reason's sentence. */
const char *mt_lookalike_kind_phrase(MtLookalikeKind kind);

G_END_DECLS
