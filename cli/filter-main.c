/* mailtrace-filter: `mailtrace filter` alone, for Dovecot's delivery path. Pigeonhole starts
 * one process a message, so what a process costs before main() is the filter's price: this
 * binary links only the analysis (no libetpan, GnuTLS or SASL) and, where the build allows,
 * links GLib, GMime, SQLite and libmaxminddb statically, so the dynamic loader has little to
 * map and relocate. */
#include <locale.h>

#include "filter-command.h"

int
main(int argc, char **argv)
{
  setlocale(LC_ALL, "");
  return mt_cmd_filter(argc, argv);
}
