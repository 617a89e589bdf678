#!/bin/bash
# Two builds of mailtrace on the same SpamAssassin corpus, in one run, interleaved: messages
# per second of `explain --json --threads 1` with real geo databases and a store learned from
# easy-ham-1 (bench/peers.sh's mailtrace line, without the peers), best of 5 each.
# Usage: bench/compare-builds.sh OLD_BUILD_DIR NEW_BUILD_DIR
set -eu
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: $0 OLD_BUILD_DIR NEW_BUILD_DIR" >&2; exit 64; }
corpus=$(bench/fetch-corpus.sh)
geo=${XDG_CACHE_HOME:-$HOME/.cache}/mailtrace/geo
[ -f "$geo/asn.mmdb" ] || packaging/fetch-geo.sh "$geo" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$corpus/data" -name '*.txt' | sort >"$work/list"
n=$(wc -l <"$work/list")

setup() { # NAME BUILD: a home with the geo databases and a learned store
  mkdir -p "$work/$1/.config/mailtrace"
  printf '[geo]\ncountry_db = %s\nasn_db = %s\n' "$geo/country.mmdb" "$geo/asn.mmdb" \
    >"$work/$1/.config/mailtrace/config"
  run "$1" "$2" learn "$corpus/data/easy-ham-1" >/dev/null 2>&1
}
run() { # NAME BUILD ARGS...
  name=$1 build=$2
  shift 2
  HOME=$work/$name XDG_CONFIG_HOME=$work/$name/.config XDG_DATA_HOME=$work/$name/.local/share \
    "$build/scanner/cli/mailtrace" "$@"
}
now() { date +%s.%N; }
setup old "$1"
setup new "$2"
best_old="" best_new=""
for _ in 1 2 3 4 5; do
  for which in old new; do
    build=$1
    [ "$which" = new ] && build=$2
    s=$(now)
    HOME=$work/$which XDG_CONFIG_HOME=$work/$which/.config \
      XDG_DATA_HOME=$work/$which/.local/share \
      xargs -d '\n' -s 2000000 "$build/scanner/cli/mailtrace" explain --json --threads 1 \
      <"$work/list" >"$work/$which.json" 2>/dev/null || true
    t=$(awk -v s="$s" -v e="$(now)" 'BEGIN {print e - s}')
    if [ "$which" = old ]; then
      best_old=$(awk -v a="$best_old" -v b="$t" 'BEGIN {print (a == "" || b < a) ? b : a}')
    else
      best_new=$(awk -v a="$best_new" -v b="$t" 'BEGIN {print (a == "" || b < a) ? b : a}')
    fi
  done
done
awk -v n="$n" -v o="$best_old" -v w="$best_new" -v a="$1" -v b="$2" 'BEGIN {
  printf "%-24s %6.0f msg/s (%d messages, 1 thread, learned store, best of 5)\n", a, n / o, n
  printf "%-24s %6.0f msg/s\n", b, n / w
  printf "new / old: %.2fx\n", o / w }'
