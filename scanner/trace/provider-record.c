#include "provider-record.h"

#include <string.h>

#include "ipaddr.h"

/* The address written after @marker in @text (any case), up to a blank, `)` or `;`. */
static char *
ip_after(const char *text, const char *marker)
{
  g_autofree char *lower = g_ascii_strdown(text, -1);
  const char *at = strstr(lower, marker);
  if (at == NULL)
    return NULL;
  const char *p = text + (at - lower) + strlen(marker);
  while (*p == ' ' || *p == '[')
    p++;
  gsize n = strcspn(p, " \t\r\n);]");
  return mt_ip_normalize(p, n);
}

/* The connecting address one header of the provider's names, if any. */
static char *
recorded_ip(const MtHeader *h)
{
  static const struct {
    const char *header, *marker;
  } says[] = {
      {"Authentication-Results", "sender ip is "},
      {"Authentication-Results", "designates "},
      {"ARC-Authentication-Results", "sender ip is "},
      {"ARC-Authentication-Results", "designates "},
      {"Received-SPF", "client-ip="},
      {"Received-SPF", "designates "},
      {"X-Forefront-Antispam-Report", "cip:"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(says); i++)
    if (g_ascii_strcasecmp(h->name, says[i].header) == 0) {
      char *ip = ip_after(h->value, says[i].marker);
      if (ip != NULL)
        return ip;
    }
  return NULL;
}

static char *
forefront_country(const char *value)
{
  g_autofree char *lower = g_ascii_strdown(value, -1);
  const char *at = strstr(lower, "ctry:");
  if (at == NULL || (at != lower && at[-1] != ';' && at[-1] != ' '))
    return NULL;
  const char *p = value + (at - lower) + 5;
  if (!g_ascii_isalpha(p[0]) || !g_ascii_isalpha(p[1]) || g_ascii_isalnum(p[2]))
    return NULL;
  return g_ascii_strup(p, 2);
}

/* The original sender another tenant of the provider recorded, from one header. */
static void
read_original(MtProviderRecord *r, const MtHeader *h)
{
  if (r->original_ip == NULL &&
      g_ascii_strcasecmp(h->name, "X-MS-Exchange-CrossTenant-OriginalAttributedTenantConnectingIp") == 0)
    r->original_ip = ip_after(h->value, "ip=");
  if (r->original_ip == NULL &&
      g_ascii_strcasecmp(h->name, "X-MS-Exchange-Authentication-Results") == 0)
    r->original_ip = ip_after(h->value, "sender ip is ");
  if (g_ascii_strcasecmp(h->name, "X-Forefront-Antispam-Report-Untrusted") == 0) {
    g_autofree char *cip = ip_after(h->value, "cip:");
    if (r->original_ip == NULL)
      r->original_ip = g_steal_pointer(&cip);
    if (r->original_country == NULL && (cip == NULL || g_strcmp0(cip, r->original_ip) == 0))
      r->original_country = forefront_country(h->value);
  }
}

static const MtHop *
hop_of(const MtTrace *trace, int i)
{
  return ((const MtTraceHop *)g_ptr_array_index(trace->hops, (guint)i))->hop;
}

/* The provider of the topmost `by` that names a host, and the lowest hop of the run of hops
 * from the top that it wrote. */
static const MtProvider *
top_provider(const MtTrace *trace, int *run_end)
{
  const MtProvider *p = NULL;
  *run_end = -1;
  for (guint i = 0; i < trace->hops->len; i++) {
    const char *by = hop_of(trace, (int)i)->by;
    gboolean anonymous = FALSE;
    {
      g_autofree char *ip = by != NULL ? mt_ip_normalize(by, strlen(by)) : NULL;
      anonymous = by == NULL || ip != NULL;
    }
    if (anonymous) {
      *run_end = (int)i;
      continue;
    }
    const MtProvider *owner = mt_provider_of_host(by);
    if (p == NULL)
      p = owner;
    if (owner == NULL || owner != p)
      break;
    *run_end = (int)i;
  }
  return p;
}

/* The index in @msg->headers of Received header number @k, or the count of headers. */
static guint
received_position(const MtMessage *msg, guint k)
{
  for (guint i = 0, seen = 0; i < msg->headers->len; i++) {
    const MtHeader *h = g_ptr_array_index(msg->headers, i);
    if (g_ascii_strcasecmp(h->name, "Received") == 0 && seen++ == k)
      return i;
  }
  return msg->headers->len;
}

/* The position of the first Received header below position @pos, or the count of headers. */
static guint
next_received(const MtMessage *msg, guint pos)
{
  for (guint i = pos + 1; i < msg->headers->len; i++)
    if (g_ascii_strcasecmp(((const MtHeader *)g_ptr_array_index(msg->headers, i))->name,
                           "Received") == 0)
      return i;
  return msg->headers->len;
}

MtProviderRecord *
mt_provider_record(const MtMessage *msg, const MtTrace *trace)
{
  g_return_val_if_fail(msg != NULL && trace != NULL, NULL);

  MtProviderRecord *r = g_new0(MtProviderRecord, 1);
  r->edge = -1;
  int run_end;
  r->provider = top_provider(trace, &run_end);
  if (r->provider == NULL)
    return r;
  for (guint i = 0; i < trace->hops->len && r->edge < 0; i++)
    if (mt_provider_is_inbound(r->provider, hop_of(trace, (int)i)->by))
      r->edge = (int)i;
  int last = r->edge >= 0 ? r->edge : run_end;
  if (last < 0)
    return r;
  /* The provider writes above its edge's Received line and, some of them, just below it. */
  const MtTraceHop *th = g_ptr_array_index(trace->hops, (guint)last);
  r->zone_end = next_received(msg, received_position(msg, th->received_index));
  for (guint i = 0; i < r->zone_end; i++) {
    const MtHeader *h = g_ptr_array_index(msg->headers, i);
    if (r->sender_ip == NULL && (r->sender_ip = recorded_ip(h)) != NULL)
      r->sender_ip_from = h->name;
    if (r->country == NULL && g_ascii_strcasecmp(h->name, "X-Forefront-Antispam-Report") == 0)
      r->country = forefront_country(h->value);
    read_original(r, h);
  }
  return r;
}

void
mt_provider_record_free(MtProviderRecord *r)
{
  if (r == NULL)
    return;
  g_free(r->sender_ip);
  g_free(r->country);
  g_free(r->original_ip);
  g_free(r->original_country);
  g_free(r);
}

/* Whether the authserv-id that starts @value is a host of @p. */
static gboolean
id_owned_by(const char *value, const MtProvider *p)
{
  while (*value == ' ' || *value == '\t')
    value++;
  g_autofree char *id = g_strndup(value, strcspn(value, "; \t\r\n"));
  return strchr(id, '=') == NULL && mt_provider_owns(p, id);
}

GPtrArray *
mt_provider_authres(const MtMessage *msg, const MtProviderRecord *r)
{
  GPtrArray *out = g_ptr_array_new();
  for (guint i = 0; i < msg->headers->len; i++) {
    const MtHeader *h = g_ptr_array_index(msg->headers, i);
    if (g_ascii_strcasecmp(h->name, "Authentication-Results") != 0)
      continue;
    /* Its own authserv-id counts wherever it stands: RFC 8601 section 5 has it remove
     * forgeries of that id from incoming mail. Any other only in its part of the block. */
    if (r->provider == NULL || i < r->zone_end || id_owned_by(h->value, r->provider))
      g_ptr_array_add(out, h->value); /* decoded: some relays encode the whole field */
  }
  return out;
}

gboolean
mt_provider_record_agrees(const MtProviderRecord *r, const MtTraceHop *origin)
{
  return r->sender_ip != NULL && origin != NULL && g_strcmp0(origin->hop->ip, r->sender_ip) == 0;
}
