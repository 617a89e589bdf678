/* One UID FETCH answer made safe to act on. A server is not trusted: it may answer for UIDs
 * never asked, answer twice for one UID, or leave some out (Dovecot's partial FETCH with
 * `NO [SERVERBUG]`). Only what was asked, came back whole and is unambiguous is judged. */
#pragma once

#include "mailbox.h"

G_BEGIN_DECLS

/* A copy of @m that owns its data and flags. Returns: (transfer full) */
MtImapMessage *mt_fetched_copy(const MtImapMessage *m);
void mt_fetched_free(MtImapMessage *m);

/* From @answers (MtImapMessage* owned copies, in the order received; the ones returned are
 * taken out of it, not copied, and their places left NULL), the messages to judge:
 * only UIDs in @asked (ascending), one per UID in UID order. Two answers for one UID are merged
 * (flags joined) when they do not disagree about the message; when they do, the UID is refused.
 * Each UID of @asked that is not returned (never answered, not whole, or refused) is appended to
 * @missing. A message's data is cut to MT_MESSAGE_PREFIX_BYTES.
 * Returns: (transfer full): MtImapMessage*, owned. */
GPtrArray *mt_batch_admit(GPtrArray *answers, GArray *asked, GArray *missing);

G_END_DECLS
