#include "scan-folder.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "journal.h"
#include "keywords.h"
#include "mt-error.h"
#include "mt-limits.h"
#include "ordered-pool.h"
#include "prefetch.h"

typedef struct {
  guint32 uid, size;
  MtAnalysis *analysis;
  GStrv keywords;     /* (nullable) NULL: clean */
  MtScanAction action; /* what became of it */
} Judged;

static void
judged_clear(gpointer data)
{
  Judged *j = data;
  mt_analysis_free(j->analysis);
  g_strfreev(j->keywords);
}

typedef struct {
  MtScanRun *sc;
  const char *folder;
  guint32 uidvalidity;
  GHashTable *ours;  /* UIDs the journal says we began to move */
  GArray *judged;    /* Judged, this batch */
  guint32 judged_to; /* the last UID judged or left alone */
  guint32 hold;      /* the first UID that failed: progress stays below it (0: none) */
} Folder;

gboolean
mt_scan_attach(MtScanRun *sc, MtMailbox *mb, GError **error)
{
  g_free(sc->junk);
  sc->junk = mb->ops->junk_folder(mb, sc->junk_folder, sc->dry_run, error);
  if (sc->junk == NULL)
    return FALSE;
  sc->mailbox = mb;
  sc->way = mb->ops->has(mb, "MOVE")      ? MT_MOVE_NATIVE
            : mb->ops->has(mb, "UIDPLUS") ? MT_MOVE_COPY
                                          : MT_MOVE_TAG_ONLY;
  return TRUE;
}

void
mt_scan_detach(MtScanRun *sc)
{
  g_clear_pointer(&sc->junk, g_free);
  sc->mailbox = NULL;
}

gboolean
mt_scan_limit_reached(const MtScanRun *sc)
{
  return sc->limit > 0 && sc->scanned >= sc->limit;
}

static gboolean
has_keyword(const char *const *flags, const char *keyword)
{
  for (guint i = 0; flags[i] != NULL; i++)
    if (g_ascii_strcasecmp(flags[i], keyword) == 0)
      return TRUE;
  return FALSE;
}

/* @m: asked for, fetched whole (mt_batch_admit()), in UID order; @judged: the messages of the
 * run judged or queued for judging before it. Returns: whether @m is to be analysed; a message
 * left alone is counted here. */
static gboolean
to_judge(Folder *f, const MtImapMessage *m, guint judged)
{
  MtScanRun *sc = f->sc;
  if (sc->limit > 0 && judged >= sc->limit)
    return FALSE;
  f->judged_to = m->uid;
  /* $Suspicious: judged by an earlier run (and perhaps brought back by the user); \Deleted:
   * the user's own decision. Both are left alone, unless it is a move of ours to finish. */
  if (!g_hash_table_contains(f->ours, GUINT_TO_POINTER(m->uid)) &&
      (m->deleted || has_keyword(m->flags, MT_KEYWORD_SUSPICIOUS))) {
    sc->skipped++;
    return FALSE;
  }
  return TRUE;
}

/* On a pool worker: the engine only reads (its store connection is serialized); online, the
 * lookups of several messages run at once, one a worker. */
static gpointer
analyse_one(gpointer item, gpointer user)
{
  const MtImapMessage *m = item;
  const Folder *f = user;
  MtAnalysis *a = mt_analyse(f->sc->engine, m->data, m->len);
  if (f->sc->online != NULL)
    mt_investigate(f->sc->online, f->sc->engine, a, 0);
  return a;
}

/* Back on the scanning thread, in UID order. */
static void
judged_one(gpointer item, gpointer result, gpointer user)
{
  const MtImapMessage *m = item;
  Folder *f = user;
  MtScanRun *sc = f->sc;
  Judged j = {.uid = m->uid, .size = m->size, .action = MT_SCAN_LEFT, .analysis = result};
  sc->scanned++;
  if (j.analysis->verdict->kind == MT_VERDICT_SUSPICIOUS) {
    sc->suspicious++;
    j.keywords = mt_verdict_keywords(j.analysis->verdict, sc->keyword_prefix);
  }
  g_array_append_val(f->judged, j);
}

