#include "account.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config-keys.h"
#include "keywords.h"
#include "mt-error.h"

static gboolean
fail(GError **error, const MtConfig *cfg, const char *name, const char *why)
{
  g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "%s: [account %s] %s", cfg->path, name, why);
  return FALSE;
}

static char *
only_account(const MtConfig *cfg, GError **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups(cfg->file, NULL);
  char *found = NULL;
  for (guint i = 0; groups[i] != NULL; i++) {
    if (!g_str_has_prefix(groups[i], "account "))
      continue;
    if (found != NULL) {
      g_free(found);
      g_set_error(error, MT_ERROR, MT_ERROR_CONFIG,
                  "%s: several accounts are configured: choose one with --account", cfg->path);
      return NULL;
    }
    found = g_strdup(groups[i] + strlen("account "));
  }
  if (found == NULL)
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG,
                "%s: no [account NAME] group: say where the mailbox is (see README)", cfg->path);
  return found;
}

static gboolean
read_account(MtAccount *a, const MtConfig *cfg, const char *group, GError **error)
{
  GKeyFile *kf = cfg->file;
  /* unknown keys were reported, and types checked, by the key table (config-keys.c) */
  a->host = g_key_file_get_string(kf, group, "host", NULL);
  a->user = g_key_file_get_string(kf, group, "user", NULL);
  if (a->host == NULL || a->user == NULL)
    return fail(error, cfg, a->name, "needs host and user");
  g_autofree char *sec = g_key_file_get_string(kf, group, "security", NULL);
  gboolean insecure = g_key_file_get_boolean(kf, group, "insecure", NULL);
  if (sec == NULL || strcmp(sec, "tls") == 0)
    a->security = MT_IMAP_TLS;
  else if (strcmp(sec, "starttls") == 0)
    a->security = MT_IMAP_STARTTLS;
  else if (strcmp(sec, "plain") == 0 && insecure)
    a->security = MT_IMAP_PLAIN;
  else if (strcmp(sec, "plain") == 0)
    return fail(error, cfg, a->name,
                "security = plain sends the password in clear: add insecure = true to mean it");
  else
    return fail(error, cfg, a->name, "security must be tls, starttls or plain");
  if (g_key_file_has_key(kf, group, "port", NULL)) {
    gint64 port = g_key_file_get_int64(kf, group, "port", NULL);
    if (port < 1 || port > 65535)
      return fail(error, cfg, a->name, "port must be from 1 to 65535");
    a->port = (guint16)port;
  } else {
    a->port = a->security == MT_IMAP_TLS ? 993 : 143;
  }
  a->timeout = MT_ACCOUNT_TIMEOUT;
  if (g_key_file_has_key(kf, group, "timeout", NULL)) {
    gint64 t = g_key_file_get_int64(kf, group, "timeout", NULL);
    if (t < 1 || t > 3600)
      return fail(error, cfg, a->name, "timeout must be from 1 to 3600 seconds");
    a->timeout = (guint)t;
  }
  g_autofree char *cmd = g_key_file_get_string(kf, group, "password_command", NULL);
  if (cmd != NULL && !g_shell_parse_argv(cmd, NULL, &a->password_command, NULL))
    return fail(error, cfg, a->name, "password_command is not a command line");
  g_autofree char *auth = g_key_file_get_string(kf, group, "auth", NULL);
  a->auth = auth == NULL || strcmp(auth, "password") == 0 ? MT_IMAP_AUTH_PASSWORD
            : strcmp(auth, "xoauth2") == 0                ? MT_IMAP_AUTH_XOAUTH2
                                                          : MT_IMAP_AUTH_OAUTHBEARER;
  if (a->auth != MT_IMAP_AUTH_PASSWORD && a->password_command == NULL)
    return fail(error, cfg, a->name,
                "auth = xoauth2 or oauthbearer needs password_command, a program that prints a "
                "current access token (oama, pizauth, mutt_oauth2.py)");
  a->ca_file = g_key_file_get_string(kf, group, "ca_file", NULL);
  g_autofree char *folders = g_key_file_get_value(kf, group, "folders", NULL);
  a->folders = mt_config_split_list(folders); /* folder names keep their case */
  if (a->folders[0] == NULL) {
    g_strfreev(a->folders);
    a->folders = g_strsplit("INBOX", ";", -1);
  }
  a->junk_folder = g_key_file_get_string(kf, group, "junk_folder", NULL);
  a->keyword_prefix = g_key_file_get_string(kf, group, "keyword_prefix", NULL);
  if (a->keyword_prefix == NULL)
    a->keyword_prefix = g_strdup(MT_DEFAULT_KEYWORD_PREFIX);
  if (!mt_keyword_prefix_is_valid(a->keyword_prefix))
    return fail(error, cfg, a->name, "keyword_prefix " MT_KEYWORD_PREFIX_RULE);
  return TRUE;
}

