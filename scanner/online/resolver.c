#include "resolver.h"

#include <poll.h>
#include <unbound.h>

#include "mt-error.h"

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

