/* What one analysed message teaches the store: the one decision shared by `learn` from files,
 * from IMAP folders, the IMAPSieve hooks and learning on delivery. */
#pragma once

#include "engine.h"

G_BEGIN_DECLS

typedef enum {
  MT_FEEDBACK_NONE, /* ordinary learning: only mail that deserves trust teaches */
  MT_FEEDBACK_HAM,  /* the user says it is genuine: learn it whatever its verdict */
  MT_FEEDBACK_SPAM, /* the user says it is spam: undo what it taught and refuse it later */
} MtFeedback;

typedef enum {
  MT_LEARNED_ADDED,
  MT_LEARNED_DUPLICATE,
  MT_LEARNED_REFUSED,    /* reported as spam before: never learned */
  MT_LEARNED_SUSPICIOUS, /* judged suspicious, not learned without the user's word */
  MT_LEARNED_ANONYMOUS,  /* no sender address to learn for */
} MtLearned;

/* The content hash that identifies a message in the store: SHA-256 of its first
 * MT_MESSAGE_PREFIX_BYTES, the part every front door has (IMAP fetches no more), so that one
 * message has one hash whichever way it was learned. Returns: (transfer full) */
char *mt_content_hash(const char *data, gsize len);

/* @data, @len: the message @a was made from (its hash identifies it).
 * Returns: FALSE with @error set when the store fails. */
gboolean mt_learn_analysis(MtStore *store, const MtAnalysis *a, const char *data, gsize len,
                           MtFeedback feedback, MtLearned *out, GError **error);

G_END_DECLS
