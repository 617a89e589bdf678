/* One IMAP connection through libetpan, made safe: a timeout on connect and on every command,
 * the server certificate verified (chain and name, with GnuTLS, since Debian's libetpan
 * verifies nothing) before any credential is sent, capabilities re-read after STARTTLS.
 * The only module, with imap-*.c, that includes libetpan. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MT_IMAP_TLS,      /* implicit TLS (imaps, port 993) */
  MT_IMAP_STARTTLS, /* plain connection upgraded before login (port 143) */
  MT_IMAP_PLAIN,    /* no encryption: only when the user wrote insecure = true */
} MtImapSecurity;

typedef struct _MtImapSession MtImapSession;

/* Connects and, unless @security is MT_IMAP_PLAIN, verifies the certificate against @ca_file
 * (NULL: the system trust store) and @host. @timeout: seconds for connect and each command.
 * Returns: (transfer full) (nullable): NULL with @error (MT_ERROR_CONNECT, MT_ERROR_TLS). */
MtImapSession *mt_imap_connect(const char *host, guint16 port, MtImapSecurity security,
                               const char *ca_file, guint timeout, GError **error);

/* LOGIN. @password is never logged nor put into @error. */
gboolean mt_imap_login(MtImapSession *s, const char *user, const char *password, GError **error);

/* The host connected to, for messages. */
const char *mt_imap_host(MtImapSession *s);

/* After a login by another way than LOGIN (imap-oauth.h): rereads the capabilities, which
 * only show MOVE, UIDPLUS and co. once logged in. */
void mt_imap_logged_in(MtImapSession *s);

/* Whether the server announced @capability (e.g. "MOVE", "UIDPLUS", "IDLE"). */
gboolean mt_imap_has(MtImapSession *s, const char *capability);

void mt_imap_session_free(MtImapSession *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtImapSession, mt_imap_session_free)

/* The connection broke (a command failed with MAILIMAP_ERROR_STREAM): nothing more is sent,
 * not even LOGOUT. */
void mt_imap_session_lost(MtImapSession *s);

/* The libetpan handle, for the other imap-*.c modules. Returns: (transfer none) */
struct mailimap *mt_imap_handle(MtImapSession *s);

/* The versions of libetpan and GnuTLS in use, "libetpan X.Y, GnuTLS Z".
 * Returns: (transfer full) */
char *mt_imap_library_versions(void);

G_END_DECLS
