#!/usr/bin/env python3
"""Convert GSA's digital.gov news archive into a briefly site (issue 11).

Source: https://github.com/GSA/digitalgov.gov, folder `content/news/`
(Hugo, one Markdown file per post, YAML front matter), commit
4979583206d90ff1707b097454a9b169ca9e95e4 (2025-04-09): 2,083 posts, 2010-2024.

License: the repository's LICENSE.md: a work of the U.S. government, in the
public domain in the United States, with the CC0 1.0 Universal waiver
worldwide (third-party dependencies excepted; the posts are not dependencies).

Run (standard library only):

    python3 scripts/archive/convert.py --src /path/to/checkout --out /tmp/archive-site

`--src` is a checkout of the repository (only `content/news/` is read);
`--out` must be absent or empty and receives `site.yaml` and
`content/briefs/<year>/<month>/<file>.md`. `scripts/archive/run.sh` does the
checkout, the conversion, the build and the check in one command.

What is converted, and what is not:

* The **body is copied byte for byte**: Hugo shortcodes (`{{< ref ... >}}`,
  `{{< legacy-img ... >}}`), raw HTML, entities and links stay as written.
* So is everything around the front matter block: a BOM or blank lines before
  the opening `---`, CRLF line ends, the closing `---` line as written. Only
  the lines between the two `---` are rewritten, with the file's own line end.
* Front matter is handled as text, key block by key block (a top-level
  `key:` line and the lines that continue it), never parsed and re-emitted,
  so every value stays exactly as the archive writes it: dates such as
  `2015-03-24 13:59:04 -0400` or `2015-06-29 1:00:19 -0400` are NOT
  normalised (what briefly can read is part of what is measured), nor are
  single strings where briefly expects lists.
* Key mapping: `title`, `date`, `slug`, `draft`, `summary`, `authors` keep
  their names; `author` becomes `authors` (value as written); `description`
  or `excerpt` become `summary` when there is no `summary`. Authors are the
  archive's author slugs (e.g. `kdaniel`), as written. Every other key
  (`topics`, `deck`, `kicker`, `weight`, `expirydate`, `source_url`,
  `aliases`, ...) goes under `extra:`, re-indented by two spaces.
  Comment lines (`# ...` at column 0) are dropped.
* `countries:` would be written only for a topic/category/tag that names a
  country (COUNTRY_TOPICS below); none of the archive's 56 topic values does,
  so no post gets countries.

`--probe-dates` is NOT an as-is conversion: it rewrites `date:` values of the
form `2015-03-24 13:59:04 -0400` (or `9:00:00`) to RFC 3339
(`2015-03-24T13:59:04-04:00`) and nothing else. Today's binary rejects those
dates and then stops before its link and content checks, so this probe only
shows what lies behind the date errors; it is reported separately.
"""

import argparse
import os
import re
import sys

SITE_YAML = """\
title: "Digital.gov news archive (GSA)"
tagline: "Converted archive: GSA's digital.gov news posts, 2010-2024"
description: >-
  The news posts of digital.gov (U.S. General Services Administration),
  converted unchanged from the public domain GSA/digitalgov.gov repository to
  test briefly on a real archive.
base_url: "https://archive.example.org/digitalgov/"
language: en
default_disclaimer: source
disclaimers:
  source: >-
    Converted without edits from the news posts of digital.gov, U.S. General
    Services Administration (repository GSA/digitalgov.gov, commit
    {commit}). A work of the U.S. government: public domain in the United
    States, CC0 1.0 Universal worldwide.
extra: {{}}
"""

# Keys briefly knows, copied under the same name.
SAME = {"title", "date", "slug", "draft", "summary", "authors"}
# Archive keys with another name in briefly (used only if the target is absent).
RENAME = {"author": "authors", "description": "summary", "excerpt": "summary"}
# Archive keys whose values may name a country.
TERM_KEYS = ("topics", "categories", "tag", "tags")
# Topic value -> briefly country name. Empty: no digital.gov topic names a country.
COUNTRY_TOPICS = {}

ARCHIVE_DATE = re.compile(
    r"^date:([ \t]+)(['\"]?)(\d{4}-\d\d-\d\d) (\d{1,2}):(\d\d):(\d\d) ([+-]\d\d)(\d\d)\2[ \t]*$")
KEY_LINE = re.compile(r"^([^\s#\-][^:]*):(?:[ \t]|$)")


