#!/usr/bin/env python3
"""Figures for bench/awesome-roundtrip (issue 22): links vs entries, dates
and credits against another build's import, lines that differ, links
under the same heading paths. Reads only what the round trip wrote."""
import collections
import re
import subprocess
import sys
import tomllib
from pathlib import Path

out = Path(sys.argv[1])
old = sys.argv[2] if len(sys.argv) > 2 else None

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
ITEM = re.compile(r"^\s*[-*+]\s+(.*)$")
LINK = re.compile(r"(?<!!)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)")


def item_links(path):
    """(heading path, first link) of every list item outside code fences."""
    found = collections.Counter()
    trail = []
    fence = False
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        if fence:
            continue
        heading = HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(2))
            trail = [t for t in trail if t[0] < level] + [(level, title)]
            continue
        item = ITEM.match(line)
        if not item:
            continue
        link = LINK.search(item.group(1))
        if link and link.group(1).startswith("http"):
            path_key = " > ".join(t for level, t in trail if level > 1)
            found[(path_key, link.group(1))] += 1
    return found


def entries(catalogue):
    """Every entry of a catalogue by id: its added date, credits, also."""
    found = {}
    for file in sorted((catalogue / "entries").glob("*.toml")):
        for entry in tomllib.loads(file.read_text(encoding="utf-8")).get("entry", []):
            found[entry["id"]] = entry
    return found


original = out / "original.md"
regenerated = out / "new/public/README.md"
new = entries(out / "new")
links = item_links(original)
print(f"original: {sum(links.values())} list-item links, {len(set(u for _, u in links))} distinct")
also = sum(len(e.get("also", [])) for e in new.values())
print(f"entries: {len(new)} (listed again elsewhere on purpose, also: {also}), "
      f"grouped: {sum(1 for e in new.values() if 'group' in e)}, "
      f"with badges: {sum(1 for e in new.values() if 'badges' in e)}")
credited = [e for e in new.values() if e.get("by")]
handles = collections.Counter(h for e in credited for h in e["by"])
print(f"credits: {len(credited)} entries credited, {len(handles)} handles")

numstat = subprocess.run(["git", "diff", "--no-index", "--numstat", str(original), str(regenerated)],
                         capture_output=True, text=True).stdout.split()
added, deleted = (int(numstat[0]), int(numstat[1])) if numstat else (0, 0)
lines_before = len(original.read_text(encoding="utf-8").splitlines())
lines_after = len(regenerated.read_text(encoding="utf-8").splitlines())
print(f"lines: original {lines_before}, regenerated {lines_after}; "
      f"{deleted} original lines not kept ({100 * deleted / lines_before:.1f} %), "
      f"{added} regenerated lines new ({100 * added / lines_after:.1f} %)")

after = item_links(regenerated)
same = sum((links & after).values())
print(f"links under the same heading path: {same} of {sum(links.values())}; "
      f"only in the original: {sum((links - after).values())}, "
      f"only in the regenerated: {sum((after - links).values())}")
for (path, url), n in list((links - after).items())[:8]:
    print(f"  only in the original: {path}: {url}")

if old:
    before = entries(out / old)
    both = [i for i in new if i in before]
    moved = [(str(before[i]["added"]), str(new[i]["added"]), i) for i in both
             if str(before[i]["added"]) != str(new[i]["added"])]
    earlier = sum(1 for b, a, _ in moved if a < b)
    print(f"against {old}: {len(before)} entries; {len(both)} with the same id; "
          f"dates changed: {len(moved)} ({earlier} earlier, {len(moved) - earlier} later)")
    for b, a, i in moved[:10]:
        print(f"  {i}: {b} -> {a}")
    old_credited = sum(1 for e in before.values() if e.get("by"))
    changed = sum(1 for i in both if before[i].get("by") != new[i].get("by"))
    print(f"credits: {old_credited} entries credited before, {len(credited)} now; {changed} changed")
