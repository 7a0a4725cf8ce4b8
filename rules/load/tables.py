"""Read case management systems' report extracts: a folder of CSV files or an ``.xlsx`` workbook.

A column map (:mod:`rules.load.colmap`, ``--map FILE`` or ``yos-audit-map.toml`` found beside the
data) says which table and column holds each field. The tables become the same mapping a JSON export
parses to (:func:`tables_document`), which :func:`rules.load.load_document` then checks; every problem it finds is told back in
the tables' terms: the file (or the workbook and sheet), the row as a spreadsheet counts it (the
header is row 1), the column and the value.

Real extracts are untidy, and this reader takes them as they come: UTF-8 with or without a BOM, else
Windows-1252 (what Excel on Windows saves); comma, semicolon or tab delimiters, found from the header;
column names with stray or repeated spaces; blank rows; the "no date" ``1900-01-01``. A cell that
cannot be read (a date in another style, a code the map does not know, a yes/no that is neither) is
an input error naming file, row, column and value, and its case is not audited; the other cases are.

A version 2 map reads what a report adds around its data and what a system's tables are shaped as
(:mod:`rules.load.shape`, once the cells are read): the header found under a title block, totals and
footer rows left out with a note, a case key over several columns, the child's details joined from a
person table, records placed in a case by person and date, and each case's records put in an order of
their own, never their rows'.

Input files are only ever opened for reading. openpyxl, for workbooks, is imported only when a
workbook is read.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import itertools
import re
import typing
import warnings
import zipfile
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from rules import model
from rules.files import FileError, read_regular
from rules.load.colmap import (
    EXCEL_EPOCH,
    KINDS,
    MAP_NAME,
    PERSON,
    RECORDS,
    CellError,
    ColumnMap,
    FieldSpec,
    MapError,
    Source,
    cell_text,
    default_map,
    fields_of,
    not_recorded,
    read_map,
    read_value,
    write_value,
)
from rules.load.problems import InputProblem, ProblemLevel
from rules.load.shape import (
    HEADER_SEARCH_ROWS,
    Resolved,
    derived_value,
    fault_column,
    find_header,
    non_data,
    ordered,
)

__all__ = [
    "caseload_document",
    "find_map",
    "is_table_source",
    "tables_document",
    "write_tables",
]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
_DELIMITERS = ",;\t|"
_SEP_LINE = re.compile(r"sep=(.)\r?\n")
_SURROGATE = re.compile("[\ud800-\udfff]")


class TableError(Exception):
    """A table file or workbook that cannot be read at all (``row``: where the problem is, if one is)."""

    def __init__(self, message: str, file: str | None = None, row: int | None = None):
        super().__init__(message)
        self.file = file
        self.row = row


def is_table_source(path: Path) -> bool:
    """True for what this module reads: a folder, a workbook (or a lone CSV, to say what to do)."""
    suffix = path.suffix.lower()
    return path.is_dir() or suffix in WORKBOOK_SUFFIXES or suffix in (".xls", *CSV_SUFFIXES)


def _norm(name: str) -> str:
    """A column or table name as matched: spaces collapsed, case ignored."""
    return " ".join(str(name).split()).casefold()


# -- tables -------------------------------------------------------------------------------------


@frozen
class Table:
    """One table's header and rows; rows are (row number as a spreadsheet counts it, values)."""

    label: str  # for messages: the CSV's path, or "book.xlsx [sheet Cases]"
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]
    epoch: dt.date = EXCEL_EPOCH
    #: a CSV table's rows that run over several lines of the file, with their first and last (else None)
    lines: Mapping[int, tuple[int, int]] | None = None
    #: a sheet's cells (``D7``) that hold a formula with no value saved: they read as empty
    unsaved: tuple[str, ...] = ()


