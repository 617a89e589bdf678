/* Reason codes, the verdict, and scoring. A code is stable: it names the README table
 * entry, the IMAP keyword and the X-Mailtrace-Reasons value. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  const char *code;
  double weight; /* default, overridable in rules.conf [weights] */
  const char *summary;
} MtReasonKind;

/* The table of every code, NULL-terminated by a row with code NULL. */
extern const MtReasonKind mt_reason_kinds[];

/* Returns: (transfer none) (nullable) */
const MtReasonKind *mt_reason_kind(const char *code);

typedef struct {
  char *code;
  double weight;
  char *text; /* one sentence a person can check, naming the evidence */
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

/* Sums the weights and compares them to @threshold. */
void mt_verdict_score(MtVerdict *v, double threshold);

const char *mt_verdict_kind_name(MtVerdictKind kind);

G_END_DECLS
