#!/bin/bash
# Delivery time per message through dovecot-lda, three ways in one run, interleaved message by
# message: no filter, `cat` as the sieve filter (the price of any filter program), and
# `mailtrace filter` (real geo databases when cached, a store learned from easy-ham-1).
# Prints the median of each and mailtrace's overhead over cat. Target: 3 ms or less. Then the
# filter by workload: a known contact and an unknown sender with 10, 1,000 and 10,000 learned
# contacts (bench/contacts-scale.sh), and with [filter] online against nsd and the RDAP fixture
# on 127.0.0.1, cold and warm (bench/online.sh).
# Usage: bench/filter.sh [BUILD_DIR]   (default build-release); N=500 messages.
set -eu
cd "$(dirname "$0")/.."
. tests/dovecot/lab.sh
. bench/stage.sh

if [ "${1:-}" != --run ]; then
  bench_stage "${1:-build-release}"
  # N messages spread over the whole corpus, and the ham to learn from
  mkdir -p "$MT_BENCH_STAGE/msgs" "$MT_BENCH_STAGE/ham"
  total=$(find "$corpus/data" -name '*.txt' | wc -l)
  find "$corpus/data" -name '*.txt' | sort | awk -v n="${N:-500}" -v t="$total" \
    'NR % int(t / n) == 0 && c++ < n' | xargs -d '\n' cp -t "$MT_BENCH_STAGE/msgs"
  cp "$corpus"/data/easy-ham-1/*.txt "$MT_BENCH_STAGE/ham/"
  bench_run bench/filter.sh
  echo "by number of learned contacts (bench/contacts-scale.sh):"
  if out=$(bench/contacts-scale.sh "${1:-build-release}" 2>&1); then echo "$out" | sed 's/^/  /'
  else echo "  not measured: $(echo "$out" | tail -1)"; fi
  echo "with [filter] online (bench/online.sh):"
  if out=$(bench/online.sh 200 "${1:-build-release}" 2>&1); then echo "$out" | grep '^filter' | sed 's/^/  /'
  else echo "  not measured: $(echo "$out" | tail -1)"; fi
  exit
fi

LAB=$(mktemp -d)
trap 'lab_stop; rm -rf "$LAB"' EXIT
lab_setup
lab_start
ln -s /bin/cat "$LAB/sieve-bin/cat"
printf 'require "vnd.dovecot.filter";\nfilter "cat";\n' >"$LAB/sieve/cat.sieve"
A=$(lab_home alice)
mkdir -p "$A/.config/mailtrace"
geo_note="no geo databases"
if [ -f "$MT_BENCH_STAGE/asn.mmdb" ]; then
  printf '[geo]\ncountry_db = %s\nasn_db = %s\n' "$MT_BENCH_STAGE/country.mmdb" \
    "$MT_BENCH_STAGE/asn.mmdb" >"$A/.config/mailtrace/config"
  geo_note="real geo databases"
fi
[ -n "${MT_BENCH_NO_LEARN:-}" ] || HOME=$A "$MT_BINARY" learn "$MT_BENCH_STAGE/ham" >/dev/null 2>&1

# One delivery of $f, the way named by $1, timed into $LAB/$1 (microseconds).
deliver_timed() {
  case $1 in
    none) set -- none -o plugin/sieve_before= ;;
    cat) set -- cat -o plugin/sieve_before="$LAB/sieve/cat.sieve" ;;
    mailtrace) set -- mailtrace ;;
  esac
  way=$1
  shift
  t=$(date +%s%N)
  lab_deliver alice "$f" "$@" || echo "lda failed ($way): $f" >&2
  echo $((($(date +%s%N) - t) / 1000)) >>"$LAB/$way"
}
: >"$LAB/none" >"$LAB/cat" >"$LAB/mailtrace"
n=0
# The three ways of one message run back to back, in an order that rotates from message to
# message, so a warm page cache or a burst of noise on this shared VM favours none of them.
for f in "$MT_BENCH_STAGE"/msgs/*; do
  case $((n % 3)) in
    0) order="none cat mailtrace" ;;
    1) order="cat mailtrace none" ;;
    2) order="mailtrace none cat" ;;
  esac
  for way in $order; do deliver_timed "$way"; done
  n=$((n + 1))
done
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
none=$(median <"$LAB/none")
cat_=$(median <"$LAB/cat")
mt=$(median <"$LAB/mailtrace")
# The overhead is the median of the per-message differences (each pair ran within ~100 ms),
# which the VM's noise disturbs far less than a difference of two medians.
paired=$(paste "$LAB/mailtrace" "$LAB/cat" | awk '{print $1 - $2}' | median)
tagged=$(grep -l '^X-Mailtrace-Verdict: suspicious' $(lab_messages alice Junk) 2>/dev/null | wc -l)
echo "dovecot-lda, $n messages of the SpamAssassin corpus, each delivered 3 ways ($geo_note):"
awk -v a="$none" -v b="$cat_" -v c="$mt" -v d="$paired" -v s="$tagged" 'BEGIN {
  printf "  median per message: no filter %.2f ms, cat filter %.2f ms, mailtrace filter %.2f ms\n", a / 1000, b / 1000, c / 1000
  printf "  mailtrace overhead over cat: %.2f ms per message, the median of the paired differences (target <= 3 ms); %d filed into Junk\n", d / 1000, s }'
