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

# Save to searchable: the same corpus with search on (run.sh's "-defaults"
# site, made here if missing). For each of five body edits: the time from
# the save until the server prints that the search index is ready again.
DSITE="$WORK/briefly-$N-defaults"
if [ ! -f "$DSITE/site.yaml" ]; then
  mkdir -p "$DSITE"; ln -sfn "$SITE/content" "$DSITE/content"
  grep -v -e '^feeds: none' -e '^search: false' "$REPO/bench/site.yaml" > "$DSITE/site.yaml"
fi
kill $PID 2>/dev/null; wait $PID 2>/dev/null || true
rm -rf "$OUT"; : > "$LOG"
"$REPO/target/release/briefly" serve --root "$DSITE" --output "$OUT" --port 0 >"$LOG" 2>&1 &
PID=$!
until grep -q '^search index of' "$LOG"; do sleep 0.2; done
grep '^search index of' "$LOG" | sed 's/^/start-up: /'
cp "$BRIEF" "$BRIEF.orig"
for i in 1 2 3 4 5; do
  before=$(grep -c '^search index of' "$LOG")
  saved=$(date +%s.%N)
  printf '\nA searchable sentence, edit %s.\n' "$i" >> "$BRIEF"
  until [ "$(grep -c '^search index of' "$LOG")" -gt "$before" ]; do sleep 0.02; done
  ready=$(date +%s.%N)
  echo "save to searchable, edit $i: $(awk -v a="$saved" -v b="$ready" 'BEGIN{printf "%.0f ms", (b-a)*1000}') ($(grep '^search index of' "$LOG" | tail -1))"
done
grep -E 'rebuild of' "$LOG" | tail -5
mv "$BRIEF.orig" "$BRIEF"
