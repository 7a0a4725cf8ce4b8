"""The column map: how a case management system's report extracts become the case export.

No case management system writes our JSON. What a service can get out of its system is a set of
report extracts: a folder of CSV files or an Excel workbook, one table a kind of record, with the
system's own column names, date styles and codes. A column map is a small TOML file, written once by
a data officer, that says which table and column holds each field of the case export
(``shared/spec/case-export.md``), how dates are written and how local codes translate to ours::

    [service]
    name = "Northshire YJS"                 # default: the folder's or the workbook's name
    yot_code = "NS01"
    extracted_on = 2026-11-20

    [read]                                  # how the tables are written; every key is optional
    dates = ["%d/%m/%Y", "excel"]           # date styles, tried in order (see below)
    true = ["Y", "Yes"]                     # what a yes looks like (default: Y, Yes, True, 1)
    false = ["N", "No"]                     # what a no looks like (default: N, No, False, 0)
    separator = ";"                         # splits a list field (default: ;)
    # encoding = "utf-8"                    # default: UTF-8 with or without BOM, else Windows-1252
    # delimiter = ";"                       # default: found from the header row (comma, semicolon, tab)

    [cases]
    table = "Case List"                     # the file "Case List.csv" in the folder, or the sheet "Case List"
    [cases.columns]                         # our field = "their column"
    case_id = "Case Ref"
    ypid = "Young Person ID"
    child.date_of_birth = "Date Of Birth"   # child.*, mappa.*, custody.* are columns of the cases table
    legal_outcome = "Order Type"
    start_date = "Order Start"
    [cases.codes.legal_outcome]             # "their value" = "OUR_CODE"
    "Referral Order" = "REFERRAL_ORDER"
    "YRO" = "YOUTH_REHABILITATION_ORDER"

    [assessments]
    table = "Assessments"
    [assessments.columns]
    case_id = "Case Ref"                    # every table names the case each row belongs to
    id = "Assessment No"
    kind = "Assessment Type"
    completed_on = "Date Completed"
    level = "Risk Level"
    [assessments.codes.level]
    "Med" = "MEDIUM"

The tables are ``cases``, ``assessments``, ``plans``, ``reviews``, ``events``, ``contacts``,
``enforcement``, ``oversight`` and ``victims``; only ``cases`` is required. Their fields are the keys
of the case export. Beside ``table`` and ``columns`` a table's section may hold:

- ``codes.FIELD``: local values and what they mean. A value not listed is still read if it is one of
  our codes, forgiving case and spaces: ``Referral Order`` reads as ``REFERRAL_ORDER`` with no line
  in the map. A code may also stand for a yes or no (``"Child attended" = true``) or a number.
- any key of ``[read]``, for that table only (one system's contact extract may write its dates
  differently);
- ``header_row = 3`` when the column names are not on the first row;
- ``fixed = { kind = "ROSH_SCREENING" }`` for a field the table does not hold because every row has
  the same value (a system that keeps each kind of assessment in its own report);
- several tables for one kind of record: write ``[[assessments]]`` once per table.

Date styles: a ``strftime`` pattern (``"%d/%m/%Y"`` for 15/06/2026, ``"%d-%b-%Y"`` for 15-Jun-2026),
``"excel"`` for Excel serial numbers (46188), ``"iso"`` for 2026-06-15. An ISO date and a real date
cell of a workbook are always read; a time after the date (``15/06/2026 00:00``) is ignored; the
"no date" values ``1900-01-01`` (in any style) and Excel's ``0`` read as absent.

Every column the map names must be in its table's header (matched ignoring case and repeated
spaces): a typo is reported, never silently read as "not recorded". Columns the map does not name are
ignored. With no map at all, tables and columns are expected under our own names (``cases.csv`` with
a ``case_id`` column, ...), dates in ISO.

A map of ``version = 2`` reads extracts as real systems write them (``examples/tabular/README.md``
describes every key, ``examples/tabular/casebook/`` is a worked example)::

    [read]
    not_recorded = ["Not Set", "N/K"]       # in any column: nothing recorded
    skip = ["Total*"]                       # a totals row is not data; the header is found by its names

    [person]                                # the child's details, joined on the person's id
    table = "People"
    columns = { person = "Person ID", "child.sex" = "Gender" }

    [cases]
    table = "Episodes"
    [cases.columns]
    case_id = ["Person ID", "Episode No"]   # a case key over several columns: "P1042/2"
    case_manager = { format = "{Worker Forename} {Worker Surname}" }
    child.diversity_needs = { ticked = { "SEN" = "special educational needs" } }

    [contacts]                              # no case: each row goes to the person's case holding its date
    table = "Contacts"
    columns = { person = "Person ID", id = "Contact ID", date = "Contact Date" }

Version 2 also puts a case's records in an order of their own (date, the system's id, content), so
rows in another order name their records the same. What it does to a table once its cells are read
(the header found, totals and footers left out, fields over several columns) is in
:mod:`rules.load.shape`; a map drafted from the tables themselves, in :mod:`rules.load.draft`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Collection, Mapping
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import attrs
from attrs import frozen

from rules import model
from rules.load.converter import NO_DATE
from rules.tomlfile import TomlFileError, read_toml

#: the name a map has when it is found beside the data
MAP_NAME = "yos-audit-map.toml"

#: kinds of table, in the order they are read, with the record class each row becomes
RECORDS: dict[str, type] = {
    "assessments": model.Assessment,
    "plans": model.Plan,
    "reviews": model.Review,
    "events": model.Event,
    "contacts": model.Contact,
    "enforcement": model.Enforcement,
    "oversight": model.Oversight,
    "victims": model.Victim,
}
KINDS = ("cases", *RECORDS)
#: the versions of the column map this tool reads
VERSIONS = (1, 2)
#: tables of one case that are columns of the cases table
NESTED: dict[str, type] = {"child": model.Child, "mappa": model.Mappa, "custody": model.Custody}

DEFAULT_TRUE = ("Y", "Yes", "True", "1")
DEFAULT_FALSE = ("N", "No", "False", "0")
DEFAULT_DATES = ("iso", "%d/%m/%Y")
#: day 0 of Excel's serial dates (the 1900 date system, as Excel counts it)
EXCEL_EPOCH = dt.date(1899, 12, 30)
_TIME = re.compile(r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[AaPp][Mm])?")
_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?")


class MapError(Exception):
    """A column map that cannot be used; ``messages`` says everything that is wrong with it."""

    def __init__(self, messages: list[str] | str, file: str | None = None):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        #: the map's file, when it came from one
        self.file = file
        super().__init__("; ".join(self.messages))


class CellError(ValueError):
    """A cell that cannot be read as its field; the message is shown to the user as it is."""


# -- the fields of each table -------------------------------------------------------------------


@frozen
class FieldSpec:
    """One field a column can hold: its dotted path in the case or record, and how to read it."""

    path: str
    kind: str  # text, date, bool, int, code
    many: bool = False  # a list, split on the separator
    enum: type[Enum] | None = None
    required: bool = False


def _spec(name: str, t: Any, required: bool) -> FieldSpec:
    many = typing.get_origin(t) is tuple
    if many:
        t = typing.get_args(t)[0]
    if isinstance(t, types.UnionType) or typing.get_origin(t) is typing.Union:
        t = next(a for a in typing.get_args(t) if a is not type(None))
    if isinstance(t, type) and issubclass(t, Enum):
        return FieldSpec(name, "code", many, t, required)
    kind = {str: "text", dt.date: "date", bool: "bool", int: "int"}[t]
    return FieldSpec(name, kind, many, None, required)


def _specs_of(cls: type, prefix: str = "") -> list[FieldSpec]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in attrs.fields(cls):
        t = hints[f.name]
        if f.name in NESTED and cls is model.Case:
            out.extend(_specs_of(NESTED[f.name], f"{f.name}."))
        elif f.name in RECORDS and cls is model.Case:
            continue
        else:
            out.append(_spec(prefix + f.name, t, f.default is attrs.NOTHING))
    return out


@cache
def fields_of(kind: str) -> dict[str, FieldSpec]:
    """The fields a table of this kind can map, by dotted path; every table also has ``case_id``."""
    if kind == "cases":
        specs = _specs_of(model.Case)
    elif kind == PERSON:
        specs = [s for s in _specs_of(model.Case) if s.path.startswith(PERSON_FIELDS)]
    else:
        specs = [FieldSpec("case_id", "text", required=True), *_specs_of(RECORDS[kind])]
    return {s.path: s for s in specs}


# -- the map ------------------------------------------------------------------------------------


@frozen
class ReadOptions:
    dates: tuple[str, ...] = DEFAULT_DATES
    true: tuple[str, ...] = DEFAULT_TRUE
    false: tuple[str, ...] = DEFAULT_FALSE
    separator: str = ";"
    encoding: str | None = None
    delimiter: str | None = None
    #: version 2: the row of the column names (None: found by the map's column names)
    header_row: int | None = 1
    #: version 2: values that mean "not recorded" in any column, matched ignoring case and spaces
    not_recorded: tuple[str, ...] = ()
    #: version 2: a row whose first filled cell matches one of these (``*`` for any text) is not data
    skip: tuple[str, ...] = ()

    @property
    def date_styles(self) -> str:
        """The styles as a reader would say them: ``dd/mm/yyyy or an Excel serial number``."""
        return " or ".join(describe_style(s) for s in self.dates)


_READ_KEYS = {f.name for f in attrs.fields(ReadOptions)}
#: keys of ``[read]`` (and of a table's section) that only a version 2 map has
V2_READ_KEYS = {"header_row", "not_recorded", "skip"}


@frozen
class Template:
    """A field written from several columns: ``{ format = "{Forename} {Surname}" }`` (version 2)."""

    format: str
    #: the columns named in the format, in order
    columns: tuple[str, ...]

    def fill(self, cells: Mapping[str, str | None]) -> str | None:
        """The format with each column's text; None when every column is empty. What an empty column
        leaves (a dangling ``, ``, doubled spaces) is tidied away."""
        if all(cells.get(c) is None for c in self.columns):
            return None
        text = _PLACEHOLDER.sub(lambda m: cells.get(m.group(1)) or "", self.format)
        text = " ".join(text.split())
        return text.strip(" ,;/-") or None


@frozen
class Ticks:
    """A list field from tick-box columns: ``{ ticked = { "SEN" = "special educational needs" } }``:
    each column whose cell reads as yes adds its item (version 2)."""

    #: (their column, our item), in the map's order
    items: tuple[tuple[str, Any], ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.items)


_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

#: what a table that places its rows by person and date reads as the date, by kind: the first present
RECORD_DATES: dict[str, tuple[str, ...]] = {
    "assessments": ("completed_on", "started_on"),
    "plans": ("created_on",),
    "reviews": ("date",),
    "events": ("date",),
    "contacts": ("date",),
    "enforcement": ("date",),
    "oversight": ("date",),
    "victims": ("identified_on",),
}
#: the table of people (version 2): child details and ypid, joined to the cases on the person's id
PERSON = "person"
PERSON_FIELDS = ("ypid", "child.")


@frozen
class Source:
    """One table read as one kind of record."""

    kind: str
    table: str
    #: our field (dotted path) -> their column, as written in the map (one column each)
    columns: Mapping[str, str]
    #: our field -> {their value: our value}
    codes: Mapping[str, Mapping[str, Any]] = {}
    #: our field -> the value every row has
    fixed: Mapping[str, Any] = {}
    read: ReadOptions = ReadOptions()
    #: the row of the column names; None: found by the map's column names (version 2)
    header_row: int | None = 1
    #: the map's words for this table, for messages: ``[assessments]``
    section: str = ""
    version: int = 1
    #: the columns of the case key, when it is more than one (version 2: person id and episode)
    key: tuple[str, ...] = ()
    #: the column of the person's id (version 2): joins the person table, places rows by date
    person: str | None = None
    #: fields made from several columns (version 2)
    derived: Mapping[str, Template | Ticks] = {}
    #: list fields with their own separator (version 2)
    separators: Mapping[str, str] = {}
    #: the system's id of a record the case export has no id for (version 2, contacts' "Contact ID"):
    #: it orders the records, never row order
    system_id: str | None = None
    #: a table that names only the person: the field whose date places each row in a case (version 2)
    attach_by: tuple[str, ...] = ()

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The columns naming the case of a row: one, several, or none (a table placed by person)."""
        if self.key:
            return self.key
        return (self.columns["case_id"],) if "case_id" in self.columns else ()

    def wanted(self) -> set[str]:
        """Every column the map names in this table (as written)."""
        names = set(self.columns.values()) | set(self.key)
        if self.person:
            names.add(self.person)
        if self.system_id:
            names.add(self.system_id)
        for d in self.derived.values():
            names.update(d.columns)
        return names


