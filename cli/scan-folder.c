#include "scan-folder.h"

#include <stdio.h>
#include <string.h>

#include "imap-act.h"
#include "imap-fetch.h"
#include "json.h"
#include "keywords.h"
#include "mt-error.h"
#include "prefetch.h"
#include "progress.h"

typedef struct {
  guint32 uid, size;
  GStrv keywords;     /* (nullable) NULL: clean */
  GStrv reasons;      /* (nullable) the sentences behind the keywords, for the text report */
  JsonNode *json;     /* (nullable) with --json */
  const char *action; /* what became of it */
} Judged;

static void
judged_clear(gpointer data)
{
  Judged *j = data;
  g_strfreev(j->keywords);
  g_strfreev(j->reasons);
  if (j->json != NULL)
    json_node_unref(j->json);
}

typedef struct {
  MtScan *sc;
  const char *folder;
  guint32 uidvalidity;
  guint32 first;     /* UIDs below it were answered for a `first:*` range past the end */
  GHashTable *ours;  /* UIDs the journal says we began to move */
  GArray *judged;    /* Judged, this batch */
  guint32 judged_to; /* the last UID judged or left alone */
  guint32 hold;      /* the first UID that failed: progress stays below it (0: none) */
} Folder;

gboolean
mt_scan_attach(MtScan *sc, MtImapSession *s, GError **error)
{
  g_free(sc->junk);
  sc->junk = mt_imap_junk_folder(s, sc->account->junk_folder, sc->dry_run, error);
  if (sc->junk == NULL)
    return FALSE;
  sc->session = s;
  sc->way = mt_imap_has(s, "MOVE")      ? MT_MOVE_NATIVE
            : mt_imap_has(s, "UIDPLUS") ? MT_MOVE_COPY
                                        : MT_MOVE_TAG_ONLY;
  if (sc->way == MT_MOVE_TAG_ONLY)
    fprintf(stderr,
            "mailtrace: %s has neither MOVE nor UIDPLUS: suspicious messages are "
            "tagged, not moved\n",
            sc->account->host);
  return TRUE;
}

void
mt_scan_detach(MtScan *sc)
{
  g_clear_pointer(&sc->junk, g_free);
  sc->session = NULL;
}

gboolean
mt_scan_limit_reached(const MtScan *sc)
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

static void
judge(const MtImapMessage *m, gpointer user)
{
  Folder *f = user;
  MtScan *sc = f->sc;
  if (m->uid < f->first || mt_scan_limit_reached(sc))
    return;
  f->judged_to = m->uid;
  /* $Suspicious: judged by an earlier run (and perhaps brought back by the user); \Deleted:
   * the user's own decision. Both are left alone, unless it is a move of ours to finish. */
  if (!g_hash_table_contains(f->ours, GUINT_TO_POINTER(m->uid)) &&
      (m->deleted || has_keyword(m->flags, MT_KEYWORD_SUSPICIOUS))) {
    sc->skipped++;
    return;
  }
  g_autoptr(MtAnalysis) a = mt_analyse(sc->engine, m->data, m->len);
  sc->scanned++;
  Judged j = {.uid = m->uid, .size = m->size, .action = "none"};
  if (a->verdict->kind == MT_VERDICT_SUSPICIOUS) {
    sc->suspicious++;
    j.keywords = mt_verdict_keywords(a->verdict, sc->account->keyword_prefix);
    g_autoptr(GStrvBuilder) why = g_strv_builder_new();
    for (guint i = 0; i < a->verdict->reasons->len; i++) {
      const MtReason *r = g_ptr_array_index(a->verdict->reasons, i);
      if (r->weight > 0)
        g_strv_builder_add(why, r->text);
    }
    j.reasons = g_strv_builder_end(why);
  }
  if (sc->json) {
    g_autofree char *name = g_strdup_printf("%s/%u", f->folder, m->uid);
    j.json = mt_report_json(a, name);
    JsonObject *o = json_node_get_object(j.json);
    json_object_set_string_member(o, "folder", f->folder);
    json_object_set_int_member(o, "uid", m->uid);
  }
  g_array_append_val(f->judged, j);
}

