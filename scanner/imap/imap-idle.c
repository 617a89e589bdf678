#include "imap-idle.h"

#include <errno.h>
#include <libetpan/libetpan.h>
#include <poll.h>

#include "imap-fetch.h"
#include "mt-error.h"

MtIdleResult
mt_imap_idle(MtImapSession *s, int wake_fd, int timeout_ms, GError **error)
{
  mailimap *imap = mt_imap_handle(s);
  int r = mailimap_idle(imap);
  if (r != MAILIMAP_NO_ERROR) {
    g_propagate_error(error, mt_imap_command_error(s, "IDLE", r));
    return MT_IDLE_ERROR;
  }
  struct pollfd fds[2] = {{.fd = mailimap_idle_get_fd(imap), .events = POLLIN},
                          {.fd = wake_fd, .events = POLLIN}};
  int n;
  do
    n = poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
  while (n < 0 && errno == EINTR); /* a signal's handler writes to @wake_fd: seen next turn */
  int poll_errno = errno;          /* before DONE's own system calls */
  MtIdleResult result = n == 0                    ? MT_IDLE_TIMEOUT
                        : fds[1].revents & POLLIN ? MT_IDLE_WOKEN
                        : n > 0                   ? MT_IDLE_CHANGED
                                                  : MT_IDLE_ERROR;
  /* DONE also reads what the server sent meanwhile (EXISTS...) and the tagged answer. */
  r = mailimap_idle_done(imap);
  if (r != MAILIMAP_NO_ERROR) {
    g_propagate_error(error, mt_imap_command_error(s, "IDLE", r));
    return MT_IDLE_ERROR;
  }
  if (result == MT_IDLE_ERROR)
    g_set_error(error, MT_ERROR, MT_ERROR_CONNECT, "waiting in IDLE: %s", g_strerror(poll_errno));
  return result;
}
