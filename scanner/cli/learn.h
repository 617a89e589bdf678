#pragma once

/* `mailtrace learn [--spam|--ham] PATH…`: learn fingerprints from genuine mail, or record
 * feedback. Returns the exit status: 0 done, 1 some inputs unreadable, 2 usage/config. */
int mt_cmd_learn(int argc, char **argv);
