/* The built-in checks: facts + policy -> reasons. Per-contact rules and learned
 * fingerprints come as further checks beside these, over the same MtFacts. */
#pragma once

#include "config.h"
#include "facts.h"
#include "reasons.h"

G_BEGIN_DECLS

void mt_checks_run(const MtFacts *facts, const MtPolicy *policy, MtVerdict *verdict);

/* `203.0.113.5 (Brazil, AS28333 Example Org)`: an address with what is known of it.
 * Returns: (transfer full) */
char *mt_describe_hop(const MtTraceHop *th);

G_END_DECLS
