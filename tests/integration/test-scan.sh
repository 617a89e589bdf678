#!/bin/bash
# `mailtrace scan` against a real Dovecot: a read-only dry run changes nothing and names the
# forgery; TLS is verified (CA and host name) before any credential is sent; a wrong password
# is refused without the password appearing anywhere.
set -u
. "$MT_SOURCE/tests/dovecot/lab.sh"
lab_require_user "$0" "$@"

lab_test_start
export HOME=$LAB/user XDG_CONFIG_HOME=$LAB/user/config XDG_DATA_HOME=$LAB/user/data
mkdir -p "$XDG_CONFIG_HOME/mailtrace"
CONFIG=$XDG_CONFIG_HOME/mailtrace/config
account() { # HOST SECURITY CA [extra lines]
  cat >"$CONFIG" <<CONF
[geo]
country_db = $MT_TEST_COUNTRY_DB
asn_db = $MT_TEST_ASN_DB
[account lab]
host = $1
port = $LAB_IMAP_PORT
security = $2
user = alice
ca_file = $3
${4:-}
CONF
}

scan() { # runs mailtrace scan, output in $LAB/out, status in $status
  "$MT_BINARY" scan --dry-run "$@" >"$LAB/out" 2>&1
  status=$?
}
logins() { grep -c 'imap-login: Login: user=<alice>' "$LAB/dovecot.log"; }

# the forgery's From with capitals: the scan line shows it as written (lower-cased, a look-alike's
# capital I for an l was hidden)
sed 's/^From: dan@gtacs.com/From: DAN@Gtacs.com/' "$DATA/seeds/krebs-gtacs.eml" >"$LAB/krebs.eml"
$IMAP alice alice-secret append INBOX "$LAB/krebs.eml"
$IMAP alice alice-secret append INBOX "$DATA/demo/01-colleague-gmail.eml"
$IMAP alice alice-secret dump INBOX >"$LAB/before"

# 1. dry run: names the forgery, changes nothing
account localhost starttls "$LAB/ssl/ca.pem"
MAILTRACE_PASSWORD=alice-secret scan
check "dry run exits 0 (status $status)" [ "$status" -eq 0 ]
check "dry run names the forgery" grep -q 'INBOX UID 1 .*would move to Junk; keywords \$Suspicious mt-helo-mismatch' "$LAB/out"
check "dry run says who it is from and what it is about" \
  grep -q 'INBOX UID 1 ([0-9]* bytes) DAN@Gtacs.com, “Discover The Secret How Movies & Pop Stars Are Still In Shape”: would move' "$LAB/out"
check "dry run counts" grep -q 'scanned 2, suspicious 1' "$LAB/out"
$IMAP alice alice-secret dump INBOX >"$LAB/after"
check "dry run changed nothing on the server (flags, bytes, no \\Seen)" cmp -s "$LAB/before" "$LAB/after"
check "messages unread" bash -c "! grep -q Seen '$LAB/after'"
MAILTRACE_PASSWORD=alice-secret scan --json
check "--json: one line per message" [ "$(grep -c '^{.*"folder":"INBOX"' "$LAB/out")" -eq 2 ]
check "--json: then the summary" grep -q '^{"format":1,"summary":{"scanned":2,"suspicious":1' "$LAB/out"
check "--json: every line valid against the schema" \
  python3 "$MT_SOURCE/tests/integration/validate-json.py" "$MT_SOURCE/doc/mailtrace.schema.json" "$LAB/out"

