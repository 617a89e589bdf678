#!/bin/bash
# Detection, in one run, on the visible sets: the share of real phishing each tool flags and the
# share of genuine mail it flags by mistake.
#   - mailtrace `explain --json` with an empty store (strangers only: nothing learned), real geo
#     databases, on every message of each set;
#   - the same mailtrace, SpamAssassin 4 (spamd, local tests only) and rspamd 3.4 (DNS-based
#     modules off; bench/peers-lib.sh) on a fixed sample of each set (every k-th file).
# Sets: ../shared/data/phishing-pot/headers (phishing), ../shared/data/modern-ham/headers and the
# SpamAssassin public corpus's ham (genuine). Prints the table and, for mailtrace, the reasons
# behind its false positives and what its missed phishing did show.
# Needs: apt-get install rspamd spamd spamc (the benchmark only; CI does not run it).
# Usage: bench/detection.sh [BUILD_DIR] [SAMPLE]   (default build-release, 400)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-release}
sample=${2:-400}
[ -f "$build/build.ninja" ] || meson setup "$build" -Dbuildtype=release -Dtests=disabled >/dev/null
ninja -C "$build" >/dev/null
. bench/peers-lib.sh
peers_require
bin=$PWD/$build/scanner/cli/mailtrace
shared=${MT_SHARED_DATA:-$PWD/../shared/data}
corpus=$(bench/fetch-corpus.sh)
geo=${XDG_CACHE_HOME:-$HOME/.cache}/mailtrace/geo
[ -f "$geo/asn.mmdb" ] || packaging/fetch-geo.sh "$geo" >/dev/null
for d in "$shared/phishing-pot/headers" "$shared/modern-ham/headers"; do
  [ -d "$d" ] || { echo "detection.sh: $d is missing (set MT_SHARED_DATA)" >&2; exit 1; }
done

peers_init
# name, kind, files
find "$shared/phishing-pot/headers" -type f | sort >"$work/phishing-pot.list"
find "$shared/modern-ham/headers" -type f | sort >"$work/modern-ham.list"
find "$corpus/data/easy-ham-1" "$corpus/data/easy-ham-2" "$corpus/data/hard-ham-1" -type f |
  sort >"$work/sa-ham.list"
sets="phishing-pot modern-ham sa-ham"
for s in $sets; do
  n=$(wc -l <"$work/$s.list")
  awk -v t="$n" -v k="$sample" 'NR % int(t / k) == 0 && c++ < k' "$work/$s.list" >"$work/$s.sample"
done

# mailtrace: its own HOME, the real geo databases, no store.
mkdir -p "$work/mt/.config/mailtrace"
printf '[geo]\ncountry_db = %s\nasn_db = %s\n' "$geo/country.mmdb" "$geo/asn.mmdb" \
  >"$work/mt/.config/mailtrace/config"
for s in $sets; do
  HOME=$work/mt XDG_CONFIG_HOME=$work/mt/.config XDG_DATA_HOME=$work/mt/.local/share \
    xargs -d '\n' -s 2000000 "$bin" explain --json -q <"$work/$s.list" >"$work/$s.mt.json"
done

# the peers, on the samples (the files are read by the peers' own user)
mkdir -p "$work/copies"
for s in $sets; do
  i=0
  while IFS= read -r f; do
    i=$((i + 1))
    cp "$f" "$work/copies/$s-$i"
    echo "$work/copies/$s-$i"
  done <"$work/$s.sample" >"$work/$s.copies"
done
chmod -R a+rX "$work/copies"
peers_start_rspamd
peers_start_spamd
for s in $sets; do
  xargs -d '\n' -s 2000000 rspamc -h "127.0.0.1:$rport" -n 8 -t 60 <"$work/$s.copies" \
    >"$work/$s.rspamc" 2>&1 || true
  # spamc -c: "score/threshold", exit status 1 for spam
  xargs -d '\n' -P 4 -I{} sh -c \
    "r=\$(spamc -d 127.0.0.1 -p $sport -c <'{}'); printf '%s\t%s\t%s\n' '{}' \$? \"\$r\"" \
    <"$work/$s.copies" >"$work/$s.spamc" || true
done

python3 bench/detection.py "$work" $sets
