#include "engine.h"

#include <string.h>

#include "checks.h"
#include "contact-rules.h"
#include "impersonation.h"
#include "mt-config.h"
#include "mt-error.h"
#include "program-dir.h"
#include "relays.h"
#include "strangers.h"

struct _MtEngine {
  MtConfig *cfg;
  MtGeoDb *geo;
  MtStore *store; /* (nullable) */
  GStrv relays;   /* the user's own relays as learned (relays.h), read once */
  MtImpersonation *impersonation; /* (nullable) with a store, unless learning */
  MtBrands *brands;       /* (nullable) the well-known senders, unless learning */
  char *account_address;  /* (nullable) the mailbox read (mt_engine_set_account_address) */
};

#define WELL_KNOWN_SENDERS "well-known-senders.conf"

char *
mt_engine_well_known_senders_path(const MtConfig *cfg)
{
  if (cfg->policy.well_known_senders != NULL)
    return g_strdup(cfg->policy.well_known_senders);
  g_autofree char *dir = mt_program_dir();
  g_autofree char *beside = dir != NULL ? g_build_filename(dir, WELL_KNOWN_SENDERS, NULL) : NULL;
  if (beside != NULL && g_file_test(beside, G_FILE_TEST_EXISTS))
    return g_steal_pointer(&beside);
  return g_build_filename(MT_SYSTEM_DATA_DIR, WELL_KNOWN_SENDERS, NULL);
}

MtBrands *
mt_engine_load_brands(const MtConfig *cfg, GPtrArray *warnings, GError **error)
{
  g_autoptr(MtBrands) brands = mt_brands_new();
  g_autofree char *path = mt_engine_well_known_senders_path(cfg);
  g_autoptr(GError) err = NULL;
  if (!mt_brands_load_file(brands, path, &err))
    g_ptr_array_add(warnings, g_strdup_printf("well-known senders not used: %s", err->message));
  if (!mt_brands_add_groups(brands, cfg->rules_file, error))
    return NULL;
  return g_steal_pointer(&brands);
}

MtEngine *
mt_engine_new(MtConfig *cfg, MtStoreMode mode, GPtrArray *warnings, GError **error)
{
  g_return_val_if_fail(cfg != NULL && warnings != NULL, NULL);

  g_autoptr(MtEngine) e = g_new0(MtEngine, 1);
  e->cfg = cfg;
  e->geo = mt_geo_open(cfg->country_db, cfg->asn_db, warnings);
  if (mode == MT_STORE_WRITE) {
    e->store = mt_store_open(cfg->store_path, TRUE, error);
    if (e->store == NULL)
      return NULL;
  } else if (mode == MT_STORE_READ && g_file_test(cfg->store_path, G_FILE_TEST_EXISTS)) {
    g_autoptr(GError) err = NULL;
    e->store = mt_store_open(cfg->store_path, FALSE, &err);
    if (e->store == NULL)
      g_ptr_array_add(warnings, g_strdup_printf("learned profiles not used: %s", err->message));
  }
  if (e->store != NULL) {
    /* judging writes no profile: each worker reads through a connection of its own (learning
     * turns it off, mt_engine_set_learning()) */
    mt_store_read_in_parallel(e->store, g_get_num_processors());
    g_autoptr(GError) err = NULL;
    e->relays = mt_relays_trusted(e->store, &err);
    if (e->relays == NULL)
      g_ptr_array_add(warnings, g_strdup_printf("learned relays not used: %s", err->message));
    e->impersonation = mt_impersonation_new(cfg->policy.min_history);
    mt_impersonation_add_rule_names(e->impersonation, cfg->policy.contact_rules);
  }
  e->brands = mt_engine_load_brands(cfg, warnings, error);
  if (e->brands == NULL)
    return NULL;
  return g_steal_pointer(&e);
}

gboolean
mt_engine_is_complete(const MtEngine *engine, GError **error)
{
  g_return_val_if_fail(engine != NULL, FALSE);

  const MtConfig *cfg = engine->cfg;
  const char *missing = cfg->country_db != NULL && !mt_geo_has_country(engine->geo) ? cfg->country_db
                        : cfg->asn_db != NULL && !mt_geo_has_asn(engine->geo)     ? cfg->asn_db
                                                                                  : NULL;
  if (missing != NULL) {
    g_set_error(error, MT_ERROR, MT_ERROR_IO, "%s cannot be used", missing);
    return FALSE;
  }
  if (engine->store == NULL && g_file_test(cfg->store_path, G_FILE_TEST_EXISTS)) {
    /* the store's own status (74), as the README says, not an unreadable input's (66) */
    g_set_error(error, MT_ERROR, MT_ERROR_STORE, "%s cannot be used", cfg->store_path);
    return FALSE;
  }
  return TRUE;
}

void
mt_engine_set_learning(MtEngine *engine)
{
  g_return_if_fail(engine != NULL);
  g_clear_pointer(&engine->impersonation, mt_impersonation_free);
  g_clear_pointer(&engine->brands, mt_brands_free);
  if (engine->store != NULL)
    mt_store_read_in_parallel(engine->store, 0); /* it reads what it has just written */
}

