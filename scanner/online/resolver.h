/* DNS lookups through libunbound: many queries at once, each with its own timeout, all under
 * one deadline. The answers are what a person would see with `host`. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MT_DNS_PENDING,
  MT_DNS_OK,       /* records of the type asked for */
  MT_DNS_NXDOMAIN, /* the name does not exist */
  MT_DNS_NODATA,   /* the name exists, without records of that type */
  MT_DNS_SERVFAIL, /* the resolver could not answer (SERVFAIL, REFUSED, a broken answer) */
  MT_DNS_TIMEOUT,  /* no answer within the timeout or the deadline */
  MT_DNS_UNUSABLE, /* records came, none a name to show (a PTR with an ESC, the root): a
                      different fact from none at all; @error says what came, escaped */
} MtDnsStatus;

enum { MT_DNS_A = 1, MT_DNS_PTR = 12, MT_DNS_AAAA = 28 };

typedef struct {
  char *name; /* the name asked, for PTR the in-addr.arpa / ip6.arpa name */
  int type;   /* MT_DNS_A, MT_DNS_AAAA, MT_DNS_PTR */
  MtDnsStatus status;
  GStrv answers; /* (nullable) addresses (A, AAAA) or names without the final dot (PTR) */
  guint ttl;     /* seconds the answer may be kept (for a negative one too) */
  char *error;   /* (nullable) with MT_DNS_SERVFAIL or MT_DNS_UNUSABLE: what went wrong */
} MtDnsQuery;

typedef struct _MtResolver MtResolver;

/* Reads the records of an answer to @q (rdata in wire form: @data NULL-terminated, @len each
 * one's length), as libunbound hands them over: addresses for A and AAAA, names for PTR (one
 * holding anything but a host name's characters is refused, and said in @q->error). Sets
 * @q->answers and @q->status. Any bytes a server sends are safe here (tests/fuzz/fuzz-dns.c). */
void mt_dns_take_answers(MtDnsQuery *q, const char *const *data, const int *len);

/* @server: (nullable) "ADDRESS" or "ADDRESS@PORT" of a resolver to forward every query to;
 * NULL: the resolvers of /etc/resolv.conf. Returns: (transfer full) (nullable) */
MtResolver *mt_resolver_new(const char *server, GError **error);
void mt_resolver_free(MtResolver *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtResolver, mt_resolver_free)


/* Returns: (transfer full) a query for @name of @type, not yet asked. */
MtDnsQuery *mt_dns_query_new(const char *name, int type);
void mt_dns_query_free(MtDnsQuery *q);

/* Asks every query of @queries (MtDnsQuery*) at once and waits for their answers until each
 * has one, its @timeout_ms passed, or the monotonic time @deadline (microseconds) came. The
 * queries still unanswered then are MT_DNS_TIMEOUT. */
void mt_resolver_run(MtResolver *r, GPtrArray *queries, guint timeout_ms, gint64 deadline);

/* The reverse name of an address: 21.145.0.173.in-addr.arpa. Returns: (transfer full)
 * (nullable) NULL when @ip is not an address. */
char *mt_dns_reverse_name(const char *ip);

/* "192.0.2.1 has no PTR record" and the like, for notes. */
const char *mt_dns_status_name(MtDnsStatus status);

G_END_DECLS
