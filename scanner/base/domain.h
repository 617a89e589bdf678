/* Registered domains from the Public Suffix List (libpsl), never by counting dots. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `mail.example.co.uk` -> `example.co.uk`; NULL for an IP literal, a bare public suffix or
 * anything that is not a host name. Returns: (transfer full) (nullable) */
char *mt_registered_domain(const char *host);

/* Whether @a and @b have the same registered domain (RFC 7489 relaxed alignment); FALSE when
 * either has none. */
gboolean mt_same_registered_domain(const char *a, const char *b);

/* Whether @domain could exist in the public DNS: it has a dot, and it ends in a suffix the
 * Public Suffix List names (not only by its default `*` rule): "mailbox", "example.internal"
 * and "a.b.c1" could not; "iki.fi" (itself a public suffix) and "example.co.za" could. */
gboolean mt_domain_has_public_tld(const char *domain);

/* Whether @host equals @pattern or matches it as `*.example.org` (any depth of labels). */
gboolean mt_host_matches(const char *host, const char *pattern);

/* The domain part of an address, lower-case. Returns: (transfer full) (nullable) */
char *mt_address_domain(const char *address);

/* The version of libpsl in use. */
const char *mt_domain_library_version(void);

G_END_DECLS
