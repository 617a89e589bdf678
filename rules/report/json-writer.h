/* A JSON writer straight into a GString: no tree of nodes to build and free for each line
 * (json-glib's builder cost more than the analysis it reported). Strings are made valid UTF-8
 * and every control character is escaped (RFC 8259 §7). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  GString *out;
  gboolean comma; /* a value was written at this level: the next one needs a comma */
} MtJsonWriter;

void mt_json_init(MtJsonWriter *w, GString *out);
void mt_json_begin_object(MtJsonWriter *w);
void mt_json_end_object(MtJsonWriter *w);
void mt_json_begin_array(MtJsonWriter *w);
void mt_json_end_array(MtJsonWriter *w);
/* The name of the next member of the open object. */
void mt_json_key(MtJsonWriter *w, const char *key);
/* @s: (nullable): NULL writes null */
void mt_json_string(MtJsonWriter *w, const char *s);
void mt_json_null(MtJsonWriter *w);
void mt_json_bool(MtJsonWriter *w, gboolean v);
void mt_json_int(MtJsonWriter *w, gint64 v);
/* The shortest form that reads back as @v (2.5, not 2.50000000000000001); 1.0 keeps its `.0`. */
void mt_json_double(MtJsonWriter *w, double v);

/* Members: a key and its value. */
void mt_json_member_string(MtJsonWriter *w, const char *key, const char *s);
void mt_json_member_bool(MtJsonWriter *w, const char *key, gboolean v);
void mt_json_member_int(MtJsonWriter *w, const char *key, gint64 v);
void mt_json_member_double(MtJsonWriter *w, const char *key, double v);

G_END_DECLS