def _decode(raw: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise TableError(f"not {encoding} text (byte {exc.start})") from None
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[len(codecs.BOM_UTF8):].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TableError(f"starts as UTF-8 but is not (byte {exc.start})") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TableError(f"starts as UTF-16 but is not (byte {exc.start})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")  # Excel on Windows
    except UnicodeDecodeError as exc:
        raise TableError(f"neither UTF-8 nor Windows-1252 text (byte {exc.start}); "
                         'set encoding = "..." under [read] in the map') from None


def _header_line(text: str, header_row: int) -> str:
    for number, line in enumerate(io.StringIO(text, newline=""), 1):
        if number >= header_row and line.strip():
            return line
    return ""


def _delimiter(text: str, wanted: set[str], header_row: int | None = 1) -> str:
    """The delimiter that splits the header into the most of the map's columns, then into most cells.
    With no header row given (version 2 maps find it), the header is any of the first lines."""
    if header_row is None:
        lines = [line for line in itertools.islice(io.StringIO(text, newline=""), HEADER_SEARCH_ROWS) if line.strip()]
    else:
        lines = [_header_line(text, header_row)]
    best, best_score = ",", (-1, -1)
    for candidate in _DELIMITERS:
        for line in lines or [""]:
            cells = next(csv.reader([line], delimiter=candidate), [])
            score = (sum(_norm(c) in wanted for c in cells), len(cells))
            if score > best_score:
                best, best_score = candidate, score
    return best


def _read_csv(path: Path, source: Source, wanted: set[str]) -> Table:
    try:
        raw = read_regular(path)
    except FileError as exc:
        raise TableError(str(exc)) from None
    text = _decode(raw, source.read.encoding)
    if "\x00" in text:
        raise TableError("holds NUL bytes: not a text table (a spreadsheet saved under a .csv name?)")
    if not text.isascii() and (lone := _SURROGATE.search(text)):  # what an odd encoding = "..." can give
        raise TableError(f"not text: a lone surrogate \\u{ord(lone.group()):04x} (character {lone.start() + 1}): "
                         "check encoding under [read] in the map")
    hinted = _SEP_LINE.match(text)
    if hinted:  # "sep=;": a line some tools write for Excel, which hides it: the header is still row 1
        text = text[hinted.end():]
    delimiter = source.read.delimiter or (hinted and hinted.group(1)) or _delimiter(text, wanted, source.header_row)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    lines: dict[int, tuple[int, int]] = {}  # row -> its first and last line, for a row over several lines
    last = 0  # the line the row before ended on
    try:
        for number, cells in enumerate(reader, 1):
            rows.append((number, tuple(cells)))
            if reader.line_num != last + 1:
                lines[number] = (last + 1, reader.line_num)
            last = reader.line_num
    except csv.Error as exc:
        row, line = len(rows) + 1, last + 1 + bool(hinted)
        if "field larger than field limit" in str(exc):  # a whole table in one cell: an open quote, surely
            raise TableError(f"a cell of this row (line {line}) runs on for over {csv.field_size_limit()} characters: "
                             "a quote opened there is never closed; the table is not read", row=row) from None
        raise TableError(f"not a CSV table (line {line}): {exc}", row=row) from None
    first, end = (n + bool(hinted) for n in lines.get(len(rows), (last, last)))  # the lines of the last row
    if rows and _open_quote(text, first - bool(hinted), delimiter):
        rest = f"the rest of the file (lines {first} to {end})" if end > first else "the rest of its line"
        raise TableError(f"a quote opened in this row (line {first}) is never closed: {rest} would be read as one "
                         "cell; the table is not read (close the quote, or double a quote meant as text)", row=len(rows))
    table = _split_header(str(path), rows, source.header_row)
    shift = bool(hinted)
    return attrs.evolve(table, lines={row: (a + shift, b + shift) for row, (a, b) in lines.items()})


def _read_warnings(table: Table, header_row: int, wanted: set[str]) -> list[InputProblem]:
    """What reading a table found, told once its header and data rows are known: rows of a CSV table
    of the wrong width, cells of a sheet with a formula and no value saved."""
    out = _ragged(table) if table.lines is not None else []
    if table.unsaved:
        out += _unsaved_formulas(table, header_row, wanted)
    return out


#: rows of the wrong width told one by one, at most, in each table; then how many more
_RAGGED_TOLD = 20


def _ragged(table: Table) -> list[InputProblem]:
    """A warning for each data row of a CSV table with fewer or more cells than its header: a cell lost
    or a delimiter too many in an export is read into the wrong column, or not at all."""
    lines = table.lines or {}
    width = len(table.header)
    while width and not table.header[width - 1]:
        width -= 1  # empty cells at the end of the header are no columns
    out, more = [], 0
    for number, cells in table.rows:
        n = len(cells)
        if n == width or not n or (n > width and _blank(cells[width:])) or _blank(cells):
            continue
        if len(out) == _RAGGED_TOLD:
            more += 1
            continue
        first, end = lines.get(number, (0, 0))
        where = f" (lines {first} to {end}: a quote may have joined them)" if end > first else ""
        if n < width:
            message = f"this row has {n} of the header's {width} cells{where}; the missing cells read as empty"
        else:
            past = ", ".join(repr(c) for c in cells[width:] if c.strip())
            message = f"this row has {n} cells, the header {width}{where}; the cells past the header are not read ({past})"
        out.append(InputProblem(ProblemLevel.WARNING, table.label, message, row=number))
    if more:
        out.append(InputProblem(ProblemLevel.WARNING, table.label,
                                f"{more} more rows have fewer or more cells than the header ({width})"))
    return out


def _open_quote(text: str, start: int, delimiter: str) -> bool:
    """Whether the CSV ``text`` from line ``start`` (the last row) ends inside a quoted cell: a quote
    opened and never closed. Strict parsing says so at C speed; a row with a stray quote (``"a"b``,
    which the lenient reading takes as it is) is walked through here instead."""
    tail = "".join(itertools.islice(io.StringIO(text, newline=""), start - 1, None))
    if '"' not in tail:
        return False
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True):
            pass
        return False
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return True
    state = 0  # 0: a cell begins, 1: unquoted, 2: quoted, 3: a quote in a quoted cell
    ends = (delimiter, "\n", "\r")
    for c in tail:
        if state == 2:
            if c == '"':
                state = 3
        elif c in ends:
            state = 0
        elif state in (0, 3):  # a quote opens a cell, or is doubled in one; anything else is text
            state = 2 if c == '"' else 1
    return state == 2


def _split_header(label: str, rows: list, header_row: int | None, epoch: dt.date = EXCEL_EPOCH) -> Table:
    header_row = header_row or 1  # None: found later by its names (rules.load.shape), from the first row
    header: tuple[str, ...] = ()
    body = []
    for number, cells in rows:
        if number < header_row:
            continue
        if number == header_row:
            header = tuple(" ".join(str(c).split()) if c is not None else "" for c in cells)
        else:
            body.append((number, cells))
    return Table(label, header, tuple(body), epoch)


class _Folder:
    """A folder of CSV files: a table is found by its file's name, with or without ``.csv``."""

    def __init__(self, path: Path):
        self.path = path
        self.files = {}
        for child in sorted(path.iterdir()):
            if not child.is_dir() and child.suffix.lower() in CSV_SUFFIXES:  # a FIFO too: refused by name
                self.files.setdefault(_norm(child.name), child)
                self.files.setdefault(_norm(child.stem), child)
        self.read: list[Path] = []

    def names(self) -> list[str]:
        return sorted({p.name for p in self.files.values()})

    def table(self, source: Source, wanted: set[str]) -> Table | None:
        path = self.files.get(_norm(source.table))
        if path is None:
            return None
        self.read.append(path)
        try:
            return _read_csv(path, source, wanted)
        except TableError as exc:
            raise TableError(str(exc), str(path), exc.row) from None

    def where(self, source: Source) -> str:
        return f"no table {source.table!r} in {self.path} (looked for {source.table}.csv)"

    def holds_tables(self, colmap: ColumnMap) -> bool:
        """Whether the folder holds a table to read: a CSV or TSV file, or a file the map names (cases.txt)."""
        named = {_norm(s.table) for s in colmap.sources}
        return any(p.suffix.lower() in (".csv", ".tsv") for p in self.files.values()) or bool(named & set(self.files))

    def nothing_to_read(self) -> str:
        """What to say of a folder with no export and no table (empty, or the wrong folder): that first,
        not that a column map found no 'cases' table in it."""
        said = "no case exports (*.json) and no tables (*.csv) in this folder"
        try:
            books = sorted(p.name for p in self.path.iterdir() if p.suffix.lower() in WORKBOOK_SUFFIXES and p.is_file())
        except OSError:
            books = []
        return said + (f"; a workbook is given by its own path ({self.path / books[0]})" if books else "")

    def close(self) -> None:
        pass


