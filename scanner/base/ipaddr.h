/* IP address helpers shared by the Received parser, the trust boundary and the checks. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Turns what a Received header wrote as an address into its canonical text form:
 * `IPv6:` prefix and brackets removed, an IPv4-mapped IPv6 address turned into IPv4, a
 * `%zone` suffix and a `:port` suffix dropped, IPv6 lower-cased and compressed.
 * Returns: (transfer full) (nullable): NULL when @text is not an IP address. */
char *mt_ip_normalize(const char *text, gsize len);

/* Whether canonical address @ip is loopback (127/8, ::1). */
gboolean mt_ip_is_loopback(const char *ip);

/* Whether @ip is not routable on the Internet: RFC 1918, RFC 6598 shared, link-local,
 * unique-local IPv6, and loopback. */
gboolean mt_ip_is_private(const char *ip);

typedef struct _MtCidr MtCidr;

/* Parses `192.0.2.0/24`, `2001:db8::/32` or a lone address (a /32 or /128).
 * Returns: (transfer full) (nullable) */
MtCidr *mt_cidr_parse(const char *text);
gboolean mt_cidr_contains(const MtCidr *cidr, const char *ip);
void mt_cidr_free(MtCidr *cidr);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtCidr, mt_cidr_free)

G_END_DECLS
