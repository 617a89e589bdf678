/* `mailtrace filter`: the command line of Pigeonhole's filter program (plugin/filter.c). */
#pragma once

#include "filter.h"

/* @investigate: (nullable) the online lookups, in `mailtrace filter`; NULL in mailtrace-filter,
 * which hands a delivery that wants them to @online_program (nullable). */
int mt_cmd_filter_with(int argc, char **argv, MtFilterInvestigate investigate,
                       const char *online_program);
