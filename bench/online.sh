#!/bin/bash
# The cost of `explain --online` a message, with a cold and with a warm cache, against the same
# lookups done the way an investigator scripts them (`host` for the PTR, the PTR name and the
# HELO, then `curl` for the RDAP of the domain and of the address: bind9-host and curl), all
# in the same run, nothing leaving 127.0.0.1: Debian's nsd serves a zone generated for N
# messages (each from its own address, half with a PTR that confirms, half without),
# tests/online/rdap-server.py answers RDAP. Then the delivery filter with [filter] online: the
# time a delivery takes, and that a resolver that never answers keeps it within its deadline.
# Usage: bench/online.sh [N] [BUILD_DIR]   (default 200 messages, build-release)
set -eu
cd "$(dirname "$0")/.."
n=${1:-200}
build=${2:-build-release}
[ -f "$build/build.ninja" ] || meson setup "$build" -Dbuildtype=release -Dtests=disabled >/dev/null
ninja -C "$build" >/dev/null
bin=$build/scanner/cli/mailtrace
command -v host >/dev/null || { echo "bench/online.sh: needs host (apt-get install bind9-host)" >&2; exit 1; }
w=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; [ -f "$w/nsd/nsd.pid" ] && kill "$(cat "$w/nsd/nsd.pid")"; rm -rf "$w"' EXIT

# zones and messages: 10.x would be private, so 173.0.145.0/24 and 173.0.146.0/24
mkdir -p "$w/zones" "$w/msg" "$w/boot"
{
  printf '$ORIGIN bench.example.com.\n$TTL 3600\n@ IN SOA ns hostmaster 1 3600 600 86400 300\n@ IN NS ns\nns IN A 127.0.0.1\n'
  for i in $(seq 1 "$n"); do printf 'h%d IN A 173.0.%d.%d\n' "$i" $((145 + i / 250)) $((i % 250 + 1)); done
} >"$w/zones/bench.example.com.zone"
for net in 145 146; do
  {
    printf '$ORIGIN %d.0.173.in-addr.arpa.\n$TTL 3600\n@ IN SOA ns.bench.example.com. hostmaster.bench.example.com. 1 3600 600 86400 300\n@ IN NS ns.bench.example.com.\n' "$net"
    for i in $(seq 1 "$n"); do
      [ $((145 + i / 250)) -eq "$net" ] && [ $((i % 2)) -eq 0 ] &&
        printf '%d IN PTR h%d.bench.example.com.\n' $((i % 250 + 1)) "$i"
    done
  } >"$w/zones/$net.0.173.in-addr.arpa.zone"
done
for i in $(seq 1 "$n"); do
  ip=173.0.$((145 + i / 250)).$((i % 250 + 1))
  sed -e "s/from miho\.ribefsfield\.com (unknown \[173\.0\.145\.21\])/from h$i.bench.example.com (unknown [$ip])/" \
    -e "s/@miho\.ribefsfield\.com/@bench.example.com/g" tests/data/seeds/evernet-miho.eml >"$w/msg/$i.eml"
