/* Scanning one folder of a mailbox: resume after the last UID done, judge each batch, tag and
 * move the suspicious messages, then save the position. The order is what keeps mail safe:
 *   1. journal the UIDs about to be moved (committed),
 *   2. UID STORE +FLAGS.SILENT the keywords,
 *   3. UID MOVE; or UID COPY, journal what COPYUID confirmed, UID STORE \Deleted and UID
 *      EXPUNGE exactly those; or, with neither extension, leave them tagged,
 *   4. save the folder's last UID done (below the first message that failed).
 * A run cut anywhere resumes: confirmed copies are deleted, the rest of the batch is judged
 * again, and `$Suspicious` on a message tells "judged before" (left alone: the user may have
 * brought it back) unless the journal says the move was ours and unfinished.
 *
 * The mailbox is reached through its table (scanner/imap/mailbox.h) and everything said goes through
 * the caller's MtScanReport: this module prints nothing. */
#pragma once

#include <signal.h>

#include "engine.h"
#include "investigate.h"
#include "mailbox.h"

G_BEGIN_DECLS

typedef enum {
  MT_MOVE_NATIVE,   /* UID MOVE */
  MT_MOVE_COPY,     /* UID COPY + COPYUID + \Deleted + UID EXPUNGE (UIDPLUS) */
  MT_MOVE_TAG_ONLY, /* neither: keywords only */
} MtMoveWay;

/* What became of a judged message. */
typedef enum {
  MT_SCAN_LEFT,       /* clean, or not to be acted on: left where it is */
  MT_SCAN_TAGGED,     /* keywords set, not moved (no junk folder, or tag-only) */
  MT_SCAN_MOVED,      /* keywords set and moved to the junk folder */
  MT_SCAN_WOULD_TAG,  /* --dry-run: would have been tagged */
  MT_SCAN_WOULD_MOVE, /* --dry-run: would have been moved */
  MT_SCAN_FAILED,     /* tagging or moving failed: retried next run */
} MtScanAction;

/* The word for @action in the scan line and the JSON output ("none", "tagged", "moved",
 * "would tag", "would move", "failed"). */
const char *mt_scan_action_name(MtScanAction action);

/* Whether @action sends (or would send) the message to the junk folder. */
gboolean mt_scan_action_to_junk(MtScanAction action);

/* One judged message, once its batch was acted on. */
typedef struct {
  const char *folder;
  guint32 uid, size;
  const MtAnalysis *analysis;
  const char *const *keywords; /* (nullable) NULL: clean */
  MtScanAction action;
} MtScanResult;

/* How a run speaks; every member may be NULL. */
typedef struct {
  void (*judged)(const MtScanResult *r, gpointer user);
  /* @uid could not be tagged or moved: @what ("cannot move"), @why (the server's words). */
  void (*failed)(const char *folder, guint32 uid, const char *what, const char *why,
                 gpointer user);
  /* Something the user should know that is not about one message. */
  void (*note)(const char *folder, const char *text, gpointer user);
  /* @fraction of @folder done, @scanned messages judged in the run so far. */
  void (*progress)(const char *folder, double fraction, guint scanned, gpointer user);
  gpointer user;
} MtScanReport;

typedef struct {
  /* set by the caller */
  const MtEngine *engine;
  const MtInvestigator *online; /* (nullable) [online] enabled: each message looked up too */
  MtStore *store;             /* (nullable) where the journal is kept; a dry run only reads it */
  const char *account;        /* the journal's name for the mailbox */
  const char *junk_folder;    /* (nullable) configured; else found by mt_scan_attach() */
  const char *keyword_prefix; /* before each reason code */
  volatile sig_atomic_t *stop; /* (nullable) non-zero: stop after the current batch */
  gboolean dry_run, rescan;
  guint limit; /* messages to judge in this run, 0: all */
  guint batch; /* UIDs per fetch, 0: MT_IMAP_BATCH */
  guint threads; /* analyses at once, 0: one per core */
  MtScanReport report;
  /* set by mt_scan_attach() */
  MtMailbox *mailbox;
  char *junk;
  MtMoveWay way;
  /* counted over the run */
  guint scanned, suspicious, moved, tagged_only, failed, skipped;
} MtScanRun;

/* After login: finds the junk folder (created when missing, unless a dry run) and how this
 * server moves. Returns: FALSE with @error. */
gboolean mt_scan_attach(MtScanRun *run, MtMailbox *mailbox, GError **error);
void mt_scan_detach(MtScanRun *run);

/* Returns: FALSE with @error when the folder could not be read or the connection or the store
 * failed (stop the run); a message that could not be tagged or moved is reported through
 * @run->report.failed and counted in @run->failed. */
gboolean mt_scan_folder(MtScanRun *run, const char *folder, GError **error);

/* Whether the run's --limit is reached. */
gboolean mt_scan_limit_reached(const MtScanRun *run);

G_END_DECLS
