#include <stdint.h>

#include "authres.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  mt_authres_free(mt_authres_parse((const char *)data, size));
  return 0;
}
