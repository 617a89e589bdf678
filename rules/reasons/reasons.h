/* Reason codes, the verdict, and scoring. A code is stable: it names the README table
 * entry, the IMAP keyword and the X-Mailtrace-Reasons value. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *code;
  double weight; /* default, overridable in rules.conf [weights] */
  const char *summary;
  /* It describes how the origin relay identifies itself (rDNS, HELO): a sender's history can
   * show it is how that sender's mail always arrives. */
  gboolean about_origin;
} MtReasonKind;

/* The table of every code, NULL-terminated by a row with code NULL. */
extern const MtReasonKind mt_reason_kinds[];

/* Returns: (transfer none) (nullable) */
const MtReasonKind *mt_reason_kind(const char *code);

typedef struct {
  char *code;
  double weight;
  char *text;         /* one sentence a person can check, naming the evidence */
  char *explained_by; /* (nullable) what made its weight 0, e.g. "contact history" */
  char *explanation;  /* (nullable) that, in a sentence */
} MtReason;

typedef enum { MT_VERDICT_CLEAN, MT_VERDICT_SUSPICIOUS } MtVerdictKind;

typedef struct {
  MtVerdictKind kind;
  double score;
  GPtrArray *reasons; /* MtReason*, in the order found */
} MtVerdict;

MtVerdict *mt_verdict_new(void);
void mt_verdict_free(MtVerdict *v);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtVerdict, mt_verdict_free)

/* Adds a reason of @code (one of mt_reason_kinds) with @weight and a printf-style sentence. */
void mt_verdict_add(MtVerdict *v, const char *code, double weight, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

/* Keeps @r in the verdict with weight 0: @by (a short name) and @sentence say why. */
void mt_reason_explain(MtReason *r, const char *by, const char *sentence);

/* Sums the weights and compares them to @threshold. */
void mt_verdict_score(MtVerdict *v, double threshold);

const char *mt_verdict_kind_name(MtVerdictKind kind);

G_END_DECLS
