/* An abuse report in the Abuse Reporting Format (RFC 5965): a multipart/report of a
 * human-readable part, a message/feedback-report part and the original message's headers
 * (text/rfc822-headers), addressed to the abuse contact RDAP gave for the origin network.
 * mailtrace prints it for the user to read and send; it sends nothing itself. */
#pragma once

#include "engine.h"

G_BEGIN_DECLS

/* @data, @len: the original message. @a must have been investigated online (a->lookups).
 * Returns: (transfer full) (nullable): NULL with @error when there is no one to send it to
 * (no origin, or its network has no abuse contact). */
char *mt_abuse_report(const MtAnalysis *a, const char *data, gsize len, GError **error);

G_END_DECLS
