/* `mailtrace filter`: the command line of Pigeonhole's filter program (dovecot/filter.c). */
#pragma once

int mt_cmd_filter(int argc, char **argv);
