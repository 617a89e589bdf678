/* Where GMime 3.2.13 (Debian 12's) reads real mail wrongly, and what we do instead. Each
 * workaround names the upstream issue and the version that fixes it; tests/unit/test-gmime-bugs.c
 * shows GMime's own wrong answer beside ours, so a workaround can go when Debian ships the
 * fix (the test then fails on GMime's answer and says so). */
#pragma once

#include <glib.h>
#include <gmime/gmime.h>

G_BEGIN_DECLS

/* Base64 encoded words ending in `=` padding: GMime joins the payloads of adjacent words in
 * the same charset before decoding them (right for a character split across words), and the
 * padding inside the joined payload makes it drop the rest: `=?utf-8?B?Q29uZmlybSB0aGUgdHJh
 * bnNhY3Q=?= =?utf-8?B?aW9u?=` reads "Confirm the transact". jstedfast/gmime#133, fixed in
 * 3.2.14. We re-encode each such run of words as one word, decoded alike by every version.
 * Returns: (transfer full) (nullable): the mended text, or NULL when @text needs nothing. */
char *mt_gmime_mend_padded_words(const char *text);

/* Dates GMime 3.2.13 reads wrongly, each seen in real Received or Date headers:
 * - a zone straight after the time, `09:01+0000`: read as one token, the time is lost;
 * - a comment straight after the zone, `+0900(KST)`: the zone is lost (read as +0000);
 * - fractions of a second, `08:13:49.306 +0000` (written by today's large providers' relays):
 *   the time is lost (midnight).
 * RFC 5322 allows none of the three, but mail readers read them. No upstream report found
 * (jstedfast/gmime issues searched 2026-12). We write the blanks in and the fraction out
 * before GMime reads the date.
 * Returns: (transfer full) (nullable): the mended text, or NULL when @text needs nothing. */
char *mt_gmime_mend_date(const char *text);

/* Runs of blanks in an address header: GMime keeps a run of blanks between the words of an
 * unquoted display name, where RFC 5322 §3.2.2 makes it one blank (GMime keeps what it reads,
 * by design). Collapses runs of blanks and tabs to one blank outside quoted strings and
 * encoded words, whose text is kept as written. @text is unfolded.
 * Returns: (transfer full) (nullable): the mended text, or NULL when @text needs nothing. */
char *mt_gmime_collapse_blanks(const char *text);

G_END_DECLS
