/* IP -> country, AS number and AS organisation, from MaxMind DB files.
 * The only module that includes maxminddb.h. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _MtGeoDb MtGeoDb;

typedef struct {
  char *country; /* (nullable) ISO 3166-1 alpha-2 */
  guint32 asn;   /* 0 when unknown */
  char *as_org;  /* (nullable) */
} MtGeoInfo;

/* Opens either database, both, or none: a NULL, missing or corrupt path is not an error but
 * a sentence appended to @warnings, and lookups in it give nothing.
 * Country files may use the GeoLite2 layout (`country.iso_code`) or ip-location-db's
 * (`country_code`); AS files the GeoLite2-ASN layout.
 * Returns: (transfer full) */
MtGeoDb *mt_geo_open(const char *country_path, const char *asn_path, GPtrArray *warnings);
void mt_geo_close(MtGeoDb *geo);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtGeoDb, mt_geo_close)

/* Whether any database is open; whether the country one, the AS one is. */
gboolean mt_geo_is_usable(const MtGeoDb *geo);
gboolean mt_geo_has_country(const MtGeoDb *geo);
gboolean mt_geo_has_asn(const MtGeoDb *geo);

/* What the country (@asn FALSE) or AS database is: "TYPE, built YYYY-MM-DD", from its
 * metadata. Returns: (transfer full) (nullable): NULL when that database is not open. */
char *mt_geo_describe(const MtGeoDb *geo, gboolean asn);

/* Fills @out (fields NULL/0 when unknown). @geo may be NULL. */
void mt_geo_lookup(const MtGeoDb *geo, const char *ip, MtGeoInfo *out);
void mt_geo_info_clear(MtGeoInfo *info);

/* The version of libmaxminddb in use. */
const char *mt_geo_library_version(void);

G_END_DECLS
