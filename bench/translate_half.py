#!/usr/bin/env python3
"""Derive a bilingual benchmark corpus from a generated one (issue 14).

Every second brief (by file name) becomes the French translation of the brief
before it: `lang: fr` and `translation_of: <that slug>` are added to its front
matter. The brief count and the text stay the same, so the build time compared
with the source corpus is the cost of the language machinery: per-language
pages, indexes, switchers, hreflang and sitemap alternates.

    translate_half.py SRC_SITE OUT_SITE
"""
import os
import shutil
import sys


def main(src: str, out: str) -> None:
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "content", "briefs"))
    for entry in os.listdir(os.path.join(src, "content")):
        if entry != "briefs":
            os.symlink(os.path.join(src, "content", entry), os.path.join(out, "content", entry))
    names = sorted(os.listdir(os.path.join(src, "content", "briefs")))
    for i, name in enumerate(names):
        with open(os.path.join(src, "content", "briefs", name), encoding="utf-8") as f:
            text = f.read()
        if i % 2 == 1 and text.startswith("---\n"):
            original = names[i - 1].rsplit(".", 1)[0]
            text = f"---\nlang: fr\ntranslation_of: {original}\n" + text[4:]
        with open(os.path.join(out, "content", "briefs", name), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(src, "site.yaml"), encoding="utf-8") as f:
        site = f.read()
    with open(os.path.join(out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(site + "languages:\n  - code: fr\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
