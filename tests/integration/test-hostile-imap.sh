#!/bin/bash
# `mailtrace scan` and `watch` against a server that misbehaves on purpose
# (tests/hostile/imap-server.py): whatever it does, mailtrace ends in bounded time and memory,
# acts only on what it asked for, and says what went wrong.
set -u
. "$MT_SOURCE/tests/dovecot/lab.sh" # check, not_ok, lab_test_end
failures=0
WORK=$(mktemp -d)
SERVER_PID=
trap '[ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
export HOME=$WORK XDG_CONFIG_HOME=$WORK/config XDG_DATA_HOME=$WORK/data MAILTRACE_PASSWORD=secret
mkdir -p "$XDG_CONFIG_HOME/mailtrace"
DATA=$MT_SOURCE/tests/data
MAIL="$DATA/demo/01-colleague-gmail.eml $DATA/demo/02-paypal-display-name.eml $DATA/demo/03-bank-spoof-auth-fails.eml"

serve() { # SCENARIO: a fresh server, mailtrace's account pointing at it, the store reset
  [ -z "$SERVER_PID" ] || kill "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK/port" "$WORK/log" "$XDG_DATA_HOME"
  # shellcheck disable=SC2086 # MAIL is a list of paths without spaces
  python3 "$MT_SOURCE/tests/hostile/imap-server.py" "$WORK/port" "$WORK/log" "$1" $MAIL &
  SERVER_PID=$!
  for _ in $(seq 50); do [ -f "$WORK/port" ] && break; sleep 0.1; done
  printf '[account h]\nhost = 127.0.0.1\nport = %s\nsecurity = plain\ninsecure = true\nuser = bob\ntimeout = 3\n' \
    "$(cat "$WORK/port")" >"$XDG_CONFIG_HOME/mailtrace/config"
}
run() { # mailtrace ARGS...: output in $WORK/out, status, seconds and peak RSS (KiB)
  /usr/bin/time -f '%e %M' -o "$WORK/time" timeout 60 "$MT_BINARY" "$@" >"$WORK/out" 2>&1
  status=$?
  read -r seconds rss < <(tail -n 1 "$WORK/time") || { seconds=999 rss=0; }
}
under() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

for s in eof-in-literal eof-max-literal; do
  serve "$s"
  run scan --dry-run
  check "$s: exits 75, not a spin (status $status)" [ "$status" -eq 75 ]
  check "$s: at once ($seconds s)" under "$seconds" 5
  check "$s: says the connection was lost" grep -q 'connection was lost' "$WORK/out"
done

serve drip
run scan --dry-run
check "drip: one deadline for the whole command ($seconds s, timeout 3 s)" under "$seconds" 6
check "drip: exits 75 (status $status)" [ "$status" -eq 75 ]

serve flood
run scan --dry-run
check "flood: a 300 MB literal is refused (status $status)" [ "$status" -eq 75 ]
check "flood: memory stays bounded ($rss KiB)" under "$rss" 100000

serve never-asked
run scan
check "never asked: runs (status $status)" [ "$status" -eq 0 ]
check "never asked: acts on UIDs it asked for only" \
  bash -c "! grep -E 'UID (STORE|MOVE|COPY|EXPUNGE).*(500|4000000000)' '$WORK/log'"
check "never asked: the suspicious ones moved" grep -q 'UID MOVE 2,3 Junk' "$WORK/log"

serve twice
run scan
check "twice: the disputed UID fails the run, 75 (status $status)" [ "$status" -eq 75 ]
check "twice: it is not acted on" bash -c "! grep -E 'UID (STORE|MOVE) 1[ ,:]' '$WORK/log'"

