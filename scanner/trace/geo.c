#include "geo.h"

#include <arpa/inet.h>
#include <string.h>

#include <maxminddb.h>

struct _MtGeoDb {
  MMDB_s country;
  MMDB_s asn;
  gboolean has_country, has_asn;
};

static gboolean
open_db(const char *path, const char *what, MMDB_s *db, GPtrArray *warnings)
{
  if (path == NULL) {
    g_ptr_array_add(warnings, g_strdup_printf("no %s database configured or found", what));
    return FALSE;
  }
  int rc = MMDB_open(path, MMDB_MODE_MMAP, db);
  if (rc != MMDB_SUCCESS) {
    g_ptr_array_add(warnings,
                    g_strdup_printf("%s database %s unusable: %s", what, path, MMDB_strerror(rc)));
    return FALSE;
  }
  return TRUE;
}

MtGeoDb *
mt_geo_open(const char *country_path, const char *asn_path, GPtrArray *warnings)
{
  g_return_val_if_fail(warnings != NULL, NULL);

  MtGeoDb *geo = g_new0(MtGeoDb, 1);
  geo->has_country = open_db(country_path, "country", &geo->country, warnings);
  geo->has_asn = open_db(asn_path, "AS", &geo->asn, warnings);
  return geo;
}

void
mt_geo_close(MtGeoDb *geo)
{
  if (geo == NULL)
    return;
  if (geo->has_country)
    MMDB_close(&geo->country);
  if (geo->has_asn)
    MMDB_close(&geo->asn);
  g_free(geo);
}

gboolean
mt_geo_is_usable(const MtGeoDb *geo)
{
  return geo != NULL && (geo->has_country || geo->has_asn);
}

gboolean
mt_geo_has_country(const MtGeoDb *geo)
{
  return geo != NULL && geo->has_country;
}

gboolean
mt_geo_has_asn(const MtGeoDb *geo)
{
  return geo != NULL && geo->has_asn;
}

/* The address as a socket address, parsed once for both databases: MMDB_lookup_string would
 * run getaddrinfo for each, which costs more than the lookup. */
static gboolean
to_sockaddr(const char *ip, struct sockaddr_storage *ss)
{
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET, ip, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    return TRUE;
  }
  if (inet_pton(AF_INET6, ip, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    return TRUE;
  }
  return FALSE;
}

/* A corrupt tree shows up later, as an error from MMDB_get_value. */
static gboolean
lookup(const MMDB_s *db, const struct sockaddr_storage *ss, MMDB_lookup_result_s *res)
{
  int mmdb_error = 0;
  *res = MMDB_lookup_sockaddr((MMDB_s *)db, (const struct sockaddr *)ss, &mmdb_error);
  return mmdb_error == MMDB_SUCCESS && res->found_entry;
}

static char *
get_string(MMDB_lookup_result_s *res, const char *const *path)
{
  MMDB_entry_data_s d;
  if (MMDB_aget_value(&res->entry, &d, path) != MMDB_SUCCESS || !d.has_data ||
      d.type != MMDB_DATA_TYPE_UTF8_STRING || d.data_size == 0 || d.data_size > 256)
    return NULL;
  /* MMDB strings are not NUL-terminated. */
  return g_strndup(d.utf8_string, d.data_size);
}

static guint32
get_uint(MMDB_lookup_result_s *res, const char *const *path)
{
  MMDB_entry_data_s d;
  if (MMDB_aget_value(&res->entry, &d, path) != MMDB_SUCCESS || !d.has_data)
    return 0;
  switch (d.type) {
  case MMDB_DATA_TYPE_UINT32:
    return d.uint32;
  case MMDB_DATA_TYPE_UINT16:
    return d.uint16;
  case MMDB_DATA_TYPE_UINT64:
    return d.uint64 <= G_MAXUINT32 ? (guint32)d.uint64 : 0;
  default:
    return 0;
  }
}

void
mt_geo_lookup(const MtGeoDb *geo, const char *ip, MtGeoInfo *out)
{
  g_return_if_fail(out != NULL);

  *out = (MtGeoInfo){0};
  struct sockaddr_storage ss;
  if (geo == NULL || ip == NULL || !to_sockaddr(ip, &ss))
    return;
  MMDB_lookup_result_s res;
  if (geo->has_country && lookup(&geo->country, &ss, &res)) {
    static const char *const flat[] = {"country_code", NULL};
    static const char *const nested[] = {"country", "iso_code", NULL};
    out->country = get_string(&res, flat);
    if (out->country == NULL)
      out->country = get_string(&res, nested);
  }
  if (geo->has_asn && lookup(&geo->asn, &ss, &res)) {
    static const char *const num[] = {"autonomous_system_number", NULL};
    static const char *const org[] = {"autonomous_system_organization", NULL};
    out->asn = get_uint(&res, num);
    out->as_org = get_string(&res, org);
  }
}

void
mt_geo_info_clear(MtGeoInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer(&info->country, g_free);
  g_clear_pointer(&info->as_org, g_free);
  info->asn = 0;
}

char *
mt_geo_describe(const MtGeoDb *geo, gboolean asn)
{
  if (geo == NULL || !(asn ? geo->has_asn : geo->has_country))
    return NULL;
  const MMDB_s *db = asn ? &geo->asn : &geo->country;
  g_autoptr(GDateTime) built = g_date_time_new_from_unix_utc((gint64)db->metadata.build_epoch);
  g_autofree char *day = built != NULL ? g_date_time_format(built, "%Y-%m-%d") : NULL;
  return g_strdup_printf("%s, built %s",
                         db->metadata.database_type != NULL ? db->metadata.database_type : "?",
                         day != NULL ? day : "?");
}

const char *
mt_geo_library_version(void)
{
  return MMDB_lib_version();
}
