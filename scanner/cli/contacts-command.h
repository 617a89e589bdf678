#pragma once

/* `mailtrace contacts list|show ADDRESS|forget ADDRESS [--json]`. */
int mt_cmd_contacts(int argc, char **argv);
