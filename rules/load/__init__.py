"""Load case exports (JSON or TOML) into a :class:`~rules.model.Caseload` plus input problems.

The loader never raises for bad input: every problem becomes an :class:`InputProblem` naming the file,
the case and the field. A case with an error is rejected (not audited); the others still load. Input
files are only ever opened for reading.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import json
import os
import tomllib
import typing
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from rules import model
from rules.files import FileError, read_regular
from rules.load import jsonread
from rules.load.converter import DETAILED, EARLIEST_PLAUSIBLE, structure_errors, unknown_keys
from rules.load.problems import InputProblem, ProblemLevel

__all__ = ["InputProblem", "LoadResult", "ProblemLevel", "load_document", "load_paths", "read_document"]

FORMAT = "yos-case-export"
SUPPORTED_VERSION = 1
_TOP_KEYS = frozenset({"format", "version", "service", "cases"})
#: MAPPA categories and levels run from 1 to this (shared/spec/case-export.md)
MAPPA_MAX = 3

#: called with (done, total) cases while a load runs
Progress = Callable[[int, int], None]


@frozen
class LoadResult:
    caseload: model.Caseload
    problems: tuple[InputProblem, ...] = ()
    #: cases not audited because of an input error
    rejected: int = 0
    #: which file each case came from, by case_id
    sources: Mapping[str, str] = {}
    #: every file the load read or tried to: each export, workbook, table of a folder, and the column
    #: map named or found (what no output may overwrite: :mod:`rules.output`)
    files: tuple[str, ...] = ()
    #: each input's ``service.extracted_on``, in the order given (None: it names none, or was not read)
    extracted_on: tuple[dt.date | None, ...] = ()

    @property
    def errors(self) -> tuple[InputProblem, ...]:
        return tuple(p for p in self.problems if p.level is ProblemLevel.ERROR)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Problems(list):
    def error(self, file: str, message: str, case_id: str | None = None, field: str | None = None):
        self.append(InputProblem(ProblemLevel.ERROR, file, message, case_id, field))

    def warning(self, file: str, message: str, case_id: str | None = None, field: str | None = None):
        self.append(InputProblem(ProblemLevel.WARNING, file, message, case_id, field))


class DocumentError(Exception):
    """A file that cannot be read as an export at all."""


def _read_bytes(path: Path) -> bytes:
    """A file's bytes, or :class:`DocumentError` with a plain reason."""
    try:
        raw = read_regular(path)
    except FileError as exc:
        raise DocumentError(str(exc)) from None
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise DocumentError("UTF-16 text, not UTF-8: save the export as UTF-8")
    return raw


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"not UTF-8 text (byte {exc.start})") from None


def _read_text(path: Path) -> str:
    """A file's text, or :class:`DocumentError` with a plain reason."""
    return _text(_read_bytes(path))


def _parse(text: str, kind: str) -> Any:
    try:
        return tomllib.loads(text) if kind == "TOML" else jsonread.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DocumentError(f"not valid TOML: {exc}") from None
    except json.JSONDecodeError as exc:
        raise _json_error(exc) from None
    except RecursionError:
        raise DocumentError(f"not valid {kind}: nested too deeply") from None
    except ValueError:  # what else the parsers raise: a number of thousands of digits
        raise DocumentError(f"not valid {kind}: a number too long to read") from None


def _json_error(exc: json.JSONDecodeError) -> DocumentError:
    return DocumentError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")


def _kind(path: Path) -> str:
    return "TOML" if path.suffix.lower() == ".toml" else "JSON"


def read_document(path: Path) -> Any:
    """The parsed JSON or TOML of a file, or :class:`DocumentError` with a plain reason."""
    return _parse(_read_text(path), _kind(path))


#: the lists of a case whose records have ids
_ID_LISTS = ("assessments", "plans", "reviews", "events", "victims")


def _record_ids(case: model.Case) -> Iterable[tuple[str, str]]:
    for key in _ID_LISTS:
        for i, record in enumerate(getattr(case, key)):
            if record.id is not None:
                yield record.id, f"{key}[{i}].id"


@functools.cache
def _date_plan(cls: type) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A record class's (date fields, record fields, fields that are lists of records)."""
    hints = typing.get_type_hints(cls)
    dates, records, lists = [], [], []
    for name in attrs.fields_dict(cls):
        hint = hints[name]
        if typing.get_origin(hint) is tuple:
            if attrs.has(typing.get_args(hint)[0]):
                lists.append(name)
            continue
        args = [a for a in typing.get_args(hint) if a is not type(None)] or [hint]
        if dt.date in args:
            dates.append(name)
        elif any(attrs.has(a) for a in args):
            records.append(name)
    return tuple(dates), tuple(records), tuple(lists)


