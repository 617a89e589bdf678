/* `mailtrace filter`: Pigeonhole's vnd.dovecot.filter program. Its contract with Dovecot:
 * exit 0 only after writing the whole message; anything else exits non-zero, and Pigeonhole
 * then keeps the original message. */
#pragma once

int mt_cmd_filter(int argc, char **argv);