# learn --account: reads the folder, learns the genuine message only, changes nothing
MAILTRACE_PASSWORD=alice-secret "$MT_BINARY" learn --account lab --folder INBOX >"$LAB/out" 2>&1
status=$?
check "learn --account exits 0 (status $status)" [ "$status" -eq 0 ]
check "learn --account learned the genuine message" grep -q '^learned 1, .*skipped as suspicious 1' "$LAB/out"
check "the contact is known" bash -c "'$MT_BINARY' contacts list | grep -q alice@example.org"
check "learn --account changed nothing on the server" cmp -s "$LAB/before" <($IMAP alice alice-secret dump INBOX)
# without --folder: the folders the server marks \Sent and \Archive, never INBOX or Junk
$IMAP alice alice-secret append Archive "$DATA/demo/01-colleague-gmail.eml"
$IMAP alice alice-secret append Junk "$DATA/demo/02-paypal-display-name.eml"
MAILTRACE_PASSWORD=alice-secret "$MT_BINARY" learn --account lab >"$LAB/out" 2>&1
status=$?
check "learn --account without --folder exits 0 (status $status)" [ "$status" -eq 0 ]
check "it learns from Sent and Archive, and says so" \
  bash -c "grep 'learning from .* (the folders marked' '$LAB/out' | grep -q Sent &&
           grep 'learning from .* (the folders marked' '$LAB/out' | grep -q Archive"
check "it read the one message there, not INBOX nor Junk" grep -q '^learned 0, already known 1, .*skipped as suspicious 0' "$LAB/out"

# 2. implicit TLS, password from a command (never in argv of mailtrace, never printed)
printf 'alice-secret\n' >"$LAB/pw"
account localhost tls "$LAB/ssl/ca.pem" "password_command = cat $LAB/pw"
sed -i "s/^port = .*/port = $LAB_IMAPS_PORT/" "$CONFIG"
scan
check "imaps + password_command works (status $status)" [ "$status" -eq 0 ]

# 3. wrong password: refused, clearly, the password nowhere
account localhost starttls "$LAB/ssl/ca.pem"
MAILTRACE_PASSWORD=not-the-Secret-42 scan
check "wrong password exits 77, EX_NOPERM (status $status)" [ "$status" -eq 77 ]
check "wrong password: clear error" grep -q 'refused the login of alice' "$LAB/out"
check "wrong password: not echoed" bash -c "! grep -q 'not-the-Secret-42' '$LAB/out'"

# 4. certificates: an unknown CA and a name the certificate does not carry are refused, and
# no login reaches the server
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$LAB/other.key" -out "$LAB/other.pem" \
  -days 2 -subj "/CN=other CA" 2>/dev/null
n=$(logins)
account localhost starttls "$LAB/other.pem"
MAILTRACE_PASSWORD=alice-secret scan
check "unknown CA refused: 76, EX_PROTOCOL (status $status)" [ "$status" -eq 76 ]
check "unknown CA: says why" grep -q 'certificate of localhost is refused' "$LAB/out"
account 127.1 starttls "$LAB/ssl/ca.pem" # resolves to 127.0.0.1, a name not in the certificate
MAILTRACE_PASSWORD=alice-secret scan
check "wrong host name refused: 76 (status $status)" [ "$status" -eq 76 ]
check "wrong host name: says why" grep -q 'certificate of 127.1 is refused.*name' "$LAB/out"
check "no login sent in either case" [ "$(logins)" -eq "$n" ]
account 127.0.0.1 tls "$LAB/ssl/ca.pem"
sed -i "s/^port = .*/port = $LAB_IMAPS_PORT/" "$CONFIG"
MAILTRACE_PASSWORD=alice-secret scan
check "an address in the certificate is accepted (status $status)" [ "$status" -eq 0 ]

# 5. plain text only when meant; a server that is down is a temporary failure
account localhost plain "$LAB/ssl/ca.pem"
MAILTRACE_PASSWORD=alice-secret scan
check "plain without insecure = true refused" grep -q 'insecure = true' "$LAB/out"
account localhost starttls "$LAB/ssl/ca.pem"
sed -i "s/^port = .*/port = $(lab_free_port)/" "$CONFIG"
MAILTRACE_PASSWORD=alice-secret scan
check "server unreachable exits 75 (status $status)" [ "$status" -eq 75 ]

lab_test_end
