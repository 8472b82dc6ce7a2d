#!/usr/bin/env bash
# Regenerates the README's screenshots of the example site, 1280 px wide (the
# top 1000 px of the page):
#   docs/screenshots/brief.png      the latest brief
#   docs/screenshots/countries.png  the countries index with its world map
# They are taken by the browser test (tests/browser.rs), which copies them
# when BRIEFLY_SCREENSHOTS names a folder. Needs what .ci/browser-setup
# installs (chromium, chromium-driver, tests/browser/node_modules). PNGs are
# shrunk with optipng when it is installed (apt-get install optipng).
set -euo pipefail
cd "$(dirname "$0")/.."

out="$PWD/docs/screenshots"
mkdir -p "$out"
BRIEFLY_SCREENSHOTS="$out" cargo test --test browser -- --ignored --exact site_in_a_real_browser

if command -v optipng >/dev/null 2>&1; then
  optipng -quiet -o2 -strip all "$out/brief.png" "$out/countries.png"
fi
ls -l "$out/brief.png" "$out/countries.png"
