/* Display names, compared as a person would: `"Miller, Dan J."`, `dan miller` and `Dán Miller
 * via Acme Portal` are one name; `Ann Lee` and `Anne Lee` are two people. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The key of a display name: case folded, accents and quotes removed, a "via ..." suffix and
 * parenthesised parts dropped, a comma's "Family, Given" order and every other order made one
 * (the words sorted), middle initials dropped. Returns: (transfer full) (nullable): NULL when
 * it is not a person's name to compare: fewer than two words, an address, or over six words. */
char *mt_name_key(const char *display);

/* Whether @display names a service writing for the person: "Dan Miller via Acme", "Dan
 * Miller (via Acme)". */
gboolean mt_name_has_via(const char *display);

G_END_DECLS
