/* Authentication-Results (RFC 8601) -> SPF, DKIM, DMARC and ARC results.
 * Only headers written by a trusted authserv-id count: anyone upstream can add one. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *result; /* lower-case: pass, fail, neutral, none, temperror, permerror, policy ... */
  char *domain; /* (nullable) header.d, or the domain of header.i */
} MtDkimResult;

/* One parsed header. */
typedef struct {
  char *authserv_id;
  char *spf;          /* (nullable) */
  char *spf_domain;   /* (nullable) smtp.mailfrom's domain, else smtp.helo */
  char *dmarc;        /* (nullable) */
  char *dmarc_domain; /* (nullable) header.from */
  char *dmarc_action; /* (nullable) what the provider did about a failure: Microsoft's
                         `action=` (none, quarantine, oreject: its override of a reject policy) */
  char *arc;          /* (nullable) */
  char *compauth;        /* (nullable) Microsoft's composite authentication: pass, fail,
                            softpass, none: its verdict on the From domain, DMARC or not */
  char *compauth_reason; /* (nullable) its reason code: 000/001 explicit/implicit failure,
                            1xx pass (130: an ARC chain it trusts), 2xx soft pass */
  GPtrArray *dkim;    /* MtDkimResult* */
} MtAuthRes;

/* A header without an authserv-id (Microsoft's) gets "". Returns: (transfer full) (nullable) */
MtAuthRes *mt_authres_parse(const char *data, gsize len);
void mt_authres_free(MtAuthRes *ar);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtAuthRes, mt_authres_free)

/* What the trusted headers of one message say. */
typedef struct {
  char *spf, *spf_domain, *dmarc, *dmarc_domain, *dmarc_action, *arc; /* (nullable) */
  char *compauth, *compauth_reason;                                  /* (nullable) */
  GPtrArray *dkim;      /* MtDkimResult*, from trusted headers only */
  GPtrArray *trusted;   /* char*: the authserv-ids whose results count */
  GPtrArray *untrusted; /* char*: the authserv-ids ignored */
} MtAuth;

/* @raw_values: the Authentication-Results values, topmost first.
 * @trusted_ids: (nullable) authserv-ids to believe; NULL or empty: those of the topmost header
 * that has one. @provider_written: @raw_values are all the mailbox provider's own (they stand
 * in its part of the header block): each counts, with or without an authserv-id, unless ids
 * are configured. A header without an authserv-id counts only that way.
 * Returns: (transfer full) */
MtAuth *mt_auth_collect(GPtrArray *raw_values, const char *const *trusted_ids,
                        gboolean provider_written);
void mt_auth_free(MtAuth *auth);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtAuth, mt_auth_free)

G_END_DECLS