class _Workbook:
    """An ``.xlsx`` workbook: a table is a sheet, found by its name. A sheet that cannot be read (its
    XML broken or missing) is an error for that sheet; the others are read."""

    def __init__(self, path: Path):
        try:
            import openpyxl  # noqa: F401 - here only to say it is missing
        except ImportError:
            raise TableError("reading a workbook needs openpyxl: pip install openpyxl (or the xlsx extra: pip install "
                             "'yos-audit[xlsx]', in a clone pip install -e '.[xlsx]'); or save each sheet as CSV "
                             "into a folder") from None
        try:
            self.data = read_regular(path)
        except FileError as exc:
            raise TableError(str(exc)) from None
        self.path = path
        self.parts = _sheet_parts(self.data)  # sheet -> its part in the zip
        self.broken: dict[str, str] = {}  # sheet -> why it cannot be read
        try:
            self.book = _load_book(self.data)
        except Exception as exc:  # noqa: BLE001 - zip, XML and openpyxl's own errors alike
            self.broken = _broken_sheets(self.data, self.parts) if self.parts else {}
            try:  # a sheet's XML broken: the others are read, each broken one left empty and said
                if not self.broken:
                    raise
                self.book = _load_book(_without(self.data, {self.parts[n] for n in self.broken}))
            except Exception:  # noqa: BLE001 - not that: the workbook as a whole
                raise TableError(f"not an Excel workbook (.xlsx) that can be read: {exc}") from None
        self.sheets = {}
        for name in [*self.book.sheetnames, *self.parts]:
            self.sheets.setdefault(_norm(name), name)
        for name, part in self.parts.items():
            if name not in self.book.sheetnames and name not in self.broken:
                self.broken[name] = f"its part {part} is missing from the workbook"
        epoch = getattr(self.book, "epoch", None)
        self.epoch = epoch.date() if isinstance(epoch, dt.datetime) else EXCEL_EPOCH
        self.read = [path]

    def names(self) -> list[str]:
        return list(self.book.sheetnames)

    def table(self, source: Source, wanted: set[str]) -> Table | None:
        name = self.sheets.get(_norm(source.table))
        if name is None:
            return None
        label = f"{self.path} [sheet {name}]"
        if name in self.broken:
            raise TableError(f"this sheet cannot be read: {self.broken[name]}; the other sheets are read", label)
        sheet = self.book[name]
        if not hasattr(sheet, "iter_rows"):  # a chart sheet
            raise TableError(f"sheet {name!r} is a chart, not a table")
        try:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # some writers record a wrong size; read what is there
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rows = [(n, tuple(cells)) for n, cells in enumerate(sheet.iter_rows(values_only=True), 1)]
        except Exception as exc:  # noqa: BLE001 - its XML broken part way, or openpyxl's own errors
            raise TableError(f"this sheet cannot be read: {type(exc).__name__}: {exc}; the other sheets are read",
                             label) from None
        table = _split_header(label, rows, source.header_row, self.epoch)
        part = self.parts.get(name)
        return attrs.evolve(table, unsaved=_unsaved_cells(self.data, part)) if part else table

    def where(self, source: Source) -> str:
        return f"no sheet {source.table!r} in {self.path}"

    def close(self) -> None:
        self.book.close()


def _load_book(data: bytes):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of styles and extensions it skips
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _sheet_parts(data: bytes) -> dict[str, str]:
    """Each worksheet's name and its part in the zip (``xl/worksheets/sheet2.xml``), from the workbook's
    own index (``xl/workbook.xml`` and its relationships); empty where that cannot be read (openpyxl
    then says what is wrong)."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            rels = ElementTree.fromstring(zf.read("_rels/.rels"))
            book = next(r.get("Target", "") for r in rels if r.get("Type", "").endswith("/officeDocument"))
            book = book.lstrip("/")
            folder, _, base = book.rpartition("/")
            targets = {}
            for rel in ElementTree.fromstring(zf.read(f"{folder}/_rels/{base}.rels")):
                if rel.get("Type", "").endswith("/worksheet"):
                    target = rel.get("Target", "")
                    targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}"
            parts = {}
            for el in ElementTree.fromstring(zf.read(book)).iter():
                if _local(el.tag) == "sheet":
                    rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
                    if rid in targets and el.get("name"):
                        parts[el.get("name")] = targets[rid]
            return parts
    except Exception:  # noqa: BLE001 - a zip or index openpyxl will refuse, with its own words
        return {}


def _broken_sheets(data: bytes, parts: Mapping[str, str]) -> dict[str, str]:
    """The worksheets whose XML is not well-formed (or missing), each with why: read whole, only when
    the workbook would not open."""
    from xml.etree import ElementTree

    broken = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        for sheet, part in parts.items():
            if part not in names:
                continue  # openpyxl leaves it out; said as missing
            try:
                with zf.open(part) as fh:
                    for _, el in ElementTree.iterparse(fh):
                        el.clear()
            except Exception as exc:  # noqa: BLE001 - XML, zip (a bad checksum) and decompression errors
                broken[sheet] = f"its XML ({part}) is broken: {exc}"
    return broken


_EMPTY_SHEET = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData/></worksheet>")


def _without(data: bytes, parts: set[str]) -> bytes:
    """The workbook with each of ``parts`` an empty sheet (in memory; the file is never written)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zf, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in zf.infolist():
            new.writestr(info.filename, _EMPTY_SHEET if info.filename in parts else zf.read(info.filename))
    return out.getvalue()


#: cells with a formula and no saved value told one by one, at most, in each sheet; then how many more
_UNSAVED_TOLD = 20
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(r"([A-Z]{1,3})([0-9]+)")


