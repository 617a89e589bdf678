/* A learned contact impersonated from another address, or their own account used by someone
 * else: the checks that compare a message with every learned contact, not only its sender.
 *   first-contact            the sender was never seen (weight 0 by default: a fact)
 *   contact-name-new-address a contact's display name on an address they never used
 *   lookalike-contact        an address or domain that looks like a contact's (lookalike.h)
 *   reply-to-diverted        a contact's mail whose replies go to a domain they never used
 *   account-takeover         a contact's usual server and signature, but submitted from a
 *                            network or country and with a client they never used */
#pragma once

#include "contact-rules.h"
#include "contacts.h"
#include "config.h"
#include "facts.h"
#include "fingerprint.h"
#include "store.h"

G_BEGIN_DECLS

typedef struct _MtImpersonation MtImpersonation;

/* The checks against the contacts learned from at least @min_history messages (a name or an
 * address seen once or twice is not yet someone to impersonate), looked up in the store's
 * contact keys (contact-keys.h) for each message from an unknown sender, never read whole.
 * Returns: (transfer full) */
MtImpersonation *mt_impersonation_new(guint min_history);

/* Adds the names the user gave contacts in rules.conf (`names` in `[contact ADDRESS]`, an
 * exact address): those names are the contact's too. @rules: MtContactRule*. */
void mt_impersonation_add_rule_names(MtImpersonation *imp, GPtrArray *rules);
void mt_impersonation_free(MtImpersonation *imp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtImpersonation, mt_impersonation_free)

/* Adds the reasons above that @facts and @fp show to @verdict. @contact: (nullable) the
 * sender's own history, when the sender is a learned contact. @store is asked as it is now,
 * so a long-running watch sees the contacts learned since it started. Safe on several
 * threads at once. */
void mt_impersonation_check(MtImpersonation *imp, MtStore *store, const MtFacts *facts,
                            const MtFingerprint *fp, const MtContactReport *contact,
                            const MtPolicy *policy, MtVerdict *verdict);

G_END_DECLS
