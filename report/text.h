/* One analysis -> the human explanation: the path from origin to mailbox, then the verdict
 * and the reasons as sentences. */
#pragma once

#include "engine.h"

G_BEGIN_DECLS

/* Returns: (transfer full) */
char *mt_report_text(const MtAnalysis *a, const char *file, double threshold);

G_END_DECLS
