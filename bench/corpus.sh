#!/bin/sh
# Messages per second of `mailtrace explain --json` over the SpamAssassin corpus (6,046
# messages), with real geo databases when installed, against two peers in the same run:
# `cat` of the same files (copying every byte) and `grep` of their Received lines (a text scan).
# Also peak RSS for 1,000 and for all 6,046 messages in one process: it must not grow.
# mailtrace runs in one process, on 1 thread and on every core; no learned store (see
# bench/peers.sh for the figures with one).
# Usage: bench/corpus.sh [BUILD_DIR]   (default: build-release, configured here)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-release}
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" -Dbuildtype=release -Dtests=disabled >/dev/null
fi
ninja -C "$build" >/dev/null
bin="$build/scanner/cli/mailtrace"
dir=$(bench/fetch-corpus.sh)
data=${XDG_DATA_HOME:-$HOME/.local/share}/mailtrace
geo=""
if [ -f "$data/country.mmdb" ] && [ -f "$data/asn.mmdb" ]; then
  geo="with geo databases from $data"
else
  geo="WITHOUT geo databases (run packaging/fetch-geo.sh for real ones)"
fi
list=$(mktemp)
trap 'rm -f "$list"' EXIT
find "$dir/data" -name '*.txt' | sort > "$list"
n=$(wc -l < "$list")

now() { date +%s.%N; }
best() { # COMMAND... : best wall time of 3 runs, in seconds
  b=""
  for _ in 1 2 3; do
    s=$(now); "$@" > /dev/null 2>&1; e=$(now)
    b=$(awk -v b="$b" -v t="$(awk -v s="$s" -v e="$e" 'BEGIN {print e - s}')" \
      'BEGIN {print (b == "" || t < b) ? t : b}')
  done
  echo "$b"
}
run_cat() { xargs -d '\n' cat < "$list"; }
run_grep() { xargs -d '\n' grep -h -i '^received:' < "$list"; }
# one process over every file (-s: all the names on one command line)
run_mt() { XDG_CONFIG_HOME=/nonexistent xargs -d '\n' -s 2000000 "$bin" explain --json "$@" < "$list"; }

t_cat=$(best run_cat)
t_grep=$(best run_grep)
t_mt1=$(best run_mt --threads 1)
t_mt=$(best run_mt)
rss() { # FILES: peak RSS in KiB of one process explaining the first FILES messages
  head -n "$1" "$list" | XDG_CONFIG_HOME=/nonexistent \
    xargs -d '\n' -s 2000000 /usr/bin/time -f '%M' "$bin" explain --json 2>&1 >/dev/null | tail -n 1
}
echo "corpus: $n messages; mailtrace $geo"
awk -v n="$n" -v c="$t_cat" -v g="$t_grep" -v m="$t_mt" -v m1="$t_mt1" -v cores="$(nproc)" 'BEGIN {
  printf "cat every byte:         %8.0f messages/s (%.3f s)\n", n / c, c
  printf "grep Received lines:    %8.0f messages/s (%.3f s)\n", n / g, g
  printf "mailtrace, 1 thread:    %8.0f messages/s (%.3f s)\n", n / m1, m1
  printf "mailtrace, %d threads:   %8.0f messages/s (%.3f s)\n", cores, n / m, m
  printf "mailtrace / grep speed: %.3f   mailtrace / cat speed: %.3f\n", g / m, c / m
}'
echo "peak RSS, one process: 1000 messages $(rss 1000) KiB, $n messages $(rss "$n") KiB"
# How the built-in checks alone (no per-contact fingerprints) split the corpus.
XDG_CONFIG_HOME=/nonexistent xargs -d '\n' -s 2000000 "$bin" explain --json < "$list" 2>/dev/null |
  awk '{ kind = ($0 ~ /"file":"[^"]*\/spam-[0-9]\//) ? "spam" : "ham"; n[kind]++
         if ($0 ~ /"verdict":"suspicious"/) s[kind]++ }
       END { printf "suspicious: ham %d of %d (%.2f%%), spam %d of %d (%.2f%%)\n",
             s["ham"], n["ham"], 100 * s["ham"] / n["ham"], s["spam"], n["spam"], 100 * s["spam"] / n["spam"] }'
