#!/bin/bash
# The online lookups, with nothing leaving 127.0.0.1: Debian's nsd serves the first seed's
# zones (tests/online/zones), tests/online/rdap-server.py answers RDAP from recorded JSON, and
# tests/online/bad-dns.py plays the broken resolvers. explain --online, the cache, every
# failure, the abuse report, update-rdap, and the filter in a real Dovecot's delivery.
set -u
. "$MT_SOURCE/tests/dovecot/lab.sh"
lab_require_user "$0" "$@"

lab_test_start
MT=$MT_BINARY
ONLINE=$MT_SOURCE/tests/online
SEED=$DATA/seeds/evernet-miho.eml
W=$LAB/online
mkdir -p "$W/boot" "$W/msg"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; [ -f "$W/nsd/nsd.pid" ] && kill "$(cat "$W/nsd/nsd.pid")" 2>/dev/null;
      lab_stop; [ -n "${MT_LAB_KEEP:-}" ] || rm -rf "$LAB"' EXIT

# a free UDP port for nsd
DNS_PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_nsd() { "$ONLINE/nsd.sh" "$W/nsd" "$DNS_PORT" "${1:-}"; }
stop_nsd() {
  p=$(cat "$W/nsd/nsd.pid")
  kill "$p" && while kill -0 "$p" 2>/dev/null; do sleep 0.05; done
  rm -f "$W/nsd/nsd.pid"
}
# start_fixture VAR PROGRAM ARGS...: runs it, waits for the port it writes, sets $VAR
start_fixture() {
  var=$1
  shift
  rm -f "$W/$var.port"
  python3 "$@" &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$W/$var.port" ] && break; sleep 0.05; done
  eval "$var=\$(cat \"\$W/\$var.port\")"
}
start_nsd || { echo "not ok - nsd starts"; exit 1; }
start_fixture RDAP_PORT "$ONLINE/rdap-server.py" "$W/RDAP_PORT.port" "$W/rdap.log" \
  "$MT_SOURCE/packaging/rdap-bootstrap"
touch "$W/rdap.log"
printf '{"services":[[["com","net"],["http://127.0.0.1:%s/"]]]}\n' "$RDAP_PORT" >"$W/boot/dns.json"
printf '{"services":[[["173.0.0.0/8"],["http://127.0.0.1:%s/"]]]}\n' "$RDAP_PORT" >"$W/boot/ipv4.json"
printf '{"services":[[["2001:db8::/32"],["http://127.0.0.1:%s/"]]]}\n' "$RDAP_PORT" >"$W/boot/ipv6.json"

# config NAME RESOLVER [EXTRA]: a configuration with its own store
config() {
  printf '[geo]\ncountry_db = %s\nasn_db = %s\n[store]\npath = %s/%s.sqlite\n[online]\nresolver = %s\nrdap_bootstrap = %s/boot\ntimeout = 0.5\ndeadline = 1.5\n%b' \
    "$MT_TEST_COUNTRY_DB" "$MT_TEST_ASN_DB" "$W" "$1" "$2" "$W" "${3:-}" >"$W/$1.conf"
  echo "$W/$1.conf"
}
# explain NAME CONF FILE [OPTIONS]: its output in $W/NAME.out, status in $status, seconds in $secs
explain() {
  t0=$(date +%s.%N)
  "$MT" explain --config "$2" "$3" "${@:4}" >"$W/$1.out" 2>"$W/$1.err"
  status=$?
  secs=$(elapsed "$t0")
}
has() { grep -qF -- "$2" "$W/$1.out" || { echo "# $1 lacks: $2"; sed 's/^/#   /' "$W/$1.out" | tail -25; return 1; }; }
lacks() { ! grep -qF -- "$2" "$W/$1.out" || { echo "# $1 has: $2"; return 1; }; }
elapsed() { awk -v t0="$1" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.2f", t1 - t0 }'; }
under() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }' || { echo "# took $1 s, not under $2 s"; return 1; }; }
# message NAME FROM_DOMAIN [ORIGIN_IP HELO]: the seed, from another domain or another origin
message() {
  sed -e "s/offers@miho\.ribefsfield\.com/offers@$2/" -e "s/foo@miho\.ribefsfield\.com/bounce@$2/" \
    -e "s/from miho\.ribefsfield\.com (unknown \[173\.0\.145\.21\])/from ${4:-miho.ribefsfield.com} (unknown [${3:-173.0.145.21}])/" \
    "$SEED" >"$W/msg/$1.eml"
  echo "$W/msg/$1.eml"
}
rdap_requests() { wc -l <"$W/rdap.log"; }
DNS=127.0.0.1@$DNS_PORT

