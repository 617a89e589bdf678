/* Hand-written rules for individual senders, from rules.conf:
 *   [contact alice@example.org]   or   [contact *@example.org]
 *   servers = *.mail.example.org; 192.0.2.0/24; AS3320
 *   countries = DE; charsets = utf-8; mailers = *Thunderbird*; dkim_domains = example.org
 *   timezones = +0100; +0200; require_dkim = true
 *   names = Anne Lee; A. Lee    (other names of hers: impersonation.h)
 * Any mismatch is a `contact-rule` reason naming the expected and the seen value. */
#pragma once

#include <glib.h>

#include "facts.h"
#include "fingerprint.h"
#include "reasons.h"

G_BEGIN_DECLS

typedef struct _MtContactRule MtContactRule;

/* Parses one `[contact PATTERN]` group of @kf (its keys and their types were checked against
 * the key table). Returns: (transfer full) (nullable): NULL with @error (naming the key) when a
 * value is malformed. */
MtContactRule *mt_contact_rule_parse(GKeyFile *kf, const char *group, GError **error);
void mt_contact_rule_free(MtContactRule *rule);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtContactRule, mt_contact_rule_free)

/* The rule for @address (normalised): an exact address beats `*@domain`.
 * Returns: (transfer none) (nullable) */
const MtContactRule *mt_contact_rules_find(GPtrArray *rules, const char *address);

/* Its `[contact PATTERN]` pattern, lower case. */
const char *mt_contact_rule_pattern(const MtContactRule *rule);
/* (nullable) The other display names the user gave the contact (`names`), lower case. */
const char *const *mt_contact_rule_names(const MtContactRule *rule);

void mt_contact_rule_check(const MtContactRule *rule, const MtFacts *facts, const MtFingerprint *fp,
                           MtVerdict *verdict, double weight);

G_END_DECLS
