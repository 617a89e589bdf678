#!/bin/bash
# `mailtrace filter` inside a real Dovecot: dovecot-lda delivers through the shipped sieve
# scripts, and each message must arrive (in Junk with its keywords, or in INBOX), whatever
# mailtrace thinks of it or of its own configuration. "Intact" is judged against the same
# bytes delivered with no sieve_before at all, so Dovecot's own storing is factored out.
set -u
. "$MT_SOURCE/tests/dovecot/lab.sh"
lab_require_user "$0" "$@"

LAB_OTHER_LEARNING=1 # the site's own spam learning is there too, and must keep working
lab_test_start
check "mailtrace's hooks join the site's rules 1 and 2 as their after scripts" \
  bash -c "grep -q '^  imapsieve_mailbox1_after = file:.*/learn-spam.sieve$' '$LAB/91-mailtrace-imapsieve.conf' &&
           grep -q '^  imapsieve_mailbox2_after = file:.*/learn-ham.sieve$' '$LAB/91-mailtrace-imapsieve.conf'"
check "the generator adds nothing when the hooks are there" \
  bash -c "sh '$LAB/imapsieve-conf' '$LAB/dovecot.conf' | grep -c 'already rule' | grep -qx 2"
A=$(lab_home alice)
mkdir -p "$A/.config/mailtrace" "$LAB/in"
cat >"$A/.config/mailtrace/config" <<CONF
[geo]
country_db = $MT_TEST_COUNTRY_DB
asn_db = $MT_TEST_ASN_DB
CONF


