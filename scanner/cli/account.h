/* One `[account NAME]` of the configuration file: where a mailbox is and how to log in. */
#pragma once

#include "config.h"
#include "engine.h"
#include "imap-oauth.h"
#include "imap-session.h"

G_BEGIN_DECLS

typedef struct {
  char *name, *host, *user;
  guint16 port;
  MtImapSecurity security;
  MtImapAuth auth;        /* LOGIN, or an access token by XOAUTH2 or OAUTHBEARER */
  GStrv password_command; /* (nullable) argv, run without a shell; prints the password or a
                             current access token, run again for each connection */
  char *ca_file;          /* (nullable) NULL: the system trust store */
  GStrv folders;          /* never empty: INBOX by default */
  char *junk_folder;      /* (nullable) NULL: the \Junk special-use folder, else Junk */
  char *keyword_prefix;
  guint timeout; /* seconds for the connect and for each whole command */
} MtAccount;

/* @name: (nullable) NULL: the only account configured.
 * Returns: (transfer full) (nullable): NULL with @error (MT_ERROR_CONFIG) naming the key. */
MtAccount *mt_account_load(const MtConfig *cfg, const char *name, GError **error);
void mt_account_free(MtAccount *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtAccount, mt_account_free)

/* The password or access token: the first line password_command prints, run under the
 * account's timeout (a command that hangs is killed); for a password, $MAILTRACE_PASSWORD
 * first. A token is always the command's: tokens expire, so each connection asks again.
 * Returns: (transfer full) (nullable): NULL with @error (MT_ERROR_CONFIG) */
char *mt_account_password(const MtAccount *a, GError **error);

/* Whether the secret is an access token (auth = xoauth2 or oauthbearer). */
gboolean mt_account_uses_token(const MtAccount *a);

/* For an MtCliCheck: the account @name (nullable: the only one) of @cfg loads, said on stderr
 * as `mailtrace CMD: why` when not. */
typedef struct {
  const char *cmd, *name;
} MtAccountCheck;
gboolean mt_account_check(const MtConfig *cfg, gpointer check);

/* mt_account_load() then mt_account_password(), for command @cmd: on failure prints
 * `mailtrace CMD: why` and returns NULL (exit 2). Returns: (transfer full) (nullable) */
MtAccount *mt_account_for_command(const MtConfig *cfg, const char *cmd, const char *name,
                                  char **password);

/* mt_account_for_command() for a command that judges the account's mail (scan, watch): the
 * account's address then names the recipient for @engine (own-domain-spoof). */
MtAccount *mt_account_for_judging(MtEngine *engine, const char *cmd, const char *name,
                                  char **password);

#define MT_ACCOUNT_TIMEOUT 30 /* seconds for the connect and each command, by default */

/* Connects (certificate verified first) and logs in with @password (the password or token of
 * mt_account_password()), by the account's auth.
 * Returns: (transfer full) (nullable): NULL with @error (see mt_imap_connect, mt_imap_login). */
MtImapSession *mt_account_open(const MtAccount *a, const char *password, GError **error);

/* mt_account_open() with a fresh secret from mt_account_password(): what a reconnection does,
 * since an access token expires within the hour. */
MtImapSession *mt_account_reopen(const MtAccount *a, GError **error);


G_END_DECLS