def split(text):
    """Return (before, open_line, fm_lines, close_line, body) or None.

    before: BOM and blank lines before the opening `---`; open_line and
    close_line include their line end; body is everything after."""
    m = re.match(r"(\ufeff?(?:[ \t]*\r?\n)*)(---[ \t]*(\r?\n))", text)
    if not m:
        return None
    rest = text[m.end():]
    c = re.search(r"^---[ \t]*(?:\r?\n|\Z)", rest, re.M)
    if not c:
        return None
    fm = [l[:-1] if l.endswith("\r") else l for l in rest[: c.start()].split("\n")]
    if fm and fm[-1] == "":
        fm.pop()  # the line end before the closing `---`
    return m.group(1), m.group(2), m.group(3), fm, c.group(0), rest[c.end():]


def blocks(lines):
    """Split front matter lines into [(key, [lines])]; drop column-0 comments."""
    out = []
    for line in lines:
        if line.startswith("#"):
            continue
        m = KEY_LINE.match(line)
        if m:
            out.append((m.group(1).strip(), [line]))
        elif out:
            out[-1][1].append(line)
        elif line.strip():
            out.append(("", [line]))  # stray text before any key: kept, under extra
    for _, ls in out:  # blank lines between blocks belong to no value
        while len(ls) > 1 and not ls[-1].strip():
            ls.pop()
    return out


def terms(block_lines):
    """Values of a simple list or scalar block (`topics: [a, b]`, `- a`, `topics: a`)."""
    head = block_lines[0].split(":", 1)[1].strip()
    vals = [v.strip() for v in head.strip("[]").split(",")] if head else []
    vals += [l.strip()[1:].strip() for l in block_lines[1:] if l.strip().startswith("-")]
    return [v.strip("'\"") for v in vals if v]


def probe_date(line):
    m = ARCHIVE_DATE.match(line)
    if not m:
        return line
    sp, _, day, h, mi, s, oh, om = m.groups()
    return "date:%s%sT%02d:%s:%s%s:%s" % (sp, day, int(h), mi, s, oh, om)


def convert_front_matter(lines, probe_dates=False):
    kept, extra, countries = [], [], []
    if probe_dates:
        lines = [probe_date(l) for l in lines]
    present = {k for k, _ in blocks(lines)}
    for key, ls in blocks(lines):
        if key in SAME:
            kept.append(ls)
        elif key in RENAME and RENAME[key] not in present:
            kept.append([RENAME[key] + ls[0][len(key):]] + ls[1:])
            present.add(RENAME[key])
        else:
            extra.append(["  " + l if l.strip() else "" for l in ls])
            if key in TERM_KEYS:
                countries += [COUNTRY_TOPICS[t] for t in terms(ls) if t in COUNTRY_TOPICS]
    out = [l for ls in kept for l in ls]
    if countries:
        out.append("countries: [" + ", ".join('"%s"' % c for c in dict.fromkeys(countries)) + "]")
    if extra:
        out.append("extra:")
        out += [l for ls in extra for l in ls]
    return out


def convert(text, probe_dates=False):
    parts = split(text)
    if parts is None:
        return text  # no front matter: copied as is, briefly reports it
    before, open_line, nl, fm, close_line, body = parts
    new = convert_front_matter(fm, probe_dates)
    out = before + open_line + "".join(l + nl for l in new) + close_line + body
    assert out.endswith(close_line + body) and out.startswith(before + open_line)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", required=True, help="checkout of GSA/digitalgov.gov")
    ap.add_argument("--out", required=True, help="site folder to create")
    ap.add_argument("--probe-dates", action="store_true",
                    help="rewrite archive dates to RFC 3339 (a probe, not an as-is build)")
    ap.add_argument("--commit", default="4979583206d90ff1707b097454a9b169ca9e95e4")
    a = ap.parse_args()
    news = os.path.join(a.src, "content", "news")
    if not os.path.isdir(news):
        sys.exit("no content/news under " + a.src)
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit(a.out + " exists and is not empty")
    briefs = os.path.join(a.out, "content", "briefs")
    os.makedirs(briefs, exist_ok=True)
    with open(os.path.join(a.out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(SITE_YAML.format(commit=a.commit))
    n = 0
    for dirpath, _, files in sorted(os.walk(news)):
        for name in sorted(files):
            if not name.endswith(".md") or name == "_index.md":
                continue
            src = os.path.join(dirpath, name)
            dst = os.path.join(briefs, os.path.relpath(src, news))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(src, "rb") as f:
                raw = f.read()
            text = raw.decode("utf-8")  # all posts are UTF-8; fail loudly otherwise
            with open(dst, "wb") as f:
                # newline="" semantics: bytes in, bytes out, no line-end translation
                f.write(convert(text, a.probe_dates).encode("utf-8"))
            n += 1
    print("converted %d posts into %s" % (n, briefs))


if __name__ == "__main__":
    main()