serve partial-no
run scan --json
check "partial FETCH: counted as failed, 75: retried next run (status $status)" [ "$status" -eq 75 ]
check "partial FETCH: says which" grep -q 'INBOX UID 2: cannot fetch' "$WORK/out"
# the same store, an honest server: UID 2 is judged now, the others are not judged again
rm -f "$WORK/log"
kill "$SERVER_PID"
# shellcheck disable=SC2086
python3 "$MT_SOURCE/tests/hostile/imap-server.py" "$WORK/port2" "$WORK/log" ok $MAIL &
SERVER_PID=$!
for _ in $(seq 50); do [ -f "$WORK/port2" ] && break; sleep 0.1; done
sed -i "s/^port = .*/port = $(cat "$WORK/port2")/" "$XDG_CONFIG_HOME/mailtrace/config"
run scan --json
check "partial FETCH: retried next run (status $status)" [ "$status" -eq 0 ]
check "partial FETCH: the missed UID judged next run" grep -q '"uid":2' "$WORK/out"
check "partial FETCH: from where it failed" grep -q 'UID SEARCH UID 2:\*' "$WORK/log"

serve sparse
run scan --dry-run
check "sparse UIDs: runs (status $status)" [ "$status" -eq 0 ]
check "sparse UIDs: at once ($seconds s)" under "$seconds" 3
check "sparse UIDs: one fetch" [ "$(grep -c 'UID FETCH' "$WORK/log")" -eq 1 ]
check "sparse UIDs: all three judged" grep -q 'scanned 3,' "$WORK/out"

serve ok
MAILTRACE_PASSWORD=$(printf 'pass\r\nX NOOP') run scan --dry-run
check "LOGIN: a password with a line break is refused (status $status)" [ "$status" -ne 0 ]
check "LOGIN: and said why" grep -q 'holds a line break' "$WORK/out"
check "LOGIN: nothing injected" bash -c "! grep -q 'X NOOP' '$WORK/log'"
MAILTRACE_PASSWORD='pa"ss\word' run scan --dry-run
check "LOGIN: quotes and backslashes are escaped" grep -qF 'LOGIN bob "pa\"ss\\word"' "$WORK/log"

# AUTHENTICATE: a server that never stops asking, or that answers with a megabyte, ends
# within the deadline (timeout 3 s), with the login refused or the connection given up
printf '#!/bin/sh\necho not-a-real-token\n' >"$WORK/token"
chmod +x "$WORK/token"
for mech in xoauth2 oauthbearer; do
  serve auth-endless
  printf 'auth = %s\npassword_command = %s\n' "$mech" "$WORK/token" >>"$XDG_CONFIG_HOME/mailtrace/config"
  run scan --dry-run
  check "$mech endless continuation: gives up (status $status)" [ "$status" -eq 75 ]
  check "$mech endless continuation: within the deadline ($seconds s)" under "$seconds" 5
  check "$mech endless continuation: memory stays bounded ($rss KiB)" under "$rss" 100000
  serve auth-blob
  printf 'auth = %s\npassword_command = %s\n' "$mech" "$WORK/token" >>"$XDG_CONFIG_HOME/mailtrace/config"
  run scan --dry-run
  check "$mech 1 MB error: refused, 77 (status $status)" [ "$status" -eq 77 ]
  check "$mech 1 MB error: at once ($seconds s)" under "$seconds" 5
  check "$mech 1 MB error: not printed ($(wc -c <"$WORK/out") bytes)" [ "$(wc -c <"$WORK/out")" -lt 4000 ]
  check "$mech 1 MB error: said too long to show" grep -q 'too long to show' "$WORK/out"
done

# watch: a server that drops inside a literal is reconnected to, and SIGTERM still stops it
serve eof-in-literal
timeout 60 "$MT_BINARY" watch >"$WORK/out" 2>&1 &
watcher=$!
sleep 3
kill -TERM "$watcher"
start=$(date +%s)
wait "$watcher"
check "watch: reconnects after a drop" grep -q 'reconnecting' "$WORK/out"
check "watch: stops on SIGTERM ($(($(date +%s) - start)) s)" [ $(($(date +%s) - start)) -lt 5 ]

lab_test_end
