/* The project's error domain for recoverable failures (I/O, configuration). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MT_ERROR (mt_error_quark())
GQuark mt_error_quark(void);

typedef enum {
  MT_ERROR_CONFIG,  /* a configuration or rules file is wrong */
  MT_ERROR_IO,      /* a file could not be read */
  MT_ERROR_STORE,   /* the profile database cannot be used */
  MT_ERROR_CONNECT, /* the IMAP server cannot be reached or dropped us: try again later */
  MT_ERROR_TLS,     /* the server's certificate is not trusted for its name: nothing sent */
  MT_ERROR_AUTH,    /* the server refused the login */
  MT_ERROR_IMAP,    /* the server refused a command */
  MT_ERROR_TOKEN,   /* the server refused an OAuth access token (expired, revoked): the
                       login is refused as with MT_ERROR_AUTH, and the token needs refreshing */
} MtError;

G_END_DECLS