/* @uid failed: said, counted, and the position stays below it so that the next run retries. */
static void
failed_uid(Folder *f, guint32 uid, const char *what, const char *why)
{
  const MtScanReport *r = &f->sc->report;
  if (r->failed != NULL)
    r->failed(f->folder, uid, what, why, r->user);
  f->sc->failed++;
  if (f->hold == 0 || uid < f->hold)
    f->hold = uid;
}

static void
failed(Folder *f, Judged *j, const char *what, const GError *err)
{
  failed_uid(f, j->uid, what, err != NULL ? err->message : "not confirmed by the server");
  j->action = MT_SCAN_FAILED;
}

static Judged *
find(Folder *f, guint32 uid)
{
  for (guint i = 0; i < f->judged->len; i++)
    if (g_array_index(f->judged, Judged, i).uid == uid)
      return &g_array_index(f->judged, Judged, i);
  return NULL;
}

static GArray *
uids_new(void)
{
  return g_array_new(FALSE, FALSE, sizeof(guint32));
}

/* A command refused for @uids (@err): each is named and counted as failed, and the run goes
 * on. A lost connection instead stops the run: FALSE with @error. */
static gboolean
refused(Folder *f, GArray *uids, const char *what, const GError *err, GError **error)
{
  if (g_error_matches(err, MT_ERROR, MT_ERROR_CONNECT)) {
    g_propagate_error(error, g_error_copy(err));
    return FALSE;
  }
  for (guint i = 0; i < uids->len; i++)
    failed(f, find(f, g_array_index(uids, guint32, i)), what, err);
  return TRUE;
}

/* Whether an interrupted run already copied @j: it journaled the move, but the COPYUID answer
 * was lost with the connection, so only the junk folder can tell (by Message-ID, size and our
 * keyword). Returns: FALSE with @error when the connection is lost. */
static gboolean
copied_before(Folder *f, const Judged *j, gboolean *found, GError **error)
{
  MtScanRun *sc = f->sc;
  const char *mid = j->analysis->facts->message->message_id;
  *found = FALSE;
  if (!g_hash_table_contains(f->ours, GUINT_TO_POINTER(j->uid)) || mid == NULL || j->size == 0)
    return TRUE;
  g_autoptr(GError) err = NULL;
  if (sc->mailbox->ops->holds(sc->mailbox, sc->junk, mid, j->size, MT_KEYWORD_SUSPICIOUS, found,
                              &err))
    return TRUE;
  if (!g_error_matches(err, MT_ERROR, MT_ERROR_CONNECT))
    return TRUE; /* cannot tell: copied again, a duplicate at worst, never a loss */
  g_propagate_error(error, g_steal_pointer(&err));
  return FALSE;
}

/* Copies @uids to the junk folder, then deletes from the folder exactly those the server
 * confirmed having copied (or an interrupted run had). */
static gboolean
copy_then_expunge(Folder *f, GArray *uids, GError **error)
{
  MtScanRun *sc = f->sc;
  g_autoptr(GArray) copied = uids_new(), to_copy = uids_new();
  for (guint i = 0; i < uids->len; i++) {
    guint32 uid = g_array_index(uids, guint32, i);
    gboolean found = FALSE;
    if (!copied_before(f, find(f, uid), &found, error))
      return FALSE;
    g_array_append_val(found ? copied : to_copy, uid);
  }
  g_autoptr(GError) err = NULL;
  if (to_copy->len > 0 && !sc->mailbox->ops->copy(sc->mailbox, to_copy, sc->junk, copied, &err) &&
      !refused(f, to_copy, "cannot copy", err, error))
    return FALSE;
  if (!mt_journal_mark_moving(sc->store, sc->account, f->folder, f->uidvalidity, copied,
                              TRUE, error) ||
      !sc->mailbox->ops->add_flags(sc->mailbox, copied, NULL, TRUE, error) ||
      !sc->mailbox->ops->expunge(sc->mailbox, copied, error))
    return FALSE;
  g_autoptr(GHashTable) done = g_hash_table_new(NULL, NULL);
  for (guint i = 0; i < copied->len; i++)
    g_hash_table_add(done, GUINT_TO_POINTER(g_array_index(copied, guint32, i)));
  for (guint i = 0; i < uids->len; i++) {
    Judged *j = find(f, g_array_index(uids, guint32, i));
    if (g_hash_table_contains(done, GUINT_TO_POINTER(j->uid))) {
      j->action = MT_SCAN_MOVED;
      sc->moved++;
    } else if (j->action != MT_SCAN_FAILED) {
      failed(f, j, "cannot move", NULL);
    }
  }
  return TRUE;
}

