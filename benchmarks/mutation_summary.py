"""Kill rate per module from `mutmut results --all true` (run by `make mutation`)."""

import re
import sys
from collections import Counter, defaultdict


def summarise(lines):
    """{module: Counter(status)} from lines like '    pacov.engine.flatten.x_f__mutmut_3: killed'."""
    counts = defaultdict(Counter)
    for line in lines:
        match = re.match(r"\s*([\w.]+)\.x[_ǁ]\S*__mutmut_\d+: (.+)", line)
        if match:
            counts[match.group(1)][match.group(2).strip()] += 1
    return counts


def main(path):
    with open(path, encoding="utf-8") as f:
        counts = summarise(f)
    print(f"{'module':40} {'mutants':>7} {'killed':>7} {'survived':>8} {'other':>6} {'kill rate':>9}")
    for module, c in sorted(counts.items()):
        if c["not checked"] == sum(c.values()):
            continue  # left out of this run (MUTATE)
        total = sum(c.values())
        killed = c["killed"] + c["timeout"]
        other = total - killed - c["survived"]
        print(f"{module:40} {total:7} {killed:7} {c['survived']:8} {other:6} {killed / total:9.0%}")


if __name__ == "__main__":
    main(sys.argv[1])
