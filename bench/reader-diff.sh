#!/bin/sh
# The differential test of the message reader: the hand-written reader GMime replaced (from
# git history) and the GMime-backed one (from the build tree) read the same corpora; prints,
# per field, how many messages they read differently, and examples of each.
#   bench/reader-diff.sh [BUILD_DIR] [DIR...]
# DIRs default to the SpamAssassin corpus (bench/fetch-corpus.sh) and ../shared/data's
# phishing-pot and modern-ham header sets.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
[ $# -gt 0 ] && shift
if [ $# -eq 0 ]; then
  set -- "$(bench/fetch-corpus.sh)/data" ../shared/data/phishing-pot/headers \
    ../shared/data/modern-ham/headers
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The last commit with the hand-written reader: the parent of the one that deleted it.
gone=$(git log --diff-filter=D --format=%H -1 -- scanner/message/mime-header.c)
mkdir "$work/old"
for f in message.c message.h mime-address.c mime-address.h mime-header.c mime-header.h \
  mime-text.c mime-text.h mail-date.c mail-date.h; do
  git show "$gone^:scanner/message/$f" >"$work/old/$f"
done
glib=$(pkg-config --cflags --libs glib-2.0)
gmime=$(pkg-config --cflags --libs gmime-3.0)
# shellcheck disable=SC2086
cc -D_GNU_SOURCE -O1 -o "$work/dump-old" bench/message-dump.c "$work"/old/*.c -I"$work/old" \
  -Iscanner/base $glib
ninja -C "$build" scanner/message/libmt-message.a >/dev/null
# shellcheck disable=SC2086
cc -O1 -o "$work/dump-new" bench/message-dump.c -Iscanner/message -Iscanner/base \
  "$build/scanner/message/libmt-message.a" $gmime

find "$@" -type f \( -name '*.txt' -o -name '*.eml' \) | sort >"$work/files"
xargs -a "$work/files" "$work/dump-old" >"$work/old.tsv"
xargs -a "$work/files" "$work/dump-new" >"$work/new.tsv"
echo "reader-diff: $(wc -l <"$work/files") messages; old reader from ${gone%"${gone#???????}"}^"
python3 - "$work/old.tsv" "$work/new.tsv" <<'PY'
import sys
from collections import defaultdict
cols = ["file", "headers", "from name", "from address", "sender name", "sender address",
        "reply-to name", "reply-to address", "return-path", "message-id", "date", "mailer",
        "charsets", "html generator", "subject", "received dates", "findings", "text sample"]
read = lambda p: [l.rstrip("\n").split("\t") for l in open(p, encoding="utf-8", errors="replace")]
diffs = defaultdict(list)
for o, n in zip(read(sys.argv[1]), read(sys.argv[2])):
    for i in range(1, len(cols)):
        if o[i] != n[i]:
            diffs[cols[i]].append((o[0].rsplit("/", 1)[-1], o[i], n[i]))
for field in cols[1:]:
    rows = diffs.get(field, [])
    print(f"{field:18} {len(rows):5} differ")
    for name, old, new in rows[:3]:
        print(f"    {name[:28]:28} old: {old[:50]!r}  GMime: {new[:50]!r}")
PY
