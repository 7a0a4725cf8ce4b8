"""The loader's fast path: msgspec reads a JSON export's bytes, or a parsed case (TOML, tables), straight
into the model (:func:`read_case`, :func:`read_parsed`).

A large export is millions of records. Parsing it into dicts with :mod:`json` and then reading every
dict in Python was most of the load; msgspec decodes JSON into the attrs classes of :mod:`rules.model`
in C, with the strictness of :mod:`rules.load.converter` (a string is never read as a list, ``"false"``
is never a boolean, a code must be one of ours, a date is ``YYYY-MM-DD``).

Two things it cannot say, so a case is read in two passes:

- a key the format does not know: msgspec skips those for attrs classes. A first pass decodes into
  structs generated from the model, which forbid unknown keys (the records only: every other value is
  kept as its JSON, unread; it costs a third of the second);
- ``1900-01-01`` (no date) and dates before 1990 (an error): a case holding any such date is left
  to the detailed reader.

Whatever this refuses goes, parsed, to :func:`read_parsed` (``msgspec.convert``: the same reading of a
table), then to the detailed converter, which explains. ``tests/test_loader.py`` checks, over hypothesis exports clean and damaged,
that a load through this path gives the same cases and the same problems as a whole parse.

Two things no JSON parser here says by itself, so they are looked for:

- **a key given twice** (msgspec and :mod:`json` both keep the last, without a word). Counting is cheap
  where parsing is not: a key is followed by a colon, and outside text a colon is nothing else. The
  first pass's structs, encoded again (in C), hold the keys given and their values as they came, so
  one fewer colon for each key given twice; the colons of all the cases so read are tallied against
  those of the file less its top level (:class:`Cases`). If the tally is short, a key was given twice
  somewhere (at the top level too): the loader reads the file again with :func:`loads`, whose hook
  sees every pair, and names it. On a 10,000-case export this costs about a tenth of the load.
- **a lone surrogate** (``"\\ud800"``: half of a character, which no report can write). msgspec
  refuses it; :func:`loads`, with which :mod:`json` reads it, marks the object holding it.

An object with either is a :class:`Flawed` dict, which the fast readers refuse; :func:`flaws` names them.
"""

from __future__ import annotations

import codecs
import json
import re
import types
import typing
from collections.abc import Collection
from functools import cache
from typing import Any

import attrs
import msgspec

from rules import model
from rules.load.converter import _shape, describe

Raw = msgspec.Raw


