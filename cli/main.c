/* mailtrace: who really sent each message. One engine, one front door per subcommand. */
#include <glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "contacts-command.h"
#include "explain.h"
#include "check.h"
#include "filter-command.h"
#include "learn.h"
#include "relays-command.h"
#include "scan.h"
#include "watch.h"
#include "mt-config.h"

static void
usage(FILE *out)
{
  fprintf(out,
          "Usage: mailtrace COMMAND [OPTION…]\n\n"
          "Commands:\n"
          "  explain [--json] FILE…   trace each message and explain the verdict\n"
          "  learn [--spam|--ham] PATH…  learn contacts' fingerprints (Maildir, mbox, files)\n"
          "  learn --account NAME [--folder F]…  learn them from IMAP folders (read-only)\n"
          "  contacts list|show ADDRESS|forget ADDRESS [--json]\n"
          "  relays list|forget DOMAIN [--json]  the receiving relays learned as your own\n"
          "  filter [--verdict-only]  Dovecot sieve filter: stdin -> stdout with verdict headers\n"
          "  scan [--account NAME] [--dry-run]  tag suspicious IMAP mail and move it to junk\n"
          "  watch [--account NAME]   scan new IMAP mail as it arrives (IDLE)\n"
          "  check                    check the configuration, rules, geo databases, store\n"
          "  version                  print the version\n\n"
          "Run `mailtrace COMMAND --help` for a command's options.\n");
}

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
    printf("mailtrace %s\n", MT_VERSION);
    return 0;
  }
  static const struct {
    const char *name;
    int (*run)(int, char **);
  } commands[] = {{"explain", mt_cmd_explain},   {"learn", mt_cmd_learn},
                  {"contacts", mt_cmd_contacts}, {"filter", mt_cmd_filter},
                  {"relays", mt_cmd_relays},     {"check", mt_cmd_check},
                  {"scan", mt_cmd_scan},         {"watch", mt_cmd_watch}};
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
    if (strcmp(cmd, commands[i].name) != 0)
      continue;
    return commands[i].run(argc - 1, argv + 1);
  }
  fprintf(stderr, "mailtrace: unknown command “%s”\n", cmd);
  usage(stderr);
  return 2;
}
