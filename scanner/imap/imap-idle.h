/* Waiting for new mail in the selected folder with IMAP IDLE (RFC 2177). */
#pragma once

#include "imap-session.h"

G_BEGIN_DECLS

typedef enum {
  MT_IDLE_CHANGED, /* the server said something: new mail, expunges, flags */
  MT_IDLE_TIMEOUT, /* @timeout_ms passed: the caller re-IDLEs (servers drop idlers at 30 min) */
  MT_IDLE_WOKEN,   /* @wake_fd became readable (a signal) */
  MT_IDLE_ERROR,   /* see @error: MT_ERROR_CONNECT when the connection is gone */
} MtIdleResult;

/* IDLE, wait for one of the above, then DONE. The server must have IDLE. */
MtIdleResult mt_imap_idle(MtImapSession *s, int wake_fd, int timeout_ms, GError **error);

G_END_DECLS
