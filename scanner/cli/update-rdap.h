/* `mailtrace update-rdap`: fetches IANA's RDAP bootstrap files into the user's data directory,
 * where the online lookups look first (the copy shipped with mailtrace ages). */
#pragma once

int mt_cmd_update_rdap(int argc, char **argv);
