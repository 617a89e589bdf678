/* `mailtrace filter`: Pigeonhole's vnd.dovecot.filter program. Its contract with Dovecot:
 * exit 0 only after writing the whole message; anything else exits non-zero, and Pigeonhole
 * then keeps the original message. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *config, *rules;      /* (nullable) NULL: the default files */
  const char *country_db, *asn_db; /* (nullable) override the configuration's */
  gboolean verdict_only; /* print only the verdict; exit 0 when suspicious, 1 when not */
} MtFilterOptions;

/* Reads the message on stdin and writes it to stdout with the verdict headers, under the
 * configured deadline and size cap. Returns: the exit status (sysexits). */
int mt_filter_run(const MtFilterOptions *o);

G_END_DECLS
