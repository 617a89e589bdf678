/* Display names, compared as a person would: `"Miller, Dan J."`, `dan miller` and `Dán Miller
 * via Acme Portal` are one name; `Ann Lee` and `Anne Lee` are two people. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The key of a display name, as it looks: invisible characters removed, Hangul fillers as
 * blanks, full-width and mathematical letters as plain ones, look-alike letters (Cyrillic
 * "а", Greek "ι", a capital "I" for "l") as the letters they imitate (TR39 skeletons, as for
 * domains); then case folded, accents and quotes removed, a "via ..." suffix and
 * parenthesised parts dropped, a comma's "Family, Given" order and every other order made one
 * (the words sorted), middle initials dropped. Returns: (transfer full) (nullable): NULL when
 * it is not a person's name to compare: fewer than two words, an address, or over six words. */
char *mt_name_key(const char *display);

/* The words of @s as it looks, in order: folded like mt_name_key() (invisible characters out,
 * look-alike and full-width letters as the plain ones, case and accents folded) and split at
 * everything that is not a letter or digit: "Ⅿicrosoft Account-Team" -> {"rnicrosoft",
 * "account", "tearn"} (the skeleton writes "m" as "rn", in every string alike).
 * Returns: (transfer full) (nullable): NULL when @s is not valid UTF-8 */
GStrv mt_name_words(const char *s);

/* Whether @display names a service writing for the person: "Dan Miller via Acme", "Dan
 * Miller (via Acme)". */
gboolean mt_name_has_via(const char *display);

/* How @display disguises itself, as the end of a sentence a person can check: "with an
 * invisible character (U+200B) between 'Dan' and 'Miller'", "with a Cyrillic 'а' (U+0430)
 * for a Latin 'a'", "in full-width or mathematical letters", "with a capital 'I' where your
 * contact writes an 'l'" (compared with @theirs, the contact's own display name, nullable).
 * Returns: (transfer full) (nullable): NULL when it shows as written. */
char *mt_name_disguise(const char *display, const char *theirs);

G_END_DECLS
