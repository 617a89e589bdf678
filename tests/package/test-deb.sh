#!/bin/bash
# The Debian package as an admin meets it: built offline from the tree, lintian-clean,
# installed with apt, used from the installed files only, then purged without leftovers.
# Needs root (it installs and purges the package); prints TAP-like "ok -" / "not ok -" lines.
set -u
cd "$(dirname "$0")/../.."
root=$PWD

# The system's own mailtrace is the admin's: this test installs and purges the package (and
# with it /etc/mailtrace), so it never runs where one is installed, or removed with its
# configuration left. Exit 77: skipped, as meson and run-all.sh count it.
state=$(dpkg-query -W -f='${db:Status-Status}' mailtrace 2>/dev/null || true)
if [ -n "$state" ] && [ "$state" != not-installed ]; then
  echo "test-deb: skipped: a mailtrace package is on this machine ($state); this test installs" \
    "and purges mailtrace, which would remove it and /etc/mailtrace. Run it on a machine" \
    "without mailtrace (or in a container)." >&2
  exit 77
fi
work=$(mktemp -d /tmp/mailtrace-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
check() {
  d=$1
  shift
  if "$@"; then echo "ok - $d"; else echo "not ok - $d"; failures=$((failures + 1)); fi
}

# the tree as git sees it (tracked and new files, nothing ignored: no build directories)
mkdir -p "$work/src"
git ls-files -z -co --exclude-standard | tar -cf - --null -T - | tar -xf - -C "$work/src"
(cd "$work/src" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1
check "dpkg-buildpackage -us -uc -b builds it" [ -f "$work"/mailtrace_*_amd64.deb ] ||
  { tail -30 "$work/build.log"; exit 1; }
lintian "$work"/mailtrace_*.changes >"$work/lintian.log" 2>&1
check "lintian: no error, no warning ($(grep -cE '^[EW]: ' "$work/lintian.log"))" \
  bash -c "! grep -E '^[EW]: ' '$work/lintian.log'"
check "shlibs: the dependencies come from the libraries linked" \
  bash -c "dpkg-deb -f '$work'/mailtrace_*_amd64.deb Depends | grep -q libsqlite3"

apt-get install -y -q "$work"/mailtrace_*_amd64.deb >"$work/install.log" 2>&1
check "apt-get install ./mailtrace_*.deb" bash -c "dpkg -s mailtrace >/dev/null 2>&1" ||
  { tail -20 "$work/install.log"; exit 1; }
dpkg -L mailtrace >"$work/files"
home=$work/home
check "no user unit or timer enabled for every user at install" \
  bash -c "! ls /etc/systemd/user/*.wants/mailtrace-* >/dev/null 2>&1"
mkdir -p "$home"
as_user() { env -i PATH=/usr/bin:/bin HOME="$home" "$@"; }
version=$(cd "$work/src" && dpkg-parsechangelog -SVersion)
check "mailtrace --version is the package's version ($version, written once in debian/changelog)" \
  bash -c "/usr/bin/mailtrace --version | head -1 | grep -qx 'mailtrace $version'"
check "mailtrace check: ok from the installed files" \
  bash -c "env -i PATH=/usr/bin:/bin HOME='$home' /usr/bin/mailtrace check | tail -1 | grep -q '^ok'"
check "the system layer is /etc/mailtrace" \
  bash -c "env -i PATH=/usr/bin:/bin HOME='$home' /usr/bin/mailtrace check | grep -q '/etc/mailtrace/config$'"
check "the well-known senders' table is installed and read" \
  bash -c "env -i PATH=/usr/bin:/bin HOME='$home' /usr/bin/mailtrace check | grep -qE '^  /usr/share/mailtrace/well-known-senders.conf: [0-9]{3} brands'"
check "explain on a fixture" \
  bash -c "env -i PATH=/usr/bin:/bin HOME='$home' /usr/bin/mailtrace explain '$root/tests/data/seeds/krebs-gtacs.eml' | grep -q 72.52.186.80"
# the network code is a module the program opens at its first lookup: not linked, but there
printf '[online]\nresolver = 127.0.0.1@9\ntimeout = 0.2\ndeadline = 0.5\n' >"$work/online.conf"
check "explain needs no libcurl or libunbound; explain --online loads them from the module" \
  bash -c "! ldd /usr/bin/mailtrace | grep -qE 'libcurl|libunbound' &&
           env -i PATH=/usr/bin:/bin HOME='$home' /usr/bin/mailtrace explain --online --config '$work/online.conf' '$root/tests/data/seeds/krebs-gtacs.eml' 2>&1 | grep -q 'Looked up:'"
check "mailtrace-filter on a fixture" \
  bash -c "env -i PATH=/usr/bin:/bin HOME='$home' /usr/bin/mailtrace-filter < '$root/tests/data/seeds/krebs-gtacs.eml' | head -1 | grep -q '^X-Mailtrace-Verdict: suspicious'"
check "the sieve bin dir links both programs" \
  bash -c "[ -x /usr/libexec/mailtrace/sieve-bin/mailtrace ] && [ -x /usr/libexec/mailtrace/sieve-bin/mailtrace-filter ]"
for page in man1/mailtrace.1 man1/mailtrace-filter.1 man5/mailtrace.conf.5 man7/mailtrace-dovecot.7; do
  f=/usr/share/man/$page.gz
  check "man page $page: renders without a warning" \
    bash -c "[ -f '$f' ] && out=\$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '$f' 2>&1 >/dev/null) && [ -z \"\$out\" ]"
done
check "mailtrace.conf(5) lists every key of the table" \
  bash -c "[ \$(LC_ALL=C.UTF-8 MANWIDTH=200 man -l /usr/share/man/man5/mailtrace.conf.5.gz 2>/dev/null | grep -cE '^ +\\[[a-z *]+\\] ') -eq \$(/usr/bin/mailtrace check --keys | wc -l) ]"
# templates are verified through an instance, as systemd would load them
mkdir -p "$work/units"
for u in watch@ scan@; do
  cp "/usr/lib/systemd/user/mailtrace-$u.service" "$work/units/mailtrace-${u}test.service"
done
cp /usr/lib/systemd/user/mailtrace-scan@.timer "$work/units/mailtrace-scan@test.timer"
cp /usr/lib/systemd/user/mailtrace-update-geo.* "$work/units/"
check "systemd-analyze verify: the user units" \
  bash -c "cd '$work/units' && out=\$(systemd-analyze verify --man=no ./*.service ./*.timer 2>&1) || { echo \"\$out\"; false; }"
check "watch@ restarts after exit 75, not after a refused login or configuration" \
  bash -c "grep -qx 'Restart=on-failure' /usr/lib/systemd/user/mailtrace-watch@.service && grep -qx 'RestartPreventExitStatus=64 76 77 78' /usr/lib/systemd/user/mailtrace-watch@.service"
mkdir -p "$home/.config/mailtrace"
printf '[account work]\nhost = imap.example.org\nuser = u\n' >"$home/.config/mailtrace/config"
cat >"$work/complete.sh" <<'SH'
. /usr/share/bash-completion/bash_completion
. /usr/share/bash-completion/completions/mailtrace
# try WORD...: what completing the last word offers
try() { COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mailtrace; echo "${COMPREPLY[*]}"; }
[ "$(try mailtrace ex)" = explain ] && [ "$(try mailtrace scan --account w)" = work ] &&
  [ "$(try mailtrace scan --dry)" = --dry-run ] && [ "$(try mailtrace up)" = update-rdap ] &&
  [ "$(try mailtrace explain --on)" = --online ] && [ "$(try mailtrace explain --ab)" = --abuse-report ]
SH
check "bash completion: commands, options and account names" \
  env -i PATH=/usr/bin:/bin HOME="$home" bash "$work/complete.sh"

# an admin's installation is left alone: with the package installed and its configuration
# edited, a second run of this test stops at once and changes nothing
printf '\n[trust]\nrelays = mx.admin.example\n' >>/etc/mailtrace/config
sum_before=$(sha256sum /etc/mailtrace/config)
bash "$root/tests/package/test-deb.sh" >"$work/again.log" 2>&1
again=$?
check "installed and edited: a second run stops (exit $again) and says why" \
  bash -c "[ $again -eq 77 ] && grep -q 'a mailtrace package is on this machine' '$work/again.log'"
check "installed and edited: /etc/mailtrace/config byte-identical, the package still installed" \
  bash -c "[ \"\$(sha256sum /etc/mailtrace/config)\" = '$sum_before' ] && dpkg -s mailtrace >/dev/null 2>&1"

# the global scripts compiled as mailtrace-dovecot(7) says: purge takes the binaries too
if command -v sievec >/dev/null; then
  # the snippet of step 2 in a configuration of the test's own (the system's is not touched)
  printf '!include /usr/share/mailtrace/dovecot/90-mailtrace.conf\n' >"$work/dovecot.conf"
  sievec -c "$work/dovecot.conf" /usr/share/mailtrace/dovecot/ >"$work/sievec.log" 2>&1
  check "sievec compiles the shipped scripts" bash -c "ls /usr/share/mailtrace/dovecot/*.svbin >/dev/null"
fi

apt-get purge -y -q mailtrace >"$work/purge.log" 2>&1
check "apt-get purge" bash -c "! dpkg -s mailtrace >/dev/null 2>&1"
left=$(while read -r f; do [ -e "$f" ] && [ ! -d "$f" ] && echo "$f"; done <"$work/files")
check "nothing left behind (${left:-none})" [ -z "$left" ]
check "/etc/mailtrace gone" [ ! -e /etc/mailtrace ]
check "/usr/share/mailtrace gone, compiled scripts included" [ ! -e /usr/share/mailtrace ]
echo "# $failures failure(s)"
[ "$failures" -eq 0 ]
