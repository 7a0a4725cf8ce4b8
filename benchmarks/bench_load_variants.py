"""Experiment behind the optimisation proposals: the same headless run with the loader done other ways.

Run by hand on a file written by ``yos-audit demo`` (each variant in a fresh process, so its peak
memory is its own)::

    .venv/bin/yos-audit demo --cases 100000 --seed 2012 -o /tmp/c100k.json
    for v in base base-nogc bytes-nogc stream-nogc; do
        .venv/bin/python benchmarks/bench_load_variants.py $v /tmp/c100k.json
    done

Variants (none changes the core; the last two reach into the loader's private helpers, so they may
need a touch when the loader changes):

- ``base``: ``rules.load.load_paths`` then ``audit`` then ``score``, as the CLI does today;
- ``base-nogc``: the same with the cyclic garbage collector off (the model is frozen and acyclic);
- ``bytes-nogc``: ``json.loads`` on the bytes (no second copy of the file as ``str``), each raw case
  dropped as soon as it is structured;
- ``stream-nogc``: each case decoded from the text with ``JSONDecoder.raw_decode`` and structured at
  once, so the parsed JSON of the whole file never exists.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import resource
import sys
import time

AS_OF = dt.date(2026, 11, 20)


def main(variant: str, path: str) -> dict:
    from rules import scoring
    from rules.catalogue import all_rules
    from rules.engine import audit
    from rules.load import _Problems, _structure_case, load_document, load_paths

    all_rules()
    t0, c0 = time.perf_counter(), time.process_time()
    if variant.endswith("-nogc"):
        gc.disable()
    if variant.startswith("base"):
        cases = load_paths([path]).caseload.cases
    elif variant.startswith("bytes"):
        class Draining(list):
            def __iter__(self):
                for i in range(len(self)):
                    item, self[i] = self[i], None
                    yield item

        with open(path, "rb") as fh:
            data = json.loads(fh.read())
        data["cases"] = Draining(data["cases"])
        _, cases, _, _ = load_document(data, path)
    elif variant.startswith("stream"):
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8")
        decoder = json.JSONDecoder()
        i = text.index('"cases":[') + len('"cases":[')
        problems, cases, n = _Problems(), [], 0
        while True:
            while text[i] in " \t\r\n,":
                i += 1
            if text[i] == "]":
                break
            raw, i = decoder.raw_decode(text, i)
            case = _structure_case(raw, n, path, problems)
            n += 1
            if case is not None:
                cases.append(case)
        del text
    else:
        raise SystemExit(f"unknown variant {variant!r}")
    t1 = time.perf_counter()
    loaded_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    done = audit(cases, AS_OF)
    t2 = time.perf_counter()
    scoring.score(done)
    t3, c3 = time.perf_counter(), time.process_time()
    return {
        "variant": variant, "cases": len(cases), "load_s": round(t1 - t0, 2), "audit_s": round(t2 - t1, 2),
        "score_s": round(t3 - t2, 2), "total_s": round(t3 - t0, 2), "cpu_s": round(c3 - c0, 2),
        "peak_after_load_mib": loaded_rss // 1024, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:3])))
