/* RDAP answers come from servers on the network: whatever they send is read as a domain, as a
 * network and as a bootstrap file without a crash. */
#include <stdint.h>

#include "rdap-bootstrap.h"
#include "rdap-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *text = (const char *)data;
  MtRdapDomain d;
  if (mt_rdap_parse_domain(text, size, &d, NULL))
    mt_rdap_domain_clear(&d);
  MtRdapNetwork n;
  if (mt_rdap_parse_network(text, size, &n, NULL))
    mt_rdap_network_clear(&n);
  MtRdapBootstrap *b = mt_rdap_bootstrap_new();
  if (mt_rdap_bootstrap_parse(b, "ipv4", text, size, NULL))
    (void)mt_rdap_bootstrap_ip(b, "192.0.2.1");
  if (mt_rdap_bootstrap_parse(b, "dns", text, size, NULL))
    (void)mt_rdap_bootstrap_domain(b, "mail.example.com");
  mt_rdap_bootstrap_free(b);
  return 0;
}
