/* Answers of online lookups (DNS, RDAP) kept in the store until they expire: the record's TTL
 * for DNS, a fixed time for RDAP. A negative answer is an answer and is kept too; a failure
 * (timeout, SERVFAIL) is not. */
#pragma once

#include "store.h"

G_BEGIN_DECLS

/* @key: "dns PTR 192.0.2.1", "rdap domain example.org" ... Returns: TRUE with *@value
 * (transfer full) and *@at (when it was looked up) when an entry not expired at @now exists. */
gboolean mt_lookup_cache_get(MtStore *store, const char *key, gint64 now, char **value,
                             gint64 *at);

/* Keeps @value for @ttl seconds from @now. A store that cannot write loses the entry, no
 * more: the answer was already used. */
void mt_lookup_cache_put(MtStore *store, const char *key, const char *value, gint64 now,
                         gint64 ttl);

G_END_DECLS
