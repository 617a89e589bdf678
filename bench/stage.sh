# Sourced by the benchmarks that run in the lab Dovecot (filter.sh, imap.sh), from the source
# root. bench_stage BUILD_DIR: builds a release mailtrace there, fetches the corpus ($corpus)
# and the geo databases, and makes $MT_BENCH_STAGE, a directory the lab user can read (geo
# databases copied in; removed on exit) for the caller to fill. bench_run SCRIPT: runs
# `SCRIPT --run` as the lab user with MT_BINARY and MT_SOURCE set.
bench_stage() {
  build=$1
  [ -f "$build/build.ninja" ] || meson setup "$build" -Dbuildtype=release -Dtests=disabled >/dev/null
  ninja -C "$build" >/dev/null
  corpus=$(bench/fetch-corpus.sh)
  geo=${XDG_CACHE_HOME:-$HOME/.cache}/mailtrace/geo
  [ -f "$geo/asn.mmdb" ] || packaging/fetch-geo.sh "$geo" >/dev/null || true
  MT_BENCH_STAGE=$(mktemp -d /tmp/mailtrace-bench.XXXXXX)
  export MT_BENCH_STAGE
  trap 'rm -rf "$MT_BENCH_STAGE"' EXIT
  cp "$geo"/*.mmdb "$MT_BENCH_STAGE/" 2>/dev/null || true
}
bench_run() {
  chmod -R a+rX "$MT_BENCH_STAGE"
  export MT_BINARY=$PWD/$build/scanner/cli/mailtrace MT_SOURCE=$PWD
  lab_run_as_user "$MT_SOURCE/$1" --run
}
