"""What a version 2 column map does to a table once its cells are read (:mod:`rules.load.tables`).

The readers of CSV files and workbooks give every row as written. A report extract holds more than
its data: a title block above the column names, a totals row and a footer below the last case. This
module finds the header by the map's column names, tells apart the rows that are not data (skipped,
with a note), makes the fields written over several columns (a name from surname and forename, a list
from tick boxes), and gives the order a case's records are put in: the system's ids, else their
content, never the row they were on (so the same data in another order names its records the same,
and a baseline does not see old findings as new).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from rules.load.colmap import (
    RECORD_DATES,
    CellError,
    FieldSpec,
    ReadOptions,
    Source,
    Template,
    Ticks,
    cell_text,
    not_recorded,
    read_value,
)
from rules.words import plural

#: how far down a table its header is looked for
HEADER_SEARCH_ROWS = 50
#: at most this many rows with no key below the last keyed row are a footer; more are data without keys
FOOTER_ROWS = 10


def norm(name: Any) -> str:
    """A column or table name as matched: spaces collapsed, case ignored."""
    return " ".join(str(name).split()).casefold()


def header_score(cells: Iterable[Any], wanted: set[str]) -> int:
    """How many of the map's columns a row names."""
    return len({norm(c) for c in cells if c is not None and str(c).strip()} & wanted)


def find_header(header: tuple[str, ...], rows: tuple[tuple[int, tuple[Any, ...]], ...], wanted: set[str],
                first: int = 1) -> tuple[int, tuple[str, ...], tuple[tuple[int, tuple[Any, ...]], ...]]:
    """The row of the column names, found as the one among the first rows that names most of the map's
    columns (the first such), with the rows below it. ``header`` is row ``first`` as read; when no row
    names any column of the map, it stays the header (and the missing columns are reported)."""
    best, best_score = first, header_score(header, wanted)
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        score = header_score(cells, wanted)
        if score > best_score:
            best, best_score = number, score
    if best == first:
        return first, header, rows
    at = next(i for i, (number, _) in enumerate(rows) if number == best)
    found = tuple(" ".join(str(c).split()) if c is not None else "" for c in rows[at][1])
    return best, found, rows[at + 1:]


def first_text(values: tuple[Any, ...]) -> str | None:
    """The first filled cell of a row, as text."""
    for value in values:
        text = cell_text(value)
        if text is not None:
            return text
    return None


def _skip_pattern(text: str, patterns: tuple[str, ...]) -> str | None:
    folded = " ".join(text.split()).casefold()
    return next((p for p in patterns if fnmatch.fnmatchcase(folded, " ".join(p.split()).casefold())), None)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def non_data(rows: tuple[tuple[int, tuple[Any, ...]], ...], key: tuple[int, ...], read: ReadOptions,
             what: str) -> tuple[tuple[tuple[int, tuple[Any, ...]], ...], str | None, int | None]:
    """The rows that are data, and a note of those that are not (or None), with the first one's row.

    Not data: a row whose first filled cell matches a ``skip`` pattern (``Total*``), and the few rows
    below the last row shaped as data (its key, ``what``: "case id", and something else) that are not
    shaped so: a footer ("End of report", "Printed by ..."), in the key's column or not.
    """
    kept = []
    skipped: list[tuple[int, str, str]] = []
    for number, values in rows:
        text = first_text(values)
        pattern = _skip_pattern(text, read.skip) if text is not None and read.skip else None
        if pattern is not None:
            skipped.append((number, text, f"skip {pattern!r}"))
        else:
            kept.append((number, values))

    def data(values: tuple[Any, ...]) -> bool:
        """A row shaped as data: every key column filled, and some other cell."""
        width = len(values)
        if not all(i < width and cell_text(values[i]) is not None and not not_recorded(values[i], read) for i in key):
            return False
        return any(cell_text(v) is not None for i, v in enumerate(values) if i not in key)

    last = next((i for i in range(len(kept) - 1, -1, -1) if data(kept[i][1])), -1)  # from the bottom up
    if key and last >= 0:
        tail = [(n, v) for n, v in kept[last + 1:] if first_text(v) is not None]
        if 0 < len(tail) <= FOOTER_ROWS:
            for number, values in tail:
                skipped.append((number, first_text(values) or "", f"below the last row with a {what} and data"))
            gone = {n for n, _ in tail}
            kept = [(n, v) for n, v in kept if n not in gone]
    if not skipped:
        return tuple(kept), None, None
    skipped.sort()
    said = "; ".join(f"row {n} {_shown(text)} ({why})" for n, text, why in skipped)
    note = f"{plural(len(skipped), 'row')} not data, not read: {said}"
    return tuple(kept), note, skipped[0][0]


