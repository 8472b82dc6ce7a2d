#!/bin/sh
# Build and check the digital.gov news archive with a briefly binary, print
# the grouped counts. Usage: scripts/archive/run.sh BINARY
#
#   WORK    working folder (default /tmp/archive): src/, site/, probe/, logs
#   MIRROR  git directory of GSA/digitalgov.gov (default: the fetched mirror
#           /work/.mirror/GSA+digitalgov.gov/repo; a clone's .git works too)
#
# 1. as-is: the converted archive, built and checked (the reported numbers);
# 2. probe: dates rewritten to RFC 3339 (convert.py --probe-dates), checked;
#    then the briefs that still have front matter errors are set aside and
#    the rest checked again, to see the link and content findings that today's
#    binary reports only when no brief has an error. Not an as-is build.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 BINARY" >&2; exit 2; }
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
COMMIT=4979583206d90ff1707b097454a9b169ca9e95e4
WORK=${WORK:-/tmp/archive}
MIRROR=${MIRROR:-/work/.mirror/GSA+digitalgov.gov/repo}
mkdir -p "$WORK"

if [ ! -d "$WORK/src/content/news" ]; then
    mkdir -p "$WORK/src/content/news"
    # The tree of content/news only: the mirror lacks some large images elsewhere.
    git --git-dir="$MIRROR" archive "$COMMIT:content/news" | tar -x -C "$WORK/src/content/news"
fi
rm -rf "$WORK/site" "$WORK/probe" "$WORK/probe-set-aside" "$WORK/output"
python3 "$HERE/convert.py" --src "$WORK/src" --out "$WORK/site" --commit "$COMMIT"
python3 "$HERE/convert.py" --src "$WORK/src" --out "$WORK/probe" --commit "$COMMIT" --probe-dates

echo "== 1. as-is: build"
"$BIN" build --root "$WORK/site" --output "$WORK/output" >"$WORK/build.txt" 2>&1 || true
tail -n 1 "$WORK/build.txt"
python3 "$HERE/group.py" <"$WORK/build.txt"
echo "== 1. as-is: check"
"$BIN" check --root "$WORK/site" >"$WORK/check.txt" 2>&1 || true
tail -n 1 "$WORK/check.txt"
python3 "$HERE/group.py" <"$WORK/check.txt"

echo "== 2. probe (dates rewritten): check"
"$BIN" check --root "$WORK/probe" >"$WORK/probe-check.txt" 2>&1 || true
python3 "$HERE/group.py" <"$WORK/probe-check.txt"
# Set aside the briefs with an error that is not a link finding, check again.
grep -E '^content/briefs/[^:]+\.md:[0-9:]* error: ' "$WORK/probe-check.txt" \
    | grep -v ': error: link `' | sed -E 's/^(content\/briefs\/[^:]+\.md):.*/\1/' | sort -u \
    | while read -r f; do
        mkdir -p "$WORK/probe-set-aside/$(dirname "$f")"
        mv "$WORK/probe/$f" "$WORK/probe-set-aside/$f"
    done
echo "== 2. probe without the $(find "$WORK/probe-set-aside" -name '*.md' 2>/dev/null | wc -l) briefs set aside: check"
"$BIN" check --root "$WORK/probe" >"$WORK/probe-check-2.txt" 2>&1 || true
tail -n 1 "$WORK/probe-check-2.txt"
python3 "$HERE/group.py" <"$WORK/probe-check-2.txt"
echo "logs: $WORK/{build,check,probe-check,probe-check-2}.txt"