def _unsaved_cells(data: bytes, part: str) -> tuple[str, ...]:
    """The cells of a sheet (its part of the zip) that hold a formula but no value saved with it:
    openpyxl (and so this reader) sees only saved values, and such a cell reads as empty. A workbook
    written by a program, never opened and saved in Excel, is like that. The sheet's XML is looked at
    only if it holds a formula at all (a quick search); a formula whose text result is empty is not one."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if not _holds(zf, part, _FORMULA_TAG):
                return ()
            found = []
            with zf.open(part) as fh:
                for _, el in ElementTree.iterparse(fh):
                    if _local(el.tag) == "c":
                        children = {_local(child.tag): child for child in el}
                        value = children.get("v")
                        if "f" in children and (value is None or (not value.text and el.get("t") != "str")):
                            found.append(el.get("r") or "")
                        el.clear()
                    elif _local(el.tag) == "row":
                        el.clear()
            return tuple(found)
    except Exception:  # noqa: BLE001 - read already by openpyxl: nothing more to say here
        return ()


def _unsaved_formulas(table: Table, header_row: int, wanted: set[str]) -> list[InputProblem]:
    """A warning for each cell with a formula and no value saved, in the header or a data row, and in
    a column the map reads (``wanted``): a formula in a totals row or an unmapped column loses nothing."""
    rows = {header_row, *(number for number, _ in table.rows)}
    out, told = [], 0
    for coordinate in table.unsaved:
        cell = _CELL.fullmatch(coordinate)
        row = int(cell.group(2)) if cell else None
        index = _column_index(cell.group(1)) if cell else None
        column = table.header[index] if index is not None and index < len(table.header) and table.header[index] else None
        if (row is not None and row not in rows) or (column is not None and _norm(column) not in wanted):
            continue
        told += 1
        if told > _UNSAVED_TOLD:
            continue
        out.append(InputProblem(
            ProblemLevel.WARNING, table.label,
            f"cell {coordinate} holds a formula with no value saved: it reads as empty; open the workbook in Excel "
            "and save it, so that the values are saved with the formulas", row=row, column=column))
    if told > _UNSAVED_TOLD:
        out.append(InputProblem(ProblemLevel.WARNING, table.label,
                                f"{told - _UNSAVED_TOLD} more cells hold a formula with no value saved"))
    return out


def _holds(zf: zipfile.ZipFile, part: str, pattern: re.Pattern) -> bool:
    """Whether a part of the zip holds ``pattern`` (of a few bytes), read a megabyte at a time."""
    tail = b""
    with zf.open(part) as fh:
        while chunk := fh.read(1 << 20):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _column_index(letters: str) -> int:
    n = 0
    for c in letters:
        n = n * 26 + ord(c) - 64
    return n - 1


def _open(path: Path):
    suffix = path.suffix.lower()
    if path.is_dir():
        try:
            return _Folder(path)
        except OSError as exc:
            raise TableError(f"cannot read the folder: {exc.strerror or exc}") from None
    if suffix == ".xls":
        raise TableError("an Excel 97-2003 workbook (.xls) cannot be read: save it as .xlsx")
    if suffix in CSV_SUFFIXES:
        raise TableError("a single table: give the folder that holds the tables (cases.csv, assessments.csv, ...)")
    if not path.exists():
        raise TableError("no such file")
    return _Workbook(path)


# -- the map ------------------------------------------------------------------------------------


def find_map(path: Path, map_path: Path | str | None = None) -> ColumnMap:
    """The map given, else ``yos-audit-map.toml`` in the folder, beside it or beside the workbook,
    else the built-in map of our own names. :class:`MapError` when the map cannot be used."""
    if map_path is not None:
        return read_map(Path(map_path))
    places = [path / MAP_NAME, path.parent / MAP_NAME] if path.is_dir() else [path.parent / MAP_NAME]
    for place in places:
        if place.is_file():
            return read_map(place)
    return default_map()


# -- tables to the export mapping ---------------------------------------------------------------


@frozen
class Cell:
    """Where a value of the export came from."""

    file: str
    row: int
    column: str | None = None
    value: Any = None


class _Bad(dict):
    """Stands in the export for a cell that could not be read: every hook of the converter refuses a
    table where it wants a value, so the case is rejected the usual way; the problem is told once."""


class _Problems(list):
    def add(self, level: ProblemLevel, file: str, message: str, case_id: str | None = None,
            field: str | None = None, row: int | None = None, column: str | None = None) -> None:
        self.append(InputProblem(level, file, message, case_id, field, row, column))

    def error(self, *args, **kwargs) -> None:
        self.add(ProblemLevel.ERROR, *args, **kwargs)

    def warning(self, *args, **kwargs) -> None:
        self.add(ProblemLevel.WARNING, *args, **kwargs)


def _set(target: dict, path: str, value: Any) -> None:
    head, dot, rest = path.partition(".")
    if dot:
        _set(target.setdefault(head, {}), rest, value)
    else:
        target[head] = value


@frozen
class _Columns:
    """The map's columns of one source, found in its table's header: field -> (index, column)."""

    found: Mapping[str, tuple[int, str]]
    #: the columns naming each row's case, in the map's order (none: a table placed by person)
    key: tuple[tuple[int, str], ...] = ()
    person: tuple[int, str] | None = None
    system_id: tuple[int, str] | None = None
    derived: Mapping[str, Resolved] = {}


def _resolve_columns(table: Table, source: Source, strict: bool, problems: _Problems) -> _Columns | None:
    index: dict[str, int] = {}
    wanted = {_norm(c) for c in source.wanted()}
    for i, name in enumerate(table.header):
        if name:
            key = _norm(name)
            if key in index and key in wanted:
                problems.warning(table.label, f"the header names {name!r} twice; the first is read", row=source.header_row, column=name)
            index.setdefault(key, i)

    def at(column: str) -> tuple[int, str] | None:
        i = index.get(_norm(column))
        return None if i is None else (i, table.header[i])

    found = {}
    missing = []
    for field, column in source.columns.items():
        where = at(column)
        if where is None:
            missing.append((field, column))
        else:
            found[field] = where
    key_columns = source.key_columns
    key = tuple(at(c) for c in key_columns)
    if any(k is None for k in key):
        if strict or table.header or source.kind == "cases":
            column = next(c for c, k in zip(key_columns, key, strict=True) if k is None)
            problems.error(table.label, f"the header has no case id column {column!r} "
                           f"(the map's {source.section} case_id); the table is not read"
                           + _header_hint(table, column), row=source.header_row, column=column)
        return None
    person = at(source.person) if source.person else None
    if source.person and person is None and (source.kind == PERSON or not key):
        problems.error(table.label, f"the header has no person id column {source.person!r} (the map's "
                       f"{source.section} person); the table is not read" + _header_hint(table, source.person),
                       row=source.header_row, column=source.person)
        return None
    if source.person and person is None:
        missing.append(("person", source.person))
    system_id = at(source.system_id) if source.system_id else None
    if source.system_id and system_id is None:
        missing.append(("id", source.system_id))
    derived = {}
    for field, spec in source.derived.items():
        places = tuple(at(c) for c in spec.columns)
        missing.extend((field, c) for c, p in zip(spec.columns, places, strict=True) if p is None)
        derived[field] = Resolved(spec, tuple(p[0] if p else None for p in places))
    if strict:
        for field, column in missing:
            problems.error(table.label, f"the header has no column {column!r} (mapped to {field} in "
                           f"{source.section}); {field} is read as not recorded" + _header_hint(table, column),
                           row=source.header_row, column=column)
    return _Columns(found, typing.cast(tuple, key), person, system_id, derived)


def _header_hint(table: Table, column: str | None = None) -> str:
    """The header's every column, and the nearest to the one looked for."""
    shown = [h for h in table.header if h]
    if not shown:
        return "; the header row is empty"
    near = ""
    if column is not None:
        names = {_norm(h): h for h in shown}
        close = difflib.get_close_matches(_norm(column), list(names), n=1, cutoff=0.6)
        if close:
            near = f" (did you mean {names[close[0]]!r}?)"
    return f"{near}; its columns are " + ", ".join(repr(h) for h in shown)


