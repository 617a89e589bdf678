#include "engine.h"

#include "checks.h"

struct _MtEngine {
  MtConfig *cfg;
  MtGeoDb *geo;
};

MtEngine *
mt_engine_new(MtConfig *cfg, GPtrArray *warnings)
{
  g_return_val_if_fail(cfg != NULL && warnings != NULL, NULL);

  MtEngine *e = g_new0(MtEngine, 1);
  e->cfg = cfg;
  e->geo = mt_geo_open(cfg->country_db, cfg->asn_db, warnings);
  return e;
}

void
mt_engine_free(MtEngine *engine)
{
  if (engine == NULL)
    return;
  mt_config_free(engine->cfg);
  mt_geo_close(engine->geo);
  g_free(engine);
}

const MtConfig *
mt_engine_config(const MtEngine *engine)
{
  g_return_val_if_fail(engine != NULL, NULL);
  return engine->cfg;
}

MtAnalysis *
mt_analyse(const MtEngine *engine, const char *data, gsize len)
{
  g_return_val_if_fail(engine != NULL, NULL);

  MtScanContext ctx = {
      .trust = engine->cfg->trust,
      .authserv_ids = (const char *const *)engine->cfg->authserv_ids,
      .geo = engine->geo,
  };
  MtAnalysis *a = g_new0(MtAnalysis, 1);
  a->facts = mt_facts_collect(data, len, &ctx);
  a->verdict = mt_verdict_new();
  mt_checks_run(a->facts, &engine->cfg->policy, a->verdict);
  mt_verdict_score(a->verdict, engine->cfg->policy.threshold);
  return a;
}

void
mt_analysis_free(MtAnalysis *a)
{
  if (a == NULL)
    return;
  mt_facts_free(a->facts);
  mt_verdict_free(a->verdict);
  g_free(a);
}
