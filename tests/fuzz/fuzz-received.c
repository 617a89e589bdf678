#include <stdint.h>

#include "received.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  MtHop *hop = mt_received_parse((const char *)data, size);
  g_free(mt_hop_date_iso(hop != NULL ? hop : &(MtHop){0}));
  mt_hop_free(hop);
  return 0;
}
