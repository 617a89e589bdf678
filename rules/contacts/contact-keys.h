/* Each learned address filed, when it is learned, under what an imitation of it would share:
 * its registered domain and local part; the domain's label (the name before the public
 * suffix), its TR39 skeleton, and the label's deletion variants (a label a letter or two away
 * shares one). A message from an unknown sender is then compared with every contact by a few
 * indexed lookups (impersonation/lookalike.c), whatever their number: a one-message process,
 * the filter, never reads them all nor folds their domains again. */
#pragma once

#include <glib.h>


G_BEGIN_DECLS

/* A domain's Unicode form ("xn--80ak6aa92e.com" -> "аррӏе.com") and its ASCII (punycode)
 * form. Returns: (transfer full) (nullable): NULL when it cannot be converted. */
char *mt_domain_to_unicode(const char *domain);
char *mt_domain_to_ascii(const char *domain);

/* Whether @domain (a registered domain) belongs to a provider shared by many unrelated
 * people (gmail.com, outlook.com, gmx.de ...): its name under another TLD is no lookalike. */
gboolean mt_domain_is_shared(const char *domain);

/* `northwind-supply.co.uk` -> `northwind-supply`; *@suffix points at `co.uk` in @registered.
 * Returns: (transfer full) (nullable): NULL for a name without a dot. */
char *mt_domain_label(const char *registered, const char **suffix);

/* How many letters two labels of @n_chars code points may differ by and still be a typo of
 * each other: one, or two for long names (the reach is the shorter label's). */
guint mt_label_typo_reach(glong n_chars);

/* The labels shorter than this are no contact's to imitate by a typo. */
#define MT_LABEL_TYPO_MIN 5

/* The hashes of @chars with up to @reach code points deleted, itself included (duplicates
 * possible). Two labels within @reach edits of each other share one (a symmetric deletion
 * index: a letter replaced is one deleted on both sides). Returns: (transfer full) gint64s */
GArray *mt_label_variants(const gunichar *chars, glong n, guint reach);

G_END_DECLS