def _blank(values: tuple[Any, ...]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


#: a cell that could not be read: (our field, their column, what is wrong)
_Fault = tuple[str, "str | None", str]


@frozen
class _Staged:
    """A record of a version 2 map, read and waiting for its place among its case's records."""

    kind: str
    record: dict
    faults: tuple[_Fault, ...]
    source: Source
    cell: Cell
    columns: _Columns
    system_id: str | None


@frozen
class _Person:
    """A row of the person table: the details it gives each case of that person."""

    record: dict
    faults: tuple[_Fault, ...]
    source: Source
    cell: Cell
    columns: _Columns


class _Builder:
    """Rows to the export mapping, with where each value came from."""

    def __init__(self, colmap: ColumnMap, problems: _Problems):
        self.colmap = colmap
        self.problems = problems
        self.cases: list[dict] = []
        self.index: dict[str, int] = {}  # case_id -> position in cases
        self.case_rows: dict[str, Cell] = {}
        #: path of a case or record in the export ("cases[3].assessments[0]"), or of a field read from
        #: another table than its case's ("cases[3].child.sex" from the person table) -> where its row is
        self.records: dict[str, tuple[Source, Cell, _Columns]] = {}
        self.bad: set[str] = set()
        self.rejected = 0
        # version 2
        self.staged: dict[int, list[_Staged]] = {}
        self.person_of: dict[int, str] = {}  # case position -> the person's id
        self.cases_of: dict[str, list[int]] = {}  # the person's id -> positions of their cases
        self.people: dict[str, _Person] = {}
        self.people_read = False

    def _row(self, table: Table, source: Source, columns: _Columns, values: tuple[Any, ...]) -> tuple[dict, list[_Fault]]:
        record: dict = {}
        faults: list[_Fault] = []
        for field, value in source.fixed.items():
            _set(record, field, value)
        specs = fields_of(source.kind)
        width = len(values)
        for field, (i, column) in columns.found.items():
            value = values[i] if i < width else None
            if value is None or value == "" or (field == "case_id" and source.kind != "cases"):
                continue
            spec: FieldSpec = specs[field]
            try:
                out = read_value(value, spec, source, table.epoch)
            except CellError as exc:
                faults.append((field, column, str(exc)))
                _set(record, field, _Bad())
                continue
            if out is not None:
                if "." in field:
                    _set(record, field, out)
                else:
                    record[field] = out
        for field, resolved in columns.derived.items():
            try:
                out, _column = derived_value(resolved, specs[field], source, values, table.epoch)
            except CellError as exc:
                faults.append((field, fault_column(exc, resolved.spec.columns[0]), str(exc)))
                _set(record, field, _Bad())
                continue
            if out is not None:
                _set(record, field, out)
        return record, faults

    def _tell(self, faults: list[_Fault] | tuple[_Fault, ...], file: str, number: int, case_id: str | None, base: str) -> None:
        """The cells of a row that could not be read, once the row's place in the export is known."""
        for field, column, message in faults:
            path = f"{base}.{field}"
            self.problems.error(file, message, case_id, path.partition(".")[2], number, column)
            self.bad.add(path)

    def _text(self, source: Source, values: tuple[Any, ...], at: tuple[int, str] | None) -> str | None:
        if at is None:
            return None
        value = values[at[0]] if at[0] < len(values) else None
        if source.version >= 2 and not_recorded(value, source.read):
            return None
        return cell_text(value)

    def _case_id(self, source: Source, columns: _Columns, values: tuple[Any, ...]) -> tuple[str | None, str]:
        """The row's case id, or None, with the column to name when it is missing."""
        if len(columns.key) == 1:
            return self._text(source, values, columns.key[0]), columns.key[0][1]
        parts = [self._text(source, values, k) for k in columns.key]
        empty = [k[1] for k, part in zip(columns.key, parts, strict=True) if part is None]
        if empty:
            return None, empty[0]
        return "/".join(typing.cast(list[str], parts)), columns.key[0][1]

    def add_cases(self, table: Table, source: Source, columns: _Columns) -> None:
        for number, values in table.rows:
            if _blank(values):
                continue
            case_id, column = self._case_id(source, columns, values)
            if case_id is None:
                if len(columns.key) > 1 and any(self._text(source, values, k) for k in columns.key):
                    message = (f"no {column!r}: the case key is {' + '.join(repr(k[1]) for k in columns.key)}; "
                               "this case is not read")
                else:
                    message = "no case id: this case is not read"
                self.problems.error(table.label, message, None, "case_id", number, column)
                self.rejected += 1
                continue
            i, column = columns.key[0]
            if case_id in self.index:
                first = self.case_rows[case_id]
                also = f"row {first.row}" if first.file == table.label else f"{first.file} row {first.row}"
                self.problems.error(table.label, f"duplicate case id {case_id!r} (also at {also}); only the first is audited",
                                    case_id, "case_id", number, column)
                self.rejected += 1
                continue
            at = len(self.cases)
            base = f"cases[{at}]"
            record, faults = self._row(table, source, columns, values)
            self._tell(faults, table.label, number, case_id, base)
            record["case_id"] = case_id
            cell = Cell(table.label, number, column, values[i])
            self.records[base] = (source, cell, columns)
            self.case_rows[case_id] = cell
            self.index[case_id] = at
            self.cases.append(record)
            person = self._text(source, values, columns.person)
            if person is not None:
                self.person_of[at] = person
                self.cases_of.setdefault(person, []).append(at)

    def add_people(self, table: Table, source: Source, columns: _Columns) -> None:
        """Rows of the person table (version 2): kept until every case is read, then joined."""
        self.people_read = True
        assert columns.person is not None
        for number, values in table.rows:
            if _blank(values):
                continue
            person = self._text(source, values, columns.person)
            column = columns.person[1]
            if person is None:
                self.problems.error(table.label, "no person id: this row is not read", None, None, number, column)
                continue
            if person in self.people:
                first = self.people[person].cell
                self.problems.error(table.label, f"person {person!r} twice (also at row {first.row}); only the first is read",
                                    None, None, number, column)
                continue
            record, faults = self._row(table, source, columns, values)
            cell = Cell(table.label, number, column, values[columns.person[0]])
            self.people[person] = _Person(record, tuple(faults), source, cell, columns)

    def add_records(self, table: Table, source: Source, columns: _Columns) -> None:
        if not columns.key:
            self._add_by_person(table, source, columns)
            return
        i, column = columns.key[0]
        staged = source.version >= 2
        for number, values in table.rows:
            if _blank(values):
                continue
            case_id, missing = self._case_id(source, columns, values)
            if case_id is None:
                self.problems.error(table.label, f"no case id: this row of {source.kind} belongs to no case and is not read",
                                    None, None, number, missing)
                continue
            at = self.index.get(case_id)
            if at is None:
                self.problems.warning(table.label, f"case id {case_id!r} matches no case of the cases table; "
                                      "this row is not read", case_id, None, number, column)
                continue
            cell = Cell(table.label, number, column, values[i])
            record, faults = self._row(table, source, columns, values)
            if staged:
                self._stage(at, source, columns, record, faults, cell, values)
                continue
            records = self.cases[at].setdefault(source.kind, [])
            base = f"cases[{at}].{source.kind}[{len(records)}]"
            self._tell(faults, table.label, number, case_id, base)
            records.append(record)
            self.records[base] = (source, cell, columns)

    def _stage(self, at: int, source: Source, columns: _Columns, record: dict, faults: list[_Fault], cell: Cell,
               values: tuple[Any, ...]) -> None:
        system_id = self._text(source, values, columns.system_id)
        self.staged.setdefault(at, []).append(_Staged(source.kind, record, tuple(faults), source, cell, columns, system_id))

    def _add_by_person(self, table: Table, source: Source, columns: _Columns) -> None:
        """Rows that name only the person: each goes to the case of that person whose dates hold its date."""
        assert columns.person is not None
        i, column = columns.person
        for number, values in table.rows:
            if _blank(values):
                continue
            person = self._text(source, values, columns.person)
            if person is None:
                self.problems.error(table.label, f"no person id: this row of {source.kind} belongs to no case and is not read",
                                    None, None, number, column)
                continue
            cases = [at for at in self.cases_of.get(person, ()) if at is not None]
            if not cases:
                self.problems.warning(table.label, f"person {person!r} has no case in the cases table; this row is not read",
                                      None, None, number, column)
                continue
            record, faults = self._row(table, source, columns, values)
            field, day = next(((f, record[f]) for f in source.attach_by if f in record), (source.attach_by[0], None))
            if isinstance(day, _Bad):
                bad = [f for f in faults if f[0] == field]
                for _, fault_at, message in bad:
                    self.problems.error(table.label, f"{message}; without it this row cannot be placed in a case of person "
                                        f"{person!r} and is not read", None, f"{source.kind}.{field}", number, fault_at)
                continue
            at, why = self._place(cases, day)
            if at is None:
                what = f"its {field} {day}" if day else f"it has no {' or '.join(source.attach_by)}"
                self.problems.warning(table.label, f"{what}: it falls in no case of person {person!r} "
                                      f"({self._spans(cases)}); this row is not read", None, None, number, column)
                continue
            case_id = self.cases[at]["case_id"]
            if why:
                self.problems.warning(table.label, f"its {field} {day} falls in more than one case of person {person!r} "
                                      f"({why}); it is read as of {case_id}, the one that started last",
                                      case_id, None, number, column)
            self._stage(at, source, columns, record, faults, Cell(table.label, number, column, values[i]), values)

    def _span(self, at: int) -> tuple[str, str | None] | None:
        """A case's dates as ISO text: (start, closed or None while open); None when its start is unknown."""
        case = self.cases[at]
        start, closed = case.get("start_date"), case.get("closed_on")
        if not isinstance(start, str):
            return None
        return start, closed if isinstance(closed, str) else None

    def _spans(self, cases: list[int]) -> str:
        said = []
        for at in cases:
            span = self._span(at)
            case_id = self.cases[at]["case_id"]
            if span is None:
                said.append(f"{case_id} with no start date")
            else:
                said.append(f"{case_id} {span[0]} to {span[1]}" if span[1] else f"{case_id} from {span[0]}")
        return ", ".join(said)

    def _place(self, cases: list[int], day: Any) -> tuple[int | None, str]:
        """The case whose dates hold the day (the one that started last, if several do), and, when
        several do, which. A record with no date goes to the person's only case."""
        if not isinstance(day, str):
            return (cases[0], "") if len(cases) == 1 else (None, "")
        holding = []
        for at in cases:
            span = self._span(at)
            if span is not None and span[0] <= day and (span[1] is None or day <= span[1]):
                holding.append((span[0], at))
        if not holding:
            return None, ""
        holding.sort()
        why = ", ".join(self.cases[at]["case_id"] for _, at in holding) if len(holding) > 1 else ""
        return holding[-1][1], why

    def finish(self) -> None:
        """Version 2: the person table joined to the cases, and each case's records put in order."""
        if self.people_read:
            told: set[str] = set()
            for at, record in enumerate(self.cases):
                person = self.person_of.get(at)
                entry = self.people.get(person) if person is not None else None
                if entry is None:
                    if person is not None and person not in told:
                        told.add(person)
                        source, cell, _ = self.records[f"cases[{at}]"]
                        self.problems.warning(cell.file, f"person {person!r} is not in the person table; "
                                              "the child's details are not recorded", record["case_id"], None, cell.row,
                                              source.person)
                    continue
                base = f"cases[{at}]"
                for key, value in entry.record.items():
                    if isinstance(value, dict) and not isinstance(value, _Bad):
                        record.setdefault(key, {}).update(value)  # the child's details, with any the cases table has
                    else:
                        record[key] = value
                columns = entry.columns
                for field, (_, column) in columns.found.items():
                    self.records[f"{base}.{field}"] = (entry.source, attrs.evolve(entry.cell, column=column), columns)
                for field, resolved in columns.derived.items():
                    cell = attrs.evolve(entry.cell, column=resolved.spec.columns[0])
                    self.records[f"{base}.{field}"] = (entry.source, cell, columns)
                self._tell(entry.faults, entry.cell.file, entry.cell.row, record["case_id"], base)
        for at in sorted(self.staged):
            case = self.cases[at]
            for kind in RECORDS:
                items = [s for s in self.staged[at] if s.kind == kind]
                if not items:
                    continue
                records = case.setdefault(kind, [])
                for item in ordered(kind, items, lambda s: s.record, lambda s: s.system_id):
                    base = f"cases[{at}].{kind}[{len(records)}]"
                    self._tell(item.faults, item.cell.file, item.cell.row, case["case_id"], base)
                    records.append(item.record)
                    self.records[base] = (item.source, item.cell, item.columns)
        self.staged.clear()

    # -- problems found by load_document, told in the tables' terms -----------------------------

    def _path(self, problem: InputProblem) -> str | None:
        if problem.case_id is not None and problem.case_id in self.index:
            base = f"cases[{self.index[problem.case_id]}]"
            return f"{base}.{problem.field}" if problem.field else base
        if problem.field and problem.field.startswith("cases["):
            return problem.field
        return None

    def _locate(self, path: str) -> tuple[Cell | None, Source | None, str, bool]:
        """Where a path of the export is: (its row and column, its source, its field, whether the
        column is in the table's header). The column is as the header writes it, else as the map does."""
        probe = path
        while probe:
            if probe in self.records:
                source, row, columns = self.records[probe]
                field = re.sub(r"\[\d+\]$", "", path[len(probe) + 1:])
                if not field:
                    return row, source, field, True
                found = columns.found.get(field)
                column = found[1] if found else source.columns.get(field)
                return attrs.evolve(row, column=column, value=None), source, field, found is not None
            cut = max(probe.rfind("."), probe.rfind("["))
            probe = probe[:cut] if cut > 0 else ""
        return None, None, "", False

    def _say(self, message: str, base: str, here: Cell) -> str:
        """``(also at assessments[0].id)`` -> ``(also at row 2)``."""

        def replace(match: re.Match) -> str:
            found = self._locate(f"{base}.{match.group(0)}")[0]
            if found is None:
                return match.group(0)
            return f"row {found.row}" if found.file == here.file else f"{found.file} row {found.row}"

        return re.sub(r"\b[a-z_]+\[\d+\](?:\.[a-z_]+)*", replace, message)

    def retell(self, problem: InputProblem, map_file: str | None) -> InputProblem | None:
        path = self._path(problem)
        if path is None:
            if problem.field and problem.field.split(".")[0] in ("service", "format", "version"):
                return attrs.evolve(problem, file=map_file or problem.file)
            return problem
        if any(path == b or path.startswith((b + ".", b + "[")) for b in self.bad):
            return None  # told already, with its cell
        cell, source, field, in_header = self._locate(path)
        if cell is None:
            return problem
        message = problem.message
        if message == "required key missing" and source is not None:
            if in_header:
                message = "required, but the cell is empty"
            elif cell.column is not None:
                message = f"required, but the table has no column {cell.column!r}"
            else:
                message = f"required, but no column is mapped to it (add {field} = \"...\" to the columns of {source.section})"
        message = self._say(message, path.split(".")[0], cell)
        return attrs.evolve(problem, file=cell.file, message=message, row=cell.row, column=cell.column)


def _document(colmap: ColumnMap, builder: _Builder, name: str) -> dict:
    service = dict(colmap.service)
    service.setdefault("name", name)
    return {"format": "yos-case-export", "version": 1, "service": service, "cases": builder.cases}


def read_tables(path: Path, colmap: ColumnMap, problems: _Problems) -> tuple[dict | None, _Builder, list[Path]]:
    """The export mapping of a folder or workbook, with its builder (provenance) and the files read."""
    builder = _Builder(colmap, problems)
    try:
        book = _open(path)
    except TableError as exc:
        problems.error(str(path), str(exc))
        return None, builder, []
    if isinstance(book, _Folder) and not book.holds_tables(colmap):  # said before what the map lacks
        problems.error(str(path), book.nothing_to_read())
        return None, builder, []
    try:
        cases_found = False
        for kind in ("cases", PERSON, *RECORDS):
            for source in colmap.of(kind):
                wanted = {_norm(c) for c in source.wanted()}
                try:
                    table = book.table(source, wanted)
                except TableError as exc:
                    problems.error(exc.file or str(path), str(exc), row=exc.row)
                    continue
                if table is None:
                    if colmap.strict or kind == "cases":
                        tables = ", ".join(book.names()) or "none"
                        hint = "" if colmap.file else f"; no column map was found (looked for {MAP_NAME}): give one with --map"
                        problems.error(str(path), f"{book.where(source)}; its tables: {tables}{hint}")
                    continue
                if source.header_row is None:  # version 2: the header is the row that names the map's columns
                    row, header, rows = find_header(table.header, table.rows, wanted)
                    table = attrs.evolve(table, header=header, rows=rows)
                    source = attrs.evolve(source, header_row=row)
                columns = _resolve_columns(table, source, colmap.strict, problems)
                if columns is None:
                    continue
                if source.version >= 2:
                    table = _data_only(table, source, columns, problems)
                problems.extend(_read_warnings(table, source.header_row or 1, wanted))
                if kind == "cases":
                    cases_found = True
                    builder.add_cases(table, source, columns)
                elif kind == PERSON:
                    builder.add_people(table, source, columns)
                else:
                    builder.add_records(table, source, columns)
        files = list(book.read)
    finally:
        book.close()
    if not cases_found:
        return None, builder, files
    if colmap.version >= 2:
        builder.finish()
    return _document(colmap, builder, path.stem or path.name), builder, files


def _data_only(table: Table, source: Source, columns: _Columns, problems: _Problems) -> Table:
    """The table without its totals and footer rows (version 2), and a note of them."""
    if columns.key:
        key, what = tuple(i for i, _ in columns.key), "case id"
    else:
        key, what = ((columns.person[0],) if columns.person else ()), "person id"
    rows, note, row = non_data(table.rows, key, source.read, what)
    if note is not None:
        problems.warning(table.label, note, row=row)
    return attrs.evolve(table, rows=rows)


def tables_document(
    path: Path | str, map_path: Path | str | None = None, read: list[str] | None = None,
) -> tuple[dict | None, Callable[[InputProblem], InputProblem | None], int, list[InputProblem]]:
    """A folder of CSV files or a workbook as the export document it maps to, for
    :func:`rules.load.load_document` to check: (the document or None, a function that tells a problem
    found in the document back in the tables' terms (None: not to be told), the rows rejected, the
    problems of reading). The files read (the map, the tables of a folder) are added to ``read``."""
    path = Path(path)
    problems = _Problems()
    read = [] if read is None else read
    if map_path is not None:
        read.append(str(map_path))
    try:
        colmap = find_map(path, map_path)
    except MapError as exc:
        read.extend([exc.file] if exc.file else [])
        file = exc.file or str(path)
        for message in exc.messages:
            problems.error(file, f"column map: {message}")
        return None, lambda problem: None, 0, problems
    read.extend([colmap.file] if colmap.file else [])
    document, builder, files = read_tables(path, colmap, problems)
    read.extend(map(str, files))
    return document, lambda problem: builder.retell(problem, colmap.file), builder.rejected, problems


# -- the way back: a caseload as the export, or as tables ---------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if attrs.has(type(value)):
        out = {}
        for f in attrs.fields(type(value)):
            item = getattr(value, f.name)
            if item is None or item == ():
                continue
            out[f.name] = _plain(item)
        return out
    return value


def caseload_document(caseload: model.Caseload) -> dict:
    """The canonical JSON export of a caseload: what was recorded, nothing more (no absent field)."""
    return {
        "format": "yos-case-export",
        "version": 1,
        "service": _plain(caseload.service),
        "cases": [_plain(case) for case in caseload.cases],
    }


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def _table_rows(caseload: model.Caseload, source: Source, excel: bool) -> tuple[list[str], list[list[Any]]]:
    specs = fields_of(source.kind)
    fields = list(source.columns)
    header = [source.columns[f] for f in fields]
    rows = []
    for case in caseload.cases:
        records = [case] if source.kind == "cases" else getattr(case, source.kind)
        for record in records:
            row = []
            for f in fields:
                value = case.case_id if f == "case_id" else _get(record, f)
                row.append(write_value(value, specs[f], source, excel))
            rows.append(row)
    return header, rows


def write_tables(
    caseload: model.Caseload, colmap: ColumnMap, target: Path | str, *, delimiter: str = ",",
    encoding: str = "utf-8-sig", excel_dates: bool = True,
) -> list[Path]:
    """Write a caseload as the tables a map reads: a workbook when ``target`` ends ``.xlsx``, else a
    folder of CSV files. For worked examples and tests: the first table of each kind is written, with
    its ``fixed`` fields ignored. Returns the files written."""
    target = Path(target)
    if colmap.version >= 2 and any(s.key or s.person or s.derived or s.kind == PERSON for s in colmap.sources):
        raise ValueError("write_tables writes one column a field: not a case key of several columns, a person "
                         "table or fields over several columns (examples/tabular/casebook/make_casebook.py does)")
    sources = [colmap.of(kind)[0] for kind in KINDS if colmap.of(kind)]
    workbook = target.suffix.lower() in WORKBOOK_SUFFIXES
    if workbook:
        import openpyxl

        book = openpyxl.Workbook()
        book.remove(book.active)
        for source in sources:
            header, rows = _table_rows(caseload, source, excel=excel_dates)
            sheet = book.create_sheet(source.table)
            sheet.append(header)
            for row in rows:
                sheet.append(row)
            for cells in sheet.iter_rows(min_row=2):
                for cell in cells:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"  # text that looks like a formula stays text
                    elif isinstance(cell.value, dt.date):
                        cell.number_format = "DD/MM/YYYY"
        target.parent.mkdir(parents=True, exist_ok=True)
        book.save(target)
        return [target]
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for source in sources:
        header, rows = _table_rows(caseload, source, excel=False)
        path = target / f"{source.table}.csv"
        with path.open("w", encoding=encoding, newline="") as out:
            writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows(rows)
        written.append(path)
    return written