@frozen
class ColumnMap:
    sources: tuple[Source, ...]
    service: Mapping[str, Any] = {}
    #: where it came from (None: the built-in map of our own names)
    file: str | None = None
    #: a map written by someone: every column it names must exist. The built-in map reads what is there.
    strict: bool = True
    version: int = 1

    def of(self, kind: str) -> tuple[Source, ...]:
        return tuple(s for s in self.sources if s.kind == kind)


def _suggest(word: str, choices: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _flatten(table: Mapping, prefix: str = "") -> dict[str, Any]:
    """``{"child": {"sex": "Gender"}}`` -> ``{"child.sex": "Gender"}`` (dotted keys in TOML nest)."""
    out = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _flatten_codes(table: Mapping, prefix: str = "") -> dict[str, dict[str, Any]]:
    """Codes by field: a table whose values are not all tables is one field's translations."""
    out = {}
    for key, value in table.items():
        if not isinstance(value, Mapping):
            continue  # reported by the caller
        if value and all(isinstance(v, Mapping) for v in value.values()):
            out.update(_flatten_codes(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = dict(value)
    return out


def _strings(value: Any, where: str, errors: list[str]) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return tuple(value)
    errors.append(f"{where} must be text or a list of text")
    return None


def _read_options(table: Mapping, base: ReadOptions, where: str, errors: list[str], version: int = 1) -> ReadOptions:
    changes: dict[str, Any] = {}
    for key in ("dates", "true", "false"):
        if key in table:
            values = _strings(table[key], f"{where} {key}", errors)
            if values is not None:
                changes[key] = values
    for style in changes.get("dates", ()):
        if style not in ("iso", "excel") and "%" not in style:
            errors.append(f"{where} dates: {style!r} is not a date style "
                          '(a strftime pattern such as "%d/%m/%Y", "excel" or "iso")')
    for key in ("separator", "encoding", "delimiter"):
        if key in table:
            value = table[key]
            if not isinstance(value, str) or not value:
                errors.append(f"{where} {key} must be text")
            elif key == "delimiter" and len(value) != 1:
                errors.append(f"{where} delimiter must be one character, not {value!r}")
            elif key == "encoding":
                try:
                    "".encode(value)
                except LookupError:
                    errors.append(f"{where} encoding: unknown encoding {value!r}")
                else:
                    changes[key] = value
            else:
                changes[key] = value
    both = set(map(str.casefold, changes.get("true", base.true))) & set(map(str.casefold, changes.get("false", base.false)))
    if both:
        errors.append(f"{where} true and false share {sorted(both)}")
    if version >= 2:
        changes.update(_read_options_v2(table, where, errors))
    return attrs.evolve(base, **changes)


def _read_options_v2(table: Mapping, where: str, errors: list[str]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key in ("not_recorded", "skip"):
        if key in table:
            value = table[key]
            if isinstance(value, list) and not value:
                changes[key] = ()  # a table may say: none here
                continue
            values = _strings(value, f"{where} {key}", errors)
            if values is not None:
                changes[key] = values
    if "header_row" in table:
        row = table["header_row"]
        if row == "find":
            changes["header_row"] = None
        elif isinstance(row, bool) or not isinstance(row, int) or row < 1:
            errors.append(f'{where} header_row must be a row number (1 for the first row), or "find"')
        else:
            changes["header_row"] = row
    return changes


_SOURCE_KEYS = {"table", "columns", "codes", "fixed", "header_row"} | (_READ_KEYS - V2_READ_KEYS)
#: what a version 2 section may say beside those
_SOURCE_KEYS_V2 = _SOURCE_KEYS | V2_READ_KEYS | {"attach_by"}
#: what a column of a version 2 map may be besides a column's name
_COLUMN_FORMS = ("column", "separator", "format", "ticked")


def _fixed_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _fixed_problem(value: Any, spec: FieldSpec) -> str | None:
    """What is wrong with a value the map fixes for every row (it is written as the export writes it)."""
    if spec.many:
        if not isinstance(value, list):
            return "expected a list"
        one = attrs.evolve(spec, many=False)
        return next((p for p in (_fixed_problem(v, one) for v in value) if p), None)
    if spec.kind == "code" and value not in _members(spec.enum):
        return f"not one of our codes ({', '.join(m.value for m in spec.enum)})"
    if spec.kind == "bool" and not isinstance(value, bool):
        return "expected true or false"
    if spec.kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        return "expected a whole number"
    if spec.kind == "text" and not isinstance(value, str):
        return "expected text"
    if spec.kind == "date":
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return "expected a date (2026-06-15)"
    return None


def _flatten_columns(table: Mapping, known: Collection[str], prefix: str = "") -> dict[str, Any]:
    """As :func:`_flatten`, but a field's value may itself be a table (``{ format = "..." }``)."""
    out = {}
    for key, value in table.items():
        path = prefix + key
        if isinstance(value, Mapping) and path not in known:
            out.update(_flatten_columns(value, known, f"{path}."))
        else:
            out[path] = value
    return out


def _column_v2(kind: str, field: str, value: Any, spec: FieldSpec | None, where: str, errors: list[str],
               out: dict[str, Any]) -> None:
    """One line of a version 2 ``columns`` table, into ``out`` (columns, key, derived, separators)."""
    if isinstance(value, str):
        if value.strip():
            out["columns"][field] = value
        else:
            errors.append(f"{where} columns: {field} must name a column, as text")
        return
    if isinstance(value, list):
        if field != "case_id":
            errors.append(f"{where} columns: {field}: a list of columns is only for case_id (a key over several "
                          'columns); a name from several columns is { format = "{Forename} {Surname}" }')
        elif len(value) < 2 or not all(isinstance(v, str) and v.strip() for v in value):
            errors.append(f'{where} columns: case_id must name a column, or two or more as a list (["Person ID", "Episode No"])')
        elif len(set(map(_casefold_name, value))) < len(value):
            errors.append(f"{where} columns: case_id names a column twice")
        else:
            out["key"] = tuple(value)
        return
    if not isinstance(value, Mapping):
        errors.append(f"{where} columns: {field} must name a column, as text")
        return
    for key in value.keys() - set(_COLUMN_FORMS):
        errors.append(f"{where} columns: {field} has an unknown key {key!r}{_suggest(key, _COLUMN_FORMS)}")
    forms = [k for k in ("column", "format", "ticked") if k in value]
    if len(forms) != 1:
        errors.append(f'{where} columns: {field} must say one of column = "...", format = "..." or ticked = {{ ... }}')
        return
    form = forms[0]
    if spec is None or field in ("case_id", "person", "id"):
        errors.append(f"{where} columns: {field} is read from one column, as text")
        return
    if "separator" in value:
        sep = value["separator"]
        if not spec.many:
            errors.append(f"{where} columns: {field} is not a list: separator is for list fields")
        elif form == "ticked":
            errors.append(f"{where} columns: {field}: a separator is for one column; ticked columns need none")
        elif not isinstance(sep, str) or not sep:
            errors.append(f"{where} columns: {field} separator must be text")
        else:
            out["separators"][field] = sep
    if form == "column":
        column = value["column"]
        if not isinstance(column, str) or not column.strip():
            errors.append(f"{where} columns: {field} column must name a column, as text")
        else:
            out["columns"][field] = column
    elif form == "format":
        text = value["format"]
        names = tuple(m.group(1) for m in _PLACEHOLDER.finditer(text)) if isinstance(text, str) else ()
        if spec.kind != "text" or spec.many:
            errors.append(f"{where} columns: {field} is not text: format makes text (a name) from several columns")
        elif not names:
            errors.append(f'{where} columns: {field} format must name columns in braces: "{{Forename}} {{Surname}}"')
        else:
            out["derived"][field] = Template(text, names)
    else:
        ticked = value["ticked"]
        if not spec.many:
            errors.append(f"{where} columns: {field} is not a list: ticked is for list fields (diversity needs, ...)")
        elif not isinstance(ticked, Mapping) or not ticked:
            errors.append(f'{where} columns: {field} ticked must be a table of: "their column" = "the item it stands for"')
        else:
            one = attrs.evolve(spec, many=False)
            items = []
            for column, item in ticked.items():
                item = _fixed_value(item)
                problem = _fixed_problem(item, one) if spec.kind != "text" else None
                if spec.kind == "code" and isinstance(item, str) and _norm_code(item) in _members(spec.enum):
                    problem = None  # our code in words: "Safeguarding"
                if isinstance(item, (Mapping, list)):
                    problem = "must be one item"
                if problem:
                    errors.append(f"{where} columns: {field} ticked {column!r} = {item!r}: {problem}")
                else:
                    items.append((column, item))
            out["derived"][field] = Ticks(tuple(items))


def _casefold_name(name: str) -> str:
    return " ".join(str(name).split()).casefold()


def _source(kind: str, table: Any, where: str, base: ReadOptions, errors: list[str], version: int = 1) -> Source | None:
    if not isinstance(table, Mapping):
        errors.append(f"{where} must be a table")
        return None
    allowed = _SOURCE_KEYS_V2 if version >= 2 else _SOURCE_KEYS
    for key in table.keys() - allowed:
        if version < 2 and key in _SOURCE_KEYS_V2:
            errors.append(f"{where} {key}: a key of version 2 maps (write version = 2 at the top of the map)")
        else:
            errors.append(f"{where} has an unknown key {key!r}{_suggest(key, allowed)}")
    name = table.get("table")
    if not isinstance(name, str) or not name.strip():
        errors.append(f'{where} table must name the file or sheet that holds it (table = "{kind}")')
        name = kind
    known = fields_of(kind)
    raw_columns = table.get("columns", {})
    if not isinstance(raw_columns, Mapping):
        errors.append(f"{where} columns must be a table of: our field = \"their column\"")
        raw_columns = {}
    columns: dict[str, str] = {}
    parts: dict[str, Any] = {"columns": columns, "key": (), "derived": {}, "separators": {}}
    if version >= 2:
        pseudo = {"person"} | ({"case_id"} if kind != PERSON else set())
        if kind in RECORDS and "id" not in known:
            pseudo.add("id")
        for field, column in _flatten_columns(raw_columns, set(known) | pseudo).items():
            if field not in known and field not in pseudo:
                errors.append(f"{where} columns: {field!r} is not a field of {kind}"
                              f"{_suggest(field, [*known, *pseudo])}")
            else:
                _column_v2(kind, field, column, known.get(field), where, errors, parts)
    else:
        for field, column in _flatten(raw_columns).items():
            if field not in known:
                errors.append(f"{where} columns: {field!r} is not a field of {kind}{_suggest(field, known)}")
            elif not isinstance(column, str) or not column.strip():
                errors.append(f"{where} columns: {field} must name a column, as text")
            else:
                columns[field] = column
    person = columns.pop("person", None)
    system_id = columns.pop("id", None) if kind in RECORDS and "id" not in known else None
    derived, separators, key = parts["derived"], parts["separators"], parts["key"]
    raw_fixed = table.get("fixed", {})
    if not isinstance(raw_fixed, Mapping):
        errors.append(f"{where} fixed must be a table of: our field = value")
        raw_fixed = {}
    fixed = {}
    for field, value in _flatten(raw_fixed).items():
        if field not in known:
            errors.append(f"{where} fixed: {field!r} is not a field of {kind}{_suggest(field, known)}")
        elif field in columns or field in derived:
            errors.append(f"{where} fixed: {field} is also read from a column; keep one of the two")
        else:
            value = _fixed_value(value)
            problem = _fixed_problem(value, known[field])
            if problem:
                errors.append(f"{where} fixed: {field} = {value!r}: {problem}")
            fixed[field] = value
    if kind == PERSON:
        if person is None:
            errors.append(f'{where} columns must name the person id column (person = "..."): it joins the cases')
    elif "case_id" not in columns and not key and (version < 2 or kind == "cases" or person is None):
        if version >= 2 and kind != "cases":
            errors.append(f'{where} columns must name the case id column (case_id = "..."), or the person\'s '
                          '(person = "...") to place each row in the case whose dates hold it')
        else:
            errors.append(f'{where} columns must name the case id column (case_id = "...")')
    if key and person is None and kind == "cases":
        person = key[0]  # a key of person and episode: the person is its first column
    raw_codes = table.get("codes", {})
    if not isinstance(raw_codes, Mapping):
        errors.append(f"{where} codes must hold one table a field: [{where.strip('[]')}.codes.FIELD]")
        raw_codes = {}
    codes = {}
    for field, mapping in _flatten_codes(raw_codes).items():
        if field not in known:
            errors.append(f"{where} codes: {field!r} is not a field of {kind}{_suggest(field, known)}")
            continue
        spec = known[field]
        for local, ours in mapping.items():
            if isinstance(ours, (Mapping, list)):
                errors.append(f"{where} codes.{field}: {local!r} must translate to one value")
            elif spec.kind == "code" and ours not in _members(spec.enum):
                allowed_codes = ", ".join(m.value for m in spec.enum)
                errors.append(f"{where} codes.{field}: {local!r} = {ours!r} is not one of our codes ({allowed_codes})")
        codes[field] = {str(k): _fixed_value(v) for k, v in mapping.items()}
    for key_name in raw_codes:
        if not isinstance(raw_codes[key_name], Mapping):
            errors.append(f"{where} codes.{key_name} must be a table of: \"their value\" = \"OUR_CODE\"")
    if version >= 2:
        read = _read_options(table, base, where, errors, version)
        header_row = read.header_row
    else:
        header_row = table.get("header_row", 1)
        if isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1:
            errors.append(f"{where} header_row must be a row number (1 for the first row)")
            header_row = 1
        read = _read_options(table, base, where, errors)
    attach_by: tuple[str, ...] = ()
    if "attach_by" in table:
        dates = [f for f, spec in known.items() if spec.kind == "date" and not spec.many]
        value = table["attach_by"]
        if kind not in RECORDS or "case_id" in columns or key:
            errors.append(f"{where} attach_by: only for a table that names the person and not the case "
                          "(its rows are placed in a case by this date)")
        elif value not in dates:
            errors.append(f"{where} attach_by must be a date field of {kind} ({', '.join(dates)})"
                          f"{_suggest(str(value), dates)}")
        else:
            attach_by = (value,)
    elif kind in RECORDS and version >= 2 and person is not None and "case_id" not in columns and not key:
        attach_by = RECORD_DATES[kind]
    return Source(kind, name.strip(), columns, codes, fixed, read, header_row, where, version, key, person,
                  derived, separators, system_id, attach_by)


def parse_map(data: Mapping, file: str | None = None) -> ColumnMap:
    """A column map from parsed TOML, or :class:`MapError` listing everything wrong with it."""
    errors: list[str] = []
    version = data.get("version", 1)
    if isinstance(version, bool) or version not in VERSIONS:
        errors.append(f"version must be 1 or 2 (the column maps this tool reads), not {version!r}")
        version = 1
    allowed = {"version", "service", "read", *KINDS} | ({PERSON} if version >= 2 else set())
    for key in data.keys() - allowed:
        if key == PERSON:
            errors.append("[person] is a table of version 2 maps (write version = 2 at the top of the map)")
        else:
            errors.append(f"unknown section [{key}]{_suggest(key, allowed)}")
    service = data.get("service", {})
    if not isinstance(service, Mapping):
        errors.append("[service] must be a table: name, yot_code, extracted_on")
        service = {}
    service_keys = {f.name for f in attrs.fields(model.Service)}
    for key in service.keys() - service_keys:
        errors.append(f"[service] has an unknown key {key!r}{_suggest(key, service_keys)}")
    service = {k: _fixed_value(v) for k, v in service.items()}
    raw_read = data.get("read", {})
    if not isinstance(raw_read, Mapping):
        errors.append("[read] must be a table")
        raw_read = {}
    read_keys = _READ_KEYS if version >= 2 else _READ_KEYS - V2_READ_KEYS
    for key in raw_read.keys() - read_keys:
        if key in _READ_KEYS:
            errors.append(f"[read] {key}: a key of version 2 maps (write version = 2 at the top of the map)")
        else:
            errors.append(f"[read] has an unknown key {key!r}{_suggest(key, read_keys)}")
    base = ReadOptions(header_row=None) if version >= 2 else ReadOptions()
    base = _read_options(raw_read, base, "[read]", errors, version)
    sources = []
    for kind in (*KINDS, PERSON):
        section = data.get(kind)
        if section is None or (kind == PERSON and version < 2):
            continue
        if isinstance(section, list):
            for i, table in enumerate(section):
                source = _source(kind, table, f"[[{kind}]] ({i + 1})", base, errors, version)
                if source is not None:
                    sources.append(source)
        else:
            source = _source(kind, section, f"[{kind}]", base, errors, version)
            if source is not None:
                sources.append(source)
    if "cases" not in data:
        errors.append('[cases] is required: table = "..." and its [cases.columns]')
    if version >= 2:
        _check_joins(sources, errors)
    if errors:
        raise MapError(errors)
    return ColumnMap(tuple(sources), service, file, strict=True, version=version)


def _check_joins(sources: list[Source], errors: list[str]) -> None:
    """What one table of a version 2 map says of another: the same case key, a person to join on."""
    cases = [s for s in sources if s.kind == "cases"]
    if not cases:
        return
    width = len(cases[0].key_columns)
    for source in cases[1:]:
        if len(source.key_columns) != width:
            errors.append(f"{source.section} columns: case_id names {len(source.key_columns)} columns, but "
                          f"{cases[0].section}'s names {width}: every cases table has the same key")
    has_person = all(s.person for s in cases)
    shown = " + ".join(repr(c) for c in cases[0].key_columns)
    for source in sources:
        if source.kind in ("cases", PERSON):
            continue
        n = len(source.key_columns)
        if n and n != width:
            errors.append(f"{source.section} columns: case_id names {n} column{'s' if n > 1 else ''}, but the case key of "
                          f"{cases[0].section} is {shown}: name as many, or name only the person (person = \"...\") "
                          "to place each row in the case whose dates hold it")
        if not n and source.person and not has_person:
            errors.append(f"{source.section} places its rows by person, but {cases[0].section} names no person column "
                          '(person = "..." in its columns, or a case_id of person and episode)')
    people = [s for s in sources if s.kind == PERSON]
    if people and not has_person:
        errors.append(f'[person] is joined to the cases on the person id, but {cases[0].section} names no person column '
                      '(person = "..." in its columns, or a case_id of person and episode)')
    for person in people:
        for field in [*person.columns, *person.derived, *person.fixed]:
            for source in cases:
                if field in source.columns or field in source.derived or field in source.fixed:
                    errors.append(f"{person.section} columns: {field} is also read from {source.section}; keep one of the two")


def read_map(path: Path) -> ColumnMap:
    """The column map in a TOML file, or :class:`MapError`."""
    try:
        return _read_map(path)
    except MapError as exc:
        raise MapError(exc.messages, str(path)) from None


def _read_map(path: Path) -> ColumnMap:
    try:
        data = read_toml(path, "column map")
    except TomlFileError as exc:
        raise MapError(str(exc)) from None
    return parse_map(data, str(path))


def default_map() -> ColumnMap:
    """Tables and columns under our own names (``cases.csv`` with ``case_id``, ``child.sex``, ...)."""
    sources = tuple(
        Source(kind, kind, {f: f for f in fields_of(kind)}, section=f"[{kind}]") for kind in KINDS
    )
    return ColumnMap(sources, {}, None, strict=False)


# -- reading one cell ---------------------------------------------------------------------------


def describe_style(style: str) -> str:
    if style == "iso":
        return "yyyy-mm-dd"
    if style == "excel":
        return "an Excel serial number"
    words = {"%d": "dd", "%m": "mm", "%Y": "yyyy", "%y": "yy", "%b": "Mon", "%B": "Month",
             "%H": "hh", "%M": "mm", "%S": "ss", "%I": "hh", "%p": "AM/PM", "%e": "d"}
    return re.sub(r"%[A-Za-z]", lambda m: words.get(m.group(), m.group()), style)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def cell_text(value: Any) -> str | None:
    """What a cell holds, as text; None when it is empty. Whole numbers lose a spreadsheet's ``.0``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def excel_serial(number: float, epoch: dt.date = EXCEL_EPOCH) -> dt.date | None:
    """An Excel serial day number; 0 and 1 (00/01/1900 and 01/01/1900) read as absent."""
    days = int(number)
    if epoch == EXCEL_EPOCH:
        if days in (0, 1):
            return None
        if days == 60:
            raise CellError("not a date: Excel's serial 60 is 29/02/1900, which never was")
        if days < 60:
            days += 1  # Excel counts 1900 as a leap year
    if days < 0:
        raise CellError(f"not a date: {_shown(number)}")
    try:
        return epoch + dt.timedelta(days=days)
    except OverflowError:
        raise CellError(f"not a date: {_shown(number)}") from None


def read_date(value: Any, read: ReadOptions, epoch: dt.date = EXCEL_EPOCH) -> dt.date | None:
    """A date from a cell in the map's styles; None for "no date". :class:`CellError` when unreadable."""
    if isinstance(value, dt.datetime):
        day = value.date()
        return None if day == NO_DATE else day
    if isinstance(value, dt.date):
        return None if value == NO_DATE else value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "excel" in read.dates:
            return excel_serial(value, epoch)
        raise CellError(f"not a date in the style {read.date_styles}: {_shown(value)} "
                        '(add "excel" to dates in the map if these are Excel serial numbers)')
    text = cell_text(value)
    if text is None:
        return None
    iso = _ISO.fullmatch(text)
    if iso:
        try:
            day = dt.date.fromisoformat(iso.group(1))
        except ValueError:
            raise CellError(f"not a date: {_shown(text)}") from None
        return None if day == NO_DATE else day
    candidates = [text]
    head, _, tail = text.partition(" ")
    if tail and _TIME.fullmatch(tail.strip()):
        candidates.append(head)  # 15/06/2026 00:00: the time of a date column is not wanted
    for candidate in candidates:
        for style in read.dates:
            if style == "iso":
                continue
            if style == "excel":
                if _NUMBER.fullmatch(candidate):
                    return excel_serial(float(candidate), epoch)
                continue
            day = _strptime(candidate, style)
            if day is not None:
                return None if day == NO_DATE else day
    raise CellError(f"not a date in the style {read.date_styles}: {_shown(text)}")


@cache
def _members(enum: type[Enum]) -> frozenset[str]:
    return frozenset(m.value for m in enum)


@lru_cache(maxsize=1 << 16)
def _strptime(text: str, style: str) -> dt.date | None:
    """A date in a strftime style, or None; cached, since a caseload holds few distinct days."""
    try:
        return dt.datetime.strptime(text, style).date()
    except ValueError:
        return None


def _norm_code(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip()).upper()


def translate(text: str, codes: Mapping[str, Any] | None) -> Any:
    """Their value -> the map's translation, matched exactly, then ignoring case; else the text."""
    if not codes:
        return text
    if text in codes:
        return codes[text]
    folded = text.casefold()
    for local, ours in codes.items():
        if local.strip().casefold() == folded:
            return ours
    return text


def split_items(text: str, separator: str) -> list[str]:
    """A list cell's items (version 2): split on the separator, except inside an item written in double
    quotes (``"speech, language and communication needs", SEN``; ``""`` is a quote within one)."""
    items: list[str] = []
    buf: list[str] = []
    quoted = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if quoted:
            if c == '"':
                if text.startswith('""', i):
                    buf.append('"')
                    i += 2
                    continue
                quoted = False
            else:
                buf.append(c)
            i += 1
        elif text.startswith(separator, i):
            items.append("".join(buf))
            buf = []
            i += len(separator)
        elif c == '"' and not "".join(buf).strip():
            quoted = True
            buf = []
            i += 1
        else:
            buf.append(c)
            i += 1
    items.append("".join(buf))
    return [item.strip() for item in items if item.strip()]


@lru_cache(maxsize=64)
def _folded(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(" ".join(w.split()).casefold() for w in words)


@lru_cache(maxsize=1 << 16)
def _absent(text: str, words: tuple[str, ...]) -> bool:
    """``text`` is one of ``words``, ignoring case and spaces (cached: a table repeats its values)."""
    return " ".join(text.split()).casefold() in _folded(words)


def not_recorded(value: Any, read: ReadOptions) -> bool:
    """True when a cell holds one of the map's words for "not recorded" (ignoring case and spaces)."""
    if not read.not_recorded or value is None:
        return False
    if value.__class__ is str:
        return _absent(value, read.not_recorded)
    if isinstance(value, (bool, dt.date)):
        return False
    text = cell_text(value)
    return text is not None and _absent(text, read.not_recorded)


#: words systems write for a value never set (what ``init --map`` offers as ``not_recorded``)
NOT_RECORDED_WORDS = frozenset({"not set", "unknown", "n/k", "nk", "not known", "not recorded", "n/a", "na", "-",
                                "none", "?", "not stated", "blank"})


def _absent_hint(text: str | None, source: Source) -> str:
    """How the map says that a word means "not recorded": a line that works in this map."""
    if text is None or any(c.isdigit() for c in text):
        return ""
    line = f"not_recorded = [{_toml_text(text)}] under [read]"
    if source.version < 2:
        line = f"version = 2 at the top of the map and {line}"
    return f"; if it means not recorded: {line}"


def _toml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_value(value: Any, spec: FieldSpec, source: Source, epoch: dt.date = EXCEL_EPOCH) -> Any:
    """One cell as the export's JSON value (ISO text for a date); None when empty or "no date".
    A list field may also be given its items already split (tick-box columns)."""
    if spec.many:
        if isinstance(value, (list, tuple)):
            items = list(value)
        else:
            text = cell_text(value)
            if text is None:
                return None
            separator = source.separators.get(spec.path, source.read.separator)
            if source.version >= 2:
                items = split_items(text, separator)
            else:
                items = [part.strip() for part in text.split(separator)]
                items = [part for part in items if part]
        one = attrs.evolve(spec, many=False)
        out = []
        for item in items:
            item_value = _read_one(item, one, source, epoch)
            if item_value is not None:
                out.append(item_value)
        return out or None
    return _read_one(value, spec, source, epoch)


def _read_one(value: Any, spec: FieldSpec, source: Source, epoch: dt.date) -> Any:
    codes = source.codes.get(spec.path)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if codes and not isinstance(value, (dt.date, dt.datetime)):
        text = cell_text(value)
        translated = translate(text, codes) if text is not None else None
        if translated is not text:
            value = translated
    if source.read.not_recorded and not_recorded(value, source.read):
        return None
    if spec.kind == "text":
        return cell_text(value)
    if spec.kind == "date":
        try:
            day = read_date(value, source.read, epoch)
        except CellError as exc:
            raise CellError(f"{exc}{_absent_hint(cell_text(value), source)}") from None
        return None if day is None else day.isoformat()
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        text = cell_text(value)
        folded = text.casefold()
        if folded in map(str.casefold, source.read.true):
            return True
        if folded in map(str.casefold, source.read.false):
            return False
        yes = "/".join(source.read.true)
        no = "/".join(source.read.false)
        raise CellError(f"expected yes ({yes}) or no ({no}), got {_shown(text)}{_absent_hint(text, source)}")
    if spec.kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = cell_text(value)
        if re.fullmatch(r"[0-9]+(\.0*)?", text):
            return int(float(text))
        raise CellError(f"expected a whole number, got {_shown(text)}{_absent_hint(text, source)}")
    # a code
    members = _members(spec.enum)
    if isinstance(value, str) and value in members:
        return value
    text = cell_text(value)
    guess = _norm_code(text) if text is not None else None
    if guess in members:
        return guess
    allowed = ", ".join(sorted(members))
    hint = f"[{source.kind}.codes.{spec.path}]" if "." not in spec.path else f'[{source.kind}.codes."{spec.path}"]'
    local = f"; this map translates {', '.join(map(repr, codes))}" if codes else ""
    if text is not None and " ".join(text.split()).casefold() in NOT_RECORDED_WORDS:
        absent = _absent_hint(text, source).removeprefix("; ")  # a word for nothing: that line first
        raise CellError(f"unknown code {_shown(text)} ({absent}; else a line for it under {hint} naming the "
                        f"code it stands for, one of {allowed}{local})")
    close = difflib.get_close_matches(guess or "", sorted(members), n=1, cutoff=0.5)
    example = close[0] if close else "OTHER" if "OTHER" in members else min(members)
    raise CellError(f"unknown code {_shown(text)} (expected one of {allowed}, or a line for it under {hint} "
                    f"naming the code it stands for, such as {_toml_text(text)} = \"{example}\"{local}"
                    f"{_absent_hint(text, source)})")


# -- writing one cell (the way back, for examples and tests) ------------------------------------


def write_value(value: Any, spec: FieldSpec, source: Source, excel: bool = False) -> Any:
    """A model value as this map's system would write it; ``excel``: dates stay dates for a workbook."""
    if value is None or value == ():
        return None
    if spec.many:
        one = attrs.evolve(spec, many=False)
        joiner = source.read.separator if source.read.separator.isspace() else source.read.separator + " "
        return joiner.join(str(write_value(v, one, source)) for v in value)
    codes = source.codes.get(spec.path) or {}
    plain = value.value if isinstance(value, Enum) else value
    for local, ours in codes.items():
        if ours == plain and type(ours) is type(plain):
            return local
    if spec.kind == "date":
        if excel:
            return value
        style = next((s for s in source.read.dates if s != "excel"), "iso")
        return value.isoformat() if style == "iso" else value.strftime(style)
    if spec.kind == "bool":
        return source.read.true[0] if value else source.read.false[0]
    if spec.kind == "int":
        return value if excel else str(value)
    return plain


# -- a starting map -----------------------------------------------------------------------------

_TEMPLATE_HEAD = '''\
# yos-audit column map: how this service's report extracts become the case export.
#
# Point yos-audit at a folder of CSV files or at an Excel workbook (one sheet a table):
#     yos-audit validate extracts/ --map yos-audit-map.toml
#     yos-audit convert extracts/ --map yos-audit-map.toml -o caseload.json
# A map named yos-audit-map.toml in that folder (or beside the workbook) is found without --map.
#
# Each [table] below says which file (or sheet) holds that kind of record, and under [table.columns]
# which of its columns holds each of our fields:   our_field = "Their Column Name"
# Right-hand sides are placeholders: put your system's column names there, and delete the line of a
# field your system does not record. A column named here but missing from the table is reported, so a
# typo never passes silently as "not recorded". Every table names the case of each row (case_id).
# Codes: under [table.codes.FIELD] write "Their value" = "OUR_CODE". Values that already read as our
# code, ignoring case and spaces ("Referral Order" for REFERRAL_ORDER), need no line.
# A case key of person and episode, child details in a person table, a name in two columns, tick
# boxes: see examples/tabular/README.md, which describes every key. With the tables at hand,
# `yos-audit init --map FOLDER-OR-WORKBOOK` drafts the map from them instead.

version = 2

[service]
name = "Your YJS"
# yot_code = "XX01"
# extracted_on = 2026-11-20

[read]
dates = ["%d/%m/%Y", "excel", "iso"]   # tried in order: strftime patterns, Excel serial numbers, ISO
true = ["Y", "Yes"]
false = ["N", "No"]
separator = ";"                        # splits list fields (diversity needs, plans' ids, ...)
# encoding = "utf-8"                   # default: UTF-8 with or without BOM, else Windows-1252
# delimiter = ","                      # default: found from the header row
# not_recorded = ["Not Set", "N/K"]    # values that mean nothing was recorded, in any column
# skip = ["Total*"]                    # a row whose first filled cell matches is not data (a totals row)
# header_row = 3                       # default: the row that names the map's columns, under any title
'''


def _describe_spec(spec: FieldSpec) -> str:
    what = {"text": "text", "date": "date", "bool": "yes/no", "int": "whole number", "code": "code"}[spec.kind]
    if spec.many:
        what = f"list of {what}s, split on the separator"
    if spec.required:
        what = f"required, {what}"
    return what


def map_template() -> str:
    """A commented starting map naming every table and field, columns under our own names."""
    lines = [_TEMPLATE_HEAD]
    for kind in KINDS:
        lines.append(f"[{kind}]")
        lines.append(f'table = "{kind}"' + " " * max(1, 31 - len(kind)) + f"# the file {kind}.csv, or the sheet \"{kind}\"")
        lines.append(f"[{kind}.columns]")
        specs = fields_of(kind)
        for spec in specs.values():
            entry = f'{spec.path} = "{spec.path}"'
            note = _describe_spec(spec)
            if spec.path == "case_id" and kind != "cases":
                note = "required: the case this row belongs to"
            lines.append(f"{entry:<58} # {note}")
        for spec in specs.values():
            if spec.kind == "code":
                header = f"[{kind}.codes.{spec.path}]"
                lines.append(f'{header:<58} # "Their value" = "OUR_CODE"')
                lines.append("# our codes: " + ", ".join(m.value for m in spec.enum))
        lines.append("")
    return "\n".join(lines)
