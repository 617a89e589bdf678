#include "resolver.h"

#include <arpa/inet.h>
#include <poll.h>
#include <string.h>
#include <unbound.h>

#include "mt-error.h"
#include "mt-limits.h"

struct _MtResolver {
  struct ub_ctx *ctx;
};

MtResolver *
mt_resolver_new(const char *server, GError **error)
{
  struct ub_ctx *ctx = ub_ctx_create();
  if (ctx == NULL) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO, "the DNS resolver could not start");
    return NULL;
  }
  int rc = 0;
  /* libunbound forks a process for asynchronous queries unless told to use a thread; and it
   * refuses to query a server on a loopback address, where a site's own resolver often is */
  if ((rc = ub_ctx_async(ctx, 1)) != 0 ||
      (rc = ub_ctx_set_option(ctx, "do-not-query-localhost:", "no")) != 0 ||
      (rc = ub_ctx_set_option(ctx, "verbosity:", "0")) != 0 ||
      (rc = server != NULL ? ub_ctx_set_fwd(ctx, server) : ub_ctx_resolvconf(ctx, NULL)) != 0) {
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "the DNS resolver %s cannot be used: %s",
                server != NULL ? server : "of /etc/resolv.conf", ub_strerror(rc));
    ub_ctx_delete(ctx);
    return NULL;
  }
  MtResolver *r = g_new0(MtResolver, 1);
  r->ctx = ctx;
  return r;
}

void
mt_resolver_free(MtResolver *r)
{
  if (r == NULL)
    return;
  ub_ctx_delete(r->ctx); /* cancels what is still asked */
  g_free(r);
}

MtDnsQuery *
mt_dns_query_new(const char *name, int type)
{
  MtDnsQuery *q = g_new0(MtDnsQuery, 1);
  q->name = g_strdup(name);
  q->type = type;
  return q;
}

void
mt_dns_query_free(MtDnsQuery *q)
{
  if (q == NULL)
    return;
  g_free(q->name);
  g_strfreev(q->answers);
  g_free(q->error);
  g_free(q);
}

/* A name in DNS wire format (RFC 1035 3.1), as in the rdata of a PTR, without compression
 * (rdata handed out by libunbound is decompressed). Returns: (transfer full) (nullable) */
static char *
wire_name(const unsigned char *p, int len)
{
  GString *s = g_string_new(NULL);
  int i = 0;
  while (i < len && p[i] != 0) {
    int n = p[i++];
    if (n > 63 || i + n > len) {
      g_string_free(s, TRUE);
      return NULL;
    }
    if (s->len > 0)
      g_string_append_c(s, '.');
    for (int k = 0; k < n; k++) {
      unsigned char c = p[i + k];
      /* a name is shown to a person: anything outside a host name's characters is refused */
      if (!g_ascii_isalnum(c) && c != '-' && c != '_') {
        g_string_free(s, TRUE);
        return NULL;
      }
      g_string_append_c(s, (char)g_ascii_tolower(c));
    }
    i += n;
  }
  if (s->len == 0) {
    g_string_free(s, TRUE);
    return NULL;
  }
  return g_string_free(s, FALSE);
}

/* A name in wire form as a person may read it, whatever it holds: the characters of a host
 * name as they are, every other byte as \xNN, `.` for the root. */
static char *
wire_shown(const unsigned char *p, int len)
{
  GString *s = g_string_new(NULL);
  for (int i = 0; i < len && p[i] != 0 && s->len < 300;) {
    int label = p[i];
    i++;
    int n = MIN(label, len - i);
    if (s->len > 0)
      g_string_append_c(s, '.');
    for (int k = 0; k < n; k++) {
      unsigned char c = p[i + k];
      if (g_ascii_isalnum(c) || c == '-' || c == '_')
        g_string_append_c(s, (char)c);
      else
        g_string_append_printf(s, "\\x%02x", c);
    }
    i += n;
  }
  if (s->len == 0)
    g_string_append(s, ". (the root)");
  return g_string_free(s, FALSE);
}

typedef struct {
  MtDnsQuery *query;
  int id;
  gboolean asked;
  gint64 give_up; /* monotonic microseconds */
} Pending;

static char *
rcode_name(int rcode)
{
  static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
                                      "REFUSED"};
  return rcode >= 0 && rcode < (int)G_N_ELEMENTS(names) ? (char *)names[rcode] : "an error";
}

