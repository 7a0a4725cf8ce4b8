"""The load of one export (``rules.load.load_paths``) by two checkouts, alternating, in one run.

The machine's speed drifts from minute to minute, so the two are compared as a ratio of times taken
in the same run: each round loads the file in a fresh process of each checkout in turn (three loads
in each, the best kept), and the best of all rounds is reported for each, with the medians::

    .venv/bin/yos-audit demo --cases 10000 --seed 1 -o /tmp/d.json
    git archive main | tar -x -C "$(mkdir -p /tmp/old && echo /tmp/old)"
    .venv/bin/python benchmarks/bench_load_against.py /tmp/old . /tmp/d.json 9

Both checkouts run with this interpreter (its site-packages: msgspec, attrs, ...).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

CODE = """
import gc, sys, time
from rules.load import load_paths
best = float("inf")
for _ in range(3):
    gc.collect()
    start = time.perf_counter()
    result = load_paths([sys.argv[1]])
    best = min(best, time.perf_counter() - start)
assert result.caseload.cases and not result.problems, result.problems[:3]
print(best)
"""


def load_time(tree: str, path: str) -> float:
    env = {**os.environ, "PYTHONPATH": os.path.abspath(tree)}
    proc = subprocess.run([sys.executable, "-c", CODE, path], cwd=tree, capture_output=True, text=True, env=env, check=True)
    return float(proc.stdout)


def main(old: str, new: str = ".", path: str = "/tmp/d.json", rounds: int = 7) -> None:
    times: dict[str, list[float]] = {old: [], new: []}
    for _ in range(rounds):
        for tree in (old, new):
            times[tree].append(load_time(tree, path))
    a, b = min(times[old]), min(times[new])
    print(f"{path}: old {a * 1000:.0f} ms, new {b * 1000:.0f} ms, new/old {b / a:.3f} (best of {rounds} rounds); "
          f"medians {statistics.median(times[old]) * 1000:.0f} and {statistics.median(times[new]) * 1000:.0f} ms")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(*args[:3], *(int(a) for a in args[3:4]))
