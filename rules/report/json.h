/* One analysis -> one JSON object, the field names documented in the README and in the JSON
 * Schema doc/mailtrace.schema.json. Every line mailtrace prints as JSON is one object that
 * begins with "format": MT_JSON_FORMAT, raised whenever a field changes meaning or goes away.
 * Keys are snake_case; an absent value is null. */
#pragma once

#include "engine.h"
#include "json-writer.h"

G_BEGIN_DECLS

#define MT_JSON_FORMAT 1

/* Opens a line's object in @w and writes its "format" member. */
void mt_report_json_begin_line(MtJsonWriter *w);

/* The line for an input that could not be read: {format, file, error}. Returns: (transfer full) */
char *mt_report_json_error_line(const char *file, const char *error);

/* The analysis's members, written into the object open in @w (a caller may add its own).
 * @file: (nullable) the input's name, recorded as `file`. */
void mt_report_json_members(MtJsonWriter *w, const MtAnalysis *a, const char *file);

/* The analysis as one object on one line, no trailing newline. Returns: (transfer full) */
char *mt_report_json_line(const MtAnalysis *a, const char *file);

/* A learned contact on one line: `address`, `messages`, `spam`, `first_seen`, `last_seen` and,
 * when it was loaded, `fingerprint` {attr: [{value, label, count}]}. Returns: (transfer full) */
char *mt_report_profile_json_line(const MtProfile *p);

G_END_DECLS
