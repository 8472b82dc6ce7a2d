#!/usr/bin/env bash
# Rebuild times of `briefly serve` for one-brief edits, on the benchmark corpus.
#
#   bench/serve_edit.sh N      (needs bench/run.sh N to have generated the corpus)
#
# Starts the preview server with its output on tmpfs, waits for start-up, then
# edits one brief five times each way: body only, title, countries. Prints the
# server's own rebuild lines (they include the rebuild time) and the start-up time.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:?usage: serve_edit.sh N}"
WORK="${WORK:-/tmp/briefly-bench}"
SITE="$WORK/briefly-$N"
OUT="${OUTROOT:-/dev/shm}/serve-edit-$N"
[ -d "$SITE/content/briefs" ] || { echo "run bench/run.sh $N first" >&2; exit 2; }
rm -rf "$OUT"
LOG="$(mktemp)"
"$REPO/target/release/briefly" serve --root "$SITE" --output "$OUT" --port 0 >"$LOG" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$LOG"' EXIT
until grep -q '^serving' "$LOG"; do sleep 0.2; done
BRIEF="$SITE/content/briefs/$(ls "$SITE/content/briefs" | sed -n "$((N / 2))p")"
cp "$BRIEF" "$BRIEF.orig"
for i in 1 2 3 4 5; do printf '\nAn added sentence, edit %s.\n' "$i" >> "$BRIEF"; sleep 1; done
for i in 1 2 3 4 5; do sed -i "s/^title: \"\(.*\)\"$/title: \"\1 ($i)\"/" "$BRIEF"; sleep 1; done
for c in Oman Qatar Jordan Kuwait Bahrain; do sed -i "s/^countries: \[/countries: [\"$c\", /" "$BRIEF"; sleep 1.5; done
mv "$BRIEF.orig" "$BRIEF"; sleep 1.5
grep -E 'initial build|rebuild of' "$LOG"
