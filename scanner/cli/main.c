/* mailtrace: who really sent each message. One engine, one front door per subcommand. */
#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "contacts-command.h"
#include "explain.h"
#include "check.h"
#include "version.h"
#include "filter-command.h"
#include "online.h"
#include "learn.h"
#include "relays-command.h"
#include "scan.h"
#include "update-rdap.h"
#include "watch.h"
#include "mt-config.h"

/* `mailtrace filter`: with the online lookups that mailtrace-filter leaves out */
static int
cmd_filter(int argc, char **argv)
{
  return mt_cmd_filter_with(argc, argv, mt_cli_filter_investigate, NULL);
}

static void
usage(FILE *out)
{
  fprintf(out,
          "Usage: mailtrace COMMAND [OPTION…]\n\n"
          "Commands:\n"
          "  explain [--json] [--online] FILE…   trace each message and explain the verdict\n"
          "  explain --abuse-report FILE  an abuse report (RFC 5965) to review and send\n"
          "  learn [--spam|--ham] PATH…  learn contacts' fingerprints (Maildir, mbox, files)\n"
          "  learn --account NAME [--folder F]…  learn them from IMAP folders (read-only)\n"
          "  contacts list|show ADDRESS|forget ADDRESS [--json]\n"
          "  relays list|forget DOMAIN [--json]  the receiving relays learned as your own\n"
          "  filter [--verdict-only]  Dovecot sieve filter: stdin -> stdout with verdict headers\n"
          "  scan [--account NAME] [--dry-run]  tag suspicious IMAP mail and move it to junk\n"
          "  watch [--account NAME]   scan new IMAP mail as it arrives (IDLE)\n"
          "  check                    check the configuration, rules, geo databases, store\n"
          "  update-rdap [--url URL]  refresh IANA's RDAP bootstrap files (online lookups)\n"
          "  version                  the version, the libraries and the geo databases (-V)\n\n"
          "Run `mailtrace help COMMAND` (or `mailtrace COMMAND --help`) for a command's options.\n");
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  if (argc < 2) {
    usage(stderr);
    return EX_USAGE;
  }
  const char *cmd = argv[1];
  /* `mailtrace help CMD` is `mailtrace CMD --help` */
  char *help_argv[] = {argv[0], argc > 2 ? argv[2] : NULL, "--help", NULL};
  if (strcmp(cmd, "help") == 0 && argc > 2) {
    argv = help_argv;
    argc = 3;
    cmd = argv[1];
  } else if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0)
    cmd = "version";
  static const struct {
    const char *name;
    int (*run)(int, char **);
  } commands[] = {{"explain", mt_cmd_explain},   {"learn", mt_cmd_learn},
                  {"contacts", mt_cmd_contacts}, {"filter", cmd_filter},
                  {"relays", mt_cmd_relays},     {"check", mt_cmd_check},
                  {"version", mt_cmd_version},
                  {"update-rdap", mt_cmd_update_rdap},
                  {"scan", mt_cmd_scan},         {"watch", mt_cmd_watch}};
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
    if (strcmp(cmd, commands[i].name) != 0)
      continue;
    return commands[i].run(argc - 1, argv + 1);
  }
  fprintf(stderr, "mailtrace: unknown command “%s”\n", cmd);
  usage(stderr);
  return EX_USAGE;
}