#: dates that may lie after the export was taken (they are planned, not recorded), by the class that
#: holds them: ``end_date`` of the case and ``custody.release_on``
PLANNED_DATES = {model.Case: frozenset({"end_date"}), model.Custody: frozenset({"release_on"})}


def _recorded(record: Any, prefix: str = "") -> Iterator[tuple[str, dt.date]]:
    """Every recorded (not planned) date of a record and of the records inside it, with its field named
    as in the export."""
    _, records, lists = _date_plan(type(record))
    for name in _recorded_dates(type(record)):
        value = getattr(record, name)
        if value is not None:
            yield prefix + name, value
    for name in records:
        value = getattr(record, name)
        if value is not None:
            yield from _recorded(value, f"{prefix}{name}.")
    for name in lists:
        for i, item in enumerate(getattr(record, name)):
            yield from _recorded(item, f"{prefix}{name}[{i}].")


@functools.cache
def _recorded_dates(cls: type) -> tuple[str, ...]:
    return tuple(n for n in _date_plan(cls)[0] if n not in PLANNED_DATES.get(cls, ()))


@functools.cache
def _date_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """A record class's date fields, each with whether it records something done (not planned)."""
    recorded = _recorded_dates(cls)
    return tuple((n, n in recorded) for n in _date_plan(cls)[0])


def _bounds(record: Any, lo: dt.date = dt.date.max, hi: dt.date = dt.date.min) -> tuple[dt.date, dt.date]:
    """(the earliest date of any kind, the latest recorded (not planned) date) in a record and the
    records inside it; ``lo`` and ``hi`` where there is none earlier or later."""
    return _bounds_of(type(record))(record, lo, hi)


def _record_class(cls: type, name: str) -> type:
    """The record class of a field that holds a record (or a tuple of them)."""
    hint = typing.get_type_hints(cls)[name]  # X, X | None, or tuple[X, ...]
    return next(a for a in typing.get_args(hint) or (hint,) if attrs.has(a))


@functools.cache
def _bounds_of(cls: type) -> Callable[[Any, dt.date, dt.date], tuple[dt.date, dt.date]]:
    """:func:`_bounds` for one record class, as a function written for it: every date read by name,
    the dates of flat records (contacts, reviews, ...) inside the loop over them. Every case of a load
    is walked this way, and a walk by field names cost much more."""
    lines = ["def bounds(r, lo, hi):"]
    scope: dict[str, Any] = {}

    def dates(of: str, klass: type, pad: str) -> None:
        for name, recorded in _date_fields(klass):
            lines.append(f"{pad}v = {of}.{name}")
            lines.append(f"{pad}if v is not None:")
            lines.append(f"{pad}    if v < lo: lo = v")
            if recorded:
                lines.append(f"{pad}    if v > hi: hi = v")

    dates("r", cls, "    ")
    _, records, lists = _date_plan(cls)
    for name in records:
        inner = f"b_{name}"
        scope[inner] = _bounds_of(_record_class(cls, name))
        lines += [f"    v = r.{name}", "    if v is not None:", f"        lo, hi = {inner}(v, lo, hi)"]
    for name in lists:
        item = _record_class(cls, name)
        _, deep, more = _date_plan(item)
        lines.append(f"    for x in r.{name}:")
        if deep or more:
            inner = f"b_{name}"
            scope[inner] = _bounds_of(item)
            lines.append(f"        lo, hi = {inner}(x, lo, hi)")
        elif _date_fields(item):
            dates("x", item, "        ")
        else:
            lines.append("        pass")
    lines.append("    return lo, hi")
    exec("\n".join(lines), scope)  # noqa: S102 - our own source, from the model's field names
    return scope["bounds"]


def warn_future_dates(
    case: model.Case, extracted_on: dt.date | None, file: str, problems: _Problems, latest: dt.date | None = None
) -> None:
    """A warning for each recorded date after the export was taken (``service.extracted_on``).

    Nothing can have happened after the extraction: such a date is a typo or a record written in
    advance. Planned dates (:data:`PLANNED_DATES`) are excepted. The case still loads. ``latest``: the
    latest recorded date, if the caller knows it.
    """
    if extracted_on is None or (latest or _bounds(case)[1]) <= extracted_on:  # the common case: no names needed
        return
    for where, day in _recorded(case):
        if day > extracted_on:
            problems.warning(file, f"{day} is after the export was taken (service.extracted_on {extracted_on})", case.case_id, where)


