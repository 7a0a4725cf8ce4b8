"""Regenerate the worked example of tables from a JSON caseload.

    .venv/bin/python examples/tabular/make_tabular.py [SOURCE.json]

SOURCE defaults to ``examples/caseload.json`` (the bundled example caseload), or, while that does not
exist, ``fixtures/tabular/caseload.json``. It writes, through ``yos-audit-map.toml`` beside this
script, the same caseload as report extracts of an invented case management system:

- ``csv/``: one CSV file a table, UTF-8 with a BOM (what Excel's "CSV UTF-8" saves), dates 15/06/2026;
- ``caseload.xlsx``: one sheet a table, dates as Excel date cells.

Run it again whenever the example caseload changes; ``tests/test_tables.py`` checks that the tables
still load to the same cases as the JSON they were made from (named in ``SOURCE``).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCES = (ROOT / "examples" / "caseload.json", ROOT / "fixtures" / "tabular" / "caseload.json")


def default_source() -> Path:
    return next((p for p in SOURCES if p.is_file()), SOURCES[-1])


def set_service(map_path: Path, service) -> None:
    """The map's [service] section says what the source caseload's service is (the tables do not)."""
    import re

    import tomli_w

    fields = {k: v for k, v in (("name", service.name), ("yot_code", service.yot_code),
                                ("extracted_on", service.extracted_on)) if v is not None}
    section = "[service]\n" + tomli_w.dumps(fields)
    text = map_path.read_text(encoding="utf-8")
    text, found = re.subn(r"^\[service\]\n(?:[^\[\n].*\n)*", lambda _: section, text, count=1, flags=re.M)
    if not found:
        raise SystemExit(f"{map_path} has no [service] section")
    map_path.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    from rules.load import load_paths
    from rules.load.colmap import read_map
    from rules.load.tables import write_tables

    source = Path(argv[0]) if argv else default_source()
    loaded = load_paths([source])
    if loaded.problems:
        for problem in loaded.problems:
            print(problem, file=sys.stderr)
        print(f"{source} does not load cleanly; fix it first", file=sys.stderr)
        return 2
    set_service(HERE / "yos-audit-map.toml", loaded.caseload.service)
    colmap = read_map(HERE / "yos-audit-map.toml")
    folder = HERE / "csv"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*.csv"):
        old.unlink()  # a table the map no longer names must not linger
    written = write_tables(loaded.caseload, colmap, folder)
    written += write_tables(loaded.caseload, colmap, HERE / "caseload.xlsx")
    try:
        shown = source.resolve().relative_to(ROOT)
    except ValueError:
        shown = source
    (HERE / "SOURCE").write_text(f"{shown.as_posix()}\n", encoding="utf-8")
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"{len(loaded.caseload.cases)} cases from {shown}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
