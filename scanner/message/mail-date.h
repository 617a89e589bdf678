/* The date of a Date or Received header: RFC 5322 §3.3 with its obsolete forms (two-digit
 * years, named zones, comments) and what broken mailers write (tokens out of order, `-` between
 * day, month and year, no zone). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns: (transfer full) (nullable): the moment, in the zone it was written in (UTC when none
 * or an unknown name is given); NULL when the day, month or year is missing or impossible. */
GDateTime *mt_mail_date_parse(const char *text, gsize len);

G_END_DECLS
