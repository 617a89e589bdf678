/* Logging in with an OAuth 2.0 access token: XOAUTH2 (Google's and Microsoft's) through
 * libetpan's mailimap_oauth2_authenticate(), and OAUTHBEARER (RFC 7628) as AUTHENTICATE with
 * an initial response (RFC 4959 SASL-IR), which libetpan has no function for. The token comes
 * from the user's helper (oama, pizauth, mutt_oauth2.py): mailtrace keeps no client secret and
 * refreshes nothing. */
#pragma once

#include "imap-session.h"

G_BEGIN_DECLS

typedef enum {
  MT_IMAP_AUTH_PASSWORD,    /* LOGIN */
  MT_IMAP_AUTH_XOAUTH2,     /* AUTHENTICATE XOAUTH2 */
  MT_IMAP_AUTH_OAUTHBEARER, /* AUTHENTICATE OAUTHBEARER (RFC 7628) */
} MtImapAuth;

/* "password", "xoauth2", "oauthbearer". */
const char *mt_imap_auth_name(MtImapAuth auth);

/* The SASL mechanism's name as the server lists it (AUTH=XOAUTH2), NULL for LOGIN. */
const char *mt_imap_auth_mechanism(MtImapAuth auth);

/* The client's first message, before base64: XOAUTH2 `user=U^Aauth=Bearer T^A^A`, OAUTHBEARER
 * `n,a=U,^Aauth=Bearer T^A^A` (a ',' or '=' in U written =2C, =3D). Returns: (transfer full) */
char *mt_imap_xoauth2_message(const char *user, const char *token);
char *mt_imap_oauthbearer_message(const char *user, const char *token);

/* Whether @token may be sent: printable ASCII only (RFC 6750's b64token and more), no blank. A
 * token with a line break or another control byte is refused before anything is sent. */
gboolean mt_imap_token_is_sendable(const char *token);

/* Logs in as @user with @token by @auth (XOAUTH2 or OAUTHBEARER), offered only when the
 * server lists the mechanism (else MT_ERROR_AUTH, nothing sent). On a refusal of the token,
 * @error (MT_ERROR_TOKEN) quotes the server's decoded
 * error (RFC 7628 section 3.2.2: JSON with status, scope, schemes). The token is never logged
 * nor put into @error. */
gboolean mt_imap_authenticate_token(MtImapSession *s, MtImapAuth auth, const char *user,
                                    const char *token, GError **error);

G_END_DECLS