def split_optional(hint: Any) -> tuple[Any, bool]:
    """(the type without ``None``, whether ``None`` is allowed)."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0], len(args) < len(typing.get_args(hint))
    return hint, False


@cache
def _keys(cls: type) -> type[msgspec.Struct]:
    """A struct with the fields of the attrs class ``cls`` that refuses any other key, its values
    (but records) taken as they are: converting a parsed case to it says only whether every key is ours."""
    hints = typing.get_type_hints(cls)
    fields: list[tuple] = []
    for f in attrs.fields(cls):
        t, _ = split_optional(hints[f.name])
        if typing.get_origin(t) is tuple and attrs.has(typing.get_args(t)[0]):
            t = tuple[_keys(typing.get_args(t)[0]), ...] | None
        elif attrs.has(t):
            t = _keys(t) | None
        else:
            t = Any
        fields.append((f.name, t, None))
    return msgspec.defstruct(f"Keys{cls.__name__}", fields, forbid_unknown_fields=True, gc=False)


def read_parsed(raw: Any, stray: list[str] | None = None) -> model.Case | None:
    """The case of a parsed clean case (TOML, tables, or JSON the bytes reader refused), read by
    ``msgspec.convert`` with the strictness of :mod:`rules.load.converter`, or None: read it in detail.
    Keys the format does not know are skipped, and ``"Case"`` is added to ``stray`` (the loader then
    names each). Not looked at here: dates (the loader leaves a case with any before 1990, the no-date
    ``1900-01-01`` among them, to the detailed reader) and :class:`Flawed` tables inside the case
    (msgspec reads them as plain tables: the loader looks for them first where a parse may make them)."""
    if raw.__class__ is not dict:
        return None
    try:
        case = msgspec.convert(raw, model.Case)
    except msgspec.ValidationError:
        return None
    try:
        msgspec.convert(raw, _keys(model.Case))
    except msgspec.ValidationError:
        if stray is not None:
            stray.append("Case")
    return case


@cache
def _checker(cls: type) -> type[msgspec.Struct]:
    """A struct with the fields of the attrs class ``cls`` that refuses any other key. A value that is
    not a record (or a list of them) is kept as its JSON, unread (the second pass reads it, and it is
    encoded again as it came); a key left out stays UNSET. So the struct encoded again holds the keys
    given and their values, no more: one fewer colon for each key given twice (:class:`Cases`)."""
    hints = typing.get_type_hints(cls)
    fields: list[tuple] = []
    for f in attrs.fields(cls):
        t, optional = split_optional(hints[f.name])
        if typing.get_origin(t) is tuple and attrs.has(typing.get_args(t)[0]):
            t = tuple[_checker(typing.get_args(t)[0]), ...]
        elif attrs.has(t):
            t = _checker(t)
        else:
            t, optional = Raw, False  # a Raw is any JSON value, null too
        if optional:
            t = t | None
        fields.append((f.name, t) if f.default is attrs.NOTHING else (f.name, t | msgspec.UnsetType, msgspec.UNSET))
    return msgspec.defstruct(f"Check{cls.__name__}", fields, forbid_unknown_fields=True, gc=False)


_CHECK = msgspec.json.Decoder(_checker(model.Case))
_READ = msgspec.json.Decoder(model.Case)
_EXPORT = msgspec.json.Decoder(dict[str, Raw])
_ENCODE = msgspec.json.Encoder().encode
_UNSET = msgspec.UNSET


class _Top(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """An export's top-level table with only the keys of the format, read in one pass (a table of
    ``Raw`` values and then the cases' list would be two): a key left out stays UNSET."""

    format: Raw | msgspec.UnsetType = _UNSET
    version: Raw | msgspec.UnsetType = _UNSET
    service: Raw | msgspec.UnsetType = _UNSET
    cases: list[Raw] | None | msgspec.UnsetType = _UNSET


_TOP = msgspec.json.Decoder(_Top)
_CASES = msgspec.json.Decoder(list[Raw])
_REFUSED = (msgspec.ValidationError, msgspec.DecodeError)
#: a colon written as an escape: text holding it reads back with a colon more than its bytes have
_ESCAPED_COLON = b"\\u003"


class Cases(list):
    """The cases of a JSON export, each its undecoded JSON, with a tally for keys given twice: ``colons``,
    the colons of all the cases' JSON (the file's, less the top level's), and ``read``, those of the
    cases as read (:func:`read_case`, :func:`parse`). Once every case is read (``done``), the two differ
    only if a key was given twice (or a colon written as an escape): :func:`whole` says so."""

    colons = 0
    read = 0
    done = False


def whole(export: Any) -> bool:
    """False if the cases of an export from :func:`split`, all read, held a key given twice that the
    fast reader took: the caller reads the file again with :func:`loads`, which names it."""
    cases = export.get("cases") if isinstance(export, dict) else None
    return not isinstance(cases, Cases) or not cases.done or cases.read == cases.colons


def read_case(raw: Raw | bytes, tally: Cases | None = None) -> model.Case | None:
    """The case of one clean JSON case, or None: read it in detail (:func:`parse`, with the same
    ``tally``). Its colons as read are added to the ``tally`` (with a key given twice, one fewer than
    its JSON has: see :class:`Cases`). Its dates are not checked here: the loader leaves a case with
    any date before 1990 to the detailed reader."""
    try:
        check = _CHECK.decode(raw)
        case = _READ.decode(raw)
    except _REFUSED:
        return None
    if tally is not None:
        tally.read += _ENCODE(check).count(b":")
    return case


