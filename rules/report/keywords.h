/* A verdict as IMAP keywords: `$Suspicious` and one keyword per reason code, behind the
 * user's prefix (default `mt-`). The same names whether the IMAP scanner stores them or the
 * Dovecot sieve script adds them. */
#pragma once

#include "imap-keyword.h"
#include "reasons.h"

G_BEGIN_DECLS

#define MT_KEYWORD_SUSPICIOUS "$Suspicious"
#define MT_DEFAULT_KEYWORD_PREFIX "mt-"

/* Whether @prefix, put before a reason code, still makes keywords: empty, or up to 32
 * characters allowed in an atom (so that prefix + code stays within 64). */
gboolean mt_keyword_prefix_is_valid(const char *prefix);
#define MT_KEYWORD_PREFIX_RULE                                                                     \
  "must be up to 32 printable ASCII characters, no space nor ( ) { % * \" \\ ]"

/* The codes of @v's reasons that carry weight, each once, in the order found.
 * Returns: (transfer full) */
GStrv mt_verdict_codes(const MtVerdict *v);

/* `$Suspicious` then @prefix + each code of mt_verdict_codes(). Every keyword is checked with
 * mt_keyword_is_atom(); a prefix that makes one invalid gives NULL.
 * Returns: (transfer full) (nullable) */
GStrv mt_verdict_keywords(const MtVerdict *v, const char *prefix);

G_END_DECLS
