/* The X-Mailtrace-* header fields the filter prepends: ASCII only, folded to 78 columns,
 * ending with the message's own line ending. */
#pragma once

#include "engine.h"

G_BEGIN_DECLS

/* Verdict, Score, Reasons, Trace and, when suspicious, Keywords (what the sieve script gives
 * `addflag`). @prefix: the keyword prefix. Returns: (transfer full) */
char *mt_verdict_headers(const MtAnalysis *a, const char *prefix, const char *eol);

/* `X-Mailtrace-Verdict: unknown` and a Trace field saying why nothing was judged.
 * Returns: (transfer full) */
char *mt_unknown_headers(const char *why, const char *eol);

/* Appends `@name: @value` to @out folded at spaces so that lines stay within 78 columns
 * (a single longer word gets a line of its own); every byte outside printable ASCII in
 * @value becomes `?`. */
void mt_append_folded(GString *out, const char *name, const char *value, const char *eol);

G_END_DECLS