# 1. The first seed: offline clean (2.5); online, the HELO's forward lookup turns it suspicious.
C=$(config seed "$DNS")
"$MT" explain --config "$C" "$SEED" >"$W/offline.out" 2>&1
check "offline, the seed is clean at 2.5" has offline "clean (score 2.5"
explain seed "$C" "$SEED" --online
check "explain --online exits 0 (status $status)" [ "$status" -eq 0 ]
check "online, the forward mismatch is named" has seed \
  "helo-forward-mismatch (+2.0): The origin 173.0.145.21 announced HELO miho.ribefsfield.com, but miho.ribefsfield.com resolves to 66.78.32.6, not 173.0.145.21"
check "online, the seed is suspicious" has seed "SUSPICIOUS"
check "no PTR, looked up now, with the command" has seed "173.0.145.21 has no PTR record"
check "each lookup says it was looked up now and how to ask again" has seed "(looked up now; again: host 173.0.145.21)"
check "what the receiving server recorded is kept apart" has seed "(recorded in the headers)"
check "the young domain, from RDAP" has seed \
  "domain-young (+2.0): ribefsfield.com, the From, envelope and HELO domain, was registered on 2014-04-06, 3 days before the message"
check "the origin network's owner and abuse contact" has seed \
  "173.0.145.21 is in the network EXAMPLE-HOSTING-1 (173.0.144.0 - 173.0.159.255) of Example Hosting, Inc., country US; abuse contact abuse@hosting.example"

# 2. A well-run sender on an old domain: PTR confirmed, HELO resolves to it, nothing to report.
M=$(message old example.net 173.0.145.50 mail.example.net)
explain old "$(config old "$DNS")" "$M" --online
check "an old domain and a confirmed PTR: no online reason" \
  bash -c "! grep -qE 'helo-forward-mismatch|rdns-not-confirmed|domain-young' '$W/old.out'"
check "the old domain's registration is a fact" has old "example.net (the From, envelope and HELO domain) was registered on 1995-01-14"
check "the forward confirmation is a fact" has old "mail.example.net resolves to 173.0.145.50"

# 3. A PTR name that resolves elsewhere.
M=$(message fcrdns example.net 173.0.145.30 mx.ribefsfield.com)
explain fcrdns "$(config fcrdns "$DNS")" "$M" --online
check "rdns-not-confirmed names the name and where it points" has fcrdns \
  "rdns-not-confirmed (+1.0): The origin 173.0.145.30 has the reverse DNS name mx.ribefsfield.com, which resolves to 173.0.145.99, not 173.0.145.30"

# 3b. PTR names a person must not see raw: refused, said as such (not "no PTR record"),
# escaped, and not cached as an absent record.
CH=$(config hostile-ptr "$DNS" 'rdap = false\n')
for last in 66 67 68; do
  explain "ptr-$last" "$CH" "$(message "ptr-$last" example.net "173.0.145.$last" mail.example.net)" --online
  check "PTR of 173.0.145.$last: not 'no PTR record'" lacks "ptr-$last" "173.0.145.$last has no PTR record"
  check "PTR of 173.0.145.$last: said to be unusable" has "ptr-$last" \
    "note: PTR of 173.0.145.$last: an answer that is not a host name"
  check "PTR of 173.0.145.$last: no raw control or bidi byte in the output" \
    bash -c "! grep -qP '[\\x00-\\x08\\x0b-\\x1f\\x7f]|\\xe2\\x80\\xae' '$W/ptr-$last.out'"
done
check "the ESC is shown escaped" has ptr-66 'the PTR record holds evil\x1bname.example, not a host name'
check "the bidi override is shown escaped" has ptr-67 'the PTR record holds mail\xe2\x80\xaeevil.example'
check "the root is named" has ptr-68 'the PTR record holds . (the root), not a host name'
explain ptr-66-again "$CH" "$W/msg/ptr-66.eml" --online
check "a refused PTR is not kept as an absent one" has ptr-66-again \
  "note: PTR of 173.0.145.66: an answer that is not a host name"

# 4. The cache: a second run asks neither DNS nor RDAP; an expired answer is asked again.
before=$(rdap_requests)
stop_nsd
explain seed-json "$C" "$SEED" --online --json
check "second run: the same verdict with nsd stopped" grep -q '"verdict":"suspicious"' "$W/seed-json.out"
check "second run: every lookup from the cache" \
  python3 -c "import json,sys; l=json.load(open('$W/seed-json.out'))['lookups']; f=[x['source'] for x in l['facts'] if x['source']!='headers']; sys.exit(0 if f and set(f)=={'cache'} and not l['notes'] else 1)"
