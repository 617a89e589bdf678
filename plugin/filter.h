/* `mailtrace filter`: Pigeonhole's vnd.dovecot.filter program. Its contract with Dovecot:
 * exit 0 only after writing the whole message; anything else exits non-zero, and Pigeonhole
 * then keeps the original message. */
#pragma once

#include <glib.h>

#include "engine.h"

G_BEGIN_DECLS

/* Looks @a up online ([filter] online) and rescores it, returning by @deadline (monotonic
 * microseconds) whatever answered. */
typedef void (*MtFilterInvestigate)(const MtEngine *engine, MtAnalysis *a, gint64 deadline);

typedef struct {
  const char *config, *rules;      /* (nullable) NULL: the default files */
  const char *country_db, *asn_db; /* (nullable) override the configuration's */
  gboolean verdict_only; /* print only the verdict; exit 0 when suspicious, 1 when not */
  /* (nullable) the online lookups; mailtrace-filter links none and, when [filter] online is
   * set, hands the delivery over to @online_program (the full mailtrace) with @argv, before
   * reading the message. Without either, the verdict is the offline one. */
  MtFilterInvestigate investigate;
  const char *online_program; /* (nullable) */
  char **argv;                /* (nullable) the filter's own arguments, argv[0] first */
} MtFilterOptions;

/* Reads the message on stdin and writes it to stdout with the verdict headers, under the
 * configured deadline and size cap. Returns: the exit status (sysexits). */
int mt_filter_run(const MtFilterOptions *o);

G_END_DECLS
