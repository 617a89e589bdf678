/* The DNS questions and answers themselves, apart from the resolver that asks them
 * (resolver.c, in the network module): what the investigation builds, reads and caches in the
 * program, with no libunbound loaded. Declared in resolver.h. */
#include "resolver.h"

#include <arpa/inet.h>
#include <string.h>

#include "mt-limits.h"

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
