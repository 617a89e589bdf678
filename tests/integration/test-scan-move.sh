#!/bin/bash
# `mailtrace scan` changing a real Dovecot mailbox: suspicious mail tagged then moved to Junk,
# clean mail untouched and unread, a rerun does nothing, a message the user brings back is left
# alone, a server without MOVE takes UID COPY + UID EXPUNGE and spares the user's other
# \Deleted messages, a server with neither only tags, and Dovecot stopped in the middle of a
# scan loses nothing and duplicates nothing.
set -u
. "$MT_SOURCE/tests/dovecot/lab.sh"
lab_require_user "$0" "$@"

lab_test_start
lab_mailtrace_account lab

scan() { # runs mailtrace scan, output in $LAB/out, status in $status
  "$MT_BINARY" scan "$@" >"$LAB/out" 2>&1
  status=$?
}
dump() { $IMAP alice alice-secret dump "$1"; }
hashes() { { dump INBOX; dump Junk; } | awk '{print $NF}'; }
restart() { # restart Dovecot with LAB_IMAP_CAPABILITY=$1 (empty: the default list)
  lab_stop
  LAB_IMAP_CAPABILITY=$1 lab_setup && lab_start || exit 1
}

SUSPICIOUS="$DATA/seeds/krebs-gtacs.eml $DATA/demo/02-paypal-display-name.eml $DATA/demo/03-bank-spoof-auth-fails.eml"
CLEAN="$DATA/seeds/evernet-miho.eml $DATA/demo/01-colleague-gmail.eml"

# 1. three forgeries, two genuine messages, one genuine message the user marked \Deleted
for f in $SUSPICIOUS $CLEAN; do $IMAP alice alice-secret append INBOX "$f"; done
$IMAP alice alice-secret append INBOX "$DATA/demo/01-colleague-gmail.eml" '(\Deleted)'
dump INBOX >"$LAB/before"
scan
check "scan exits 0 (status $status)" [ "$status" -eq 0 ]
check "summary" grep -q 'scanned 5, suspicious 3, moved 3, tagged only 0, left alone 1, failed 0' "$LAB/out"
check "says what it moved and why" grep -q 'INBOX UID 1 .*moved to Junk; keywords \$Suspicious mt-helo-mismatch' "$LAB/out"
dump INBOX >"$LAB/inbox"
dump Junk >"$LAB/junk"
check "clean messages and the \\Deleted one untouched, unread" \
  cmp -s "$LAB/inbox" <(grep -E '^(4|5|6) ' "$LAB/before")
check "three messages in Junk" [ "$(wc -l <"$LAB/junk")" -eq 3 ]
check "Junk holds the forgeries byte for byte" \
  cmp -s <(awk '{print $NF}' "$LAB/junk" | sort) <(grep -E '^(1|2|3) ' "$LAB/before" | awk '{print $NF}' | sort)
check "each carries \$Suspicious and its reasons" \
  [ "$(grep -c '\$Suspicious mt-' "$LAB/junk")" -eq 3 ]
check "moved unread" bash -c "! grep -q Seen '$LAB/junk'"

# 2. a rerun does nothing
scan
check "rerun judges nothing (status $status)" grep -q 'scanned 0, suspicious 0, moved 0' "$LAB/out"
check "rerun changed nothing" cmp -s "$LAB/inbox" <(dump INBOX)

# 3. the user brings the forgeries back: a full rescan leaves them where the user put them
$IMAP alice alice-secret move Junk INBOX
dump INBOX >"$LAB/back"
scan --rescan
check "rescan leaves messages judged before alone" grep -q 'scanned 2, suspicious 0, moved 0, tagged only 0, left alone 4' "$LAB/out"
check "rescan changed nothing" cmp -s "$LAB/back" <(dump INBOX)

# 4. a server without MOVE: UID COPY, COPYUID checked, \Deleted + UID EXPUNGE of those only
restart "IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT UIDPLUS SPECIAL-USE"
for f in $SUSPICIOUS; do $IMAP alice alice-secret append INBOX "$f"; done
n_before=$(dump INBOX | wc -l)
scan
check "no MOVE: scan exits 0 (status $status)" [ "$status" -eq 0 ]
check "no MOVE: three moved" grep -q 'scanned 3, suspicious 3, moved 3' "$LAB/out"
check "no MOVE: the user's \\Deleted message is still there" \
  [ "$(dump INBOX | grep -c 'Deleted')" -eq 1 ]
