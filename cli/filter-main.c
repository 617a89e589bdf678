/* mailtrace-filter: `mailtrace filter` alone, for Dovecot's delivery path. Pigeonhole starts
 * one process a message, so what a process costs before main() is the filter's price: this
 * binary links only the analysis (no libetpan, GnuTLS or SASL) and, where the build allows,
 * links GLib, libpsl, SQLite and libmaxminddb statically, so the dynamic loader has little to
 * map and relocate (cli/meson.build). */
#include "filter-command.h"

/* No setlocale(): the filter writes ASCII header fields and English messages, and loading the
 * locale's files would cost every delivery a few hundred microseconds. */
int
main(int argc, char **argv)
{
  return mt_cmd_filter(argc, argv);
}