void
mt_dns_take_answers(MtDnsQuery *q, const char *const *data, const int *len)
{
  GPtrArray *out = g_ptr_array_new();
  for (int i = 0; data[i] != NULL && out->len < MT_MAX_DNS_ANSWERS; i++) {
    const unsigned char *d = (const unsigned char *)data[i];
    int n = len[i];
    char text[INET6_ADDRSTRLEN];
    if (q->type == MT_DNS_A && n == 4 && inet_ntop(AF_INET, d, text, sizeof text) != NULL)
      g_ptr_array_add(out, g_strdup(text));
    else if (q->type == MT_DNS_AAAA && n == 16 &&
             inet_ntop(AF_INET6, d, text, sizeof text) != NULL)
      g_ptr_array_add(out, g_strdup(text));
    else if (q->type == MT_DNS_PTR) {
      char *name = wire_name(d, n);
      if (name != NULL)
        g_ptr_array_add(out, name);
      else if (q->error == NULL) {
        g_autofree char *shown = wire_shown(d, n);
        q->error = g_strdup_printf("the PTR record holds %s, not a host name", shown);
      }
    }
  }
  g_ptr_array_add(out, NULL);
  q->answers = (GStrv)g_ptr_array_free(out, FALSE);
  q->status = q->answers[0] != NULL ? MT_DNS_OK
              : q->error != NULL    ? MT_DNS_UNUSABLE
                                    : MT_DNS_NODATA;
}

static void
answered(void *data, int err, struct ub_result *result)
{
  Pending *p = data;
  MtDnsQuery *q = p->query;
  p->asked = FALSE;
  if (err != 0 || result == NULL) {
    q->status = MT_DNS_SERVFAIL;
    q->error = g_strdup(ub_strerror(err));
  } else if (result->nxdomain) {
    q->status = MT_DNS_NXDOMAIN;
  } else if (result->rcode != 0) {
    q->status = MT_DNS_SERVFAIL;
    q->error = g_strdup_printf("the resolver answered %s", rcode_name(result->rcode));
  } else if (!result->havedata) {
    q->status = MT_DNS_NODATA;
  } else {
    mt_dns_take_answers(q, (const char *const *)result->data, result->len);
  }
  if (result != NULL) {
    q->ttl = result->ttl > 0 ? (guint)result->ttl : 0;
    ub_resolve_free(result);
  }
}

void
mt_resolver_run(MtResolver *r, GPtrArray *queries, guint timeout_ms, gint64 deadline)
{
  g_return_if_fail(r != NULL && queries != NULL);

  gint64 start = g_get_monotonic_time();
  g_autofree Pending *pending = g_new0(Pending, MAX(queries->len, 1));
  guint waiting = 0;
  for (guint i = 0; i < queries->len; i++) {
    Pending *p = &pending[i];
    p->query = g_ptr_array_index(queries, i);
    p->give_up = MIN(deadline, start + (gint64)timeout_ms * 1000);
    p->query->status = MT_DNS_PENDING;
    int rc = ub_resolve_async(r->ctx, p->query->name, p->query->type, 1 /* IN */, p, answered,
                              &p->id);
    if (rc != 0) {
      p->query->status = MT_DNS_SERVFAIL;
      p->query->error = g_strdup(ub_strerror(rc));
      continue;
    }
    p->asked = TRUE;
    waiting++;
  }
  int fd = ub_fd(r->ctx);
  while (waiting > 0) {
    gint64 now = g_get_monotonic_time();
    gint64 next = G_MAXINT64;
    waiting = 0;
    for (guint i = 0; i < queries->len; i++) {
      Pending *p = &pending[i];
      if (!p->asked)
        continue;
      if (now >= p->give_up) {
        ub_cancel(r->ctx, p->id);
        p->asked = FALSE;
        p->query->status = MT_DNS_TIMEOUT;
        continue;
      }
      next = MIN(next, p->give_up);
      waiting++;
    }
    if (waiting == 0)
      break;
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int ms = (int)MAX((next - now + 999) / 1000, 1);
    if (poll(&pfd, 1, ms) > 0)
      ub_process(r->ctx); /* calls answered() for what arrived */
  }
}

char *
mt_dns_reverse_name(const char *ip)
{
  unsigned char b[16];
  if (inet_pton(AF_INET, ip, b) == 1)
    return g_strdup_printf("%u.%u.%u.%u.in-addr.arpa", b[3], b[2], b[1], b[0]);
  if (inet_pton(AF_INET6, ip, b) != 1)
    return NULL;
  GString *s = g_string_new(NULL);
  for (int i = 15; i >= 0; i--)
    g_string_append_printf(s, "%x.%x.", b[i] & 0xf, b[i] >> 4);
  g_string_append(s, "ip6.arpa");
  return g_string_free(s, FALSE);
}

const char *
mt_dns_status_name(MtDnsStatus status)
{
  switch (status) {
  case MT_DNS_PENDING:
    return "not asked";
  case MT_DNS_OK:
    return "answered";
  case MT_DNS_NXDOMAIN:
    return "no such name";
  case MT_DNS_NODATA:
    return "no record of that type";
  case MT_DNS_SERVFAIL:
    return "the resolver failed";
  case MT_DNS_TIMEOUT:
    return "no answer in time";
  case MT_DNS_UNUSABLE:
    return "an answer that is not a host name";
  }
  return "?";
}
