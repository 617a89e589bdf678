/* The big mailbox providers, as data (providers.c): the registered domains their own hosts are
 * named under, and the shape of their inbound edge, the host that takes mail from outside.
 * One provider's internal hops stay together (no `chain-broken` between two of its names),
 * and the edge tells the receiving tenant from the sending one on the same platform. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *name;                  /* "Microsoft" */
  const char *const *domains;        /* registered domains of its hosts */
  const char *const *inbound;        /* glob patterns (fnmatch, any case) of its inbound edge */
  const guint *asns;                 /* its autonomous systems, 0-terminated: a host named under
                                        its domains is its own only from inside them */
  gboolean tenants; /* it relays between its customers' tenants (Microsoft 365): mail from
                       one of its own relays came from the sending tenant, whose hops below
                       say where that one got it */
} MtProvider;

/* The provider whose own host @host is (by registered domain), or NULL. */
const MtProvider *mt_provider_of_host(const char *host);

/* Whether @host is an inbound edge of @p. */
gboolean mt_provider_is_inbound(const MtProvider *p, const char *host);

/* Whether @host is one of @p's own hosts. */
gboolean mt_provider_owns(const MtProvider *p, const char *host);

G_END_DECLS
