#!/bin/bash
# `mailtrace watch` against a real Dovecot: a forgery delivered by dovecot-lda is moved to Junk
# within seconds (IDLE), the watch survives a Dovecot restart, and SIGTERM stops it cleanly.
set -u
. "$MT_SOURCE/tests/dovecot/lab.sh"
lab_require_user "$0" "$@"

lab_test_start
lab_mailtrace_account lab

# dovecot-lda without mailtrace's own sieve filter, so that the watch is what acts
deliver() { lab_deliver alice "$1" -o plugin/sieve_before=; }
junk_count() { $IMAP alice alice-secret dump Junk | wc -l; }
# wait_for COUNT SECONDS: until Junk holds COUNT messages; prints the seconds it took
wait_for() {
  start=$(date +%s.%N)
  for _ in $(seq 1 $(($2 * 20))); do
    [ "$(junk_count)" -ge "$1" ] && break
    sleep 0.05
  done
  awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}

"$MT_BINARY" watch >"$LAB/watch.out" 2>&1 &
watch_pid=$!
for _ in $(seq 1 200); do grep -q 'watching INBOX' "$LAB/watch.out" && break; sleep 0.05; done
check "watch started" grep -q 'watching INBOX on localhost' "$LAB/watch.out"

deliver "$DATA/demo/01-colleague-gmail.eml"
deliver "$DATA/seeds/krebs-gtacs.eml"
took=$(wait_for 1 10)
echo "# moved after ${took} s"
check "a delivered forgery is moved to Junk within seconds" [ "$(junk_count)" -eq 1 ]
check "with its keywords" bash -c "$IMAP alice alice-secret dump Junk | grep -q '\\\$Suspicious mt-helo-mismatch'"
check "the genuine message stays in INBOX" [ "$($IMAP alice alice-secret dump INBOX | wc -l)" -eq 1 ]

# a restart of Dovecot: the watch reconnects and goes on
lab_stop
lab_start || exit 1
deliver "$DATA/demo/03-bank-spoof-auth-fails.eml"
took=$(wait_for 2 30)
echo "# moved after the restart in ${took} s"
check "after a restart, the next forgery is moved too" [ "$(junk_count)" -eq 2 ]
check "it said it reconnected" grep -q 'reconnecting in' "$LAB/watch.out"
check "still running" kill -0 "$watch_pid"

kill -TERM "$watch_pid"
for _ in $(seq 1 100); do kill -0 "$watch_pid" 2>/dev/null || break; sleep 0.05; done
wait "$watch_pid"
status=$?
check "SIGTERM: clean exit 0 (status $status)" [ "$status" -eq 0 ]
check "SIGTERM: says it stopped" grep -q 'stopped (scanned 3, moved 2, failed 0)' "$LAB/watch.out"
sed 's/^/# /' "$LAB/watch.out"

lab_test_end
