#!/bin/bash
# The filter's cost per delivery as the number of learned contacts grows (10, 1,000, 10,000):
# for a known contact's message and for an unknown sender's, in instructions (callgrind: the
# same on every run, whatever else the machine does) and in wall time (the median of 21 runs).
# The contacts are synthetic (one address and display name each; min_history = 1 so that each
# one counts as a contact): half are colleagues at one organisation's domain, half write from a
# domain of their own. The messages judged are documentation-address mail; the unknown sender's
# domain resembles none of theirs, so every look-alike lookup runs to its end.
# Usage: bench/contacts-scale.sh [BUILD_DIR]   (default build-release). Needs valgrind.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build-release}
[ -f "$build/build.ninja" ] || meson setup "$build" -Dbuildtype=release -Dtests=disabled >/dev/null
ninja -C "$build" >/dev/null
command -v valgrind >/dev/null || { echo "contacts-scale.sh: valgrind is missing" >&2; exit 1; }
bin=$PWD/$build/scanner/cli/mailtrace
filter=$PWD/$build/scanner/cli/mailtrace-filter
work=$(mktemp -d /tmp/mailtrace-contacts.XXXXXX)
trap '[ -n "${MT_KEEP:-}" ] || rm -rf "$work"' EXIT

message() { # FROM-NAME FROM-ADDRESS ID
  printf 'Received: from mail.%s (mail.%s [198.51.100.7]) by mx.example.net with ESMTPS id %s; Mon, 1 May 2023 08:00:02 +0000\n' \
    "${2#*@}" "${2#*@}" "$3"
  printf 'From: %s <%s>\nTo: bob@example.net\nSubject: note %s\nDate: Mon, 1 May 2023 08:00:00 +0000\n' "$1" "$2" "$3"
  printf 'Message-ID: <%s@%s>\nX-Mailer: Thunderbird\nContent-Type: text/plain; charset=us-ascii\n\nhello\n' "$3" "${2#*@}"
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

printf '%-10s %-16s %14s %10s\n' contacts sender instructions "wall (ms)"
for n in 10 1000 10000; do
  home=$work/$n
  mkdir -p "$home/config/mailtrace" "$home/mail"
  printf '[policy]\nmin_history = 1\n' >"$home/config/mailtrace/rules.conf"
  for i in $(seq 1 "$n"); do
    if [ $((i % 2)) = 0 ]; then domain=staff.example.org; else domain=northwind-trading-$i.example; fi
    message "Contact Person$i" "person$i@$domain" "c$i" >"$home/mail/$i.eml"
  done
  XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache \
    "$bin" learn -q "$home/mail" >/dev/null 2>&1
  message "Contact Person1" "person1@northwind-trading-1.example" known >"$work/known.eml"
  message "Dana Stranger" "dana@unrelated-sender.test" unknown >"$work/unknown.eml"
  for who in known unknown; do
    run() {
      XDG_CONFIG_HOME=$home/config XDG_DATA_HOME=$home/data XDG_CACHE_HOME=$home/cache \
        "$@" "$filter" <"$work/$who.eml" >/dev/null 2>&1
    }
    run # the compiled table of well-known senders is written once
    run valgrind --tool=callgrind --callgrind-out-file="$work/cg" -q
    instr=$(awk '/^summary:/ {print $2}' "$work/cg")
    for _ in $(seq 21); do
      s=$(date +%s%N)
      run
      echo $(( ($(date +%s%N) - s) / 1000 ))
    done | median >"$work/us"
    printf '%-10s %-16s %14s %10.2f\n' "$n" "$who" "$instr" "$(awk '{print $1 / 1000}' "$work/us")"
  done
done