def _check_case(
    case: model.Case, file: str, problems: _Problems, extracted_on: dt.date | None = None, latest: dt.date | None = None
) -> bool:
    """Cross-record checks that a field-by-field read cannot make. True when the case is sound."""
    warn_future_dates(case, extracted_on, file, problems, latest)
    sound = True
    ids = [r.id for key in _ID_LISTS for r in getattr(case, key) if r.id is not None]
    seen: Collection[str] = set(ids)
    if len(seen) < len(ids):  # a duplicate: name where each id stands (a sound case skips this)
        seen = {}
        for record_id, where in _record_ids(case):
            if record_id in seen:
                problems.error(file, f"duplicate id {record_id!r} (also at {seen[record_id]})", case.case_id, where)
                sound = False
            else:
                seen[record_id] = where
    if case.end_date is not None and case.end_date < case.start_date:
        problems.error(file, f"end_date {case.end_date} is before start_date {case.start_date}", case.case_id, "end_date")
        sound = False
    if case.closed_on is not None and case.closed_on < case.start_date:
        problems.error(file, f"closed_on {case.closed_on} is before start_date {case.start_date}", case.case_id, "closed_on")
        sound = False
    if case.mappa is not None:
        for name in ("category", "level"):
            value = getattr(case.mappa, name)
            if value is not None and not 1 <= value <= MAPPA_MAX:
                problems.error(file, f"MAPPA {name} {value} is out of range: 1 to {MAPPA_MAX}", case.case_id, f"mappa.{name}")
                sound = False
    for i, plan in enumerate(case.plans):
        for ref in plan.incorporates:
            if ref not in seen:
                problems.warning(file, f"incorporates {ref!r}, which names no record of this case", case.case_id, f"plans[{i}].incorporates")
    for i, review in enumerate(case.reviews):
        for ref in review.reviews:
            if ref not in seen:
                problems.warning(file, f"reviews {ref!r}, which names no record of this case", case.case_id, f"reviews[{i}].reviews")
    return sound


def _case_id(raw: Any) -> str | None:
    """A raw case's case_id, if it is one text (not given twice, not holding a lone surrogate)."""
    if not isinstance(raw, Mapping):
        return None
    case_id = raw.get("case_id")
    if case_id.__class__ is not str or (isinstance(raw, jsonread.Flawed) and any(k == "case_id" for k, _ in raw.flaws)):
        return None
    return case_id


def _structure_case(
    raw: Any, index: int, file: str, problems: _Problems, extracted_on: dt.date | None = None, plain: bool = False
) -> model.Case | None:
    """One parsed case, read by msgspec if it is clean, else in detail (naming every fault). ``plain``:
    the parse cannot have made a :class:`~rules.load.jsonread.Flawed` table (TOML, tables), which
    msgspec would read as a plain one, so none is looked for."""
    if not isinstance(raw, Mapping):
        problems.error(file, "a case must be a table", None, f"cases[{index}]")
        return None
    label = _case_id(raw) or None
    stray: list[str] = []
    case = jsonread.read_parsed(raw, stray) if plain or not jsonread.flaws(raw) else None
    if case is not None and _bounds(case)[0] < EARLIEST_PLAUSIBLE:  # no-date (1900-01-01) or implausible
        case = None
    if case is None:  # read in detail below, naming any key the format does not know
        stray.append("Case")
    if case is None and (flawed := jsonread.flaws(raw)):  # (the fast reader refuses a Flawed table)
        for field, message in flawed:  # a key given twice, text that is not text: not read as meant
            problems.error(file, message, label, field if label is not None else f"cases[{index}].{field}")
        return None
    if stray:  # keys the format does not know: name each (a clean case skips this walk)
        for key in unknown_keys(raw, model.Case):
            where = key if label is not None else f"cases[{index}].{key}"
            problems.warning(file, "unknown key (not in version 1 of the format); ignored", label, where)
    if case is None:
        try:
            case = DETAILED.structure(raw, model.Case)
        except Exception as exc:  # noqa: BLE001 - cattrs raises a tree of the input's faults
            for field, message in structure_errors(exc):
                if label is None:  # no id to name the case by: say where it stands in the file
                    field = f"cases[{index}].{field}" if field else f"cases[{index}]"
                problems.error(file, message, label, field or None)
            return None
    return _accept(case, index, file, problems, extracted_on)


