#!/bin/bash
# mailtrace against its peers, in one run, on the same SpamAssassin corpus (6,046 messages):
#   - `mailtrace explain --json` in one process, on 1 thread and on every core, with real geo
#     databases and a store learned from easy-ham-1;
#   - rspamd 3.4 through `rspamc -n 8` (2 workers, DNS-based modules off), started here as an
#     unprivileged user on 127.0.0.1 and stopped by its own PID (bench/peers-lib.sh);
#   - spamc/spamd (SpamAssassin, local tests only, 2 children) on a 300-message sample;
#   - `cat` of the same files.
# Prints messages per second for each and mailtrace's ratio to each (target: >= 40x rspamc).
# Needs: apt-get install rspamd spamd spamc (the benchmark only; CI does not run it).
# Usage: bench/peers.sh [BUILD_DIR]   (default build-release)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-release}
[ -f "$build/build.ninja" ] || meson setup "$build" -Dbuildtype=release -Dtests=disabled >/dev/null
ninja -C "$build" >/dev/null
. bench/peers-lib.sh
peers_require
bin=$PWD/$build/scanner/cli/mailtrace
corpus=$(bench/fetch-corpus.sh)
geo=${XDG_CACHE_HOME:-$HOME/.cache}/mailtrace/geo
[ -f "$geo/asn.mmdb" ] || packaging/fetch-geo.sh "$geo" >/dev/null

peers_init

find "$corpus/data" -name '*.txt' | sort >"$work/list"
n=$(wc -l <"$work/list")
awk -v t="$n" 'NR % int(t / 300) == 0 && c++ < 300' "$work/list" >"$work/sample"
ns=$(wc -l <"$work/sample")
chmod -R a+rX "$work"

now() { date +%s.%N; }
took() { awk -v s="$1" -v e="$(now)" 'BEGIN {print e - s}'; }

# mailtrace: its own HOME with the real geo databases and a learned store.
mkdir -p "$work/mt/.config/mailtrace"
printf '[geo]\ncountry_db = %s\nasn_db = %s\n' "$geo/country.mmdb" "$geo/asn.mmdb" \
  >"$work/mt/.config/mailtrace/config"
HOME=$work/mt XDG_CONFIG_HOME=$work/mt/.config XDG_DATA_HOME=$work/mt/.local/share \
  "$bin" learn "$corpus/data/easy-ham-1" >/dev/null 2>&1
mt() { # THREADS: one process over every file
  HOME=$work/mt XDG_CONFIG_HOME=$work/mt/.config XDG_DATA_HOME=$work/mt/.local/share \
    xargs -d '\n' -s 2000000 "$bin" explain --json --threads "$1" <"$work/list" >/dev/null 2>&1
}
# The same files split among one process per core, one thread each: what the machine gives
# when nothing is shared, against which the threads of one process are measured.
mt_split() {
  split -n "r/$(nproc)" "$work/list" "$work/part."
  for part in "$work"/part.*; do
    HOME=$work/mt XDG_CONFIG_HOME=$work/mt/.config XDG_DATA_HOME=$work/mt/.local/share \
      xargs -d '\n' -s 2000000 "$bin" explain --json --threads 1 <"$part" >/dev/null 2>&1 &
  done
  wait
  rm -f "$work"/part.*
}
best() { # COMMAND...: the best wall time of 3 runs
  b=""
  for _ in 1 2 3; do
    s=$(now)
    "$@"
    t=$(took "$s")
    b=$(awk -v b="$b" -v t="$t" 'BEGIN {print (b == "" || t < b) ? t : b}')
  done
  echo "$b"
}
run_cat() { xargs -d '\n' -s 2000000 cat <"$work/list" >/dev/null; }
t_cat=$(best run_cat)
t_mt1=$(best mt 1)
t_mtn=$(best mt 0)
t_split=$(best mt_split)
cores=$(nproc)

# rspamd, DNS-based modules off, and spamd, local tests only (bench/peers-lib.sh)
peers_start_rspamd
# rspamc reads the files named on its command line.
run_rspamc() { xargs -d '\n' -s 2000000 rspamc -h "127.0.0.1:$rport" -n 8 -t 60 <"$work/list" >"$work/rspamc.out" 2>&1; }
run_rspamc # warm-up: rspamd compiles its regular expressions on the first messages
t_rsp=$(best run_rspamc)
scanned=$(grep -c '^Action:' "$work/rspamc.out" || true)

# spamd: local tests only (no network, no Bayes), 2 children, no user configuration.
peers_start_spamd
run_spamc() { xargs -d '\n' -P 8 -I{} sh -c "spamc -d 127.0.0.1 -p $sport -c <'{}' >/dev/null" <"$work/sample" || true; }
run_spamc_one() { head -n 8 "$work/sample" | xargs -d '\n' -I{} sh -c "spamc -d 127.0.0.1 -p $sport -c <'{}' >/dev/null" || true; }
run_spamc_one # warm-up
s=$(now)
run_spamc
t_sa=$(took "$s")

echo "peers on the SpamAssassin corpus ($n messages; spamc on a sample of $ns), $cores cores"
echo "rspamd: $scanned of $n answered by rspamc"
awk -v n="$n" -v ns="$ns" -v c="$t_cat" -v m1="$t_mt1" -v mn="$t_mtn" -v r="$t_rsp" -v sa="$t_sa" \
  -v cores="$cores" -v sp="$t_split" 'BEGIN {
  printf "cat of the same files:               %9.0f msg/s (%.3f s)\n", n / c, c
  printf "mailtrace explain --json, 1 thread:  %9.0f msg/s (%.3f s)\n", n / m1, m1
  printf "mailtrace explain --json, %d threads: %9.0f msg/s (%.3f s), %.2fx 1 thread (target >= 1.8x)\n", cores, n / mn, mn, m1 / mn
  printf "mailtrace, %d processes of 1 thread:  %9.0f msg/s (%.3f s), %.2fx 1 thread (nothing shared)\n", cores, n / sp, sp, m1 / sp
  printf "rspamd 3.4, rspamc -n 8, 2 workers:  %9.0f msg/s (%.3f s)\n", n / r, r
  printf "spamc/spamd, 2 children, -P 8:       %9.0f msg/s (%.3f s for %d)\n", ns / sa, sa, ns
  printf "mailtrace (all threads) / rspamc:    %.1fx (target >= 40x)\n", (n / mn) / (n / r)
  printf "mailtrace (all threads) / spamc:     %.1fx\n", (n / mn) / (ns / sa)
  printf "mailtrace (all threads) / cat:       %.3f\n", (n / mn) / (n / c)
  printf "mailtrace 1 thread: %.0f us a message (target >= 12,000 msg/s)\n", 1e6 * m1 / n
}'
