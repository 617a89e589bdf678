/* Scanning one IMAP folder: resume after the last UID done, judge each batch, tag and move the
 * suspicious messages, then save the progress. The order is what keeps mail safe:
 *   1. journal the UIDs about to be moved (committed),
 *   2. UID STORE +FLAGS.SILENT the keywords,
 *   3. UID MOVE; or UID COPY, journal what COPYUID confirmed, UID STORE \Deleted and UID
 *      EXPUNGE exactly those; or, with neither extension, leave them tagged,
 *   4. save the folder's last UID done (below the first message that failed).
 * A run cut anywhere resumes: confirmed copies are deleted, the rest of the batch is judged
 * again, and `$Suspicious` on a message tells "judged before" (left alone: the user may have
 * brought it back) unless the journal says the move was ours and unfinished. */
#pragma once

#include <signal.h>

#include "account.h"
#include "engine.h"
#include "imap-session.h"
#include "progress-bar.h"

G_BEGIN_DECLS

typedef enum {
  MT_MOVE_NATIVE,   /* UID MOVE */
  MT_MOVE_COPY,     /* UID COPY + COPYUID + \Deleted + UID EXPUNGE (UIDPLUS) */
  MT_MOVE_TAG_ONLY, /* neither: keywords only */
} MtMoveWay;

typedef struct {
  /* set by the caller */
  const MtEngine *engine;
  MtStore *store; /* (nullable) where progress is kept; a dry run only reads it */
  const MtAccount *account;
  MtImapSession *session;
  char *junk;                  /* set by mt_scan_attach() */
  MtMoveWay way;               /* set by mt_scan_attach() */
  volatile sig_atomic_t *stop; /* (nullable) non-zero: stop after the current batch */
  gboolean dry_run, rescan, json;
  guint limit; /* messages to judge in this run, 0: all */
  MtProgressBar *bar;
  /* counted over the run */
  guint scanned, suspicious, moved, tagged_only, failed, skipped;
} MtScan;

/* After login: finds the junk folder (created when missing, unless a dry run) and how this
 * server moves. Returns: FALSE with @error. */
gboolean mt_scan_attach(MtScan *sc, MtImapSession *s, GError **error);
void mt_scan_detach(MtScan *sc);

/* Returns: FALSE with @error when the folder could not be read or the connection or the store
 * failed (stop the run); a message that could not be tagged or moved is named on stderr and
 * counted in @sc->failed. */
gboolean mt_scan_folder(MtScan *sc, const char *folder, GError **error);

/* Whether the run's --limit is reached. */
gboolean mt_scan_limit_reached(const MtScan *sc);

G_END_DECLS
