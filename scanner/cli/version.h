/* `mailtrace version` (and --version, -V): what is running, with what. */
#pragma once

int mt_cmd_version(int argc, char **argv);
