#!/usr/bin/env bash
# Regenerates the README's screenshots of the example site, 1280 px wide (the
# top 1000 px of the page):
#   docs/screenshots/brief.png      the latest brief
#   docs/screenshots/countries.png  the countries index with its world map
#   docs/screenshots/brief-ar.png   the Arabic translation of a brief
#   docs/screenshots/brief-fa.png   the Persian sample brief
#   docs/screenshots/brief-fr.png   the French translation of a brief
# They are taken by the browser tests (tests/browser.rs), which copy them
# when BRIEFLY_SCREENSHOTS names a folder. Needs what .ci/browser-setup
# installs (chromium, chromium-driver, tests/browser/node_modules). PNGs are
# shrunk with pngquant and optipng when they are installed (apt-get install
# pngquant optipng).
set -euo pipefail
cd "$(dirname "$0")/.."

out="$PWD/docs/screenshots"
mkdir -p "$out"
shots=("$out"/brief.png "$out"/countries.png "$out"/brief-ar.png "$out"/brief-fa.png "$out"/brief-fr.png)
BRIEFLY_SCREENSHOTS="$out" cargo test --test browser -- --ignored --exact \
  site_in_a_real_browser other_languages_in_a_real_browser

if command -v pngquant >/dev/null 2>&1; then
  pngquant --quality 70-90 --speed 1 --strip --force --ext .png "${shots[@]}"
fi
if command -v optipng >/dev/null 2>&1; then
  optipng -quiet -o2 -strip all "${shots[@]}"
fi
ls -l "${shots[@]}"
