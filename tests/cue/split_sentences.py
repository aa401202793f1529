#!/usr/bin/env python3
"""Print the sentences of argv[1], one per line (for make_broadcast.sh)."""
import re
import sys

text = sys.argv[1]
out, start = [], 0
for m in re.finditer(r'[.!?]["\u201d]?(\s+)(?=[A-Z"\u201c])', text):
    out.append(text[start:m.start(1)])
    start = m.end(1)
out.append(text[start:])
print("\n".join(s for s in out if s.strip()))
