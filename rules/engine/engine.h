/* The one entry point every front door calls: bytes of one message -> facts and verdict. */
#pragma once

#include "brands.h"
#include "config.h"
#include "contacts.h"
#include "fingerprint.h"
#include "store.h"
#include "facts.h"
#include "geo.h"
#include "lookups.h"
#include "reasons.h"

G_BEGIN_DECLS

typedef struct _MtEngine MtEngine;

typedef enum {
  MT_STORE_NONE,  /* no learned profiles */
  MT_STORE_READ,  /* use the store when it exists; a broken one is a warning */
  MT_STORE_WRITE, /* create the store if needed; failing to open it is an error */
} MtStoreMode;

/* Takes @cfg and opens its geo databases and, per @mode, its profile store; problems with
 * either are appended to @warnings (MT_STORE_WRITE failures go to @error).
 * Returns: (transfer full) (nullable) */
MtEngine *mt_engine_new(MtConfig *cfg, MtStoreMode mode, GPtrArray *warnings, GError **error);

/* Whether every database the configuration names (or that exists) is open: the filter in
 * the delivery path judges with everything or not at all. FALSE with @error saying which. */
gboolean mt_engine_is_complete(const MtEngine *engine, GError **error);

/* For `learn`: what to learn is decided by how a sender's mail looks, not by whom it claims to
 * be from; the impersonation checks (impersonation.h) are left out, so a contact's second
 * address in the user's own folders is learned, not refused as an impostor. */
void mt_engine_set_learning(MtEngine *engine);

/* The well-known senders' table (brands.h): the one the rules name, else the one beside the
 * program (the build tree, a staged copy), else the installed one. Returns: (transfer full) */
char *mt_engine_well_known_senders_path(const MtConfig *cfg);

/* That table, then the rules' own [brand ...] groups. A missing or unreadable table is a
 * warning (the other checks still run); a wrong [brand] group is an error.
 * Returns: (transfer full) (nullable) */
MtBrands *mt_engine_load_brands(const MtConfig *cfg, GPtrArray *warnings, GError **error);

/* The address of the mailbox being read (scan, watch: the account's user when it is an
 * address): the most trusted name of the recipient, for own-domain-spoof (strangers.h). */
void mt_engine_set_account_address(MtEngine *engine, const char *address);

/* Returns: (transfer none) (nullable) */
MtStore *mt_engine_store(const MtEngine *engine);
void mt_engine_free(MtEngine *engine);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtEngine, mt_engine_free)

const MtConfig *mt_engine_config(const MtEngine *engine);

typedef struct {
  MtFacts *facts;
  MtFingerprint *fingerprint;
  MtContactReport *contact; /* (nullable) the sender is a learned contact */
  MtVerdict *verdict;
  MtLookups *lookups; /* (nullable) what was looked up online (scanner/online/investigate.h) */
} MtAnalysis;

/* Never fails: malformed mail is a finding. Returns: (transfer full) */
MtAnalysis *mt_analyse(const MtEngine *engine, const char *data, gsize len);

/* mt_analyse() in two steps, for a pool of threads (ordered-pool.h). The first reads only the
 * message, the configuration and the geo databases; the second compares with the sender's
 * learned history in the store, and scores. Both may run on several threads at once over one
 * engine; a caller that writes the store between messages (learn) runs the second on the
 * writing thread, in order, so each message sees what the ones before it taught.
 * Returns: (transfer full) */
MtAnalysis *mt_analyse_message(const MtEngine *engine, const char *data, gsize len);
void mt_analyse_history(const MtEngine *engine, MtAnalysis *a);
void mt_analysis_free(MtAnalysis *a);

/* After reasons were added to @a's verdict (by the online investigation): those about how the
 * origin identifies itself are weighed against the sender's history like the others, and the
 * verdict is scored again. */
void mt_analysis_rescore(const MtEngine *engine, MtAnalysis *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtAnalysis, mt_analysis_free)

G_END_DECLS
