#include "providers.h"

#include <fnmatch.h>

#include "domain.h"

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ASNS(...) ((const guint[]){__VA_ARGS__, 0})

/* Each row from the provider's own documentation of its headers; the inbound edge is the host
 * in the `by` of the Received line where mail from outside enters. An empty ASN list: a host
 * is judged by its name alone. */
static const MtProvider providers[] = {
    {"Microsoft",
     LIST("outlook.com", "office365.com", "exchangelabs.com", "microsoft.com", "hotmail.com",
          "live.com", "msn.com", "outlook.de"),
     LIST("*.mail.protection.outlook.com", "*.mail.eo.outlook.com", "*.mx.microsoft"),
     ASNS(8075, 8068, 8069), TRUE},
    {"Google", LIST("google.com", "1e100.net", "gmail.com", "googlemail.com"),
     LIST("mx.google.com", "*.mx.google.com"), ASNS(15169, 19527)},
    {"Yahoo", LIST("yahoo.com", "yahoodns.net", "aol.com", "yahoo.net", "aol.net"),
     LIST("mta*.mail.*.yahoo.com", "*.mx.aol.com", "mtaproxy*.aol.mail.*.yahoo.com"),
     ASNS(36646, 34010, 26101, 10310, 1668)},
    {"Apple", LIST("icloud.com", "me.com", "mac.com", "apple.com"),
     LIST("mx*.mail.icloud.com", "*.mail.icloud.com", "*.me.com"), ASNS(714, 6185)},
    {"Fastmail", LIST("messagingengine.com", "fastmail.com", "fastmail.fm"),
     LIST("mx*.messagingengine.com"), ASNS(0)},
    {"Proton", LIST("protonmail.ch", "proton.me", "protonmail.com", "pm.me"),
     LIST("mailin*.protonmail.ch", "mail*.protonmail.ch"), ASNS(62371)},
    {"GMX and WEB.DE", LIST("gmx.net", "gmx.com", "gmx.de", "web.de", "1and1.com", "ui-portal.de"),
     LIST("mx*.gmx.net", "mx*.gmx.com", "mx*.web.de", "mx-ha*.gmx.net", "mx-ha*.web.de"),
     ASNS(8560)},
    {"Zoho", LIST("zoho.com", "zohomail.com", "zoho.eu", "zoho.in"),
     LIST("mx*.zoho.com", "mx*.zohomail.com", "mx*.zoho.eu", "mx.zoho.in"), ASNS(2639)},
    {"Yandex", LIST("yandex.net", "yandex.ru", "yandex.com"),
     LIST("mx*.mail.yandex.net", "mxfront*.mail.yandex.net"), ASNS(13238, 208722)},
    {"Mail.ru", LIST("mail.ru"), LIST("mx*.mail.ru", "*.mx.mail.ru"), ASNS(47764)},
};

const MtProvider *
mt_provider_of_host(const char *host)
{
  g_autofree char *reg = mt_registered_domain(host);
  if (reg == NULL)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS(providers); i++)
    for (const char *const *d = providers[i].domains; *d != NULL; d++)
      if (g_ascii_strcasecmp(reg, *d) == 0)
        return &providers[i];
  return NULL;
}

gboolean
mt_provider_owns(const MtProvider *p, const char *host)
{
  return p != NULL && host != NULL && mt_provider_of_host(host) == p;
}

gboolean
mt_provider_is_inbound(const MtProvider *p, const char *host)
{
  if (p == NULL || host == NULL)
    return FALSE;
  for (const char *const *g = p->inbound; *g != NULL; g++)
    if (fnmatch(*g, host, FNM_CASEFOLD) == 0)
      return TRUE;
  return FALSE;
}
