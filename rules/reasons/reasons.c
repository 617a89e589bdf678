#include "reasons.h"

#include <string.h>

/* Default weights: a score of MT_DEFAULT_THRESHOLD (policy.h) makes a message suspicious.
 * One strong sign alone nearly gets there; weak signs need company. */
const MtReasonKind mt_reason_kinds[] = {
    {"origin-no-rdns", 2.0,
     "The server that handed the message to your provider has no reverse DNS name.", TRUE},
    {"helo-mismatch", 1.5,
     "The origin's HELO name or literal does not match its reverse DNS name or address.", TRUE},
    {"helo-unconfirmed", 0.5,
     "The origin announced a HELO name that no reverse DNS name confirms.", TRUE},
    {"helo-private-literal", 3.0,
     "A relay on a public address announced a loopback or private address as its HELO, or a mail "
     "client a loopback one."},
    {"country-blocked", 4.0, "The origin or submission is in a country you block."},
    {"country-not-allowed", 3.0, "The origin or submission is outside the countries you allow."},
    {"chain-broken", 1.0,
     "A hop's sender does not match the server that the hop below says received it."},
    {"chain-time-reversed", 1.0,
     "The Received dates go backwards by more than the allowed clock skew."},
    {"chain-private-below-public", 1.0,
     "A public relay claims a message from a private network that it did not receive."},
    {"display-name-address", 3.0,
     "The From display name shows an address other than the real one."},
    {"charset-not-allowed", 2.0, "The message uses a charset outside the ones you allow."},
    {"script-not-allowed", 3.0,
     "The message is written in a script you do not read (Cyrillic, Han ...)."},
    {"spf-fail", 1.5, "A trusted server found that SPF fails for the envelope sender."},
    {"dkim-fail", 1.5, "A trusted server found a DKIM signature that does not verify."},
    {"dmarc-fail", 3.0, "A trusted server found that DMARC fails for the From domain."},
    {"contact-rule", 4.0,
     "The message breaks one of your rules for its sender (servers, countries, charsets, mailers, "
     "DKIM, time zones)."},
    {"contact-fingerprint", 1.0,
     "The message differs from how its sender's genuine mail has always looked (weight: the "
     "deviations' own, times this)."},
    {"helo-forward-mismatch", 2.0,
     "Looked up online: the origin's HELO name does not resolve to the origin's address.", TRUE},
    {"rdns-not-confirmed", 1.0,
     "Looked up online: the origin's reverse DNS name does not resolve back to its address "
     "(no forward-confirmed reverse DNS).",
     TRUE},
    {"domain-young", 2.0,
     "Looked up online (RDAP): the From, envelope or HELO domain was registered shortly before "
     "the message."},
    {"first-contact", 0.0,
     "The sender never wrote before (a fact; weight it in rules.conf to make it count)."},
    /* alone enough to move: the commonest impersonation, and a genuine new address is
     * learned once (learn --ham) */
    {"contact-name-new-address", 4.0,
     "The From name is a learned contact's, on an address that contact never used."},
    {"lookalike-contact", 4.0,
     "The sender's address or domain looks like a learned contact's without being it."},
    /* alone it does not move: a contact's genuine new reply address is as common as a
     * diversion on an intact path (bench/impersonation.py, bench/quality.py) */
    {"reply-to-diverted", 2.0,
     "Replies to a known contact's message would go to a domain their mail never used."},
    {"account-takeover", 4.0,
     "A contact's usual server and signature, but submitted from a network or country and "
     "with a mail client they never used."},
    /* strangers (rules/strangers): a brand or the user's own domain claimed is alone enough;
     * what the provider recorded needs a second fact (their weights add up to 4) */
    {"brand-impersonation", 4.0,
     "The From name or address claims a well-known sender (a brand or service), or its domain "
     "looks like one of theirs, but the message is from a domain that is not theirs."},
    {"own-domain-spoof", 4.0,
     "The message claims your own organisation (your domain, its IT or mail administrators) "
     "but came from outside it, with nothing that authenticates it."},
    {"provider-auth-fail", 2.0,
     "The receiving provider's own results authenticate nothing about the From domain of a "
     "sender you never learned (Microsoft's compauth failed, or no aligned SPF, DKIM or DMARC "
     "pass)."},
    {"origin-unrelated", 2.0,
     "Nothing authenticates the From domain, and the server it came from names itself in "
     "another domain."},
    {"reply-to-elsewhere", 2.0,
     "A stranger's replies would go to another registered domain (weight times 1.5 for a "
     "free-mail address behind an organisation's From)."},
    {"from-domain-invalid", 3.0,
     "The From domain is no domain anyone can register (no public suffix), on mail from "
     "outside."},
    {"malformed-received", 1.0,
     "A Received header is broken or hostile (NUL bytes, unbalanced, absurdly long)."},
    {"malformed-mime", 1.0, "The MIME structure is one that other software will read differently."},
    {NULL, 0, NULL},
};

const MtReasonKind *
mt_reason_kind(const char *code)
{
  for (const MtReasonKind *k = mt_reason_kinds; code != NULL && k->code != NULL; k++)
    if (strcmp(k->code, code) == 0)
      return k;
  return NULL;
}

static void
reason_free(gpointer data)
{
  MtReason *r = data;
  g_free(r->code);
  g_free(r->text);
  g_free(r->explained_by);
  g_free(r->explanation);
  g_free(r);
}

MtVerdict *
mt_verdict_new(void)
{
  MtVerdict *v = g_new0(MtVerdict, 1);
  v->reasons = g_ptr_array_new_with_free_func(reason_free);
  return v;
}

void
mt_verdict_free(MtVerdict *v)
{
  if (v == NULL)
    return;
  g_ptr_array_unref(v->reasons);
  g_free(v);
}

void
mt_verdict_add(MtVerdict *v, const char *code, double weight, const char *fmt, ...)
{
  g_return_if_fail(v != NULL && mt_reason_kind(code) != NULL);

  MtReason *r = g_new0(MtReason, 1);
  r->code = g_strdup(code);
  r->weight = weight;
  va_list ap;
  va_start(ap, fmt);
  r->text = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_ptr_array_add(v->reasons, r);
}

void
mt_verdict_score(MtVerdict *v, double threshold)
{
  g_return_if_fail(v != NULL);

  v->score = 0;
  for (guint i = 0; i < v->reasons->len; i++)
    v->score += ((MtReason *)g_ptr_array_index(v->reasons, i))->weight;
  v->kind = v->score >= threshold ? MT_VERDICT_SUSPICIOUS : MT_VERDICT_CLEAN;
}

const char *
mt_verdict_kind_name(MtVerdictKind kind)
{
  return kind == MT_VERDICT_SUSPICIOUS ? "suspicious" : "clean";
}

void
mt_reason_explain(MtReason *r, const char *by, const char *sentence)
{
  g_return_if_fail(r != NULL && by != NULL && sentence != NULL);
  r->weight = 0;
  g_free(r->explained_by);
  r->explained_by = g_strdup(by);
  g_free(r->explanation);
  r->explanation = g_strdup(sentence);
}
