#include "ipaddr.h"

#include <gio/gio.h>
#include <string.h>

struct _MtCidr {
  GInetAddressMask *mask;
};

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
  g_autoptr(GInetAddress) addr = g_inet_address_new_from_string(bare);
  if (addr == NULL)
    return NULL;
  if (g_inet_address_get_family(addr) == G_SOCKET_FAMILY_IPV6) {
    const guint8 *b = g_inet_address_to_bytes(addr);
    static const guint8 mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(b, mapped, sizeof mapped) == 0)
      return g_strdup_printf("%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
  }
  return g_inet_address_to_string(addr);
}

static GInetAddress *
parse_canonical(const char *ip)
{
  if (ip == NULL)
    return NULL;
  return g_inet_address_new_from_string(ip);
}

gboolean
mt_ip_is_loopback(const char *ip)
{
  g_autoptr(GInetAddress) addr = parse_canonical(ip);
  return addr != NULL && g_inet_address_get_is_loopback(addr);
}

gboolean
mt_ip_is_private(const char *ip)
{
  g_autoptr(GInetAddress) addr = parse_canonical(ip);
  if (addr == NULL)
    return FALSE;
  if (g_inet_address_get_is_loopback(addr) || g_inet_address_get_is_link_local(addr) ||
      g_inet_address_get_is_site_local(addr) || g_inet_address_get_is_any(addr))
    return TRUE;
  const guint8 *b = g_inet_address_to_bytes(addr);
  if (g_inet_address_get_family(addr) == G_SOCKET_FAMILY_IPV4)
    return b[0] == 100 && (b[1] & 0xc0) == 64; /* RFC 6598 carrier-grade NAT */
  return (b[0] & 0xfe) == 0xfc;                /* RFC 4193 unique local */
}

MtCidr *
mt_cidr_parse(const char *text)
{
  g_return_val_if_fail(text != NULL, NULL);

  g_autoptr(GInetAddressMask) mask = g_inet_address_mask_new_from_string(text, NULL);
  if (mask == NULL)
    return NULL;
  MtCidr *cidr = g_new0(MtCidr, 1);
  cidr->mask = g_steal_pointer(&mask);
  return cidr;
}

gboolean
mt_cidr_contains(const MtCidr *cidr, const char *ip)
{
  g_return_val_if_fail(cidr != NULL, FALSE);

  g_autoptr(GInetAddress) addr = parse_canonical(ip);
  return addr != NULL && g_inet_address_mask_matches(cidr->mask, addr);
}

void
mt_cidr_free(MtCidr *cidr)
{
  if (cidr == NULL)
    return;
  g_object_unref(cidr->mask);
  g_free(cidr);
}
