#!/bin/bash
# OAuth 2.0 against a real Dovecot: its oauth2 passdb checks JWTs locally (tests/dovecot/lab.sh,
# introspection_mode = local), signed by tests/dovecot/jwt.py, the lab's token helper (as oama
# or pizauth would be). scan, learn --account and watch log in by XOAUTH2 and by OAUTHBEARER
# through password_command; an expired token and a server without the mechanism give exit 77
# and say why; watch asks the helper again when it reconnects; the token never shows in the
# output, in ps, or in the store.
set -u
. "$MT_SOURCE/tests/dovecot/lab.sh"
lab_require_user "$0" "$@"

LAB_OAUTH2="xoauth2 oauthbearer" lab_test_start
export HOME=$LAB/user XDG_CONFIG_HOME=$LAB/user/config XDG_DATA_HOME=$LAB/user/data
unset MAILTRACE_PASSWORD
mkdir -p "$XDG_CONFIG_HOME/mailtrace"
CONFIG=$XDG_CONFIG_HOME/mailtrace/config
RUNS=$LAB/token-runs
account() { # AUTH LIFETIME: the lab account, its token from jwt.py valid LIFETIME seconds
  cat >"$CONFIG" <<CONF
[geo]
country_db = $MT_TEST_COUNTRY_DB
asn_db = $MT_TEST_ASN_DB
[account lab]
host = localhost
port = $LAB_IMAP_PORT
security = starttls
user = alice
ca_file = $LAB/ssl/ca.pem
timeout = 60
auth = $1
password_command = python3 $MT_SOURCE/tests/dovecot/jwt.py $LAB/oauth2-key alice $2 $RUNS
CONF
}
run() { # mailtrace ARGS...: output in $LAB/out (appended to $LAB/all), status in $status
  "$MT_BINARY" "$@" >"$LAB/out" 2>&1
  status=$?
  cat "$LAB/out" >>"$LAB/all"
}

$IMAP alice alice-secret append INBOX "$DATA/demo/02-paypal-display-name.eml" >/dev/null
$IMAP alice alice-secret append Sent "$DATA/demo/01-colleague-gmail.eml" >/dev/null

for mech in xoauth2 oauthbearer; do
  account "$mech" 3600
  rm -rf "$XDG_DATA_HOME"
  run scan --dry-run
  check "$mech: scan logs in (status $status)" [ "$status" -eq 0 ]
  check "$mech: scan judged the message" grep -q 'scanned 1' "$LAB/out"
  run learn --account lab --folder Sent
  check "$mech: learn --account logs in (status $status)" [ "$status" -eq 0 ]
  run check
  check "$mech: check names the auth mode" grep -q "auth $mech" "$LAB/out"
  check "$mech: check runs the token command without showing it" \
    grep -q 'prints a token (.* characters, not shown)' "$LAB/out"

  account "$mech" -60
  run scan --dry-run
  check "$mech: an expired token exits 77 (status $status)" [ "$status" -eq 77 ]
  check "$mech: says the server refused the token" grep -q 'refused the .* token of alice' "$LAB/out"
  check "$mech: and to refresh it" grep -q 'refresh your token with python3' "$LAB/out"
done
check "the server's decoded error is quoted" grep -q 'it said {.*status' "$LAB/all"

# a token with a control byte is refused before anything is sent
printf '#!/bin/sh\nprintf "abc\\001def\\n"\n' >"$LAB/bad-token"
chmod +x "$LAB/bad-token"
account xoauth2 3600
sed -i "s|^password_command = .*|password_command = $LAB/bad-token|" "$CONFIG"
run scan --dry-run
check "a token with a control byte is refused (status $status)" [ "$status" -eq 78 ]
check "and said why" grep -q 'another control byte; nothing was sent' "$LAB/out"

# a token command that hangs is stopped at the account's timeout
printf '#!/bin/sh\nsleep 600\n' >"$LAB/slow-token"
chmod +x "$LAB/slow-token"
sed -i -e "s|^password_command = .*|password_command = $LAB/slow-token|" -e 's|^timeout = 60|timeout = 2|' "$CONFIG"
start=$(date +%s)
run scan --dry-run
check "a hanging token command is stopped at the timeout ($(($(date +%s) - start)) s)" \
  [ $(($(date +%s) - start)) -lt 10 ]
check "and said so (status $status)" grep -q 'did not finish within' "$LAB/out"
check "and what it started was stopped too" bash -c "! pgrep -u '$(id -un)' -f '^sleep 600' >/dev/null"

# watch, by each mechanism: a new token for each connection
for mech in xoauth2 oauthbearer; do
  account "$mech" 3600
  : >"$RUNS"
  "$MT_BINARY" watch >"$LAB/watch.out" 2>&1 &
  watcher=$!
  for _ in $(seq 100); do grep -q 'watching' "$LAB/watch.out" && break; sleep 0.1; done
  before=$(wc -l <"$RUNS")
  check "watch, $mech: logged in" grep -q 'watching INBOX' "$LAB/watch.out"
  ps -eo args >>"$LAB/ps"
  lab_kill
  lab_start
  for _ in $(seq 200); do [ "$(grep -c 'watching INBOX' "$LAB/watch.out")" -ge 2 ] && break; sleep 0.1; done
  check "watch, $mech: logged in again after the server came back" \
    [ "$(grep -c 'watching INBOX' "$LAB/watch.out")" -ge 2 ]
  check "watch, $mech: asked the helper for a new token ($before, then $(wc -l <"$RUNS"))" \
    [ "$(wc -l <"$RUNS")" -gt "$before" ]
  kill -TERM "$watcher"
  wait "$watcher"
  cat "$LAB/watch.out" >>"$LAB/all"
done

# no token anywhere: tokens are JWTs, three base64url parts; a signature never shows
check "no token in the output" bash -c "! grep -Eq 'ey[A-Za-z0-9_-]{10,}\.ey' '$LAB/all'"
check "no token in ps" bash -c "! grep -Eq 'ey[A-Za-z0-9_-]{10,}\.ey' '$LAB/ps'"
check "no token in the store" bash -c "! grep -aEq 'ey[A-Za-z0-9_-]{10,}\.ey' '$XDG_DATA_HOME'/mailtrace/*"

# a server that does not offer the mechanism: nothing is sent, exit 77
lab_stop
LAB_OAUTH2="" lab_setup && lab_start
account xoauth2 3600
run scan --dry-run
check "no AUTH=XOAUTH2 offered: exit 77 (status $status)" [ "$status" -eq 77 ]
check "no AUTH=XOAUTH2 offered: said so" grep -q 'does not offer AUTH=XOAUTH2' "$LAB/out"
lab_test_end