check "no MOVE: INBOX lost exactly the three" [ "$(dump INBOX | wc -l)" -eq $((n_before - 3)) ]
check "no MOVE: Junk has them" [ "$(dump Junk | wc -l)" -eq 3 ]

# 4b. a run cut after UID COPY, before its COPYUID answer: the copy exists, the journal says the
# move began; the rerun finds the copy in Junk and does not copy it twice
bank="$LAB/lost-copyuid.eml" # a message of its own: its digest is found nowhere else
{ printf 'X-Test-Copy: lost COPYUID\r\n'; cat "$DATA/demo/03-bank-spoof-auth-fails.eml"; } >"$bank"
$IMAP alice alice-secret append INBOX "$bank" '($Suspicious)'
$IMAP alice alice-secret append Junk "$bank" '($Suspicious)'
digest=$(dump INBOX | tail -1 | awk '{print $NF}')
uid=$(dump INBOX | tail -1 | awk '{print $1}')
python3 - "$XDG_DATA_HOME/mailtrace/profiles.sqlite" "$($IMAP alice alice-secret uidvalidity INBOX)" "$uid" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO imap_moving VALUES ('lab', 'INBOX', ?, ?, 0)", (int(sys.argv[2]), int(sys.argv[3])))
db.commit()
PY
scan
check "lost COPYUID: scan exits 0 (status $status)" [ "$status" -eq 0 ]
check "lost COPYUID: gone from INBOX" [ "$(dump INBOX | grep -c "$digest")" -eq 0 ]
check "lost COPYUID: once in Junk, not twice" [ "$(dump Junk | grep -c "$digest")" -eq 1 ]

# 5. neither MOVE nor UIDPLUS: tagged where they are, and said so
restart "IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SPECIAL-USE"
$IMAP alice alice-secret append INBOX "$DATA/seeds/krebs-gtacs.eml"
scan
check "tag only: says so" grep -q 'neither MOVE nor UIDPLUS' "$LAB/out"
check "tag only: counted" grep -q 'scanned 1, suspicious 1, moved 0, tagged only 1' "$LAB/out"
check "tag only: tagged in INBOX" [ "$(dump INBOX | tail -1 | grep -c '\$Suspicious mt-helo-mismatch')" -eq 1 ]

# 6. Dovecot killed in the middle of a scan: the rerun finishes, every message exactly once
restart ""
$IMAP alice alice-secret append-many INBOX 1500 $SUSPICIOUS $CLEAN
hashes | sort >"$LAB/all-before"
"$MT_BINARY" scan >"$LAB/out1" 2>&1 &
scan_pid=$!
for _ in $(seq 1 600); do grep -q 'moved to Junk' "$LAB/out1" && break; sleep 0.02; done
lab_kill
wait "$scan_pid"
status=$?
check "interrupted scan exits 75 (status $status)" [ "$status" -eq 75 ]
check "it was interrupted before the end" bash -c "! grep -q 'scanned 1500' '$LAB/out1'"
check "it says the connection was lost" grep -q 'failed: the connection was lost' "$LAB/out1"
lab_clear_stale_locks
lab_start || exit 1
scan
cp "$LAB/out" "$LAB/out-rerun" # kept with MT_LAB_KEEP: the next scan writes out again
check "the rerun finishes (status $status)" [ "$status" -eq 0 ]
[ "$status" -eq 0 ] || sed 's/^/# /' "$LAB/out" | tail -20
hashes | sort >"$LAB/all-after"
# on a failure, which messages (their hashes) are missing (<) or there twice (>)
cmp -s "$LAB/all-before" "$LAB/all-after" ||
  diff "$LAB/all-before" "$LAB/all-after" | grep '^[<>]' | head -20 | sed 's/^/# lost or twice: /'
check "every message exactly once" cmp -s "$LAB/all-before" "$LAB/all-after"
check "the 900 forgeries (and 4 from before) in Junk" [ "$(dump Junk | wc -l)" -eq 904 ]
scan
check "then a rerun does nothing" grep -q 'scanned 0, suspicious 0, moved 0' "$LAB/out"

lab_test_end