check "second run: no RDAP request" [ "$(rdap_requests)" -eq "$before" ]
# the network code is a module opened at the first question the cache cannot answer
LD_DEBUG=files explain seed-cached "$C" "$SEED" --online
check "second run: the network module is not even loaded" \
  bash -c "grep -q 'file=' '$W/seed-cached.err' && ! grep -q 'mailtrace-online.so' '$W/seed-cached.err'"
LD_DEBUG=files explain seed-json-fresh "$(config seed-json "$DNS")" "$SEED" --online --json
check "a fresh store: the network module is loaded to ask" grep -q 'mailtrace-online.so' "$W/seed-json-fresh.err"
cat "$W/seed-json-fresh.out" "$W/seed-json.out" >"$W/all-json.out"
check "the online JSON (looked up and cached) follows doc/mailtrace.schema.json" \
  python3 "$MT_SOURCE/tests/integration/validate-json.py" "$MT_SOURCE/doc/mailtrace.schema.json" "$W/all-json.out"
start_nsd
M=$(message expiry ribefsfield.com 173.0.145.21 brief.ribefsfield.com)
CE=$(config expiry "$DNS")
explain expiry-1 "$CE" "$M" --online
check "a short TTL: the first answer is the zone's" has expiry-1 "brief.ribefsfield.com resolves to 66.78.32.7"
stop_nsd
mkdir -p "$W/zones2"
cp "$ONLINE"/zones/*.zone "$W/zones2/"
sed -i 's/^brief 2 IN A   66.78.32.7/brief 2 IN A   173.0.145.21/' "$W/zones2/ribefsfield.com.zone"
# many.ribefsfield.com: 3,001 addresses, the origin's 17th in the zone (an answer over TCP)
python3 -c "
a = ['10.%d.%d.1' % (i // 256, i % 256) for i in range(3000)]
a.insert(16, '173.0.145.21')
print('\n'.join('many 300 IN A %s' % x for x in a))" >>"$W/zones2/ribefsfield.com.zone"
start_nsd "$W/zones2"
sleep 2.2 # brief.ribefsfield.com's A record has a TTL of 2 s
explain expired "$CE" "$M" --online --json
check "expired: asked again, the new answer is used" \
  python3 -c "import json,sys; d=json.load(open('$W/expired.out')); f={x['kind']:x for x in d['lookups']['facts']}; h=f['helo-forward']; sys.exit(0 if h['source']=='lookup' and '173.0.145.21' in h['text'] and f['ptr']['source']=='cache' and not any(r['code']=='helo-forward-mismatch' for r in d['reasons']) else 1)"
M=$(message many ribefsfield.com 173.0.145.21 many.ribefsfield.com)
explain many "$(config many "$DNS" 'rdap = false\n')" "$M" --online
check "a HELO with 3,001 addresses, the origin among them: no mismatch (every address compared)" \
  lacks many "helo-forward-mismatch"
check "a HELO with 3,001 addresses: the first shown, the rest counted" has many "and 2993 more"
stop_nsd
start_nsd

# 5. RDAP: 404, invalid JSON, a server that never answers, 429 with Retry-After.
explain missing "$(config missing "$DNS")" "$(message missing missing.com)" --online
check "404: the registry has no record, said as a fact" has missing "the registry has no record of missing.com"
explain broken "$(config broken "$DNS")" "$(message broken broken-json.com)" --online
check "invalid JSON: a note, and the rest of the verdict" has broken "note: RDAP of broken-json.com: not a usable answer"
check "invalid JSON: still judged (DNS)" has broken "helo-forward-mismatch"
explain deep "$(config deep "$DNS")" "$(message deep deeply-nested.com)" --online
check "JSON nested 200,000 deep: no crash (status $status)" [ "$status" -eq 0 ]
check "JSON nested 200,000 deep: a note, and the rest of the verdict" has deep \
  "note: RDAP of deeply-nested.com: not a usable answer: JSON nested deeper than 64 levels"
check "JSON nested 200,000 deep: still judged (DNS)" has deep "helo-forward-mismatch"
explain stalled "$(config stalled "$DNS")" "$(message stalled stalled.com)" --online
check "a server that never answers: a note" has stalled "note: RDAP of stalled.com: Timeout was reached"
check "a server that never answers: the timeout holds ($secs s)" under "$secs" 1.5
C429=$(config limited "$DNS")
explain limited "$C429" "$(message limited ratelimited.com)" --online
check "429: the wait asked for is a note" has limited "the server asked to wait 120 s (HTTP 429)"
before=$(rdap_requests)
explain limited2 "$C429" "$(message limited ratelimited.com)" --online
check "429: the next run does not ask that server" [ "$(rdap_requests)" -eq "$before" ]
check "429: and says why" has limited2 "asked to wait before the next request"
explain future "$(config future "$DNS")" "$(message future far-future.com)" --online
check "429 until the year 9999: waited a day at most, and said so" has future \
  "not asked again for a day, the longest mailtrace waits"
check "429 until the year 9999: the store forgets the wait within a day" python3 -c "
import sqlite3, sys, time
e = sqlite3.connect('$W/future.sqlite').execute(\"SELECT expires FROM lookups WHERE key LIKE 'rdap wait %'\").fetchone()[0]
sys.exit(0 if e <= time.time() + 86400 + 60 else 1)"

# 6. Resolver failures: each the offline verdict and a note, never a crash or a hang.
for mode in servfail garbage truncated silent; do
  start_fixture BAD_PORT "$ONLINE/bad-dns.py" "$mode" "$W/BAD_PORT.port"
  explain "bad-$mode" "$(config "bad-$mode" "127.0.0.1@$BAD_PORT" 'rdap = false\n')" "$SEED" --online
  check "$mode resolver: exit 0, offline verdict 2.5" has "bad-$mode" "clean (score 2.5"
  check "$mode resolver: a note says what failed" has "bad-$mode" "note: PTR of 173.0.145.21:"
  check "$mode resolver: within the deadline ($secs s)" under "$secs" 2
  kill "${pids[-1]}"
done
printf '[online]\nresolver = 127.0.0.1@nowhere\n' >"$W/wrong.conf"
explain wrong "$W/wrong.conf" "$SEED" --online
check "a resolver that is not an address: configuration error 78" [ "$status" -eq 78 ]

# 7. The abuse report: RFC 5965, to the network's abuse contact, with the original headers.
explain arf "$C" "$SEED" --abuse-report
check "abuse report: exit 0" [ "$status" -eq 0 ]
for line in "To: abuse@hosting.example" "Content-Type: multipart/report; report-type=feedback-report;" \
  "Content-Type: message/feedback-report" "Feedback-Type: abuse" "Version: 1" \
  "Source-IP: 173.0.145.21" "Original-Mail-From: <foo@miho.ribefsfield.com>" \
  "Content-Type: text/rfc822-headers" "Received: from miho.ribefsfield.com (unknown [173.0.145.21])"; do
  check "abuse report has: $line" has arf "$line"
done
check "abuse report: the recipient the receiving server recorded" has arf "Original-Rcpt-To: <kilroy@dallas.example.net>"
# a Delivered-To the sender wrote (below the receiving server's Received), none above it, as
# with Exchange: not taken as the recipient; a NUL in the headers does not cut the report
{
  sed -n '3,/^$/p' "$SEED" | sed '$d'
  printf 'Delivered-To: ceo@victim.example\nX-Nul: a\0b\n\nbody\n'
} >"$W/msg/arf-forged.eml"
explain arf-forged "$C" "$W/msg/arf-forged.eml" --abuse-report
check "abuse report: a Delivered-To below the boundary is not the recipient" lacks arf-forged "ceo@victim.example>"
check "abuse report: the sender's own address is left to fill in" has arf-forged "From: YOUR ADDRESS"
check "abuse report: a NUL in the headers does not cut it (closing boundary)" \
  bash -c "tail -1 '$W/arf-forged.out' | grep -q -- '--=_mailtrace-arf-.*--'"
explain arf-none "$(config arf-none "$DNS" 'rdap = false\n')" "$SEED" --abuse-report
check "no RDAP, no abuse contact: no report, exit 1" [ "$status" -eq 1 ]

# 8. update-rdap: from a server, checked before written; a broken source writes nothing.
"$MT" update-rdap --url "http://127.0.0.1:$RDAP_PORT/bootstrap/" --output "$W/updated" >/dev/null
check "update-rdap writes the three files" cmp -s "$W/updated/ipv4.json" "$MT_SOURCE/packaging/rdap-bootstrap/ipv4.json"
"$MT" update-rdap --url "http://127.0.0.1:$RDAP_PORT/domain/" --output "$W/not-written" 2>/dev/null
status=$?
check "update-rdap from a broken source: 69, nothing written" \
  bash -c "[ $status -eq 69 ] && [ ! -e '$W/not-written' ]"

# 9. The filter: mailtrace-filter hands an online delivery to mailtrace; within its deadline.
FC=$(config filter "$DNS" '[filter]\nonline = true\n')
"$(dirname "$MT")/mailtrace-filter" --config "$FC" <"$SEED" >"$W/filtered.eml"
check "mailtrace-filter with [filter] online: helo-forward-mismatch" \
  grep -q "^X-Mailtrace-Reasons:.*helo-forward-mismatch" "$W/filtered.eml"
start_fixture BAD_PORT "$ONLINE/bad-dns.py" silent "$W/BAD_PORT.port"
FS=$(config filter-silent "127.0.0.1@$BAD_PORT" 'rdap = false\n[filter]\nonline = true\ndeadline = 1\n')
t0=$(date +%s.%N)
"$(dirname "$MT")/mailtrace-filter" --config "$FS" <"$SEED" >"$W/filtered-silent.eml"
fstatus=$?
secs=$(elapsed "$t0")
check "a silent resolver: the filter exits 0 with the offline verdict" \
  bash -c "[ $fstatus -eq 0 ] && grep -q '^X-Mailtrace-Verdict: clean' '$W/filtered-silent.eml'"
check "a silent resolver: the 1 s deadline holds ($secs s)" under "$secs" 1.2
kill "${pids[-1]}"
# through dovecot-lda and the shipped sieve script
A=$(lab_home alice)
mkdir -p "$A/.config/mailtrace"
cp "$FC" "$A/.config/mailtrace/config"
lab_deliver alice "$SEED"
st=$?
check "dovecot-lda: delivered (status $st)" [ "$st" -eq 0 ]
junk=$(lab_messages alice Junk | head -1)
check "dovecot-lda: the online verdict files it into Junk" [ -n "$junk" ]
junk_keyword() { lab_flags alice Junk | grep -q "$1"; }
check "dovecot-lda: keyword mt-helo-forward-mismatch" junk_keyword mt-helo-forward-mismatch
# a hostile RDAP server's answer nested 200,000 deep: it crashed the filter, and the message was
# delivered without a verdict; now it is judged on everything else
lab_deliver alice "$W/msg/deep.eml"
st=$?
check "dovecot-lda, an RDAP answer nested 200,000 deep: delivered (status $st)" [ "$st" -eq 0 ]
deep_junk=$(grep -l 'deeply-nested.com' $(lab_messages alice Junk) 2>/dev/null | head -1)
check "dovecot-lda, an RDAP answer nested 200,000 deep: judged and filed into Junk" \
  bash -c "[ -n '$deep_junk' ] && grep -q '^X-Mailtrace-Reasons:.*helo-forward-mismatch' '$deep_junk'"

# 10. scan with [online] enabled, over IMAP: the seed, clean offline, is moved online.
$IMAP bob bob-secret append INBOX "$SEED"
scan_config() { # ENABLED
  config scan "$DNS" "enabled = $1\n[account lab]\nhost = localhost\nport = $LAB_IMAP_PORT\nsecurity = starttls\nuser = bob\nca_file = $LAB/ssl/ca.pem\n"
}
MAILTRACE_PASSWORD=bob-secret "$MT" scan --config "$(scan_config false)" --dry-run >"$W/scan-off.out" 2>&1
check "scan offline: the seed stays (clean)" grep -q 'scanned 1, suspicious 0' "$W/scan-off.out"
MAILTRACE_PASSWORD=bob-secret "$MT" scan --config "$(scan_config true)" --dry-run >"$W/scan-on.out" 2>&1
check "scan with [online] enabled: the seed would move, with its online reason" \
  grep -q 'would move to Junk; keywords \$Suspicious .*mt-helo-forward-mismatch' "$W/scan-on.out"
MAILTRACE_PASSWORD=bob-secret "$MT" scan --config "$W/scan.conf" --dry-run --json >"$W/scan-on.json" 2>"$W/scan-on.err"
check "scan --json carries the lookups, valid against the schema" \
  bash -c "grep -q '\"lookups\":{\"facts\":' '$W/scan-on.json' &&
           python3 '$MT_SOURCE/tests/integration/validate-json.py' '$MT_SOURCE/doc/mailtrace.schema.json' '$W/scan-on.json'"

lab_test_end
