#!/bin/bash
# `mailtrace scan --dry-run` over IMAP against the ceiling, in one run: the SpamAssassin corpus
# three times (18,138 messages) in the lab Dovecot's INBOX, once (6,046) in a folder "Once".
# The ceiling (build/bench/imap-ceiling) sends the same UID FETCH batches and does nothing with
# the answers: the speed of the server and libetpan. Rounds alternate ceiling and mailtrace
# after a warm-up (Dovecot builds its index and cache on the first read); prints messages per
# second (median of the rounds), their ratio, and mailtrace's peak RSS on 6,046 and 18,138
# messages. Targets: ratio >= 80%, RSS not growing with the mailbox.
# Usage: bench/imap.sh [BUILD_DIR]   (default build-release); ROUNDS=3 by default.
set -eu
cd "$(dirname "$0")/.."
. tests/dovecot/lab.sh
. bench/stage.sh

if [ "${1:-}" != --run ]; then
  bench_stage "${1:-build-release}"
  # the corpus and the ceiling
  cp -r "$corpus/data" "$MT_BENCH_STAGE/corpus"
  cp "$build/bench/imap-ceiling" "$MT_BENCH_STAGE/"
  bench_run bench/imap.sh
  exit
fi

LAB=$(mktemp -d)
trap 'lab_stop; rm -rf "$LAB"' EXIT
lab_setup
lab_start
S=$MT_BENCH_STAGE
A=$(lab_home alice)

# Straight into the Maildirs (an APPEND per message would take minutes); the corpus files
# start with an mbox "From " line, which a stored message does not have.
python3 - "$S/corpus" "$A/Maildir" <<'PY'
import os, sys
corpus, maildir = sys.argv[1:]
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs if f.endswith(".txt"))
def store(folder, copies):
    cur = os.path.join(maildir, folder, "cur")
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(maildir, folder, sub), exist_ok=True)
    n = 0
    for copy in range(copies):
        for path in files:
            with open(path, "rb") as f:
                data = f.read()
            if data.startswith(b"From "):
                data = data.split(b"\n", 1)[1]
            n += 1
            with open(os.path.join(cur, f"1700000000.M{n}P{copy}.bench:2,"), "wb") as f:
                f.write(data)
store(".", 3)
store(".Once", 1)
PY

export HOME=$LAB/user XDG_CONFIG_HOME=$LAB/user/config XDG_DATA_HOME=$LAB/user/data
export MAILTRACE_PASSWORD=alice-secret
mkdir -p "$XDG_CONFIG_HOME/mailtrace"
{
  if [ -f "$S/asn.mmdb" ]; then printf '[geo]\ncountry_db = %s\nasn_db = %s\n' "$S/country.mmdb" "$S/asn.mmdb"; fi
  printf '[account bench]\nhost = localhost\nport = %s\nsecurity = starttls\nuser = alice\nca_file = %s\n' \
    "$LAB_IMAP_PORT" "$LAB/ssl/ca.pem"
} >"$XDG_CONFIG_HOME/mailtrace/config"
geo_note=$([ -f "$S/asn.mmdb" ] && echo "real geo databases" || echo "no geo databases")
"$MT_BINARY" learn "$S/corpus/easy-ham-1" >/dev/null 2>&1 || true

# run LABEL COMMAND...: prints "LABEL SECONDS PEAK_RSS_KB" of the command (its output dropped)
run() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
label, cmd = sys.argv[1], sys.argv[2:]
t = time.monotonic()
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(label, f"{time.monotonic() - t:.3f}", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}
ceiling() { run ceiling "$S/imap-ceiling" localhost "$LAB_IMAP_PORT" "$LAB/ssl/ca.pem" alice "$1"; }
scan() { run mailtrace "$MT_BINARY" scan --dry-run --folder "$1"; }

n=$("$S/imap-ceiling" localhost "$LAB_IMAP_PORT" "$LAB/ssl/ca.pem" alice INBOX) # warm-up
once=$("$S/imap-ceiling" localhost "$LAB_IMAP_PORT" "$LAB/ssl/ca.pem" alice Once)
results=$(mktemp)
for _ in $(seq 1 "${ROUNDS:-3}"); do
  ceiling INBOX >>"$results"
  scan INBOX >>"$results"
done
rss_once=$(scan Once | awk '{print $3}')
median() { grep "^$1 " "$results" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
c=$(median ceiling)
m=$(median mailtrace)
rss=$(grep '^mailtrace ' "$results" | awk '{print $3}' | sort -n | tail -1)
echo "IMAP scan, $n messages in INBOX ($once in Once), ${ROUNDS:-3} rounds, $geo_note, store learned from easy-ham-1"
awk -v n="$n" -v c="$c" -v m="$m" 'BEGIN {
  printf "ceiling (same UID FETCH, no analysis): %.2f s, %.0f messages/s\n", c, n / c
  printf "mailtrace scan --dry-run:              %.2f s, %.0f messages/s\n", m, n / m
  printf "ratio: %.0f%% of the ceiling (target >= 80%%)\n", 100 * c / m
}'
echo "peak RSS of mailtrace: $((rss_once / 1024)) MiB on $once messages, $((rss / 1024)) MiB on $n"
rm -f "$results"
