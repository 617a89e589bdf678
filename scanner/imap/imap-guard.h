/* The server is not trusted: a guard between libetpan and its stream. Debian's libetpan 1.9.4
 * keeps reading at end of stream (a server that closes inside a literal makes it spin at 100%
 * of a core forever), waits per read, not per command (a byte every 20 s holds it for ever),
 * and reads any literal the server announces (300 MB where 64 KiB were asked). The guard turns
 * end of stream into an error, gives each command one deadline, and caps the bytes a command's
 * answer may hold. */
#pragma once

#include <glib.h>

struct mailimap;

G_BEGIN_DECLS

/* The bytes any answer may hold unless mt_imap_guard_expect() says otherwise: a SEARCH of a
 * million UIDs or a LIST of thousands of folders fits. */
#define MT_IMAP_ANSWER_BYTES (16 * 1024 * 1024)

/* Wraps the stream of @imap (connected, after any STARTTLS). @timeout: seconds for one whole
 * command, from the moment it is sent until its answer is read. */
void mt_imap_guard_install(struct mailimap *imap, guint timeout);

/* The next command's answer may hold @bytes (its literals and all), and no literal larger than
 * @max_literal. */
void mt_imap_guard_expect(struct mailimap *imap, gsize bytes, gsize max_literal);

G_END_DECLS