# -- fields over several columns ----------------------------------------------------------------


@attrs.frozen
class Resolved:
    """A field of several columns, with where each of them is in the header (None: missing)."""

    spec: Template | Ticks
    at: tuple[int | None, ...]


def _cell(values: tuple[Any, ...], i: int | None) -> Any:
    return values[i] if i is not None and i < len(values) else None


def derived_value(resolved: Resolved, spec: FieldSpec, source: Source, values: tuple[Any, ...],
                  epoch: dt.date) -> tuple[Any, str | None]:
    """The field's value from its columns (as :func:`read_value` gives it), or :class:`CellError`;
    with the column the value, or the fault, is told by."""
    what = resolved.spec
    read = source.read
    if isinstance(what, Template):
        cells = {}
        for column, i in zip(what.columns, resolved.at, strict=True):
            value = _cell(values, i)
            cells[column] = None if not_recorded(value, read) else cell_text(value)
        text = what.fill(cells)
        return (None if text is None else read_value(text, spec, source, epoch)), what.columns[0]
    tick = FieldSpec(f"{spec.path} (ticked)", "bool")
    items = []
    for (column, item), i in zip(what.items, resolved.at, strict=True):
        value = _cell(values, i)
        try:
            ticked = read_value(value, tick, source, epoch)
        except CellError as exc:
            raise _TickError(str(exc), column) from None
        if ticked:
            items.append(item)
    if not items:
        return None, what.items[0][0]
    return read_value(items, spec, source, epoch), what.items[0][0]


class _TickError(CellError):
    def __init__(self, message: str, column: str):
        super().__init__(message)
        self.column = column


def fault_column(exc: CellError, default: str | None) -> str | None:
    return getattr(exc, "column", default)


# -- the order of a case's records --------------------------------------------------------------

_RUNS = re.compile(r"(\d+)")


def natural(text: str) -> tuple:
    """``A2`` before ``A10``: digits compared as numbers, the rest ignoring case."""
    parts = _RUNS.split(text)
    return tuple((1, int(p), "") if i % 2 else (0, 0, p.casefold()) for i, p in enumerate(parts)), text


def _first_key(kind: str, record: Mapping[str, Any], system_id: str | None) -> tuple:
    day = next((v for v in (record.get(f) for f in RECORD_DATES[kind]) if isinstance(v, str)), None)
    own = record.get("id")
    rid = system_id if system_id is not None else own if isinstance(own, str) else None
    return (day is None, day or "", rid is None, natural(rid or ""))


def _content(record: Mapping[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, default=str, ensure_ascii=False)


def record_order(kind: str, record: Mapping[str, Any], system_id: str | None = None) -> tuple:
    """Where a record stands among its case's records of its kind: by date (the undated last), then by
    the system's id (its own ``id``, or the id the map names for a record the export has none for),
    then by its content. Never by the row it was read from."""
    return (*_first_key(kind, record, system_id), _content(record))


def ordered(kind: str, items: list, record: Callable[[Any], Mapping[str, Any]],
            system_id: Callable[[Any], str | None]) -> list:
    """``items`` in :func:`record_order`; their content is only written out where date and id tie."""
    keyed = [(_first_key(kind, record(x), system_id(x)), x) for x in items]
    ties = Counter(k for k, _ in keyed)
    keyed.sort(key=lambda kx: (kx[0], _content(record(kx[1])) if ties[kx[0]] > 1 else ""))
    return [x for _, x in keyed]