/* Tags then moves the suspicious messages of the batch. */
static gboolean
act(Folder *f, GError **error)
{
  MtScanRun *sc = f->sc;
  g_autoptr(GArray) suspicious = uids_new();
  for (guint i = 0; i < f->judged->len; i++) {
    Judged *j = &g_array_index(f->judged, Judged, i);
    if (j->keywords != NULL)
      g_array_append_val(suspicious, j->uid);
    if (j->keywords != NULL && sc->dry_run)
      j->action = sc->way == MT_MOVE_TAG_ONLY ? MT_SCAN_WOULD_TAG : MT_SCAN_WOULD_MOVE;
  }
  if (suspicious->len == 0 || sc->dry_run)
    return TRUE;
  if (sc->way != MT_MOVE_TAG_ONLY &&
      !mt_journal_mark_moving(sc->store, sc->account, f->folder, f->uidvalidity, suspicious,
                               FALSE, error))
    return FALSE;
  g_autoptr(GArray) tagged = uids_new();
  for (guint i = 0; i < suspicious->len; i++) {
    Judged *j = find(f, g_array_index(suspicious, guint32, i));
    g_autoptr(GArray) one = uids_new();
    g_array_append_val(one, j->uid);
    g_autoptr(GError) err = NULL;
    if (sc->mailbox->ops->add_flags(sc->mailbox, one, (const char *const *)j->keywords, FALSE, &err)) {
      g_array_append_val(tagged, j->uid);
      j->action = MT_SCAN_TAGGED;
    } else if (!refused(f, one, "cannot tag", err, error)) {
      return FALSE;
    }
  }
  if (tagged->len == 0)
    return TRUE;
  if (sc->way == MT_MOVE_TAG_ONLY) {
    sc->tagged_only += tagged->len;
    return TRUE;
  }
  if (sc->way == MT_MOVE_COPY)
    return copy_then_expunge(f, tagged, error);
  g_autoptr(GError) err = NULL;
  if (!sc->mailbox->ops->move(sc->mailbox, tagged, sc->junk, &err))
    return refused(f, tagged, "cannot move", err, error);
  for (guint i = 0; i < tagged->len; i++)
    find(f, g_array_index(tagged, guint32, i))->action = MT_SCAN_MOVED;
  sc->moved += tagged->len;
  return TRUE;
}

static void
report(Folder *f)
{
  const MtScanReport *r = &f->sc->report;
  for (guint i = 0; r->judged != NULL && i < f->judged->len; i++) {
    Judged *j = &g_array_index(f->judged, Judged, i);
    MtScanResult res = {.folder = f->folder,
                        .uid = j->uid,
                        .size = j->size,
                        .analysis = j->analysis,
                        .keywords = (const char *const *)j->keywords,
                        .action = j->action};
    r->judged(&res, r->user);
  }
}

