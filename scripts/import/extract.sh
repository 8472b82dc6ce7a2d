#!/bin/sh
# Copies PATH... of a (bare) git repository's HEAD into OUT, skipping blobs
# the clone lacks (shallow or partial snapshots often miss large images).
# Prints how many were missing. Usage: extract.sh GIT_DIR OUT PATH...
set -eu
git_dir=$1; out=$2; shift 2
missing=0
git --git-dir="$git_dir" -c core.quotePath=false ls-tree -r HEAD -- "$@" | while read -r _mode type sha path; do
    [ "$type" = blob ] || continue
    mkdir -p "$out/$(dirname "$path")"
    if ! git --git-dir="$git_dir" cat-file blob "$sha" > "$out/$path" 2>/dev/null; then
        rm -f "$out/$path"
        echo "missing: $path" >&2
    fi
done
