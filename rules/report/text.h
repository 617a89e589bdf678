/* One analysis -> the human explanation: the path from origin to mailbox, then the verdict
 * and the reasons as sentences. */
#pragma once

#include "engine.h"

G_BEGIN_DECLS

/* Returns: (transfer full) */
char *mt_report_text(const MtAnalysis *a, const char *file, double threshold);

/* A learned contact: counts, then each attribute's values, most frequent first.
 * Returns: (transfer full) */
char *mt_report_profile_text(const MtProfile *p);

G_END_DECLS
