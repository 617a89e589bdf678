/* What `scan` and `watch` print about a run (scanner/scan/scan-folder.h reports, this prints): one
 * line per suspicious message with its reasons, or one JSON line per message; failures and
 * notes on stderr; the progress bar. */
#pragma once

#include "progress-bar.h"
#include "scan-folder.h"

G_BEGIN_DECLS

typedef struct {
  const char *command; /* "scan", "watch": the prefix of messages on stderr */
  gboolean json;
  MtProgressBar *bar; /* (nullable) */
  const MtScanRun *run;
} MtScanOutput;

/* Points @run->report at @out, which must outlive the run. */
void mt_scan_output_attach(MtScanOutput *out, MtScanRun *run);

/* After mt_scan_attach(): warns when @host can only tag, not move. */
void mt_scan_output_way(const MtScanOutput *out, const char *host);

G_END_DECLS