def _accept(
    case: model.Case, index: int, file: str, problems: _Problems, extracted_on: dt.date | None, latest: dt.date | None = None
) -> model.Case | None:
    """The case if the checks across its records find it sound, else None (the problems say why)."""
    if not case.case_id.strip():
        said = "empty" if not case.case_id else f"only spaces ({case.case_id!r})"
        problems.error(file, f"case_id is {said}: a case needs an id", None, f"cases[{index}].case_id")
        return None
    return case if _check_case(case, file, problems, extracted_on, latest) else None


def _read_cases(
    raw_cases: Sequence[Any], start: int, stop: int, found: _Problems | None = None, *, file: str,
    extracted_on: dt.date | None, plain: bool = False,
) -> Iterator[tuple[int, model.Case | None]]:
    """(index, case) for each of ``raw_cases[start:stop]``: the case, or None where it is rejected (the
    problems go to ``found``, or nowhere). A case_id seen earlier in the range is a duplicate, rejected."""
    found = _Problems() if found is None else found
    seen: set[str] = set()
    tally = raw_cases if isinstance(raw_cases, jsonread.Cases) else None
    for index in range(start, stop):
        raw = raw_cases[index]
        fast = None
        if raw.__class__ is jsonread.Raw:  # a JSON case not yet parsed: the fast reader first
            fast = jsonread.read_case(raw, tally)
            latest = None
            if fast is not None:
                earliest, latest = _bounds(fast)
                if earliest < EARLIEST_PLAUSIBLE:  # no-date (1900-01-01) or implausible: read in detail
                    fast = None
            if fast is None:
                raw = jsonread.parse(raw, tally)
        raw_id = fast.case_id if fast is not None else _case_id(raw)
        if raw_id is not None and not raw_id.strip():
            raw_id = None  # no id: said by _accept, not as a duplicate of another case with none
        if isinstance(raw_id, str) and raw_id in seen:
            found.error(file, f"duplicate case_id {raw_id!r}: a case_id must be unique in the file; this one is not audited", raw_id, "case_id")
            case = None
        elif fast is not None:
            case = _accept(fast, index, file, found, extracted_on, latest)
        else:
            case = _structure_case(raw, index, file, found, extracted_on, plain and raw.__class__ is dict)
        if isinstance(raw_id, str):
            seen.add(raw_id)
        yield index, case
    if tally is not None and (start, stop) == (0, len(raw_cases)):
        tally.done = True


def load_document(
    data: Any, file: str, progress: Progress | None = None, *, plain: bool = False
) -> tuple[model.Service | None, list[model.Case], int, list[InputProblem]]:
    """Cases of one parsed export: (service, cases, number rejected, problems). ``plain``: parsed by a
    reader that makes no :class:`~rules.load.jsonread.Flawed` table (TOML, tables), so none is looked for."""
    found = _Problems()
    if not isinstance(data, Mapping):
        found.error(file, "an export must be a table with format, version, service and cases")
        return None, [], 0, found
    top = jsonread.own_flaws(data, _TOP_KEYS)
    if top:  # "cases" twice: which list is the export cannot be told
        for field, message in top:
            found.error(file, f"{message}; the file is not read", None, field)
        return None, [], 0, found
    if data.get("format") != FORMAT:
        found.error(file, f"not a case export: format must be {FORMAT!r}", None, "format")
        return None, [], 0, found
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        found.error(file, f"version must be a whole number (this tool reads {SUPPORTED_VERSION})", None, "version")
        return None, [], 0, found
    if version > SUPPORTED_VERSION:
        found.warning(file, f"version {version} is newer than this tool ({SUPPORTED_VERSION}); reading what it knows", None, "version")
    for key in data.keys() - _TOP_KEYS:
        found.warning(file, "unknown key (not in version 1 of the format); ignored", None, key)
    service = None
    raw_service = data.get("service")
    flawed = jsonread.flaws(raw_service, model.Service, "service.") if raw_service.__class__ is not dict else ()
    if raw_service is None:
        found.error(file, "required key missing", None, "service")
    elif flawed:
        for field, message in flawed:
            found.error(file, message, None, field)
    else:
        for key in unknown_keys(raw_service, model.Service, "service.") if isinstance(raw_service, Mapping) else ():
            found.warning(file, "unknown key (not in version 1 of the format); ignored", None, key)
        try:
            service = DETAILED.structure(raw_service, model.Service)
        except Exception as exc:  # noqa: BLE001
            for field, message in structure_errors(exc):
                found.error(file, message, None, f"service.{field}" if field else "service")
    raw_cases = data.get("cases")
    if raw_cases is None:
        found.error(file, "required key missing", None, "cases")
        return service, [], 0, found
    if not isinstance(raw_cases, list):
        found.error(file, "cases must be a list", None, "cases")
        return service, [], 0, found
    extracted_on = service.extracted_on if service else None
    cases, rejected = [], 0
    total = len(raw_cases)
    for index, case in _read_cases(raw_cases, 0, total, found, file=file, extracted_on=extracted_on, plain=plain):
        if case is None:
            rejected += 1
        else:
            cases.append(case)
        if progress is not None and index % 500 == 499:
            progress(index + 1, total)
    if progress is not None:
        progress(total, total)
    return service, cases, rejected, found