/* Deletes from the folder the messages an interrupted run had copied to the junk folder. */
static gboolean
finish_copies(Folder *f, GError **error)
{
  MtScanRun *sc = f->sc;
  g_autoptr(GArray) copied =
      mt_journal_moving(sc->store, sc->account, f->folder, f->uidvalidity, TRUE, error);
  if (copied == NULL)
    return FALSE;
  if (copied->len == 0)
    return TRUE;
  if (!sc->mailbox->ops->add_flags(sc->mailbox, copied, NULL, TRUE, error) ||
      !sc->mailbox->ops->expunge(sc->mailbox, copied, error))
    return FALSE;
  if (sc->report.note != NULL) {
    g_autofree char *text =
        g_strdup_printf("finished moving %u messages of an interrupted run", copied->len);
    sc->report.note(f->folder, text, sc->report.user);
  }
  sc->moved += copied->len;
  return TRUE;
}

static gboolean
load_journal(Folder *f, GError **error)
{
  MtScanRun *sc = f->sc;
  if (sc->store == NULL)
    return TRUE;
  if (!sc->dry_run && !finish_copies(f, error))
    return FALSE;
  g_autoptr(GArray) ours =
      mt_journal_moving(sc->store, sc->account, f->folder, f->uidvalidity, FALSE, error);
  if (ours == NULL)
    return FALSE;
  for (guint i = 0; i < ours->len; i++)
    g_hash_table_add(f->ours, GUINT_TO_POINTER(g_array_index(ours, guint32, i)));
  return TRUE;
}

/* Judges one fetched batch. Returns: FALSE with @error when the connection was lost. */
static gboolean
judge_batch(Folder *f, MtPrefetch *batch, GError **error)
{
  g_autoptr(GArray) missing = g_array_new(FALSE, FALSE, sizeof(guint32));
  g_autoptr(GError) err = NULL;
  g_autoptr(GPtrArray) admitted = mt_prefetch_take(batch, missing, &err);
  if (admitted == NULL) {
    if (!g_error_matches(err, MT_ERROR, MT_ERROR_IMAP)) {
      g_propagate_error(error, g_steal_pointer(&err));
      return FALSE;
    }
    /* refused: none of these was seen; they are retried next run */
    GArray *asked = mt_prefetch_asked(batch);
    failed_uid(f, g_array_index(asked, guint32, 0), "cannot fetch", err->message);
    f->sc->failed += asked->len - 1;
    return TRUE;
  }
  for (guint i = 0; i < missing->len; i++)
    failed_uid(f, g_array_index(missing, guint32, i), "cannot fetch",
               "the server did not send it whole");
  /* The analyses run on every core; the results come back in UID order. */
  MtOrderedPool *pool = mt_ordered_pool_new(f->sc->threads, analyse_one, judged_one, f);
  guint judged = f->sc->scanned; /* the pool adds to sc->scanned as it delivers */
  for (guint i = 0; i < admitted->len; i++) {
    MtImapMessage *m = g_ptr_array_index(admitted, i);
    if (to_judge(f, m, judged)) {
      judged++;
      mt_ordered_pool_push(pool, m);
    }
  }
  mt_ordered_pool_finish(pool);
  return TRUE;
}

static gboolean
stopping(const MtScanRun *sc)
{
  return mt_scan_limit_reached(sc) || (sc->stop != NULL && *sc->stop);
}

/* UIDs [@from, @from + @n) of @uids. Returns: (transfer full) */
static GArray *
slice(GArray *uids, guint from, guint n)
{
  GArray *a = g_array_sized_new(FALSE, FALSE, sizeof(guint32), n);
  g_array_append_vals(a, &g_array_index(uids, guint32, from), n);
  return a;
}

