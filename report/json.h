/* One analysis -> one JSON object (json-glib), the field names documented in the README. */
#pragma once

#include <json-glib/json-glib.h>

#include "engine.h"

G_BEGIN_DECLS

/* @file: (nullable) the input's name, recorded as `file`.
 * Returns: (transfer full) */
JsonNode *mt_report_json(const MtAnalysis *a, const char *file);

/* One line, no trailing newline. Returns: (transfer full) */
char *mt_report_json_line(const MtAnalysis *a, const char *file);

/* A learned contact: `address`, `messages`, `spam`, `first_seen`, `last_seen` and, when it
 * was loaded, `fingerprint` {attr: [{value, label, count}]}. Returns: (transfer full) */
JsonNode *mt_report_profile_json(const MtProfile *p);

/* One JSON value on one line. Returns: (transfer full) */
char *mt_report_json_to_line(JsonNode *node);

G_END_DECLS
