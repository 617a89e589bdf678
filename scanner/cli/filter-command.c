#include "filter-command.h"

#include <stdio.h>
#include <sysexits.h>

#include "common.h"
#include "filter.h"

int
mt_cmd_filter_with(int argc, char **argv, MtFilterInvestigate investigate,
                   const char *online_program)
{
  g_auto(GStrv) original = g_strdupv(argv); /* parsing takes the options out of argv */
  gboolean verdict_only = FALSE;
  g_auto(MtCliConfig) c;
  mt_cli_config_init(&c);
  GOptionEntry entries[] = {
      {"verdict-only", 0, 0, G_OPTION_ARG_NONE, &verdict_only,
       "Print only the verdict; exit 0 when suspicious, 1 when not (for execute :pipe)", NULL},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx =
      g_option_context_new("— read a message on stdin, write it back with X-Mailtrace-* headers");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_add_main_entries(ctx, c.entries, NULL);
  if (!mt_cli_parse(ctx, "filter", &argc, &argv))
    return EX_USAGE;
  if (argc > 1) {
    fprintf(stderr, "mailtrace filter: the message comes on standard input, not as an argument; "
                    "the message is left as it is\n");
    return EX_USAGE;
  }
  MtFilterOptions o = {.config = c.config,
                       .rules = c.rules,
                       .country_db = c.country_db,
                       .asn_db = c.asn_db,
                       .verdict_only = verdict_only,
                       .investigate = investigate,
                       .online_program = online_program,
                       .argv = original};
  return mt_filter_run(&o);
}
