#pragma once

/* `mailtrace explain [--json] FILE...`. Returns the exit status: 0 all analysed,
 * 1 some inputs unreadable, 2 usage or configuration error. */
int mt_cmd_explain(int argc, char **argv);
