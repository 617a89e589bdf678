#!/bin/bash
# The IMAP half of the demo (run by demo.sh): a lab Dovecot with Alice's mailbox, her contacts'
# past mail in Archive and new mail in INBOX, then `mailtrace learn` and `mailtrace scan`.
# As root, it runs as the throwaway user mailtrace-lab (Dovecot will not run as root).
set -u
. "$MT_SOURCE/tests/dovecot/lab.sh"
lab_require_user "$0" "$@"

LAB=$(mktemp -d)
trap 'lab_stop; [ -n "${MT_LAB_KEEP:-}" ] && echo "demo: kept $LAB" || rm -rf "$LAB"' EXIT
lab_setup && lab_start || exit 1
IMAP="python3 $MT_SOURCE/tests/dovecot/imap.py $LAB_IMAP_PORT $LAB/ssl/ca.pem alice alice-secret"
lab_mailtrace_account demo # the lab's password; a real account would use password_command

python3 "$MT_SOURCE/packaging/demo-mail.py" "$LAB/mail"
for f in "$LAB"/mail/archive/*.eml; do $IMAP append Archive "$f"; done
for f in "$LAB"/mail/inbox/*.eml "$MT_SOURCE"/tests/data/seeds/*.eml "$MT_SOURCE"/tests/data/demo/*.eml; do
  $IMAP append INBOX "$f"
done

echo "== A throwaway Dovecot on 127.0.0.1:$LAB_IMAP_PORT (STARTTLS, its own CA), mailbox of alice"
echo "   Archive: her contacts' past mail; INBOX before the scan:"
$IMAP list INBOX
echo
echo "== mailtrace learn --account demo --folder Archive"
"$MT_BINARY" learn --account demo --folder Archive || exit 1
echo
echo "== mailtrace scan --account demo"
"$MT_BINARY" scan --account demo
status=$?
echo
echo "== After the scan: INBOX"
$IMAP list INBOX
echo "== Junk"
$IMAP list Junk
exit $status
