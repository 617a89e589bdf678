/* mailtrace: who really sent each message. One engine, one front door per subcommand. */
#include <gmime/gmime.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "mt-config.h"

static void
usage(FILE *out)
{
  fprintf(out, "Usage: mailtrace COMMAND [OPTION…]\n\n"
               "Commands:\n"
               "  explain [--json] FILE…   trace each message and explain the verdict\n"
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
  if (strcmp(cmd, "explain") == 0) {
    g_mime_init();
    int status = mt_cmd_explain(argc - 1, argv + 1);
    g_mime_shutdown();
    return status;
  }
  fprintf(stderr, "mailtrace: unknown command “%s”\n", cmd);
  usage(stderr);
  return 2;
}
