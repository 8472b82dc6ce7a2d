#!/usr/bin/env bash
# Regenerates the README's pictures of the PDF edition: the first page of an
# English brief of the example site and of the Arabic sample brief of the
# test fixtures, rendered by poppler's pdftoppm (apt-get install
# poppler-utils) at 60 dpi:
#   docs/screenshots/pdf-en.png
#   docs/screenshots/pdf-ar.png
set -euo pipefail
cd "$(dirname "$0")/.."

out="$PWD/docs/screenshots"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# The example site has `pdf: true`.
cargo run --quiet -- build --output "$work/example" >/dev/null
pdftoppm -png -r 60 -f 1 -l 1 -singlefile \
  "$work/example/briefs/2018-01-02-rouhani-macron-call/2018-01-02-rouhani-macron-call.pdf" "$out/pdf-en"

# A one-brief site around the Arabic fixture.
mkdir -p "$work/ar/content/briefs"
cp tests/fixtures/pdf/jcpoa-ar.md "$work/ar/content/briefs/"
printf 'title: "Fixture Institute"\nbase_url: "https://example.org/"\npdf: true\nsearch: false\n' > "$work/ar/site.yaml"
cargo run --quiet -- build --root "$work/ar" >/dev/null
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$work/ar/output/briefs/jcpoa-ar/jcpoa-ar.pdf" "$out/pdf-ar"

if command -v optipng >/dev/null 2>&1; then
  optipng -quiet -o2 -strip all "$out/pdf-en.png" "$out/pdf-ar.png"
fi
ls -l "$out/pdf-en.png" "$out/pdf-ar.png"
