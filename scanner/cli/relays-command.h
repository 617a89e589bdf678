/* `mailtrace relays list|forget DOMAIN [--json]`: the user's own relays as `learn` found them. */
#pragma once

int mt_cmd_relays(int argc, char **argv);
