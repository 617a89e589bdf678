#!/bin/sh
# A loose guard on what bench/quality.py measures (learned fingerprints on the SpamAssassin
# corpus): fails when detection drops below 90% or false positives rise above 2%. The exact
# figures are the benchmark's to report; this only catches a real regression.
set -eu
binary=$1
geo=${MAILTRACE_GEO:-${XDG_CACHE_HOME:-$HOME/.cache}/mailtrace/geo}
dir=${MAILTRACE_CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/mailtrace/spam-assassin-0.2.3}
if [ ! -d "$dir/data" ] || [ ! -f "$geo/asn.mmdb" ]; then
  echo "corpus or geo databases missing: skipped"
  exit 77
fi
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
# the corpus and the geo databases are read from the user's cache; what mailtrace caches goes
# to a scratch directory, removed at the end
XDG_CACHE_HOME=$(mktemp -d)
export XDG_CACHE_HOME
trap 'rm -rf "$XDG_CACHE_HOME"' EXIT
python3 "$(dirname "$0")/../../bench/quality.py" --mailtrace "$binary" --geo "$geo" --guard 90 2