# deliver NAME FILE [lda options]: delivers FILE to alice; the status is in $status.
deliver() {
  lab_deliver alice "$2" "${@:3}" 2>"$LAB/in/$1.err"
  status=$?
}
# reference FILE: the stored form of FILE without any filter (delivered to bob, no sieve_before).
reference() {
  rm -rf "$(lab_home bob)/Maildir"
  lab_deliver bob "$1" -o plugin/sieve_before= || return 1
  cat "$(lab_messages bob INBOX)"
}
# newest MAILBOX: the file of alice's newest message in MAILBOX
newest() { ls -t $(lab_messages alice "$1") 2>/dev/null | head -1; }
# without_ours FILE: FILE after the X-Mailtrace-* fields at its top (tail keeps bytes exact)
without_ours() {
  n=$(awk 'NR == 1 && !/^X-Mailtrace-/ {print 1; exit}
           /^X-Mailtrace-[A-Za-z]*:/ || /^[ \t]/ {next} {print NR; exit}' "$1")
  tail -n +"${n:-1}" "$1"
}
count() { lab_messages alice "$1" | wc -l; }
# delivered_intact NAME FILE MAILBOX: FILE went to MAILBOX, lda exited 0, bytes as sent
delivered_intact() {
  deliver "$1" "$2"
  [ "$status" -eq 0 ] || { echo "# $1: dovecot-lda exited $status: $(cat "$LAB/in/$1.err")"; return 1; }
  got=$(newest "$3")
  [ -n "$got" ] || { echo "# $1: nothing in $3"; return 1; }
  reference "$2" >"$LAB/in/$1.ref" || return 1
  without_ours "$got" | cmp -s - "$LAB/in/$1.ref" || { echo "# $1: bytes differ"; return 1; }
}

# 1. A forgery: Junk, $Suspicious and one keyword per reason, the headers on top.
deliver krebs "$DATA/seeds/krebs-gtacs.eml"
junk=$(newest Junk)
check "suspicious message delivered (lda status $status)" [ "$status" -eq 0 ]
check "suspicious message filed into Junk" [ -n "$junk" ]
check "verdict header first" grep -q -m1 '^X-Mailtrace-Verdict: suspicious$' "$junk"
flags=$(lab_flags alice Junk)
check "keywords \$Suspicious mt-helo-mismatch mt-helo-private-literal (got: $flags)" \
  bash -c "[[ '$flags' == *'\$Suspicious'* && '$flags' == *mt-helo-mismatch* && '$flags' == *mt-helo-private-literal* ]]"
check "not marked read" bash -c "[[ '$flags' != *Seen* ]]"
reference "$DATA/seeds/krebs-gtacs.eml" >"$LAB/in/krebs.ref"
check "forgery's bytes intact below our headers" cmp -s <(without_ours "$junk") "$LAB/in/krebs.ref"

# 2. A clean message: INBOX, verdict clean.
deliver clean "$DATA/demo/01-colleague-gmail.eml"
inbox=$(newest INBOX)
check "clean message in INBOX" [ -n "$inbox" ]
check "clean verdict header" grep -q '^X-Mailtrace-Verdict: clean$' "$inbox"
check "trace header names the origin" grep -q '^X-Mailtrace-Trace: origin 209.85.220.41;' "$inbox"
check "trace header names the submission" grep -qz 'submitted from[[:space:]]*198.51.100.5' "$inbox"

# 3. Forged X-Mailtrace-* fields are replaced by ours.
{
  printf 'X-Mailtrace-Verdict: suspicious\nX-Mailtrace-Keywords: $Forged\n'
  printf 'x-mailtrace-score: 99\n  continued\n'
  cat "$DATA/demo/01-colleague-gmail.eml"
} >"$LAB/in/forged.eml"
n_junk=$(count Junk)
deliver forged "$LAB/in/forged.eml"
forged=$(newest INBOX)
check "forged verdict did not file it into Junk" [ "$(count Junk)" -eq "$n_junk" ]
check "exactly one verdict, ours" [ "$(grep -ci '^X-Mailtrace-Verdict:' "$forged")" -eq 1 ]
check "our verdict is clean" grep -q '^X-Mailtrace-Verdict: clean$' "$forged"
check "forged score gone" [ "$(grep -ci '^X-Mailtrace-Score:' "$forged")" -eq 1 ]
without_flag() { ! lab_flags alice INBOX | grep -q "$1"; }
check "no forged keyword set" without_flag Forged
reference "$DATA/demo/01-colleague-gmail.eml" >"$LAB/in/clean.ref"
check "forged fields removed, the rest intact" cmp -s <(without_ours "$forged") "$LAB/in/clean.ref"

# 3b. Every form of our name Dovecot reads: a NUL or a blank before the colon, or no colon.
{
  printf 'X-Mailtrace-Verdict\0: suspicious\nX-Mailtrace-Keywords\0: $Forged \\Deleted\n'
  printf 'X-Mailtrace-Verdict suspicious\n'
  cat "$DATA/demo/01-colleague-gmail.eml"
} >"$LAB/in/nul-forged.eml"
n_junk=$(count Junk)
deliver nul-forged "$LAB/in/nul-forged.eml"
check "NUL-forged verdict did not file it into Junk (status $status)" [ "$(count Junk)" -eq "$n_junk" ]
check "NUL-forged keywords not set" without_flag Forged
check "NUL-forged \\Deleted not set" without_flag Deleted
check "NUL-forged fields removed" bash -c "! grep -qa 'X-Mailtrace-Verdict.suspicious' '$(newest INBOX)'"

# 3c. A size cap that cuts the header block, at every byte of two forged fields: no forged
# field survives, no line break is left alone, From and Subject stay headers.
pad=$(head -c 3000 /dev/zero | tr '\0' a)
{
  printf 'From: pad@example.org\nSubject: cut\nX-Pad: %s\n' "$pad"
  printf 'X-Mailtrace-Verdict: suspicious\r\nX-Mailtrace-Keywords: $Forged\n'
  printf 'To: bob@example.net\n\nbody\n'
} >"$LAB/in/cut.eml"
cp "$A/.config/mailtrace/config" "$LAB/in/config.saved"
start=$(($(grep -bo 'X-Mailtrace-Verdict' "$LAB/in/cut.eml" | cut -d: -f1) - 2))
cut_ok=0
cut_total=0
for at in $(seq "$start" 3 $((start + 70))); do
  cp "$LAB/in/config.saved" "$A/.config/mailtrace/config"
  printf '[filter]\nmax_size = %s\n' "$at" >>"$A/.config/mailtrace/config"
  deliver cut "$LAB/in/cut.eml"
  got=$(newest INBOX)
  cut_total=$((cut_total + 1))
  if [ "$status" -eq 0 ] && [ "$(count Junk)" -eq "$n_junk" ] &&
    [ "$(grep -ci '^X-Mailtrace-Verdict' "$got")" -eq 1 ] &&
    ! grep -qa 'suspicious' "$got" &&
    sed '/^\r\?$/q' "$got" | grep -q '^To: bob@example.net'; then
    cut_ok=$((cut_ok + 1))
  else
    echo "# cut at $at: wrong"
  fi
done
cp "$LAB/in/config.saved" "$A/.config/mailtrace/config"
check "size cap inside forged fields: $cut_ok of $cut_total cuts clean" [ "$cut_ok" -eq "$cut_total" ]

# 4. Input mailtrace cannot judge still arrives, byte for byte.
: >"$LAB/in/empty.eml"
head -c 20000 /dev/urandom >"$LAB/in/junk.eml"
{ printf 'From: a@example.org\nSubject: nul\n\nbefore\0after\0\n'; } >"$LAB/in/nul.eml"
{
  printf 'From: big@example.org\nSubject: 50 MiB\nMIME-Version: 1.0\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n'
  head -c $((38 * 1024 * 1024)) /dev/zero | base64
} >"$LAB/in/big.eml"
check "empty input delivered intact" delivered_intact empty "$LAB/in/empty.eml" INBOX
check "binary junk delivered intact" delivered_intact junk "$LAB/in/junk.eml" INBOX
check "message with NUL bytes delivered intact" delivered_intact nul "$LAB/in/nul.eml" INBOX
check "50 MiB message delivered intact (size $(stat -c %s "$LAB/in/big.eml"))" \
  delivered_intact big "$LAB/in/big.eml" INBOX
check "50 MiB message passed unanalysed" grep -q -m1 '^X-Mailtrace-Verdict: unknown$' "$(newest INBOX)"

# 5. mailtrace's own trouble: the message arrives untouched, lda exits 0.
store=$A/.local/share/mailtrace/profiles.sqlite
mkdir -p "$(dirname "$store")"
head -c 8192 /dev/urandom >"$store"
check "corrupt fingerprint store: delivered intact" \
  delivered_intact corrupt "$DATA/demo/01-colleague-gmail.eml" INBOX
check "corrupt fingerprint store: no verdict claimed" bash -c "! grep -q '^X-Mailtrace' '$(newest INBOX)'"
check "corrupt fingerprint store: reason on stderr" grep -q 'profiles.sqlite' "$LAB/in/corrupt.err"
rm -f "$store"
chmod 000 "$A/.config/mailtrace/config"
check "unreadable config: delivered intact" \
  delivered_intact noconfig "$DATA/demo/01-colleague-gmail.eml" INBOX
check "unreadable config: reason on stderr" grep -q 'config' "$LAB/in/noconfig.err"
chmod 644 "$A/.config/mailtrace/config"

# 6. An analysis that overruns mailtrace's deadline: the message goes on, verdict unknown,
# long before Pigeonhole's own timeout (which would make dovecot-lda panic).
cp "$A/.config/mailtrace/config" "$LAB/in/config.saved"
printf '[filter]\ndeadline = 0.5\ntest_stall = 20\n' >>"$A/.config/mailtrace/config"
start=$(date +%s%N)
check "overrun: delivered intact" delivered_intact overrun "$DATA/demo/01-colleague-gmail.eml" INBOX
ms=$((($(date +%s%N) - start) / 1000000))
check "overrun: verdict unknown" grep -q '^X-Mailtrace-Verdict: unknown$' "$(newest INBOX)"
check "overrun: lda done in ${ms} ms, under Pigeonhole's 8 s" [ "$ms" -lt 8000 ]
cp "$LAB/in/config.saved" "$A/.config/mailtrace/config"

# 7. --verdict-only, for `execute :pipe`: exit 0 when suspicious, 1 when not.
HOME=$A "$MT_BINARY" filter --verdict-only <"$DATA/seeds/krebs-gtacs.eml" >"$LAB/in/v1"
check "verdict-only: suspicious exits 0" [ $? -eq 0 ]
check "verdict-only: prints suspicious" grep -qx suspicious "$LAB/in/v1"
HOME=$A "$MT_BINARY" filter --verdict-only <"$DATA/demo/01-colleague-gmail.eml" >"$LAB/in/v2"
check "verdict-only: clean exits 1" [ $? -eq 1 ]
# The sieve script runs mailtrace-filter, the lean binary: the same verdict as `mailtrace filter`.
FILTER=$(dirname "$MT_BINARY")/mailtrace-filter
HOME=$A "$FILTER" --verdict-only <"$DATA/seeds/krebs-gtacs.eml" >"$LAB/in/v3"
check "mailtrace-filter: suspicious exits 0" [ $? -eq 0 ]
check "mailtrace-filter: the same verdict" cmp -s "$LAB/in/v1" "$LAB/in/v3"
HOME=$A "$FILTER" <"$DATA/demo/01-colleague-gmail.eml" >"$LAB/in/f1"
HOME=$A "$MT_BINARY" filter <"$DATA/demo/01-colleague-gmail.eml" >"$LAB/in/f2"
check "mailtrace-filter: the same output as mailtrace filter" cmp -s "$LAB/in/f1" "$LAB/in/f2"

# 8. IMAPSieve: the user's moves teach the store.
contact() { HOME=$A "$MT_BINARY" contacts show alice@example.org --json 2>/dev/null; }
$IMAP alice alice-secret move INBOX Junk
check "moved into Junk: spam recorded ($(contact))" bash -c "[[ '$(contact)' == *'\"spam\":1'* ]]"
check "moved into Junk: the site's own learning ran too" grep -qx spam "$LAB/other-learned"
$IMAP alice alice-secret move Junk INBOX
check "moved out of Junk: learned as genuine ($(contact))" \
  bash -c "[[ '$(contact)' == *'\"spam\":0'* && '$(contact)' != *'\"messages\":0'* ]]"
check "moved out of Junk: the site's own learning ran too" grep -qx ham "$LAB/other-learned"

grep -E 'Panic|Fatal' "$LAB/dovecot.log" && not_ok "dovecot log free of panics"
lab_test_end