def split(data: bytes) -> dict[str, Any] | None:
    """A JSON export's top-level table, with ``cases`` a list of each case's undecoded JSON (a
    :class:`Cases`) and every other value parsed; None where the bytes are not one clean JSON table
    (the caller parses the text to say what is wrong). A key given twice, at the top level or in a case,
    is found once the cases are read: :func:`whole`."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    if not data.isascii() and not _utf8(data):
        return None
    try:
        clean = _TOP.decode(data)
        if isinstance(clean.cases, list):
            given = {key: value for key in ("format", "version", "service") if (value := getattr(clean, key)) is not _UNSET}
            return _whole(data, given, clean.cases)
    except (*_REFUSED, RecursionError):  # a key the format does not know, cases that are not a list, a
        pass  # value msgspec will not read (1e400), or no JSON at all: the two passes below say which
    try:
        top = _EXPORT.decode(data)
        listed = None
        if "cases" in top:
            try:
                listed = _CASES.decode(top["cases"])
                del top["cases"]
            except _REFUSED:
                pass  # not a list: parsed below, and the loader says so
        return _whole(data, top, listed)
    except (*_REFUSED, RecursionError):  # the whole parse says what is wrong, as it always has
        return None


def _whole(data: bytes, top: dict[str, Raw], cases: list[Raw] | None) -> dict[str, Any]:
    """The export of :func:`split`: the values of ``top`` parsed, and the ``cases`` with the colons of
    their JSON counted (the file's less those of the top level: its keys and the other values)."""
    out = {key: parse(value) for key, value in top.items()}
    if cases is not None:
        counted = out["cases"] = Cases(cases)
        counted.colons = data.count(b":") - sum(bytes(v).count(b":") for v in top.values()) - len(top) - 1
    return out


def parse(raw: Raw | bytes, tally: Cases | None = None) -> Any:
    """One case's (or value's) JSON, parsed, for the readers that explain: by msgspec, or by
    :func:`loads` where msgspec will not (a whole number past 64 bits, a lone surrogate) or a key may
    be given twice. Its colons are added to the ``tally`` as they are: a key given twice is found here."""
    data = bytes(raw)
    if tally is not None:
        tally.read += data.count(b":")
    try:
        value = msgspec.json.decode(data)
    except _REFUSED:
        return loads(data)
    if _ESCAPED_COLON not in data and data.count(b":") == _ENCODE(value).count(b":"):
        return value
    return loads(data)


# -- keys given twice, lone surrogates ----------------------------------------------------------------


class Flawed(dict):
    """A JSON object the plain reading would take wrongly: a key given twice (the last would win without
    a word) or text with a lone surrogate (which no report can write). ``flaws``: (the key, with
    ``[i]`` for an item of a list, and what is wrong). The fast readers refuse it (not a plain dict)."""

    __slots__ = ("flaws",)

    def __init__(self, pairs: list[tuple[str, Any]], flaws: list[tuple[str, str]]):
        super().__init__(pairs)
        self.flaws = flaws


_LONE = re.compile("[\ud800-\udfff]")
#: a surrogate written as an escape (a pair of them is one character: only a lone one is a flaw)
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _lone(text: Any) -> bool:
    return text.__class__ is str and not text.isascii() and _LONE.search(text) is not None


def shown_key(key: str) -> str:
    """A key as it can be written in a message: a lone surrogate as its escape."""
    return key.encode("utf-8", "backslashreplace").decode("utf-8") if _lone(key) else key


def _pairs(pairs: list[tuple[str, Any]]) -> dict:
    table = dict(pairs)
    if len(table) == len(pairs):
        return table
    return _flawed(pairs, table, surrogates=False)


def _pairs_and_text(pairs: list[tuple[str, Any]]) -> dict:
    table = dict(pairs)
    if len(table) == len(pairs) and not any(
        _lone(k) or _lone(v) or (v.__class__ is list and any(map(_lone, v))) for k, v in pairs
    ):
        return table
    return _flawed(pairs, table, surrogates=True)


def _flawed(pairs: list[tuple[str, Any]], table: dict, surrogates: bool) -> Flawed:
    flaws: list[tuple[str, str]] = []
    if len(table) != len(pairs):
        values: dict[str, list[Any]] = {}
        for key, value in pairs:
            values.setdefault(key, []).append(value)
        for key, given in values.items():
            if len(given) > 1:
                said = ", then ".join(f"a list of {len(v)}" if v.__class__ is list else describe(v) for v in given[:3])
                said += ", ..." if len(given) > 3 else ""
                flaws.append((key, f"the key is given {len(given)} times ({said}): which is meant cannot be told"))
    if surrogates:
        for key, value in pairs:
            if _lone(key):
                flaws.append((key, f"the key {_half(key)}"))
            elif _lone(value):
                flaws.append((key, _half(value)))
            elif value.__class__ is list:
                flaws.extend((f"{key}[{i}]", _half(item)) for i, item in enumerate(value) if _lone(item))
    return Flawed(pairs, flaws)


def _half(text: str) -> str:
    lone = _LONE.search(text)
    assert lone is not None
    return (f"holds a lone surrogate (\\u{ord(lone.group()):04x}, at character {lone.start() + 1}), half of a "
            "character: not text any report can write (was the text cut inside an emoji?)")


def loads(data: bytes | str) -> Any:
    """JSON parsed by :mod:`json`, each object with a key given twice (or, where the text escapes a
    surrogate, with a lone one) a :class:`Flawed` dict. The whole parse of the exports msgspec will not
    read: a little slower than a plain :func:`json.loads`."""
    probe = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    maybe = _SURROGATE_ESCAPE.search(probe) is not None
    return json.loads(data, object_pairs_hook=_pairs_and_text if maybe else _pairs)


def flaws(value: Any, cls: type | None = model.Case, prefix: str = "") -> list[tuple[str, str]]:
    """(field, what is wrong) for every flaw of a :class:`Flawed` object in a parsed record of class
    ``cls``, the field dotted from ``prefix`` as the loader names fields (``assessments[0].kind``).

    What the loader reads is looked at, not what it ignores: a key the format does not know given twice,
    or its value, is not a flaw (its name with a lone surrogate is: the warning for it names it). Below a
    key whose value is of the wrong kind (``cls`` None), every flaw is one: that case is rejected anyway."""
    out: list[tuple[str, str]] = []
    _walk(value, cls, prefix, out)
    return out


def own_flaws(value: Any, names: Collection[str] | None, prefix: str = "") -> list[tuple[str, str]]:
    """The flaws of ``value`` itself (not of the tables inside it), if it is :class:`Flawed`: of the keys
    in ``names`` (None: all), and every key with a lone surrogate."""
    if not isinstance(value, Flawed):
        return []
    return [(prefix + shown_key(key), message) for key, message in value.flaws
            if names is None or key.partition("[")[0] in names or _lone(key)]


def _walk(value: Any, cls: type | None, prefix: str, out: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        names, nested = _shape(cls) if cls is not None else (None, {})
        out.extend(own_flaws(value, names, prefix))
        for key, item in value.items():
            if isinstance(item, (dict, list)) and (names is None or key in names):
                _walk(item, nested[key][0] if key in nested else None, f"{prefix}{shown_key(key)}.", out)
    elif isinstance(value, list):
        base = prefix[:-1]
        for i, item in enumerate(value):
            if isinstance(item, (dict, list)):
                _walk(item, cls, f"{base}[{i}].", out)


def _utf8(data: bytes | memoryview) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for i in range(0, len(view), 1 << 22):
            decoder.decode(view[i : i + (1 << 22)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
