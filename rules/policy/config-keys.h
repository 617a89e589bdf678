/* Every key of the two configuration files in one table: its group, type, default, allowed
 * values and a one-line description. From it come the validation of each file (with file:line
 * and "did you mean"), `mailtrace check` and the documentation of the keys. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  MT_KEY_STRING,
  MT_KEY_PATH,
  MT_KEY_BOOL,
  MT_KEY_INT,       /* min..max */
  MT_KEY_NUMBER,    /* min..max, finite */
  MT_KEY_SIZE,      /* bytes, with an optional K, M or G suffix */
  MT_KEY_ENUM,      /* one of allowed, "a|b|c" */
  MT_KEY_LIST,      /* items separated by ';' or ',' */
  MT_KEY_COUNTRIES, /* a list of ISO 3166 alpha-2 codes */
} MtKeyType;

typedef enum { MT_FILE_CONFIG, MT_FILE_RULES } MtConfigFileKind;

typedef struct {
  MtConfigFileKind file;
  const char *group; /* "account *" and "contact *" stand for every such group */
  const char *key;   /* "*" in [weights]: any reason code */
  MtKeyType type;
  const char *fallback; /* the default as a person reads it; NULL: none */
  double min, max;      /* MT_KEY_INT, MT_KEY_NUMBER */
  const char *allowed;  /* MT_KEY_ENUM */
  const char *doc;
} MtConfigKey;

/* Returns: the table, *@n rows, in the order of the documentation. */
const MtConfigKey *mt_config_keys(gsize *n);

/* The table's name for @group ("account work" -> "account *"), or NULL when unknown. */
const char *mt_config_group_pattern(MtConfigFileKind file, const char *group);

/* Returns: (nullable) the row for @key in @group of @file. */
const MtConfigKey *mt_config_key_find(MtConfigFileKind file, const char *group, const char *key);

/* Checks @value against @k's type and range. Returns: FALSE with *@why (transfer full). */
gboolean mt_config_key_check(const MtConfigKey *k, const char *value, char **why);

/* Validates every group and key of @kf, read from @path whose text is @contents: an unknown
 * group or key is a warning (with its line and the nearest known name), a value of the wrong
 * type or out of range is an error. Returns: FALSE with @error "path:line: [group] key: why". */
gboolean mt_config_validate(GKeyFile *kf, MtConfigFileKind file, const char *path,
                            const char *contents, GPtrArray *warnings, GError **error);

/* The line of @key in @group of @contents (the group's header line when @key is NULL), 0 when
 * not found. */
guint mt_config_line(const char *contents, const char *group, const char *key);

/* Items of a list value, split at ';' and ',', trimmed, empty ones dropped.
 * Returns: (transfer full) never NULL. */
GStrv mt_config_split_list(const char *value);

/* A size in bytes with an optional K, M or G (binary) suffix. */
gboolean mt_config_parse_size(const char *text, guint64 *out);

/* The list @key in @group (items separated by ';' or ','), trimmed, lower-case (upper-case
 * with @upper), empty items dropped. Returns: (transfer full) (nullable): NULL when absent or
 * empty. */
GStrv mt_config_get_list(GKeyFile *kf, const char *group, const char *key, gboolean upper);

G_END_DECLS
