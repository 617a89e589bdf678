/* The mailbox table (mailbox.h) over a logged-in libetpan session: what `scan` and `watch` use
 * against a real server. */
#pragma once

#include "imap-session.h"
#include "mailbox.h"

G_BEGIN_DECLS

/* A view of @s as a mailbox; @s must outlive it. Returns: (transfer full) */
MtMailbox *mt_imap_mailbox_new(MtImapSession *s);
void mt_imap_mailbox_free(MtMailbox *mb);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtMailbox, mt_imap_mailbox_free)

G_END_DECLS
