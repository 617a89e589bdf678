# A throwaway Dovecot + Pigeonhole on 127.0.0.1, run by an unprivileged user, with its own CA,
# mailtrace's shipped conf.d snippet and sieve scripts, and `mailtrace` and `mailtrace-filter`
# (found beside MT_BINARY) in the sieve bin dir.
# Sourced by the integration tests, the benchmarks and the demo. Needs: LAB (an empty
# directory owned by the running user), MT_BINARY, MT_SOURCE (the source tree).
# Usage: lab_require_user "$@"; lab_setup; lab_start; ...; lab_stop

LDA=/usr/lib/dovecot/dovecot-lda

# Dovecot refuses to run its services as root: as root, run the caller as a throwaway user,
# from a copy of what it needs in /tmp (the checkout may sit where that user cannot read,
# such as /root). lab_require_user replaces the calling script; lab_run_as_user returns.
lab_as_user() {
  id mailtrace-lab >/dev/null 2>&1 ||
    useradd --system --create-home --home-dir /var/lib/mailtrace-lab --shell /usr/sbin/nologin \
      mailtrace-lab
  stage=$(mktemp -d /tmp/mailtrace-lab.XXXXXX)
  mkdir -p "$stage/src/dovecot" "$stage/src/tests"
  cp "$MT_SOURCE"/dovecot/*.sieve "$MT_SOURCE"/dovecot/*.conf.in "$stage/src/dovecot/"
  cp -r "$MT_SOURCE/tests/dovecot" "$MT_SOURCE/tests/data" "$MT_SOURCE/tests/integration" \
    "$stage/src/tests/"
  cp -r "$MT_SOURCE/bench" "$MT_SOURCE/packaging" "$stage/src/"
  cp "$MT_BINARY" "$stage/mailtrace"
  cp "$(dirname "$MT_BINARY")/mailtrace-filter" "$stage/mailtrace-filter"
  for db in MT_TEST_COUNTRY_DB MT_TEST_ASN_DB; do
    eval "f=\${$db:-}"
    [ -z "$f" ] || { cp "$f" "$stage/$db.mmdb"; export "$db=$stage/$db.mmdb"; }
  done
  script=$(realpath "$1")
  shift
  chmod -R a+rX "$stage"
  # shellcheck disable=SC2046 # MT_* values are paths without spaces
  runuser -u mailtrace-lab -- env HOME=/var/lib/mailtrace-lab PATH="$PATH" \
    $(printenv | grep -E '^MT_[A-Z0-9_]*=' | grep -vE '^MT_(SOURCE|BINARY|TEST_DATA)=') \
    MT_SOURCE="$stage/src" MT_BINARY="$stage/mailtrace" MT_TEST_DATA="$stage/src/tests/data" \
    "$stage/src/${script#"$MT_SOURCE"/}" "$@"
  status=$?
  rm -rf "$stage"
  return $status
}
lab_require_user() {
  [ "$(id -u)" -ne 0 ] && return 0
  lab_as_user "$@"
  exit
}
lab_run_as_user() {
  if [ "$(id -u)" -eq 0 ]; then lab_as_user "$@"; else "$@"; fi
}

lab_free_port() {
  while :; do
    p=$(shuf -i 20000-60000 -n 1)
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }
  done
}

# Writes $LAB/dovecot.conf and everything it names. LAB_IMAP_CAPABILITY (optional) replaces
# the IMAP capability list, to play a server without MOVE. Run again (Dovecot stopped), it
# keeps the ports and the certificates.
lab_setup() {
  mkdir -p "$LAB/ssl" "$LAB/home" "$LAB/sieve" "$LAB/sieve-bin"
  [ -f "$LAB/ssl/server.pem" ] || (
    cd "$LAB/ssl"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
      -subj "/CN=mailtrace lab CA" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" \
      2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem \
      -days 30 -extfile server.ext 2>/dev/null
  )
  printf 'alice:{PLAIN}alice-secret\nbob:{PLAIN}bob-secret\n' >"$LAB/passwd"
  cp "$MT_SOURCE"/dovecot/*.sieve "$LAB/sieve/"
  ln -sf "$MT_BINARY" "$LAB/sieve-bin/mailtrace"
  ln -sf "$(dirname "$MT_BINARY")/mailtrace-filter" "$LAB/sieve-bin/mailtrace-filter"
  sed -e "s|@SIEVE_DIR@|$LAB/sieve|g" -e "s|@SIEVE_BIN_DIR@|$LAB/sieve-bin|g" \
    "$MT_SOURCE/dovecot/90-mailtrace.conf.in" >"$LAB/90-mailtrace.conf"
  LAB_IMAP_PORT=${LAB_IMAP_PORT:-$(lab_free_port)} # kept when set up again
  LAB_IMAPS_PORT=${LAB_IMAPS_PORT:-$(lab_free_port)}
  user=$(id -un)
  # AddressSanitizer reserves terabytes of address space: Dovecot's default 256 MB vsz_limit
  # (inherited by the programs the IMAP process runs) would kill a sanitized mailtrace.
  vsz=
  ldd "$MT_BINARY" 2>/dev/null | grep -q libasan && vsz="default_vsz_limit = 0"
  cat >"$LAB/dovecot.conf" <<CONF
base_dir = $LAB/run
state_dir = $LAB/state
log_path = $LAB/dovecot.log
instance_name = mailtrace-lab-$$
protocols = imap
listen = 127.0.0.1
default_internal_user = $user
default_login_user = $user
default_internal_group = $(id -gn)
ssl = yes
ssl_cert = <$LAB/ssl/server.pem
ssl_key = <$LAB/ssl/server.key
auth_mechanisms = plain login
auth_failure_delay = 0
mail_max_userip_connections = 100
passdb {
  driver = passwd-file
  args = scheme=PLAIN $LAB/passwd
}
userdb {
  driver = static
  args = uid=$user gid=$(id -gn) home=$LAB/home/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
  mailbox Junk {
    special_use = \\Junk
    auto = create
  }
  mailbox Trash {
    special_use = \\Trash
    auto = create
  }
  mailbox Archive {
    special_use = \\Archive
    auto = create
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
  inet_listener imap {
    port = $LAB_IMAP_PORT
  }
  inet_listener imaps {
    port = $LAB_IMAPS_PORT
    ssl = yes
  }
}
${LAB_IMAP_CAPABILITY:+imap_capability = $LAB_IMAP_CAPABILITY}
$vsz
!include $LAB/90-mailtrace.conf
CONF
}

lab_start() {
  dovecot -c "$LAB/dovecot.conf" || return 1
  for _ in $(seq 1 500); do
    (exec 3<>/dev/tcp/127.0.0.1/"$LAB_IMAP_PORT") 2>/dev/null && return 0
    sleep 0.01
  done
  echo "lab: dovecot did not listen on $LAB_IMAP_PORT" >&2
  cat "$LAB/dovecot.log" >&2
  return 1
}

# lab_stop: stops Dovecot and waits until every process of it (its master leads their
# session) is gone: an imap process serving a client can outlive the master for a while.
lab_stop() {
  [ -f "$LAB/run/master.pid" ] || return 0
  sid=$(cat "$LAB/run/master.pid")
  dovecot -c "$LAB/dovecot.conf" stop 2>/dev/null || true
  for _ in $(seq 1 200); do pgrep -s "$sid" >/dev/null || return 0; sleep 0.05; done
  echo "lab: Dovecot processes left after 10 s: $(pgrep -s "$sid" -l | tr '\n' ' ')" >&2
  pkill -KILL -s "$sid"
}

# lab_kill: as abrupt as a crash, every process of this Dovecot (its master leads their
# session); returns once the master is gone.
lab_kill() {
  pid=$(cat "$LAB/run/master.pid") || return 1
  pkill -KILL -s "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
  while pgrep -s "$pid" >/dev/null; do sleep 0.01; done
}

# lab_clear_stale_locks: what a crash leaves behind and Dovecot would take over only later.
# The maildir uidlist dotlock is empty (no PID to prove it stale): Dovecot waits until it is
# 2 minutes old, longer than mailtrace's 120 s command timeout, before overriding it.
lab_clear_stale_locks() {
  find "$LAB/home" -name 'dovecot-uidlist.lock' -delete
}

# lab_mailtrace_account NAME: mailtrace's own HOME in $LAB/user (config and store), with an
# [account NAME] for alice on this Dovecot (STARTTLS, the lab CA, 120 s a command) and the geo
# databases of MT_TEST_COUNTRY_DB / MT_TEST_ASN_DB when set; exports MAILTRACE_PASSWORD.
lab_mailtrace_account() {
  export HOME=$LAB/user XDG_CONFIG_HOME=$LAB/user/config XDG_DATA_HOME=$LAB/user/data
  export MAILTRACE_PASSWORD=alice-secret
  mkdir -p "$XDG_CONFIG_HOME/mailtrace"
  {
    [ -z "${MT_TEST_COUNTRY_DB:-}" ] || printf '[geo]\ncountry_db = %s\nasn_db = %s\n' \
      "$MT_TEST_COUNTRY_DB" "$MT_TEST_ASN_DB"
    # 120 s a command: a test machine running the sanitized suites in parallel is slow, and
    # Dovecot's UID MOVE of a batch can take more than the default 30 s there.
    printf '[account %s]\nhost = localhost\nport = %s\nsecurity = starttls\nuser = alice\nca_file = %s\ntimeout = 120\n' \
      "$1" "$LAB_IMAP_PORT" "$LAB/ssl/ca.pem"
  } >"$XDG_CONFIG_HOME/mailtrace/config"
}

# lab_home USER: the mail user's HOME (where mailtrace reads its config and store)
lab_home() { echo "$LAB/home/$1"; }

# lab_deliver USER FILE [dovecot-lda options...]: delivers through the sieve scripts;
# prints nothing, returns dovecot-lda's status.
lab_deliver() {
  u=$1
  f=$2
  shift 2
  "$LDA" -c "$LAB/dovecot.conf" -d "$u" -f sender@example.net -a "$u@example.com" "$@" <"$f"
}

# lab_messages USER MAILBOX: the files of the messages in MAILBOX ("INBOX" or "Junk").
lab_messages() {
  d=$(lab_home "$1")/Maildir
  [ "$2" = INBOX ] || d="$d/.$2"
  find "$d/new" "$d/cur" -type f 2>/dev/null | sort
}

# lab_flags USER MAILBOX: the flags of each message, one line per message.
lab_flags() {
  doveadm -c "$LAB/dovecot.conf" fetch -u "$1" flags mailbox "$2" ALL | sed -n 's/^flags: //p'
}

# The tests' common frame: a lab started in a fresh $LAB (removed on exit unless MT_LAB_KEEP),
# $DATA and an $IMAP client command, and TAP-like `check DESCRIPTION COMMAND...` lines
# counted for lab_test_end.
lab_test_start() {
  LAB=$(mktemp -d)
  trap 'lab_stop; [ -n "${MT_LAB_KEEP:-}" ] || rm -rf "$LAB"' EXIT
  lab_setup && lab_start || exit 1
  DATA=$MT_SOURCE/tests/data
  IMAP="python3 $MT_SOURCE/tests/dovecot/imap.py $LAB_IMAP_PORT $LAB/ssl/ca.pem"
  failures=0
}
not_ok() {
  echo "not ok - $1"
  failures=$((failures + 1))
}
check() {
  d=$1
  shift
  if "$@"; then echo "ok - $d"; else not_ok "$d"; fi
}
lab_test_end() {
  echo "# $failures failure(s)"
  [ "$failures" -eq 0 ]
}
