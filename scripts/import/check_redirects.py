#!/usr/bin/env python3
"""Checks an imported, built briefly site: every old URL (`aliases:` of each
published brief) has a redirect page in the output folder whose refresh
target is an existing brief page, `_redirects` lists it, and counts the
pages that still show literal shortcode or Liquid text.

    scripts/import/check_redirects.py SITE [--output DIR] [--base-path /sub/]

Exit status 1 when any old URL does not resolve.
"""
import json
import os
import re
import sys
from urllib.parse import unquote

# Hugo's built-in shortcodes and Jekyll's tags that the importer converts.
HUGO_KNOWN = r"figure|ref|relref|youtube|vimeo|tweet|x|gist|instagram|highlight"
LIQUID_KNOWN = r"post_url|link|include\s+\"?(image|figure|img|picture)\.html|raw|endraw|comment|highlight"


def front_matter(text):
    if not text.startswith("---\n"):
        return ""
    end = text.find("\n---\n", 4)
    return text[4:end] if end > 0 else ""


def aliases_of(site):
    for folder, _, files in os.walk(os.path.join(site, "content", "briefs")):
        for name in files:
            if not name.endswith(".md"):
                continue
            path = os.path.join(folder, name)
            fm = front_matter(open(path, encoding="utf-8").read())
            if re.search(r"^draft: true$", fm, re.M):
                continue
            m = re.search(r"^aliases: (.*)$", fm, re.M)
            if m:
                yield path, json.loads(m.group(1))


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    site = args[0]
    output = args[args.index("--output") + 1] if "--output" in args else os.path.join(site, "output")
    base_path = args[args.index("--base-path") + 1] if "--base-path" in args else "/"
    try:
        redirects = open(os.path.join(output, "_redirects"), encoding="utf-8").read().split("\n")
    except OSError:
        redirects = []  # No brief has aliases: then there must be none to check.
    listed = {unquote(line.split(" ")[0]).rstrip("/") for line in redirects if line and not line.startswith("#")}
    checked, failures = 0, []
    for path, aliases in aliases_of(site):
        for alias in aliases:
            checked += 1
            rel = unquote(alias).lstrip("/")
            page = rel if rel.lower().endswith((".html", ".htm")) else rel.rstrip("/") + "/index.html"
            try:
                html = open(os.path.join(output, page), encoding="utf-8").read()
            except OSError:
                failures.append(f"{path}: {alias}: no redirect page {page}")
                continue
            m = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html)
            target = unquote(m.group(1)) if m else None
            if not target or not os.path.isfile(os.path.join(output, target.lstrip("/"), "index.html")):
                failures.append(f"{path}: {alias}: refresh target {target} is no page")
            elif (base_path + unquote(alias).lstrip("/")).rstrip("/") not in listed:
                failures.append(f"{path}: {alias}: not in _redirects")
    pages = literal_known = literal_any = 0
    briefs = os.path.join(output, "briefs")
    for folder, _, files in os.walk(briefs):
        rel = os.path.relpath(folder, briefs)
        # Brief pages only: not /briefs/ itself nor the year pages (/briefs/2019/).
        if "index.html" in files and rel.count(os.sep) == 0 and folder != briefs and not rel.isdigit():
            body = open(os.path.join(folder, "index.html"), encoding="utf-8").read()
            body = re.sub(r"<(pre|code)[^>]*>.*?</\1>", "", body, flags=re.S)
            pages += 1
            # Text is HTML-escaped in pages: `{{<` is `{{&lt;`.
            literal_any += bool(re.search(r"\{\{(<|&lt;|%)|\{%", body))
            known = r"\{\{(<|&lt;|%)\s*/?(" + HUGO_KNOWN + r")\b|\{%-?\s*(" + LIQUID_KNOWN + r")\b"
            literal_known += bool(re.search(known, body))
    for f in failures[:50]:
        print(f)
    print(f"old URLs checked: {checked}, resolving: {checked - len(failures)}, failing: {len(failures)}")
    if pages:
        print(f"brief pages: {pages}; with literal shortcode/Liquid text: {literal_any} ({100 * literal_any / pages:.1f}%), "
              f"of a known kind: {literal_known} ({100 * literal_known / pages:.1f}%)")
    sys.exit(1 if failures or checked == 0 else 0)


if __name__ == "__main__":
    main()
