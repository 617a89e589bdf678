/* Addresses that look like a learned contact's without being theirs: a confusable skeleton
 * (Unicode TR39: `northwind-suppIy.com`, Cyrillic `аpple.com`), a small edit distance on the
 * registered domain (`northwnd-supply.com`), another TLD of the same name
 * (`northwind-supply.co`), the same local part on another registered domain. */
#pragma once

#include <glib.h>

#include "contact-keys.h"
#include "skeleton.h"
#include "store.h"

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

typedef struct {
  MtLookalikeKind kind;
  char *known;  /* the learned address it resembles */
  char *domain; /* the sender's registered domain as written, Unicode */
  char *ascii;  /* the same in ASCII (punycode) */
} MtLookalike;

/* Whether @address (as written in From: case and Unicode kept) resembles the address of a
 * contact learned from at least @min_history messages without being one, and how. A domain
 * some such contact uses is no lookalike. A few indexed lookups in @store's contact keys
 * (contact-keys.h), however many contacts it holds; a store that cannot be read resembles
 * nothing. Returns: FALSE, or TRUE with @out filled (mt_lookalike_clear() it). */
gboolean mt_lookalike_find(MtStore *store, guint min_history, const char *address,
                           MtLookalike *out);
void mt_lookalike_clear(MtLookalike *l);

/* "a confusable of", "a letter away from" ... for the reason's sentence. */
const char *mt_lookalike_kind_phrase(MtLookalikeKind kind);

G_END_DECLS