MtAccount *
mt_account_load(const MtConfig *cfg, const char *name, GError **error)
{
  g_return_val_if_fail(cfg != NULL, NULL);

  g_autoptr(MtAccount) a = g_new0(MtAccount, 1);
  a->name = name != NULL ? g_strdup(name) : only_account(cfg, error);
  if (a->name == NULL)
    return NULL;
  g_autofree char *group = g_strconcat("account ", a->name, NULL);
  if (!g_key_file_has_group(cfg->file, group)) {
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "%s: no [%s] group", cfg->path, group);
    return NULL;
  }
  if (!read_account(a, cfg, group, error))
    return NULL;
  return g_steal_pointer(&a);
}

void
mt_account_free(MtAccount *a)
{
  if (a == NULL)
    return;
  g_free(a->name);
  g_free(a->host);
  g_free(a->user);
  g_strfreev(a->password_command);
  g_free(a->ca_file);
  g_strfreev(a->folders);
  g_free(a->junk_folder);
  g_free(a->keyword_prefix);
  g_free(a);
}

gboolean
mt_account_uses_token(const MtAccount *a)
{
  return a->auth != MT_IMAP_AUTH_PASSWORD;
}

/* The most a secret command may print: a password or a token is a line, a JWT a few KiB. */
#define MAX_SECRET_OUTPUT (64 * 1024)

/* In the child: a process group of its own, so that a timeout kills what it started too (a
 * shell script's `sleep` outlived the script). */
static void
own_process_group(gpointer unused)
{
  (void)unused;
  setpgid(0, 0);
}

/* Runs @argv (no shell, stdin from /dev/null, stderr passed through) and reads what it prints
 * until it exits or @timeout seconds pass: then it and its children are killed. Returns: (transfer full)
 * (nullable): its output, NULL with @why (a short reason, no secret) */
static char *
run_secret_command(char **argv, guint timeout, const char **why)
{
  GPid pid = 0;
  int out_fd = -1;
  if (!g_spawn_async_with_pipes(NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                                      G_SPAWN_STDIN_FROM_DEV_NULL,
                                own_process_group, NULL, &pid, NULL, &out_fd, NULL, NULL)) {
    *why = "cannot be started";
    return NULL;
  }
  GString *out = g_string_new(NULL);
  gint64 deadline = g_get_monotonic_time() + (gint64)timeout * G_USEC_PER_SEC;
  gboolean timed_out = FALSE, eof = FALSE;
  while (!eof) {
    gint64 left = deadline - g_get_monotonic_time();
    if (left <= 0) {
      timed_out = TRUE;
      break;
    }
    GPollFD p = {.fd = out_fd, .events = G_IO_IN | G_IO_HUP | G_IO_ERR};
    int n = g_poll(&p, 1, (gint)MIN(left / 1000 + 1, G_MAXINT));
    if (n <= 0)
      continue;
    char buf[4096];
    ssize_t got = read(out_fd, buf, sizeof buf);
    if (got <= 0)
      eof = TRUE;
    else if (out->len < MAX_SECRET_OUTPUT)
      g_string_append_len(out, buf, MIN((gsize)got, MAX_SECRET_OUTPUT - out->len));
  }
  close(out_fd);
  if (timed_out)
    kill(-pid, SIGKILL); /* its group: the command and what it started */
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid(pid);
  if (timed_out || !g_spawn_check_wait_status(status, NULL)) {
    explicit_bzero(out->str, out->len);
    g_string_free(out, TRUE);
    *why = timed_out ? "did not finish within the account's timeout and was stopped" : "failed";
    return NULL;
  }
  return g_string_free(out, FALSE);
}

