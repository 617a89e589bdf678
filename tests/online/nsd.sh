#!/bin/sh
# Starts Debian's nsd, unprivileged, on 127.0.0.1:PORT serving tests/online/zones from DIR
# (its state and log). Prints nothing; `kill $(cat DIR/nsd.pid)` stops it.
# usage: nsd.sh DIR PORT [ZONE_DIR]
set -eu
dir=$1 port=$2
zones=${3:-$(cd "$(dirname "$0")/zones" && pwd)}
mkdir -p "$dir"
{
  echo "server:"
  echo "  ip-address: 127.0.0.1"
  echo "  port: $port"
  echo "  username: \"\""
  echo "  chroot: \"\""
  echo "  zonesdir: \"$zones\""
  echo "  database: \"\""
  echo "  zonelistfile: \"$dir/zone.list\""
  echo "  xfrdfile: \"$dir/xfrd.state\""
  echo "  xfrdir: \"$dir\""
  echo "  pidfile: \"$dir/nsd.pid\""
  echo "  logfile: \"$dir/nsd.log\""
  echo "  server-count: 1"
  echo "  verbosity: 1"
  echo "remote-control:"
  echo "  control-enable: no"
  for z in "$zones"/*.zone; do
    name=$(basename "$z" .zone)
    echo "zone:"
    echo "  name: \"$name\""
    echo "  zonefile: \"$z\""
  done
} > "$dir/nsd.conf"
nsd-checkconf "$dir/nsd.conf"
/usr/sbin/nsd -c "$dir/nsd.conf"
# ready when it answers
for _ in $(seq 50); do
  if [ -s "$dir/nsd.pid" ] && python3 - "$port" <<'PY' 2>/dev/null; then exit 0; fi
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2)
q = bytes.fromhex("abcd01000001000000000000") + b"\x0aribefsfield\x03com\x00\x00\x06\x00\x01"
s.sendto(q, ("127.0.0.1", int(sys.argv[1]))); s.recvfrom(512)
PY
  sleep 0.1
done
echo "nsd.sh: nsd did not start; $dir/nsd.log says:" >&2
cat "$dir/nsd.log" >&2 || true
exit 1
