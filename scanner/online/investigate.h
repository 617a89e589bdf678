/* The investigator's lookups, automated: for the hops the trace trusts (the origin, and down
 * to the submission), the PTR of each address, whether that name resolves back to it (FCrDNS)
 * and where the HELO name resolves; in RDAP, when the From, envelope and HELO domains were
 * registered and who runs the origin's network. Answers are kept in the store for their TTL.
 * Every lookup is a fact in the analysis (MtLookups); the ones that contradict what the
 * origin claimed are reasons: helo-forward-mismatch, rdns-not-confirmed, domain-young. */
#pragma once

#include "engine.h"
#include "online-settings.h"

G_BEGIN_DECLS

typedef struct _MtInvestigator MtInvestigator;

/* @store: (nullable) where answers are cached; not owned, and used from several threads.
 * Problems that only narrow the lookups (no bootstrap file) go to @warnings. The network
 * module is opened at the first question the cache cannot answer; when it cannot be, each
 * such question's note says why. Returns: (transfer full) (nullable) */
MtInvestigator *mt_investigator_new(const MtOnlineSettings *settings, MtStore *store,
                                    GPtrArray *warnings);
void mt_investigator_free(MtInvestigator *inv);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtInvestigator, mt_investigator_free)

/* Looks up what @a's trace names, fills a->lookups, adds the reasons and scores the verdict
 * again. Returns by @deadline (monotonic microseconds), or by the settings' deadline from now
 * when that comes first (always, with @deadline 0), whatever answered or not; what did not answer is a note, and the verdict stays the offline
 * one for it. Safe on several threads at once. */
void mt_investigate(const MtInvestigator *inv, const MtEngine *engine, MtAnalysis *a,
                    gint64 deadline);

G_END_DECLS
