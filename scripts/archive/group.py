#!/usr/bin/env python3
"""Group briefly diagnostics by kind: `python3 group.py < build-or-check-output`.

A kind is the message with its variable parts masked: text in backticks
becomes `…`, numbers become N, a page after ` on ` becomes ….  Hint lines and the summary line are skipped.
Prints `count  severity: pattern`, most frequent first, then the total
and the number of distinct files named.
"""
import collections
import re
import sys

LINE = re.compile(r"^(\S+?)(?::\d+(?::\d+)?)?: (error|warning): (.*)$")
kinds, files, total = collections.Counter(), set(), 0
for line in sys.stdin:
    m = LINE.match(line.rstrip("\n"))
    if not m or m.group(1) in ("error", "check"):
        continue  # hints, "error: build failed ...", "check: N error(s) ..."
    path, severity, message = m.groups()
    pattern = re.sub(r"`[^`]*`", "`…`", message)
    pattern = re.sub(r"(?<!RFC )\b\d+\b", "N", pattern)
    pattern = re.sub(r" on /\S*", " on …", pattern)
    kinds[(severity, pattern)] += 1
    files.add(path)
    total += 1
for (severity, pattern), n in kinds.most_common():
    print("%6d  %s: %s" % (n, severity, pattern))
print("%6d  in total, in %d files" % (total, len(files)))
