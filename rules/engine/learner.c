#include "learner.h"

#include "domain.h"
#include "mt-limits.h"
#include "relays.h"

char *
mt_content_hash(const char *data, gsize len)
{
  return g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data,
                                     MIN(len, (gsize)MT_MESSAGE_PREFIX_BYTES));
}

/* Counts the registered domain that wrote the message's topmost hop: the user's own relay,
 * for relays.h. */
static gboolean
note_top_relay(MtStore *store, const MtAnalysis *a, GError **error)
{
  const GPtrArray *hops = a->facts->trace->hops;
  for (guint i = 0; i < hops->len; i++) {
    const MtHop *hop = ((const MtTraceHop *)g_ptr_array_index(hops, i))->hop;
    if (hop->skipped || hop->by == NULL)
      continue;
    g_autofree char *domain = mt_registered_domain(hop->by);
    return domain == NULL || mt_relays_note(store, domain, error);
  }
  return TRUE;
}

/* Feedback (--ham, --spam) is the user's word and is taken as it is; without it, a message
 * judged suspicious teaches nothing, so an impostor cannot teach its own fingerprint. */
gboolean
mt_learn_analysis(MtStore *store, const MtAnalysis *a, const char *data, gsize len,
                  MtFeedback feedback, MtLearned *out, GError **error)
{
  g_return_val_if_fail(store != NULL && a != NULL && out != NULL, FALSE);

  if (a->fingerprint->address == NULL) {
    *out = MT_LEARNED_ANONYMOUS;
    return TRUE;
  }
  if (feedback == MT_FEEDBACK_NONE && a->verdict->kind == MT_VERDICT_SUSPICIOUS) {
    *out = MT_LEARNED_SUSPICIOUS;
    return TRUE;
  }
  g_autofree char *hash = mt_content_hash(data, len);
  const char *mid = a->facts->message->message_id;
  MtLearnResult result;
  gboolean ok = feedback == MT_FEEDBACK_NONE
                    ? mt_store_learn(store, a->fingerprint, hash, mid, &result, error)
                    : mt_store_feedback(store, a->fingerprint, hash, mid,
                                        feedback == MT_FEEDBACK_SPAM, &result, error);
  if (!ok)
    return FALSE;
  if (result == MT_LEARN_ADDED && feedback != MT_FEEDBACK_SPAM && !note_top_relay(store, a, error))
    return FALSE;
  *out = result == MT_LEARN_ADDED       ? MT_LEARNED_ADDED
         : result == MT_LEARN_DUPLICATE ? MT_LEARNED_DUPLICATE
                                        : MT_LEARNED_REFUSED;
  return TRUE;
}
