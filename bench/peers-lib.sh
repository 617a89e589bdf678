# The peers for the benchmarks (sourced by peers.sh and detection.sh): rspamd 3.4 with every
# module that asks DNS, Redis or another server disabled, and spamd with local tests only, each
# started as an unprivileged user on 127.0.0.1 from a work directory, and stopped by its own PID
# (spamd's pid file; rspamd's main process, runuser's child): killing runuser's PID, as before,
# left both running. After the
# stop, peers_stop checks that none of their processes is left and says so if one is.
#
# Needs: apt-get install rspamd spamd spamc; bash. Sets: work, run_as, rport, sport.

peers_require() {
  for p in rspamd rspamc spamd spamc; do
    command -v "$p" >/dev/null || [ -x "/usr/sbin/$p" ] ||
      { echo "$0: $p is missing (apt-get install rspamd spamd spamc)" >&2; exit 1; }
  done
}

# The work directory, owned by the user the peers run as (as root: a throwaway system user).
peers_init() {
  work=$(mktemp -d /tmp/mailtrace-peers.XXXXXX)
  chmod 755 "$work"
  run_as=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    id mailtrace-lab >/dev/null 2>&1 ||
      useradd --system --create-home --home-dir /var/lib/mailtrace-lab --shell /usr/sbin/nologin \
        mailtrace-lab
    run_as=mailtrace-lab
  fi
  trap peers_stop EXIT
}

as_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$run_as" -- "$@"; else "$@"; fi; }

# The PID of the program as_user started as job @1: runuser's child as root, else @1 itself.
daemon_pid() {
  if [ "$(id -u)" -eq 0 ]; then pgrep -P "$1" | head -n 1; else echo "$1"; fi
}

free_port() {
  while :; do
    p=$(shuf -i 20000-60000 -n 1)
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }
  done
}

wait_port() { # PORT: up to 60 s for a listener
  for _ in $(seq 600); do
    (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

peers_start_rspamd() {
  conf=$work/rspamd
  mkdir -p "$conf/local.d" "$conf/run" "$conf/db" "$conf/log"
  rport=$(free_port)
  printf 'bind_socket = "127.0.0.1:%s";\ncount = 2;\n' "$rport" >"$conf/local.d/worker-normal.inc"
  printf 'enabled = false;\n' >"$conf/local.d/worker-controller.inc"
  printf 'enabled = false;\n' >"$conf/local.d/worker-proxy.inc"
  printf 'enabled = false;\n' >"$conf/local.d/worker-fuzzy.inc"
  printf 'type = "file";\nfilename = "%s/log/rspamd.log";\nlevel = "error";\n' "$conf" \
    >"$conf/local.d/logging.inc"
  for m in rbl surbl spf dkim dmarc arc asn mx_check emails fuzzy_check greylist neural \
    ratelimit reputation replies url_redirector history_redis dcc bimi phishing \
    dkim_signing once_received hfilter; do
    printf 'enabled = false;\n' >"$conf/local.d/$m.conf"
  done
  printf 'servers = "";\n' >"$conf/local.d/redis.conf"
  chown -R "$run_as" "$conf" 2>/dev/null || true
  as_user rspamd -f -c /etc/rspamd/rspamd.conf --var="LOCAL_CONFDIR=$conf" \
    --var="RUNDIR=$conf/run" --var="DBDIR=$conf/db" --var="LOGDIR=$conf/log" \
    >"$conf/log/stdout" 2>&1 &
  launcher=$!
  wait_port "$rport" || { echo "rspamd did not start:" >&2; tail "$conf/log/"* >&2; exit 1; }
  daemon_pid "$launcher" >"$work/rspamd.pid"
}

peers_start_spamd() {
  sport=$(free_port)
  spamd=$(command -v spamd || echo /usr/sbin/spamd)
  chmod a+rwx "$work"
  as_user "$spamd" -L -m 2 --max-spare=2 --min-spare=2 --listen="127.0.0.1:$sport" \
    --nouser-config --pidfile="$work/spamd.pid" -s "$work/spamd.log" >/dev/null 2>&1 &
  wait_port "$sport" || { echo "spamd did not start:" >&2; tail "$work/spamd.log" >&2; exit 1; }
}

# The daemons' own PIDs, from the files they wrote.
peers_pids() {
  for f in "$work/rspamd.pid" "$work/spamd.pid"; do
    [ -s "$f" ] && cat "$f"
  done
}

peers_stop() {
  [ -n "${work:-}" ] && [ -d "$work" ] || return 0
  pids=$(peers_pids)
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do
    alive=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  for p in $alive; do kill -9 "$p" 2>/dev/null || true; done
  # their children (rspamd's workers, spamd's) go with the main process; check, as far as
  # the user tells them apart from the caller's own
  sleep 0.3
  left=""
  # (a zombie is no process left: its parent, runuser, reaps it as the script ends)
  [ "$run_as" = mailtrace-lab ] &&
    left=$(ps -o pid=,stat=,args= -u "$run_as" | awk '$2 !~ /^Z/ && /rspamd|spamd/ {print $1}')
  if [ -n "$left" ]; then
    echo "$0: peer processes left running, killed: $left" >&2
    kill -9 $left 2>/dev/null || true
  fi
  rm -rf "$work"
}
