/* What a hostile server's UID FETCH answer becomes (scanner/scan/batch.c): the input is read as a run
 * of answers (UID, size, \Deleted, body length, body); whatever they say, only UIDs asked come
 * out, once each, in order, whole and within the prefix. */
#include <stdint.h>
#include <string.h>

#include "batch.h"
#include "mt-limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  g_autoptr(GArray) asked = g_array_new(FALSE, FALSE, sizeof(guint32));
  for (guint32 uid = 3; uid <= 24; uid += 3)
    g_array_append_val(asked, uid);
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func((GDestroyNotify)mt_fetched_free);
  const char *const flags[] = {"$Suspicious", NULL};
  for (size_t at = 0; at + 4 <= size;) {
    MtImapMessage m = {.uid = data[at] % 32u,
                       .size = data[at + 1],
                       .deleted = data[at + 2] & 1,
                       .flags = (data[at + 2] & 2) ? flags : flags + 1};
    size_t len = MIN((size_t)data[at + 3], size - at - 4);
    m.data = len > 0 || (data[at + 2] & 4) ? (const char *)data + at + 4 : NULL;
    m.len = m.data != NULL ? len : 0;
    g_ptr_array_add(answers, mt_fetched_copy(&m));
    at += 4 + len;
  }
  g_autoptr(GArray) missing = g_array_new(FALSE, FALSE, sizeof(guint32));
  g_autoptr(GPtrArray) out = mt_batch_admit(answers, asked, missing);
  g_assert(out->len + missing->len == asked->len);
  for (guint i = 0; i < out->len; i++) {
    const MtImapMessage *m = g_ptr_array_index(out, i);
    g_assert(m->uid % 3 == 0 && m->uid >= 3 && m->uid <= 24);
    g_assert(i == 0 || m->uid > ((const MtImapMessage *)g_ptr_array_index(out, i - 1))->uid);
    g_assert(m->data != NULL && m->len <= MT_MESSAGE_PREFIX_BYTES);
  }
  return 0;
}
