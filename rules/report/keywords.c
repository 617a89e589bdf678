#include "keywords.h"

#include <string.h>

gboolean
mt_keyword_prefix_is_valid(const char *prefix)
{
  g_autofree char *probe = g_strconcat(prefix, "x", NULL);
  return strlen(prefix) <= 32 && mt_keyword_is_atom(probe);
}

GStrv
mt_verdict_codes(const MtVerdict *v)
{
  g_return_val_if_fail(v != NULL, NULL);

  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < v->reasons->len; i++) {
    const MtReason *r = g_ptr_array_index(v->reasons, i);
    /* a reason explained away is left out; one weighing nothing by choice (first-contact)
     * is still a fact to show */
    if (r->weight >= 0 && r->explained_by == NULL && g_hash_table_add(seen, r->code))
      g_strv_builder_add(b, r->code);
  }
  return g_strv_builder_end(b);
}

GStrv
mt_verdict_keywords(const MtVerdict *v, const char *prefix)
{
  g_return_val_if_fail(v != NULL && prefix != NULL, NULL);

  g_auto(GStrv) codes = mt_verdict_codes(v);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  g_strv_builder_add(b, MT_KEYWORD_SUSPICIOUS);
  for (guint i = 0; codes[i] != NULL; i++) {
    g_autofree char *kw = g_strconcat(prefix, codes[i], NULL);
    if (!mt_keyword_is_atom(kw))
      return NULL;
    g_strv_builder_add(b, kw);
  }
  return g_strv_builder_end(b);
}
