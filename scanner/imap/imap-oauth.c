#include "imap-oauth.h"

#include <libetpan/libetpan.h>
#include <string.h>

#include "escape.h"
#include "mt-error.h"

const char *
mt_imap_auth_name(MtImapAuth auth)
{
  switch (auth) {
  case MT_IMAP_AUTH_XOAUTH2:
    return "xoauth2";
  case MT_IMAP_AUTH_OAUTHBEARER:
    return "oauthbearer";
  case MT_IMAP_AUTH_PASSWORD:
    break;
  }
  return "password";
}

const char *
mt_imap_auth_mechanism(MtImapAuth auth)
{
  return auth == MT_IMAP_AUTH_XOAUTH2       ? "XOAUTH2"
         : auth == MT_IMAP_AUTH_OAUTHBEARER ? "OAUTHBEARER"
                                            : NULL;
}

char *
mt_imap_xoauth2_message(const char *user, const char *token)
{
  return g_strdup_printf("user=%s\001auth=Bearer %s\001\001", user, token);
}

char *
mt_imap_oauthbearer_message(const char *user, const char *token)
{
  /* RFC 5801's saslname: ',' and '=' are escaped in the authorization identity */
  GString *name = g_string_new(NULL);
  for (const char *p = user; *p != '\0'; p++) {
    if (*p == ',')
      g_string_append(name, "=2C");
    else if (*p == '=')
      g_string_append(name, "=3D");
    else
      g_string_append_c(name, *p);
  }
  char *msg = g_strdup_printf("n,a=%s,\001auth=Bearer %s\001\001", name->str, token);
  g_string_free(name, TRUE);
  return msg;
}

gboolean
mt_imap_token_is_sendable(const char *token)
{
  if (token == NULL || *token == '\0')
    return FALSE;
  for (const unsigned char *p = (const unsigned char *)token; *p != '\0'; p++)
    if (*p <= 0x20 || *p >= 0x7f)
      return FALSE;
  return TRUE;
}

/* What the server said in its continuation while the token was refused, kept for the error:
 * RFC 7628's error is base64 JSON ({"status":"invalid_token","scope":...}). Bounded: a server
 * may send a megabyte there. */
#define MAX_KEPT_ERROR 4096

typedef struct {
  GString *received; /* the bytes received while authenticating, up to MAX_KEPT_ERROR */
  gsize total;
} Capture;

static void
capture_received(mailimap *imap, int log_type, const char *str, size_t size, void *context)
{
  (void)imap;
  Capture *c = context;
  if (log_type != MAILSTREAM_LOG_TYPE_DATA_RECEIVED || str == NULL)
    return;
  c->total += size;
  if (c->received->len < MAX_KEPT_ERROR)
    g_string_append_len(c->received, str, (gssize)MIN(size, MAX_KEPT_ERROR - c->received->len));
}

/* The server's error from a `+ BASE64` continuation in @received, decoded and made safe for a
 * terminal. Returns: (transfer full) (nullable) */
static char *
server_error(const GString *received, gsize total)
{
  const char *plus = received->len >= 2 && strncmp(received->str, "+ ", 2) == 0
                         ? received->str
                         : strstr(received->str, "\n+ ");
  if (plus == NULL)
    return NULL;
  if (*plus == '\n')
    plus++;
  plus += 2;
  gsize n = strcspn(plus, "\r\n");
  if (total > MAX_KEPT_ERROR && plus[n] == '\0')
    return g_strdup_printf("an error of %" G_GSIZE_FORMAT " bytes, too long to show", total);
  g_autofree char *b64 = g_strndup(plus, n);
  gsize len = 0;
  g_autofree guchar *raw = g_base64_decode(b64, &len);
  g_autofree char *text = g_strndup((const char *)raw, len);
  if (raw == NULL || len == 0 || !g_utf8_validate(text, -1, NULL))
    return mt_escape_controls(b64);
  return mt_escape_controls(text);
}

/* OAUTHBEARER with an initial response; on a continuation (the error), RFC 7628's dummy
 * response %x01, then the tagged answer. libetpan's own sending and parsing, as its XOAUTH2
 * does. */
