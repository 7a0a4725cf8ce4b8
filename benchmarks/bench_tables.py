"""Reading report extracts: the same caseload as JSON, as tidy tables (a version 1 map) and as Casebook
writes it (a version 2 map: person and episode tables, title and totals rows, tick boxes, contacts
placed by person and date, records put in their own order).

    .venv/bin/python benchmarks/bench_tables.py [CASES] [--xlsx]

Writes a ``yos-audit demo`` caseload of CASES cases (default 5,000) to a temporary folder, makes both
kinds of tables from it (``rules.load.tables.write_tables`` with the Shire example's map, and
``examples/tabular/casebook/make_casebook.py``), then times ``load_paths`` of each, best of two, in
this process. ``--xlsx`` times the workbooks too (openpyxl's reading is most of their time).

2026-12-05, the 2-core machine shared, 5,000 cases: JSON 1.2 s; Shire CSV (version 1) about 6 s, the
same before and after the version 2 work; Casebook CSV (version 2) 10 s (20 s before the 'not
recorded' lookup was cached and ties alone compared by content); workbooks 20 s and 42 s, of which
openpyxl's parse of the sheets about two thirds.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best_of_two(path: Path, map_path: Path | None = None) -> tuple[float, int]:
    from rules.load import load_paths

    best, cases = float("inf"), 0
    for _ in range(2):
        start = time.perf_counter()
        result = load_paths([path], map_path=map_path)
        best = min(best, time.perf_counter() - start)
        cases = len(result.caseload.cases)
    return best, cases


def main(argv: list[str]) -> int:
    from rules.demo import stream, write
    from rules.load import load_paths
    from rules.load.colmap import read_map
    from rules.load.tables import write_tables

    n = int(next((a for a in argv if a.isdigit()), 5000))
    xlsx = "--xlsx" in argv
    spec = importlib.util.spec_from_file_location("make_casebook", ROOT / "examples/tabular/casebook/make_casebook.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        demo = tmp / "demo.json"
        write(stream(n, 1), demo)
        shire_map = ROOT / "examples/tabular/yos-audit-map.toml"
        caseload = load_paths([demo]).caseload
        write_tables(caseload, read_map(shire_map), tmp / "shire")
        make.write_all(demo, tmp / "casebook")
        shutil.copy(ROOT / "examples/tabular/casebook/yos-audit-map.toml", tmp / "casebook")
        runs = [("JSON", demo, None), ("Shire CSV, version 1", tmp / "shire", shire_map),
                ("Casebook CSV, version 2", tmp / "casebook" / "csv", None)]
        if xlsx:
            write_tables(caseload, read_map(shire_map), tmp / "shire.xlsx")
            runs += [("Shire workbook", tmp / "shire.xlsx", shire_map),
                     ("Casebook workbook", tmp / "casebook" / "casebook.xlsx", None)]
        for name, path, map_path in runs:
            seconds, cases = best_of_two(path, map_path)
            print(f"{name:<26} {seconds:7.2f} s  {cases} cases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
