/* The one entry point every front door calls: bytes of one message -> facts and verdict. */
#pragma once

#include "config.h"
#include "facts.h"
#include "geo.h"
#include "reasons.h"

G_BEGIN_DECLS

typedef struct _MtEngine MtEngine;

/* Takes @cfg and opens its geo databases; problems with them are appended to @warnings.
 * Returns: (transfer full) */
MtEngine *mt_engine_new(MtConfig *cfg, GPtrArray *warnings);
void mt_engine_free(MtEngine *engine);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtEngine, mt_engine_free)

const MtConfig *mt_engine_config(const MtEngine *engine);

typedef struct {
  MtFacts *facts;
  MtVerdict *verdict;
} MtAnalysis;

/* Never fails: malformed mail is a finding. Returns: (transfer full) */
MtAnalysis *mt_analyse(const MtEngine *engine, const char *data, gsize len);
void mt_analysis_free(MtAnalysis *a);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtAnalysis, mt_analysis_free)

G_END_DECLS
