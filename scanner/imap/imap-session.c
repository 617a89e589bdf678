#include "imap-session.h"

#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libetpan/libetpan.h>
#include <string.h>

#include "escape.h"
#include "imap-guard.h"
#include "mt-error.h"

struct _MtImapSession {
  mailimap *imap;
  char *host;
  gboolean lost; /* the connection broke: LOGOUT would only wait for a dead server */
};

void
mt_imap_session_lost(MtImapSession *s)
{
  s->lost = TRUE;
}

struct mailimap *
mt_imap_handle(MtImapSession *s)
{
  return s->imap;
}

void
mt_imap_session_free(MtImapSession *s)
{
  if (s == NULL)
    return;
  if (s->imap != NULL) {
    if (s->imap->imap_stream != NULL && !s->lost)
      mailimap_logout(s->imap); /* closes the stream when the server answers */
    if (s->imap->imap_stream != NULL) {
      /* mailimap_free() would send LOGOUT again and wait a whole timeout on a dead server */
      mailstream_close(s->imap->imap_stream);
      s->imap->imap_stream = NULL;
    }
    mailimap_free(s->imap);
  }
  g_free(s->host);
  g_free(s);
}

static void
set_sni(struct mailstream_ssl_context *ctx, void *host)
{
  struct in6_addr a6;
  struct in_addr a4;
  if (inet_pton(AF_INET, host, &a4) != 1 && inet_pton(AF_INET6, host, &a6) != 1)
    mailstream_ssl_set_server_name(ctx, host);
}

/* Checks the chain the server sent against the trust anchors and @host (a name, or an address
 * matched against the certificate's IP entries). */
static gboolean
verify_certificate(MtImapSession *s, const char *ca_file, GError **error)
{
  carray *chain = mailstream_get_certificate_chain(s->imap->imap_stream);
  guint n = chain != NULL ? carray_count(chain) : 0;
  if (n == 0) {
    if (chain != NULL)
      mailstream_certificate_chain_free(chain);
    g_set_error(error, MT_ERROR, MT_ERROR_TLS, "%s sent no certificate", s->host);
    return FALSE;
  }
  gnutls_x509_crt_t *crts = g_new0(gnutls_x509_crt_t, n);
  gnutls_x509_trust_list_t trust = NULL;
  gboolean ok = gnutls_x509_trust_list_init(&trust, 0) == 0;
  int loaded = !ok               ? -1
               : ca_file != NULL ? gnutls_x509_trust_list_add_trust_file(trust, ca_file, NULL,
                                                                         GNUTLS_X509_FMT_PEM, 0, 0)
                                 : gnutls_x509_trust_list_add_system_trust(trust, 0, 0);
  if (loaded <= 0) {
    g_set_error(error, MT_ERROR, MT_ERROR_TLS, "no trusted certificate authority in %s",
                ca_file != NULL ? ca_file : "the system trust store");
    ok = FALSE;
  }
  for (guint i = 0; ok && i < n; i++) {
    MMAPString *der = carray_get(chain, i);
    gnutls_datum_t d = {(unsigned char *)der->str, (unsigned int)der->len};
    ok = gnutls_x509_crt_init(&crts[i]) == 0 &&
         gnutls_x509_crt_import(crts[i], &d, GNUTLS_X509_FMT_DER) == 0;
    if (!ok)
      g_set_error(error, MT_ERROR, MT_ERROR_TLS, "%s sent an unreadable certificate", s->host);
  }
  if (ok) {
    unsigned char addr[16];
    gboolean v4 = inet_pton(AF_INET, s->host, addr) == 1;
    gboolean v6 = !v4 && inet_pton(AF_INET6, s->host, addr) == 1;
    gnutls_typed_vdata_st vd[2] = {
        {v4 || v6 ? GNUTLS_DT_IP_ADDRESS : GNUTLS_DT_DNS_HOSTNAME,
         v4 || v6 ? addr : (unsigned char *)s->host,
         v4   ? 4u
         : v6 ? 16u
              : 0u},
        {GNUTLS_DT_KEY_PURPOSE_OID, (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER, 0},
    };
    unsigned int status = 0;
    int r = gnutls_x509_trust_list_verify_crt2(trust, crts, n, vd, 2, 0, &status, NULL);
    if (r < 0 || status != 0) {
      gnutls_datum_t why = {NULL, 0};
      if (r >= 0)
        gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &why, 0);
      g_set_error(error, MT_ERROR, MT_ERROR_TLS, "the certificate of %s is refused: %s", s->host,
                  why.data != NULL ? (const char *)why.data : gnutls_strerror(r));
      gnutls_free(why.data);
      ok = FALSE;
    }
  }
  for (guint i = 0; i < n; i++)
    if (crts[i] != NULL)
      gnutls_x509_crt_deinit(crts[i]);
  g_free(crts);
  if (trust != NULL)
    gnutls_x509_trust_list_deinit(trust, 1);
  mailstream_certificate_chain_free(chain);
  return ok;
}

