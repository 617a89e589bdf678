#include "ipaddr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

/* An address as bytes: 4 for IPv4, 16 for IPv6. libc's inet_pton, not GIO's objects: this runs
 * for every hop of every message, and the filter should not load GIO at all. */
typedef struct {
  int family;
  guint8 b[16];
} Addr;

struct _MtCidr {
  Addr net;
  guint bits;
};

static gboolean
addr_parse(const char *text, Addr *a)
{
  if (text == NULL)
    return FALSE;
  if (inet_pton(AF_INET, text, a->b) == 1) {
    a->family = AF_INET;
    return TRUE;
  }
  if (inet_pton(AF_INET6, text, a->b) == 1) {
    a->family = AF_INET6;
    return TRUE;
  }
  return FALSE;
}

static guint
addr_len(const Addr *a)
{
  return a->family == AF_INET ? 4 : 16;
}

/* Strips what surrounds an address in Received headers: brackets, the RFC 5321 `IPv6:` tag,
 * a zone id (`fe80::1%9` in Microsoft 365 headers) and a port (`[192.0.2.1]:41986` in Exim's). */
static char *
strip_decorations(const char *text, gsize len)
{
  const char *p = text, *end = text + len;

  while (p < end && g_ascii_isspace(*p))
    p++;
  while (end > p && g_ascii_isspace(end[-1]))
    end--;
  if (p < end && *p == '[') {
    const char *close = memchr(p, ']', end - p);
    if (close == NULL)
      return NULL;
    p++;
    end = close;
  }
  if (end - p > 5 && g_ascii_strncasecmp(p, "IPv6:", 5) == 0)
    p += 5;
  const char *zone = memchr(p, '%', end - p);
  if (zone != NULL)
    end = zone;
  /* One colon: IPv4 with a port. More than one: IPv6, left alone. */
  const char *colon = memchr(p, ':', end - p);
  if (colon != NULL && memchr(colon + 1, ':', end - colon - 1) == NULL)
    end = colon;
  if (p >= end || end - p > 64)
    return NULL;
  return g_strndup(p, end - p);
}

char *
mt_ip_normalize(const char *text, gsize len)
{
  g_return_val_if_fail(text != NULL || len == 0, NULL);

  g_autofree char *bare = strip_decorations(text, len);
  if (bare == NULL)
    return NULL;
  for (const char *c = bare; *c; c++)
    if (!g_ascii_isxdigit(*c) && *c != '.' && *c != ':')
      return NULL;
  Addr addr;
  if (!addr_parse(bare, &addr))
    return NULL;
  static const guint8 mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (addr.family == AF_INET6 && memcmp(addr.b, mapped, sizeof mapped) == 0)
    return g_strdup_printf("%u.%u.%u.%u", addr.b[12], addr.b[13], addr.b[14], addr.b[15]);
  char out[INET6_ADDRSTRLEN];
  return inet_ntop(addr.family, addr.b, out, sizeof out) != NULL ? g_strdup(out) : NULL;
}

gboolean
mt_ip_is_loopback(const char *ip)
{
  Addr a;
  if (!addr_parse(ip, &a))
    return FALSE;
  static const guint8 one[16] = {[15] = 1};
  return a.family == AF_INET ? a.b[0] == 127 : memcmp(a.b, one, 16) == 0;
}

gboolean
mt_ip_is_private(const char *ip)
{
  Addr a;
  if (!addr_parse(ip, &a))
    return FALSE;
  const guint8 *b = a.b;
  if (a.family == AF_INET)
    return b[0] == 127 || b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) ||
           (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) ||
           (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) ||
           (b[0] == 100 && (b[1] & 0xc0) == 64); /* RFC 6598 carrier-grade NAT */
  static const guint8 zero[16] = {0};
  if (mt_ip_is_loopback(ip) || memcmp(b, zero, 16) == 0)
    return TRUE;
  return (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || /* link-local */
         (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) || /* the old site-local */
         (b[0] & 0xfe) == 0xfc;                     /* RFC 4193 unique local */
}

/* Whether the first @bits bits of @a and @b agree. */
static gboolean
same_prefix(const guint8 *a, const guint8 *b, guint bits)
{
  guint whole = bits / 8, rest = bits % 8;
  if (memcmp(a, b, whole) != 0)
    return FALSE;
  guint8 mask = (guint8)(0xff << (8 - rest));
  return rest == 0 || ((a[whole] ^ b[whole]) & mask) == 0;
}

MtCidr *
mt_cidr_parse(const char *text)
{
  g_return_val_if_fail(text != NULL, NULL);

  const char *slash = strchr(text, '/');
  g_autofree char *ip = g_strndup(text, slash != NULL ? (gsize)(slash - text) : strlen(text));
  Addr net;
  if (!addr_parse(ip, &net))
    return NULL;
  guint bits = addr_len(&net) * 8;
  if (slash != NULL) {
    char *end = (char *)"";
    unsigned long n = slash[1] != '\0' && g_ascii_isdigit(slash[1]) ? strtoul(slash + 1, &end, 10) : 999;
    if (n > bits || *end != '\0')
      return NULL;
    bits = (guint)n;
  }
  static const guint8 zero[16] = {0};
  guint8 host[16];
  memcpy(host, net.b, sizeof host);
  for (guint i = 0; i < addr_len(&net) * 8; i++) /* bits set past the prefix: a typo */
    if (i < bits)
      host[i / 8] &= (guint8) ~(0x80 >> (i % 8));
  if (memcmp(host, zero, addr_len(&net)) != 0)
    return NULL;
  MtCidr *cidr = g_new0(MtCidr, 1);
  cidr->net = net;
  cidr->bits = bits;
  return cidr;
}

gboolean
mt_cidr_contains(const MtCidr *cidr, const char *ip)
{
  g_return_val_if_fail(cidr != NULL, FALSE);

  Addr a;
  return addr_parse(ip, &a) && a.family == cidr->net.family &&
         same_prefix(a.b, cidr->net.b, cidr->bits);
}

void
mt_cidr_free(MtCidr *cidr)
{
  g_free(cidr);
}
