/* A DNS answer's records from a hostile server (scanner/online/resolver.c): the first byte
 * picks the type asked (A, AAAA or PTR), then each record is a length byte and that many bytes
 * of rdata, as libunbound hands them over. */
#include <stdint.h>
#include <string.h>

#include "resolver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size == 0)
    return 0;
  static const int types[] = {MT_DNS_A, MT_DNS_AAAA, MT_DNS_PTR};
  MtDnsQuery q = {.name = "fuzz.example", .type = types[data[0] % 3]};
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GArray) lens = g_array_new(FALSE, FALSE, sizeof(int));
  for (size_t i = 1; i < size;) {
    int n = MIN((int)data[i], (int)(size - i - 1));
    g_ptr_array_add(records, g_memdup2(data + i + 1, (gsize)n));
    g_array_append_val(lens, n);
    i += 1 + (size_t)n;
  }
  g_ptr_array_add(records, NULL);
  mt_dns_take_answers(&q, (const char *const *)records->pdata, (const int *)lens->data);
  for (guint i = 0; q.answers != NULL && q.answers[i] != NULL; i++)
    g_assert(g_utf8_validate(q.answers[i], -1, NULL) && strchr(q.answers[i], '\033') == NULL);
  if (q.error != NULL)
    g_assert(strchr(q.error, '\033') == NULL && strchr(q.error, '\n') == NULL);
  g_strfreev(q.answers);
  g_free(q.error);
  return 0;
}