static void
failed(Folder *f, Judged *j, const char *what, const GError *err)
{
  fprintf(stderr, "mailtrace scan: %s UID %u: %s: %s\n", f->folder, j->uid, what,
          err != NULL ? err->message : "not confirmed by the server");
  j->action = "failed";
  f->sc->failed++;
  if (f->hold == 0 || j->uid < f->hold)
    f->hold = j->uid;
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

/* Copies @uids to the junk folder, then deletes from the folder exactly those the server
 * confirmed having copied. */
static gboolean
copy_then_expunge(Folder *f, GArray *uids, GError **error)
{
  MtScan *sc = f->sc;
  g_autoptr(GArray) copied = uids_new();
  g_autoptr(GError) err = NULL;
  if (!mt_imap_copy(sc->session, uids, sc->junk, copied, &err))
    return refused(f, uids, "cannot copy", err, error);
  if (!mt_progress_mark_moving(sc->store, sc->account->name, f->folder, f->uidvalidity, copied,
                               TRUE, error) ||
      !mt_imap_add_flags(sc->session, copied, NULL, TRUE, error) ||
      !mt_imap_expunge(sc->session, copied, error))
    return FALSE;
  for (guint i = 0, c = 0; i < uids->len; i++) {
    Judged *j = find(f, g_array_index(uids, guint32, i));
    if (c < copied->len && g_array_index(copied, guint32, c) == j->uid) {
      j->action = "moved";
      sc->moved++;
      c++;
    } else {
      failed(f, j, "cannot move", NULL);
    }
  }
  return TRUE;
}

/* Tags then moves the suspicious messages of the batch. */
static gboolean
act(Folder *f, GError **error)
{
  MtScan *sc = f->sc;
  g_autoptr(GArray) suspicious = uids_new();
  for (guint i = 0; i < f->judged->len; i++) {
    Judged *j = &g_array_index(f->judged, Judged, i);
    if (j->keywords != NULL)
      g_array_append_val(suspicious, j->uid);
    if (j->keywords != NULL && sc->dry_run)
      j->action = sc->way == MT_MOVE_TAG_ONLY ? "would tag" : "would move";
  }
  if (suspicious->len == 0 || sc->dry_run)
    return TRUE;
  if (sc->way != MT_MOVE_TAG_ONLY &&
      !mt_progress_mark_moving(sc->store, sc->account->name, f->folder, f->uidvalidity, suspicious,
                               FALSE, error))
    return FALSE;
  g_autoptr(GArray) tagged = uids_new();
  for (guint i = 0; i < suspicious->len; i++) {
    Judged *j = find(f, g_array_index(suspicious, guint32, i));
    g_autoptr(GArray) one = uids_new();
    g_array_append_val(one, j->uid);
    g_autoptr(GError) err = NULL;
    if (mt_imap_add_flags(sc->session, one, (const char *const *)j->keywords, FALSE, &err)) {
      g_array_append_val(tagged, j->uid);
      j->action = "tagged";
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
  if (!mt_imap_move(sc->session, tagged, sc->junk, &err))
    return refused(f, tagged, "cannot move", err, error);
  for (guint i = 0; i < tagged->len; i++)
    find(f, g_array_index(tagged, guint32, i))->action = "moved";
  sc->moved += tagged->len;
  return TRUE;
}

static void
report(Folder *f)
{
  MtScan *sc = f->sc;
  for (guint i = 0; i < f->judged->len; i++) {
    Judged *j = &g_array_index(f->judged, Judged, i);
    if (sc->json) {
      json_object_set_string_member(json_node_get_object(j->json), "action", j->action);
      g_autofree char *line = mt_report_json_to_line(j->json);
      printf("%s\n", line);
    } else if (j->keywords != NULL) {
      g_autofree char *kw = g_strjoinv(" ", j->keywords);
      gboolean to_junk = g_str_has_suffix(j->action, "move") || strcmp(j->action, "moved") == 0;
      printf("%s UID %u (%u bytes): %s%s%s; keywords %s\n", f->folder, j->uid, j->size, j->action,
             to_junk ? " to " : "", to_junk ? sc->junk : "", kw);
      for (guint r = 0; j->reasons[r] != NULL; r++)
        printf("    - %s\n", j->reasons[r]);
    }
  }
  fflush(stdout);
}

/* Deletes from the folder the messages an interrupted run had copied to the junk folder. */
static gboolean
finish_copies(Folder *f, GError **error)
{
  MtScan *sc = f->sc;
  g_autoptr(GArray) copied =
      mt_progress_moving(sc->store, sc->account->name, f->folder, f->uidvalidity, TRUE, error);
  if (copied == NULL)
    return FALSE;
  if (copied->len == 0)
    return TRUE;
  if (!mt_imap_add_flags(sc->session, copied, NULL, TRUE, error) ||
      !mt_imap_expunge(sc->session, copied, error))
    return FALSE;
  fprintf(stderr, "mailtrace scan: %s: finished moving %u messages of an interrupted run\n",
          f->folder, copied->len);
  sc->moved += copied->len;
  return TRUE;
}

static gboolean
load_journal(Folder *f, GError **error)
{
  MtScan *sc = f->sc;
  if (sc->store == NULL)
    return TRUE;
  if (!sc->dry_run && !finish_copies(f, error))
    return FALSE;
  g_autoptr(GArray) ours =
      mt_progress_moving(sc->store, sc->account->name, f->folder, f->uidvalidity, FALSE, error);
  if (ours == NULL)
    return FALSE;
  for (guint i = 0; i < ours->len; i++)
    g_hash_table_add(f->ours, GUINT_TO_POINTER(g_array_index(ours, guint32, i)));
  return TRUE;
}

gboolean
mt_scan_folder(MtScan *sc, const char *folder, GError **error)
{
  MtImapFolder info;
  if (!mt_imap_open_folder(sc->session, folder, sc->dry_run, &info, error))
    return FALSE;
  MtFolderProgress p = {0};
  if (sc->store != NULL && !mt_progress_load(sc->store, sc->account->name, folder, &p, error))
    return FALSE;
  if (p.uidvalidity != info.uidvalidity || sc->rescan) /* new to us: from the start */
    p = (MtFolderProgress){.uidvalidity = info.uidvalidity, .last_uid = 0};
  g_autoptr(GHashTable) ours = g_hash_table_new(NULL, NULL);
  g_autoptr(GArray) judged = g_array_new(FALSE, FALSE, sizeof(Judged));
  g_array_set_clear_func(judged, judged_clear);
  Folder f = {
      .sc = sc, .folder = folder, .uidvalidity = info.uidvalidity, .ours = ours, .judged = judged};
  if (!load_journal(&f, error))
    return FALSE;
  /* No UIDNEXT announced (allowed before IMAP4rev2): one batch up to the last message. */
  guint32 end = info.uidnext > 0 ? info.uidnext - 1 : G_MAXUINT32;
  guint32 start = p.last_uid + 1, first = start;
  /* The next batch is fetched while this one is judged; tagging and moving wait for it. */
  g_autoptr(MtPrefetch) next = NULL;
  if (info.exists > 0 && first <= end)
    next = mt_prefetch_start(sc->session, first, mt_imap_batch_last(&info, first));
  while (next != NULL) {
    g_autoptr(MtPrefetch) cur = g_steal_pointer(&next);
    mt_prefetch_join(cur); /* one command at a time on the session */
    guint32 last = mt_imap_batch_last(&info, first);
    gboolean more =
        last != 0 && last < end && !mt_scan_limit_reached(sc) && (sc->stop == NULL || !*sc->stop);
    if (more)
      next = mt_prefetch_start(sc->session, last + 1, mt_imap_batch_last(&info, last + 1));
    f.first = first;
    f.judged_to = 0;
    g_array_set_size(judged, 0);
    if (!mt_prefetch_deliver(cur, judge, &f, error))
      return FALSE;
    if (next != NULL)
      mt_prefetch_join(next); /* the session is needed again */
    if (!act(&f, error))
      return FALSE;
    report(&f);
    guint32 done = mt_scan_limit_reached(sc) || last == 0 ? MAX(f.judged_to, p.last_uid) : last;
    if (f.hold != 0)
      done = MIN(done, f.hold - 1);
    if (sc->store != NULL && !sc->dry_run && done > p.last_uid) {
      p.last_uid = done;
      if (!mt_progress_save(sc->store, sc->account->name, folder, &p, error))
        return FALSE;
    }
    double span = end != G_MAXUINT32 ? (double)(end - start + 1) : 1.0;
    mt_progress_bar_show(sc->bar, folder, last != 0 ? (last - start + 1) / span : 1.0, sc->scanned);
    if (mt_scan_limit_reached(sc) || (sc->stop != NULL && *sc->stop))
      break; /* a prefetched batch is dropped: it is judged next time */
    first = last + 1;
  }
  return TRUE;
}
