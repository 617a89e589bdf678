/* The well-known senders' table, compiled: folding some six hundred names and skeletons of as
 * many domains costs each start about 2 ms, which the delivery filter pays per message. The
 * compiled form goes to the user's cache directory, keyed by a hash of the table and the
 * program's version, and is read back several times faster. A cache that is missing, stale,
 * foreign or damaged is rebuilt from the table; one that cannot be written is no error. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The brands of a cached compilation of a table whose contents are @contents: their strings
 * are cut out of the cache's text, which they keep (brand-record.h, arena).
 * Returns: (transfer full) (nullable): GPtrArray of MtBrand* (freed by @free_brand), NULL when
 * there is no usable cache for exactly these contents. */
GPtrArray *mt_brands_cache_read(const char *contents, gsize len, GDestroyNotify free_brand);

/* Writes @brands (MtBrand*) as the compilation of @contents; failures are silent. */
void mt_brands_cache_write(const char *contents, gsize len, GPtrArray *brands);

G_END_DECLS