gboolean
mt_scan_folder(MtScanRun *sc, const char *folder, GError **error)
{
  MtImapFolder info;
  MtMailbox *mb = sc->mailbox;
  if (!mb->ops->open_folder(mb, folder, sc->dry_run, &info, error))
    return FALSE;
  MtFolderPosition p = {0};
  if (sc->store != NULL && !mt_journal_load_position(sc->store, sc->account, folder, &p, error))
    return FALSE;
  if (p.uidvalidity != info.uidvalidity || sc->rescan) /* new to us: from the start */
    p = (MtFolderPosition){.uidvalidity = info.uidvalidity, .last_uid = 0};
  g_autoptr(GHashTable) ours = g_hash_table_new(NULL, NULL);
  g_autoptr(GArray) judged = g_array_new(FALSE, FALSE, sizeof(Judged));
  g_array_set_clear_func(judged, judged_clear);
  Folder f = {
      .sc = sc, .folder = folder, .uidvalidity = info.uidvalidity, .ours = ours, .judged = judged};
  if (!load_journal(&f, error))
    return FALSE;
  if (p.last_uid == G_MAXUINT32 || info.exists == 0)
    return TRUE; /* nothing can come after the last UID there is */
  /* What exists, asked for by count: UIDs may be sparse up to 4294967295. */
  g_autoptr(GArray) uids = g_array_new(FALSE, FALSE, sizeof(guint32));
  if (!mb->ops->search(mb, p.last_uid + 1, uids, error))
    return FALSE;
  guint batch = sc->batch > 0 ? sc->batch : MT_IMAP_BATCH;
  /* The next batch is fetched while this one is judged; tagging and moving wait for it. */
  g_autoptr(MtPrefetch) next = NULL;
  if (uids->len > 0) {
    g_autoptr(GArray) asked = slice(uids, 0, MIN(batch, uids->len));
    next = mt_prefetch_start(mb, asked);
  }
  for (guint at = 0; next != NULL; at += batch) {
    g_autoptr(MtPrefetch) cur = g_steal_pointer(&next);
    mt_prefetch_join(cur); /* one command at a time on the mailbox */
    guint n = mt_prefetch_asked(cur)->len;
    guint32 last = g_array_index(uids, guint32, at + n - 1);
    if (at + n < uids->len && !stopping(sc)) {
      g_autoptr(GArray) asked = slice(uids, at + n, MIN(batch, uids->len - at - n));
      next = mt_prefetch_start(mb, asked);
    }
    f.judged_to = 0;
    if (!judge_batch(&f, cur, error))
      return FALSE;
    if (next != NULL)
      mt_prefetch_join(next); /* the mailbox is needed again */
    if (!act(&f, error))
      return FALSE;
    report(&f);
    g_array_set_size(judged, 0); /* the batch's analyses, freed before the next is judged */
#ifdef __GLIBC__
    /* what the batch freed goes back to the system: glibc keeps freed pages in each worker's
     * arena, and a long scan's memory grew with the mailbox (bench/imap.sh: 47 -> 43 MiB on
     * 6,046 messages, 54 -> 47 MiB on 18,138) */
    malloc_trim(0);
#endif
    guint32 done = mt_scan_limit_reached(sc) ? MAX(f.judged_to, p.last_uid) : last;
    if (f.hold != 0)
      done = MIN(done, f.hold - 1);
    if (sc->store != NULL && !sc->dry_run && done > p.last_uid) {
      p.last_uid = done;
      if (!mt_journal_save_position(sc->store, sc->account, folder, &p, error))
        return FALSE;
    }
    if (sc->report.progress != NULL)
      sc->report.progress(folder, (double)(at + n) / uids->len, sc->scanned, sc->report.user);
    if (stopping(sc))
      break; /* a prefetched batch is dropped: it is judged next time */
  }
  return TRUE;
}

const char *
mt_scan_action_name(MtScanAction action)
{
  static const char *const names[] = {
      [MT_SCAN_LEFT] = "none",         [MT_SCAN_TAGGED] = "tagged",
      [MT_SCAN_MOVED] = "moved",       [MT_SCAN_WOULD_TAG] = "would tag",
      [MT_SCAN_WOULD_MOVE] = "would move", [MT_SCAN_FAILED] = "failed",
  };
  return (guint)action < G_N_ELEMENTS(names) ? names[action] : "none";
}

gboolean
mt_scan_action_to_junk(MtScanAction action)
{
  return action == MT_SCAN_MOVED || action == MT_SCAN_WOULD_MOVE;
}
