/* What mailtrace reads in an RDAP answer (RFC 9083): of a domain, when it was registered, by
 * which registrar, its status; of an IP network, its name, owner, country and abuse contact. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gint64 registered;  /* unix seconds; 0 when the answer does not say */
  char *registrar;    /* (nullable) */
  char *status;       /* (nullable) the status values, comma-separated */
} MtRdapDomain;

typedef struct {
  char *range;        /* (nullable) "start - end", or the CIDR */
  char *name;         /* (nullable) the network's name */
  char *owner;        /* (nullable) the registrant's name */
  char *country;      /* (nullable) ISO code */
  char *abuse_email;  /* (nullable) the e-mail of the entity with role "abuse" */
} MtRdapNetwork;

/* Returns: FALSE with @error when @text is not JSON or not an RDAP object of that class. */
gboolean mt_rdap_parse_domain(const char *text, gsize len, MtRdapDomain *out, GError **error);
gboolean mt_rdap_parse_network(const char *text, gsize len, MtRdapNetwork *out, GError **error);
void mt_rdap_domain_clear(MtRdapDomain *d);
void mt_rdap_network_clear(MtRdapNetwork *n);

G_END_DECLS
