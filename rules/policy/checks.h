/* The built-in checks: facts + policy -> reasons. Per-contact rules and learned
 * fingerprints come as further checks beside these, over the same MtFacts. */
#pragma once

#include "config.h"
#include "facts.h"
#include "reasons.h"

G_BEGIN_DECLS

void mt_checks_run(const MtFacts *facts, const MtPolicy *policy, MtVerdict *verdict);


G_END_DECLS
