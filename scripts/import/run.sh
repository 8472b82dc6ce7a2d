#!/bin/sh
# Imports an archive into a fresh site, builds it and checks every old URL.
# Usage: run.sh hugo|jekyll|wordpress SOURCE SITE [import options...]
# Prints the import report's summary lines, the build's, and the check's.
set -u
kind=$1; source=$2; site=$3; shift 3
briefly=${BRIEFLY:-briefly}
rm -rf "$site"
$briefly import "$kind" "$source" --into "$site" "$@" > "$site.import.txt" 2> "$site.import.err"
echo "import exit $? ($(grep -c ': warning:' "$site.import.err") warnings, $(grep -c ': error:' "$site.import.err") errors)"
grep -E '^(imported|would|terms|shortcodes|media|redirects|not imported)' "$site.import.txt"
$briefly build --root "$site" > "$site.build.txt" 2> "$site.build.err"
echo "build exit $? ($(grep -c ': error:' "$site.build.err") errors)"
tail -n 1 "$site.build.txt"
python3 "$(dirname "$0")/check_redirects.py" "$site"