def _exports(paths: Sequence[Path | str]) -> list[Path]:
    """The files to read, in order: a folder holding JSON exports and no tables is its ``*.json``
    files (by name); a file named twice (or by two names: a symbolic or hard link, ``./x.json``) is read once."""
    out: list[Path] = []
    seen: set = set()
    for path in map(Path, paths):
        expanded = [path]
        if path.is_dir():
            try:
                files = sorted((p for p in path.iterdir() if p.is_file()), key=lambda p: p.name)
            except OSError:
                files = []
            if not any(p.suffix.lower() in (".csv", ".tsv") for p in files):  # tables: a column map reads them
                exports = [p for p in files if p.suffix.lower() == ".json" and not p.name.startswith(".")]
                expanded = exports or expanded  # no JSON either: the table reader says what is missing
        for file in expanded:
            try:  # the same file, by its device and inode: a hard link is no second export either
                st = os.stat(file)
                key = ("file", st.st_dev, st.st_ino) if not os.path.isdir(file) else ("dir", os.path.realpath(file))
            except (OSError, ValueError):
                key = ("name", str(file))
            if key not in seen:
                seen.add(key)
                out.append(file)
    return out


def _load_tables(mapped, file: str, progress: Progress | None):
    """Cases of tables mapped to a document (:func:`rules.load.tables.tables_document`), as
    :func:`load_document` gives them, its problems told in the tables' terms."""
    document, retell, rejected_rows, problems = mapped
    if document is None:
        return None, [], rejected_rows, problems
    service, cases, rejected, found = load_document(document, file, progress, plain=True)
    problems.extend(told for told in map(retell, found) if told is not None)
    return service, cases, rejected + rejected_rows, problems


def load_paths(
    paths: Sequence[Path | str], progress: Progress | None = None, map_path: Path | str | None = None
) -> LoadResult:
    """Load every export; cases from all files form one caseload (first file's service).

    A folder of CSV files or an ``.xlsx`` workbook is read as tables through a column map
    (``map_path``, else one found beside the data): see :mod:`rules.load.tables`.
    """
    from rules.load.tables import is_table_source, tables_document  # only when tables are read

    problems = _Problems()
    cases: list[model.Case] = []
    sources: dict[str, str] = {}
    service = None
    rejected = 0
    read: list[str] = []
    extracted_on: list[dt.date | None] = []
    for path in _exports(paths):
        file = str(path)
        read.append(file)
        extracted_on.append(None)  # until the file's service is read
        if is_table_source(path):
            loaded = _load_tables(tables_document(path, map_path, read), file, progress)
        else:
            try:
                raw = _read_bytes(path)
                kind = _kind(path)
                data = (kind == "JSON" and jsonread.split(raw)) or _parse(_text(raw), kind)
                loaded = load_document(data, file, progress, plain=kind == "TOML")
                if not jsonread.whole(data):  # a key given twice, taken by the fast reader: read the
                    del data, loaded  # file again the slow way, which names it (and reads it as it is)
                    loaded = load_document(_parse(_text(raw), kind), file, progress)
                del raw
            except DocumentError as exc:
                problems.error(file, str(exc))
                continue
            except RecursionError:
                problems.error(file, f"not valid {kind}: nested too deeply")
                continue
            except ValueError:  # a number of thousands of digits, found case by case
                problems.error(file, f"not valid {kind}: a number too long to read")
                continue
        svc, file_cases, file_rejected, file_problems = loaded
        extracted_on[-1] = svc.extracted_on if svc else None
        problems.extend(file_problems)
        service = service or svc
        rejected += file_rejected
        for case in file_cases:
            if case.case_id in sources:
                problems.error(file, f"case_id {case.case_id!r} is also in {sources[case.case_id]}; only the first is audited", case.case_id, "case_id")
                rejected += 1
                continue
            sources[case.case_id] = file
            cases.append(case)
    service = service or model.Service(name="(unnamed service)")
    return LoadResult(
        model.Caseload(service, tuple(cases)), tuple(problems), rejected, sources, tuple(dict.fromkeys(read)),
        tuple(extracted_on),
    )
