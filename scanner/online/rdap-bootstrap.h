/* IANA's RDAP bootstrap files (RFC 9224): which registry's RDAP server answers for a domain
 * (by its top-level domain) or an address (by the longest matching prefix). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MtRdapBootstrap MtRdapBootstrap;

/* Reads dns.json, ipv4.json and ipv6.json from the first of @dirs holding them (each file on
 * its own: a refreshed dns.json in the user's directory, the shipped ipv4.json ...).
 * Returns: (transfer full): never NULL; files missing or broken are sentences in @warnings. */
MtRdapBootstrap *mt_rdap_bootstrap_load(const char *const *dirs, GPtrArray *warnings);
void mt_rdap_bootstrap_free(MtRdapBootstrap *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtRdapBootstrap, mt_rdap_bootstrap_free)

/* The base URL (ending in '/') for @domain, an ASCII (A-label) name, or for @ip.
 * HTTPS is preferred where the file offers both. Returns: (transfer none) (nullable) */
const char *mt_rdap_bootstrap_domain(const MtRdapBootstrap *b, const char *domain);
const char *mt_rdap_bootstrap_ip(const MtRdapBootstrap *b, const char *ip);

/* Parses one bootstrap file's text into @b (the kind is its name: "dns", "ipv4", "ipv6").
 * For tests and update-rdap, which checks what it fetched before keeping it. */
gboolean mt_rdap_bootstrap_parse(MtRdapBootstrap *b, const char *kind, const char *text,
                                 gsize len, GError **error);
MtRdapBootstrap *mt_rdap_bootstrap_new(void);

G_END_DECLS
