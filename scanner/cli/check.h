/* `mailtrace check`: the configuration, as the program sees it, and what it names. */
#pragma once

/* Returns: 0 when everything is usable, 78 (EX_CONFIG) when anything is not, 64 on usage. */
int mt_cmd_check(int argc, char **argv);
