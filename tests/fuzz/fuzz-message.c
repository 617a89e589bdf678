/* A whole message through the engine: MIME, Received chain, trace, checks. */
#include <stdint.h>

#include "engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static MtEngine *engine = NULL;
  if (engine == NULL) {
    g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
    MtConfig *cfg = mt_config_load("/dev/null", "/dev/null", w, NULL);
    g_assert(cfg != NULL);
    engine = mt_engine_new(cfg, MT_STORE_NONE, w, NULL);
  }
  mt_analysis_free(mt_analyse(engine, (const char *)data, size));
  return 0;
}
