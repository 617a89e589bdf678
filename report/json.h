/* One analysis -> one JSON object, the field names documented in the README. */
#pragma once

#include <json-glib/json-glib.h>

#include "engine.h"
#include "json-writer.h"

G_BEGIN_DECLS

/* The analysis's members, written into the object open in @w (a caller may add its own).
 * @file: (nullable) the input's name, recorded as `file`. */
void mt_report_json_members(MtJsonWriter *w, const MtAnalysis *a, const char *file);

/* The analysis as one object on one line, no trailing newline. Returns: (transfer full) */
char *mt_report_json_line(const MtAnalysis *a, const char *file);

/* A learned contact on one line: `address`, `messages`, `spam`, `first_seen`, `last_seen` and,
 * when it was loaded, `fingerprint` {attr: [{value, label, count}]}. Returns: (transfer full) */
char *mt_report_profile_json_line(const MtProfile *p);

/* One json-glib value on one line. Returns: (transfer full) */
char *mt_report_json_to_line(JsonNode *node);

G_END_DECLS
