#!/bin/sh
# Analyses every message of the SpamAssassin corpus in one process and fails on a crash, a
# sanitizer report, or a message without its JSON line. Skipped (77) when the corpus was not
# fetched (bench/fetch-corpus.sh; tests/run-all.sh fetches it).
set -eu
binary=$1
dir=${MAILTRACE_CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/mailtrace/spam-assassin-0.2.3}
if [ ! -d "$dir/data" ]; then
  echo "corpus not fetched: $dir (run bench/fetch-corpus.sh)"
  exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
find "$dir/data" -name '*.txt' | sort > "$out/list"
total=$(wc -l < "$out/list")
start=$(date +%s.%N)
# One process per 1,000 files keeps argv short; xargs fails if any run fails.
# (the corpus is read from the user's cache; what mailtrace caches goes to the scratch dir)
XDG_CONFIG_HOME="$out" XDG_CACHE_HOME="$out/cache" xargs -d '\n' -n 1000 "$binary" explain --json < "$out/list" > "$out/json" 2> "$out/err" || {
  echo "mailtrace failed:"; tail -20 "$out/err"; exit 1; }
end=$(date +%s.%N)
lines=$(wc -l < "$out/json")
if grep -E 'runtime error|AddressSanitizer|LeakSanitizer' "$out/err"; then exit 1; fi
if [ "$lines" -ne "$total" ]; then echo "$total messages but $lines JSON lines"; exit 1; fi
suspicious=$(grep -c '"verdict":"suspicious"' "$out/json" || true)
echo "corpus: $total messages analysed, $suspicious suspicious, $(awk "BEGIN {printf \"%d\", $total / ($end - $start)}") messages/s (this build)"