static gboolean
refresh_capabilities(MtImapSession *s, GError **error)
{
  struct mailimap_capability_data *caps = NULL;
  if (mailimap_capability(s->imap, &caps) != MAILIMAP_NO_ERROR) {
    g_set_error(error, MT_ERROR, MT_ERROR_CONNECT, "%s: CAPABILITY failed", s->host);
    return FALSE;
  }
  mailimap_capability_data_free(caps);
  return TRUE;
}

MtImapSession *
mt_imap_connect(const char *host, guint16 port, MtImapSecurity security, const char *ca_file,
                guint timeout, GError **error)
{
  g_return_val_if_fail(host != NULL, NULL);

  g_autoptr(MtImapSession) s = g_new0(MtImapSession, 1);
  s->host = g_strdup(host);
  s->imap = mailimap_new(0, NULL);
  mailimap_set_timeout(s->imap, timeout); /* before connecting: it covers the connect too */
  int r = security == MT_IMAP_TLS
              ? mailimap_ssl_connect_with_callback(s->imap, host, port, set_sni, (void *)host)
              : mailimap_socket_connect(s->imap, host, port);
  if (r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED && r != MAILIMAP_NO_ERROR_AUTHENTICATED) {
    g_set_error(error, MT_ERROR, MT_ERROR_CONNECT,
                "cannot connect to %s port %u (libetpan error %d)", host, port, r);
    return NULL;
  }
  if (security == MT_IMAP_STARTTLS) {
    if (!refresh_capabilities(s, error))
      return NULL;
    if (!mailimap_has_extension(s->imap, "STARTTLS")) {
      g_set_error(error, MT_ERROR, MT_ERROR_TLS, "%s does not offer STARTTLS", host);
      return NULL;
    }
    if (mailimap_socket_starttls_with_callback(s->imap, set_sni, (void *)host) !=
        MAILIMAP_NO_ERROR) {
      g_set_error(error, MT_ERROR, MT_ERROR_CONNECT, "STARTTLS with %s failed", host);
      return NULL;
    }
  }
  if (security != MT_IMAP_PLAIN && !verify_certificate(s, ca_file, error))
    return NULL;
  mt_imap_guard_install(s->imap, timeout);
  /* the greeting's list is stale after STARTTLS, and an attacker could have written it */
  if (!refresh_capabilities(s, error))
    return NULL;
  return g_steal_pointer(&s);
}

gboolean
mt_imap_login(MtImapSession *s, const char *user, const char *password, GError **error)
{
  g_return_val_if_fail(s != NULL && user != NULL && password != NULL, FALSE);

  /* libetpan puts both inside a quoted string as they are: a line break would end the command
   * and start another of the attacker's choosing. IMAP's LOGIN cannot carry one anyway. */
  if (strpbrk(user, "\r\n") != NULL || strpbrk(password, "\r\n") != NULL) {
    g_set_error(error, MT_ERROR, MT_ERROR_AUTH,
                "the user name or password holds a line break, which IMAP LOGIN cannot send; "
                "nothing was sent");
    return FALSE;
  }
  int r = mailimap_login(s->imap, user, password);
  if (r == MAILIMAP_NO_ERROR) {
    g_autoptr(GError) ignored = NULL;
    refresh_capabilities(s, &ignored); /* MOVE, UIDPLUS and co. only show after login */
    return TRUE;
  }
  g_autofree char *said =
      mt_escape_controls(s->imap->imap_response != NULL ? s->imap->imap_response : "");
  g_set_error(error, MT_ERROR, r == MAILIMAP_ERROR_LOGIN ? MT_ERROR_AUTH : MT_ERROR_CONNECT,
              "%s refused the login of %s%s%s", s->host, user, *said ? ": " : "", said);
  return FALSE;
}

const char *
mt_imap_host(MtImapSession *s)
{
  return s->host;
}

void
mt_imap_logged_in(MtImapSession *s)
{
  g_autoptr(GError) ignored = NULL;
  refresh_capabilities(s, &ignored);
}

gboolean
mt_imap_has(MtImapSession *s, const char *capability)
{
  return mailimap_has_extension(s->imap, (char *)capability) != 0;
}

char *
mt_imap_library_versions(void)
{
  return g_strdup_printf("libetpan %d.%d, GnuTLS %s", libetpan_get_version_major(),
                         libetpan_get_version_minor(), gnutls_check_version(NULL));
}