char *
mt_account_password(const MtAccount *a, GError **error)
{
  const char *env = g_getenv("MAILTRACE_PASSWORD");
  if (!mt_account_uses_token(a) && env != NULL && *env != '\0')
    return g_strdup(env);
  if (a->password_command == NULL) {
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG,
                "account %s: no password: set password_command or MAILTRACE_PASSWORD", a->name);
    return NULL;
  }
  const char *what = mt_account_uses_token(a) ? "token" : "password";
  const char *why = NULL;
  g_autofree char *out = run_secret_command(a->password_command, a->timeout, &why);
  if (out == NULL) {
    /* the command line may hold a secret of its own: name only the program */
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "account %s: password_command %s %s", a->name,
                a->password_command[0], why);
    return NULL;
  }
  gsize line = strcspn(out, "\r\n");
  gboolean more = out[line] != '\0' && out[line + strspn(out + line, "\r\n")] != '\0';
  out[line] = '\0';
  if (*out == '\0') {
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "account %s: password_command %s printed no %s",
                a->name, a->password_command[0], what);
    return NULL;
  }
  /* a token is one line of printable ASCII: anything else is refused before it is sent */
  if (mt_account_uses_token(a) && (more || !mt_imap_token_is_sendable(out))) {
    explicit_bzero(out, strlen(out));
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG,
                "account %s: password_command %s printed a token with a blank, a line break or "
                "another control byte; nothing was sent",
                a->name, a->password_command[0]);
    return NULL;
  }
  return g_steal_pointer(&out);
}

MtImapSession *
mt_account_open(const MtAccount *a, const char *password, GError **error)
{
  g_autoptr(MtImapSession) s =
      mt_imap_connect(a->host, a->port, a->security, a->ca_file, a->timeout, error);
  if (s == NULL)
    return NULL;
  gboolean in = a->auth == MT_IMAP_AUTH_PASSWORD
                    ? mt_imap_login(s, a->user, password, error)
                    : mt_imap_authenticate_token(s, a->auth, a->user, password, error);
  if (!in) {
    if (error != NULL && *error != NULL && g_error_matches(*error, MT_ERROR, MT_ERROR_TOKEN)) {
      char *said = (*error)->message;
      (*error)->message = g_strdup_printf(
          "%s; refresh your token with %s (the account's password_command), then run again", said,
          a->password_command[0]);
      g_free(said);
    }
    return NULL;
  }
  return g_steal_pointer(&s);
}

MtImapSession *
mt_account_reopen(const MtAccount *a, GError **error)
{
  g_autofree char *secret = mt_account_password(a, error);
  if (secret == NULL)
    return NULL;
  MtImapSession *s = mt_account_open(a, secret, error);
  explicit_bzero(secret, strlen(secret));
  return s;
}

MtAccount *
mt_account_for_command(const MtConfig *cfg, const char *cmd, const char *name, char **password)
{
  g_autoptr(GError) err = NULL;
  g_autoptr(MtAccount) a = mt_account_load(cfg, name, &err);
  *password = a != NULL ? mt_account_password(a, &err) : NULL;
  if (*password == NULL) {
    fprintf(stderr, "mailtrace %s: %s\n", cmd, err->message);
    return NULL;
  }
  return g_steal_pointer(&a);
}

MtAccount *
mt_account_for_judging(MtEngine *engine, const char *cmd, const char *name, char **password)
{
  MtAccount *a = mt_account_for_command(mt_engine_config(engine), cmd, name, password);
  if (a != NULL)
    mt_engine_set_account_address(engine, a->user);
  return a;
}

gboolean
mt_account_check(const MtConfig *cfg, gpointer check)
{
  const MtAccountCheck *c = check;
  g_autoptr(GError) err = NULL;
  g_autoptr(MtAccount) a = mt_account_load(cfg, c->name, &err);
  if (a == NULL)
    fprintf(stderr, "mailtrace %s: %s\n", c->cmd, err->message);
  return a != NULL;
}