static int
oauthbearer(mailimap *imap, const char *message)
{
  g_autofree char *b64 = g_base64_encode((const guchar *)message, strlen(message));
  g_autofree char *line = g_strdup_printf("AUTHENTICATE OAUTHBEARER %s\r\n", b64);
  mailstream_set_privacy(imap->imap_stream, 0);
  int r = mailimap_send_current_tag(imap);
  if (r == MAILIMAP_NO_ERROR &&
      (mailstream_write(imap->imap_stream, line, strlen(line)) < 0 ||
       mailstream_flush(imap->imap_stream) < 0))
    r = MAILIMAP_ERROR_STREAM;
  mailstream_set_privacy(imap->imap_stream, 1);
  if (r != MAILIMAP_NO_ERROR)
    return r;
  const char *first = mailimap_read_line(imap);
  if (first == NULL)
    return MAILIMAP_ERROR_STREAM;
  if (strncmp(first, "+", 1) == 0) {
    static const char dummy[] = "AQ==\r\n";
    if (mailstream_write(imap->imap_stream, dummy, strlen(dummy)) < 0 ||
        mailstream_flush(imap->imap_stream) < 0)
      return MAILIMAP_ERROR_STREAM;
  }
  struct mailimap_response *response = NULL;
  r = mailimap_parse_response(imap, &response);
  if (r != MAILIMAP_NO_ERROR)
    return r;
  int state = response->rsp_resp_done->rsp_data.rsp_tagged->rsp_cond_state->rsp_type;
  mailimap_response_free(response);
  if (state != MAILIMAP_RESP_COND_STATE_OK)
    return MAILIMAP_ERROR_LOGIN;
  imap->imap_state = MAILIMAP_STATE_AUTHENTICATED;
  return MAILIMAP_NO_ERROR;
}

gboolean
mt_imap_authenticate_token(MtImapSession *s, MtImapAuth auth, const char *user, const char *token,
                           GError **error)
{
  g_return_val_if_fail(s != NULL && user != NULL && token != NULL, FALSE);
  g_return_val_if_fail(auth == MT_IMAP_AUTH_XOAUTH2 || auth == MT_IMAP_AUTH_OAUTHBEARER, FALSE);

  mailimap *imap = mt_imap_handle(s);
  const char *mech = mt_imap_auth_mechanism(auth);
  if (!mt_imap_token_is_sendable(token) || strpbrk(user, "\001\r\n") != NULL) {
    g_set_error(error, MT_ERROR, MT_ERROR_AUTH,
                "the access token or user name holds a blank, a line break or another control "
                "byte, which %s cannot carry; nothing was sent",
                mech);
    return FALSE;
  }
  if (!mailimap_has_authentication(imap, (char *)mech) ||
      (auth == MT_IMAP_AUTH_OAUTHBEARER && !mt_imap_has(s, "SASL-IR"))) {
    g_set_error(error, MT_ERROR, MT_ERROR_AUTH,
                "%s does not offer AUTH=%s%s; nothing was sent (set auth to what its "
                "CAPABILITY lists)",
                mt_imap_host(s), mech,
                auth == MT_IMAP_AUTH_OAUTHBEARER ? " with SASL-IR" : "");
    return FALSE;
  }
  Capture c = {.received = g_string_new(NULL)};
  mailimap_set_logger(imap, capture_received, &c);
  int r;
  if (auth == MT_IMAP_AUTH_XOAUTH2) {
    r = mailimap_oauth2_authenticate(imap, user, token);
  } else {
    g_autofree char *message = mt_imap_oauthbearer_message(user, token);
    r = oauthbearer(imap, message);
    explicit_bzero(message, strlen(message));
  }
  mailimap_set_logger(imap, NULL, NULL);
  if (r == MAILIMAP_NO_ERROR) {
    g_string_free(c.received, TRUE);
    mt_imap_logged_in(s);
    return TRUE;
  }
  g_autofree char *said = server_error(c.received, c.total);
  g_string_free(c.received, TRUE);
  g_autofree char *tagged =
      mt_escape_controls(imap->imap_response != NULL ? imap->imap_response : "");
  gsize tl = strlen(tagged);
  if (tl > 0 && tagged[tl - 1] == '.') /* the sentence goes on */
    tagged[tl - 1] = '\0';
  if (r == MAILIMAP_ERROR_LOGIN)
    g_set_error(error, MT_ERROR, MT_ERROR_TOKEN, "%s refused the %s token of %s%s%s%s%s",
                mt_imap_host(s), mech, user, *tagged ? ": " : "", tagged,
                said != NULL ? "; it said " : "", said != NULL ? said : "");
  else {
    /* past the deadline or broken: LOGOUT would wait a whole timeout more */
    mt_imap_session_lost(s);
    g_set_error(error, MT_ERROR, MT_ERROR_CONNECT,
                "%s: AUTHENTICATE %s failed (the connection was lost, the server took too long, "
                "or its answer was not IMAP)",
                mt_imap_host(s), mech);
  }
  return FALSE;
}
