#!/bin/sh
# Writes IANA's RDAP bootstrap files (RFC 9224: dns.json, ipv4.json, ipv6.json) into DIR
# (default: packaging/rdap-bootstrap, the copy shipped with mailtrace). IANA publishes them at
# https://data.iana.org/rdap/; `mailtrace update-rdap` fetches them from there. This script is
# for machines that reach only the npm registry: the npm package `rdap` embeds IANA's files
# unchanged, and node prints them back.
set -eu
out=${1:-$(dirname "$0")/rdap-bootstrap}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm install --silent --no-audit --no-fund --prefix "$tmp" rdap@0.0.14 >/dev/null
mkdir -p "$out"
cat > "$tmp/dump.mjs" <<'JS'
const m = await import(process.argv[2] + '/node_modules/rdap/dist/index.mjs');
const fs = await import('node:fs');
for (const t of ['dns', 'ipv4', 'ipv6']) {
  const file = await m.getBootstrapMetadata(t, false);
  if (!file || !Array.isArray(file.services) || file.services.length === 0)
    throw new Error(`no ${t} bootstrap in the package`);
  fs.writeFileSync(`${process.argv[3]}/${t}.json`, JSON.stringify(file, null, 1) + '\n');
}
JS
node "$tmp/dump.mjs" "$tmp" "$out"
for t in dns ipv4 ipv6; do
  printf '%s: %s\n' "$t.json" "$(grep -o '"publication": *"[^"]*"' "$out/$t.json")"
done