done
cp tests/online/rdap/*.json "$w/"
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
tests/online/nsd.sh "$w/nsd" "$port" "$w/zones"
python3 tests/online/rdap-server.py "$w/rdap.port" "$w/rdap.log" &
pids+=($!)
while [ ! -s "$w/rdap.port" ]; do sleep 0.05; done
rdap=$(cat "$w/rdap.port")
printf '{"services":[[["com"],["http://127.0.0.1:%s/"]]]}\n' "$rdap" >"$w/boot/dns.json"
printf '{"services":[[["173.0.0.0/8"],["http://127.0.0.1:%s/"]]]}\n' "$rdap" >"$w/boot/ipv4.json"
printf '{"services":[[["2001:db8::/32"],["http://127.0.0.1:%s/"]]]}\n' "$rdap" >"$w/boot/ipv6.json"
conf() { printf '[store]\npath = %s/%s.sqlite\n[online]\nresolver = 127.0.0.1@%s\nrdap_bootstrap = %s/boot\n%b' "$w" "$1" "$port" "$w" "${2:-}" >"$w/$1.conf"; echo "$w/$1.conf"; }
now() { date +%s.%N; }
per_msg() { awk -v a="$1" -v b="$2" -v n="$n" 'BEGIN { printf "%.2f", (b - a) * 1000 / n }'; }

echo "bench/online.sh: $n messages, each from its own address; DNS from nsd, RDAP from the fixture, on 127.0.0.1"
c=$(conf cache)
t0=$(now); "$bin" explain --config "$c" --threads 1 "$w/msg" >/dev/null; t1=$(now)
offline=$(per_msg "$t0" "$t1")
t0=$(now); "$bin" explain --config "$c" --threads 1 --online "$w/msg" >"$w/cold.out"; t1=$(now)
cold=$(per_msg "$t0" "$t1")
t0=$(now); "$bin" explain --config "$c" --threads 1 --online "$w/msg" >"$w/warm.out"; t1=$(now)
warm=$(per_msg "$t0" "$t1")
t0=$(now); "$bin" explain --config "$(conf cache-all)" --online "$w/msg" >/dev/null; t1=$(now)
cold_all=$(per_msg "$t0" "$t1")
# the peer: the same five questions, one after the other, as a script of host and curl does
t0=$(now)
for i in $(seq 1 "$n"); do
  ip=173.0.$((145 + i / 250)).$((i % 250 + 1))
  ptr=$(host -W 2 "$ip" "127.0.0.1" -p "$port" 2>/dev/null | sed -n 's/.* domain name pointer \(.*\)\.$/\1/p' | head -1) || true
  [ -z "$ptr" ] || host -W 2 -t A "$ptr" 127.0.0.1 -p "$port" >/dev/null 2>&1 || true
  host -W 2 -t A "h$i.bench.example.com" 127.0.0.1 -p "$port" >/dev/null 2>&1 || true
  curl -s -m 2 "http://127.0.0.1:$rdap/domain/bench.example.com" >/dev/null || true
  curl -s -m 2 "http://127.0.0.1:$rdap/ip/$ip" >/dev/null || true
done
t1=$(now)
peer=$(per_msg "$t0" "$t1")
lookups=$(grep -c "looked up now" "$w/cold.out" || true)
cached=$(grep -c "(cached, looked up" "$w/warm.out" || true)
notes=$(grep -c "note:" "$w/cold.out" || true)
echo "explain offline, 1 thread:        $offline ms/message"
echo "explain --online, cold cache:      $cold ms/message, 1 thread ($lookups answers looked up, $notes notes)"
echo "explain --online, cold, all cores: $cold_all ms/message"
echo "explain --online, warm cache:      $warm ms/message ($cached answers from the cache)"
echo "peer, host + curl in a script:     $peer ms/message ($(awk -v a="$peer" -v b="$cold" 'BEGIN { printf "%.1f", a / b }')x mailtrace cold)"

# The delivery filter: mailtrace-filter hands an online delivery to mailtrace. Its answers are
# kept in the user's store, which the filter never creates (learn does): one is made first, by
# an explain of the last message, which none of the 50 deliveries below is.
fc=$(conf filter '[filter]\nonline = true\n')
"$bin" explain --config "$fc" --online "$w/msg/$n.eml" >/dev/null
t0=$(now)
for i in $(seq 1 50); do "$build/scanner/cli/mailtrace-filter" --config "$fc" <"$w/msg/$i.eml" >/dev/null; done
t1=$(now)
for i in $(seq 1 50); do "$build/scanner/cli/mailtrace-filter" --config "$fc" <"$w/msg/$i.eml" >/dev/null; done
t2=$(now)
for i in $(seq 1 50); do "$build/scanner/cli/mailtrace-filter" --config "$(conf filter-off)" <"$w/msg/$i.eml" >/dev/null; done
t3=$(now)
echo "filter, offline:                   $(awk -v a="$t2" -v b="$t3" 'BEGIN { printf "%.2f", (b - a) * 1000 / 50 }') ms/delivery"
echo "filter, [filter] online, cold:     $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) * 1000 / 50 }') ms/delivery"
echo "filter, [filter] online, warm:     $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", (b - a) * 1000 / 50 }') ms/delivery"
# a resolver that never answers: the deadline (1 s here) holds, the verdict is the offline one
python3 tests/online/bad-dns.py silent "$w/bad.port" &
pids+=($!)
while [ ! -s "$w/bad.port" ]; do sleep 0.05; done
printf '[store]\npath = %s/silent.sqlite\n[online]\nresolver = 127.0.0.1@%s\nrdap = false\n[filter]\nonline = true\ndeadline = 1\n' "$w" "$(cat "$w/bad.port")" >"$w/silent.conf"
worst=0
for i in $(seq 1 10); do
  t0=$(now)
  "$build/scanner/cli/mailtrace-filter" --config "$w/silent.conf" <"$w/msg/$i.eml" >"$w/silent.eml"
  t1=$(now)
  worst=$(awk -v a="$t0" -v b="$t1" -v w="$worst" 'BEGIN { d = (b - a) * 1000; printf "%.0f", (d > w ? d : w) }')
  grep -q '^X-Mailtrace-Verdict: ' "$w/silent.eml"
done
echo "filter, resolver never answers:    slowest of 10 deliveries $worst ms (deadline 1000 ms, lookups cut at 750 ms)"
