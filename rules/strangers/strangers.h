/* Senders the user never learned, judged by what a well-known name or the user's own domain
 * should look like, and by what the receiving provider recorded:
 *   brand-impersonation  a display name or address claims a well-known sender (brands.h), or
 *                        its domain looks like one of theirs, from a domain that is not theirs
 *   own-domain-spoof     claims the recipient's own organisation (its domain, "Mailbox
 *                        administrator") from outside it, with nothing that authenticates it
 *   provider-auth-fail   the provider's composite verdict (Microsoft's compauth) failed, or its
 *                        results authenticate nothing about the From domain
 *   origin-unrelated     unauthenticated, and the origin names itself in another domain
 *   reply-to-elsewhere   replies go to another registered domain (more: to free mail)
 *   from-domain-invalid  the From domain is no domain anyone can register
 * The provider's results need a second fact to move a message (their weights add up to the
 * threshold only together); a mailing list's own path, or an ARC chain the provider validated,
 * explains an authentication failure away and says so. */
#pragma once

#include "brands.h"
#include "config.h"
#include "facts.h"
#include "reasons.h"

G_BEGIN_DECLS

/* Adds the reasons above that @facts show to @verdict (which already holds the checks.h
 * reasons: a DMARC failure there is explained away here when a list or ARC explains it).
 * @brands: (nullable) the well-known senders. Call it only for a sender who is no learned
 * contact: a contact's mail is judged against their own history. */
void mt_strangers_check(const MtBrands *brands, const MtFacts *facts, const MtPolicy *policy,
                        MtVerdict *verdict);

/* How the recipient's organisation is named, for the own-domain check: the registered domain
 * of @facts' recipient, NULL when unknown or a provider shared by everyone (gmail.com).
 * Returns: (transfer full) (nullable) */
char *mt_strangers_own_domain(const MtFacts *facts);

G_END_DECLS