void
mt_engine_set_account_address(MtEngine *engine, const char *address)
{
  g_return_if_fail(engine != NULL);
  g_free(engine->account_address);
  engine->account_address = address != NULL && strchr(address, '@') != NULL ? g_strdup(address)
                                                                            : NULL;
}

MtStore *
mt_engine_store(const MtEngine *engine)
{
  g_return_val_if_fail(engine != NULL, NULL);
  return engine->store;
}

void
mt_engine_free(MtEngine *engine)
{
  if (engine == NULL)
    return;
  mt_config_free(engine->cfg);
  mt_geo_close(engine->geo);
  mt_store_close(engine->store);
  g_strfreev(engine->relays);
  mt_impersonation_free(engine->impersonation);
  mt_brands_free(engine->brands);
  g_free(engine->account_address);
  g_free(engine);
}

const MtConfig *
mt_engine_config(const MtEngine *engine)
{
  g_return_val_if_fail(engine != NULL, NULL);
  return engine->cfg;
}

/* The reasons about how the origin identifies itself (no rDNS, HELO) describe, for a contact
 * whose mail always arrives that way, nothing new: they stay visible with weight 0. */
static void
explain_usual_origin(const MtProfile *profile, MtVerdict *verdict)
{
  g_autofree char *why =
      g_strdup_printf("It is how mail from %s always arrives (%u messages learned), so it counts "
                      "for nothing here.",
                      profile->address, profile->messages);
  for (guint i = 0; i < verdict->reasons->len; i++) {
    MtReason *r = g_ptr_array_index(verdict->reasons, i);
    const MtReasonKind *kind = mt_reason_kind(r->code);
    if (kind != NULL && kind->about_origin && r->weight != 0)
      mt_reason_explain(r, "contact history", why);
  }
}

/* A store that fails while reading is no reason to fail the analysis: the message is judged
 * without its sender's history. */
static void
compare_with_contact(const MtEngine *engine, MtAnalysis *a)
{
  if (engine->store == NULL || a->fingerprint->address == NULL)
    return;
  MtProfile *profile = mt_store_profile(engine->store, a->fingerprint->address, NULL);
  if (profile == NULL)
    return;
  const MtPolicy *policy = &engine->cfg->policy;
  a->contact = mt_contacts_compare(profile, a->fingerprint, policy->min_history);
  if (mt_contacts_origin_is_usual(a->contact))
    explain_usual_origin(a->contact->profile, a->verdict);
  mt_contacts_add_reason(a->contact, a->verdict, mt_policy_weight(policy, "contact-fingerprint"));
}

MtAnalysis *
mt_analyse_message(const MtEngine *engine, const char *data, gsize len)
{
  g_return_val_if_fail(engine != NULL, NULL);

  MtFactsContext ctx = {
      .trust = engine->cfg->trust,
      .authserv_ids = (const char *const *)engine->cfg->authserv_ids,
      .geo = engine->geo,
      .learned_relays = (const char *const *)engine->relays,
      .account_address = engine->account_address,
  };
  MtAnalysis *a = g_new0(MtAnalysis, 1);
  a->facts = mt_facts_collect(data, len, &ctx);
  a->fingerprint = mt_fingerprint_of(a->facts);
  a->verdict = mt_verdict_new();
  mt_checks_run(a->facts, &engine->cfg->policy, a->verdict);
  const MtContactRule *rule =
      mt_contact_rules_find(engine->cfg->policy.contact_rules, a->fingerprint->address);
  if (rule != NULL)
    mt_contact_rule_check(rule, a->facts, a->fingerprint, a->verdict,
                          mt_policy_weight(&engine->cfg->policy, "contact-rule"));
  return a;
}

void
mt_analyse_history(const MtEngine *engine, MtAnalysis *a)
{
  g_return_if_fail(engine != NULL && a != NULL);

  compare_with_contact(engine, a);
  if (engine->impersonation != NULL)
    mt_impersonation_check(engine->impersonation, engine->store, a->facts, a->fingerprint,
                           a->contact, &engine->cfg->policy, a->verdict);
  /* learning reads the user's own folders: who a message claims to be decides nothing there */
  if (engine->brands != NULL && a->contact == NULL)
    mt_strangers_check(engine->brands, a->facts, &engine->cfg->policy, a->verdict);
  mt_verdict_score(a->verdict, engine->cfg->policy.threshold);
}

MtAnalysis *
mt_analyse(const MtEngine *engine, const char *data, gsize len)
{
  MtAnalysis *a = mt_analyse_message(engine, data, len);
  mt_analyse_history(engine, a);
  return a;
}

void
mt_analysis_rescore(const MtEngine *engine, MtAnalysis *a)
{
  g_return_if_fail(engine != NULL && a != NULL);

  if (a->contact != NULL && mt_contacts_origin_is_usual(a->contact))
    explain_usual_origin(a->contact->profile, a->verdict);
  mt_verdict_score(a->verdict, engine->cfg->policy.threshold);
}

void
mt_analysis_free(MtAnalysis *a)
{
  if (a == NULL)
    return;
  mt_facts_free(a->facts);
  mt_fingerprint_free(a->fingerprint);
  mt_contact_report_free(a->contact);
  mt_verdict_free(a->verdict);
  mt_lookups_free(a->lookups);
  g_free(a);
}
