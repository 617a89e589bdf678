/* mailtrace-filter: `mailtrace filter` alone, for Dovecot's delivery path. Pigeonhole starts
 * one process a message, so what a process costs before main() is the filter's price: this
 * binary links only the analysis (no libetpan, GnuTLS or SASL) and, where the build allows,
 * links GLib, libpsl, SQLite and libmaxminddb statically, so the dynamic loader has little to
 * map and relocate (cli/meson.build). */
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "filter-command.h"
#include "program-dir.h"

/* The full mailtrace, beside this binary (in bin/ when installed, in scanner/cli/ in the build tree):
 * the program that does the online lookups. Returns: (transfer full) (nullable) */
static char *
full_program(void)
{
  g_autofree char *dir = mt_program_dir();
  return dir != NULL ? g_build_filename(dir, "mailtrace", NULL) : NULL;
}

/* No setlocale(): the filter writes ASCII header fields and English messages, and loading the
 * locale's files would cost every delivery a few hundred microseconds. */
int
main(int argc, char **argv)
{
  g_autofree char *online = full_program();
  return mt_cmd_filter_with(argc, argv, NULL, online);
}
