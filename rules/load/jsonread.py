"""The loader's fast path for JSON exports: msgspec reads the bytes straight into the model.

A large export is millions of records. Parsing it into dicts with :mod:`json` and then reading every
dict in Python was most of the load; msgspec decodes JSON into the attrs classes of :mod:`rules.model`
in C, with the strictness of :mod:`rules.load.converter` (a string is never read as a list, ``"false"``
is never a boolean, a code must be one of ours, a date is ``YYYY-MM-DD``).

Two things it cannot say, so a case is read in two passes:

- a key the format does not know: msgspec skips those for attrs classes. A first pass decodes into
  validating structs generated from the model, which forbid unknown keys (it builds nothing of use,
  and costs less than the second);
- ``1900-01-01`` (no date) and dates before 1990 (an error): a case holding any such date is left
  to the detailed reader.

Whatever this refuses goes, as parsed JSON, to the readers that explain (:mod:`rules.load.fast`, then
the detailed converter). ``tests/test_loader.py`` checks, over hypothesis exports clean and damaged,
that a load through this path gives the same cases and the same problems as a whole parse.
"""

from __future__ import annotations

import codecs
import json
import typing
from functools import cache
from typing import Any

import attrs
import msgspec

from rules import model
from rules.load.fast import split_optional

Raw = msgspec.Raw


@cache
def _checker(cls: type) -> type[msgspec.Struct]:
    """A struct with the fields of the attrs class ``cls`` that refuses any other key."""
    hints = typing.get_type_hints(cls)
    fields: list[tuple] = []
    for f in attrs.fields(cls):
        t, optional = split_optional(hints[f.name])
        if typing.get_origin(t) is tuple:
            (item, _) = typing.get_args(t)
            t = tuple[_checker(item) if attrs.has(item) else item, ...]
        elif attrs.has(t):
            t = _checker(t)
        if optional:
            t = t | None
        fields.append((f.name, t) if f.default is attrs.NOTHING else (f.name, t, f.default))
    return msgspec.defstruct(f"Check{cls.__name__}", fields, forbid_unknown_fields=True, gc=False)


_CHECK = msgspec.json.Decoder(_checker(model.Case))
_READ = msgspec.json.Decoder(model.Case)
_EXPORT = msgspec.json.Decoder(dict[str, Raw])


class _Top(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """An export's top-level table with only the keys of the format, read in one pass (a table of
    ``Raw`` values and then the cases' list would be two): a key left out stays empty."""

    format: Raw = Raw()
    version: Raw = Raw()
    service: Raw = Raw()
    cases: list[Raw] | None = None


_TOP = msgspec.json.Decoder(_Top)
_CASES = msgspec.json.Decoder(list[Raw])
_REFUSED = (msgspec.ValidationError, msgspec.DecodeError)


def read_case(raw: Raw | bytes) -> model.Case | None:
    """The case of one clean JSON case, or None: read it in detail. Its dates are not checked here: the
    loader leaves a case with any date before 1990 to the detailed reader."""
    try:
        _CHECK.decode(raw)
        return _READ.decode(raw)
    except _REFUSED:
        return None


def split(data: bytes) -> dict[str, Any] | None:
    """A JSON export's top-level table, with ``cases`` a list of each case's undecoded JSON and every
    other value parsed; None where the bytes are not one clean JSON table (the caller parses the text
    to say what is wrong)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    if not data.isascii() and not _utf8(data):
        return None
    try:
        clean = _TOP.decode(data)
        if clean.cases is not None:
            out = {key: msgspec.json.decode(value) for key in ("format", "version", "service") if (value := getattr(clean, key))}
            out["cases"] = clean.cases
            return out
    except (*_REFUSED, RecursionError):  # a key the format does not know, cases that are not a list, a
        pass  # value msgspec will not read (1e400), or no JSON at all: the two passes below say which
    try:
        top = _EXPORT.decode(data)
        out: dict[str, Any] = {}
        for key, value in top.items():
            if key == "cases":
                try:
                    out[key] = _CASES.decode(value)
                    continue
                except _REFUSED:
                    pass  # not a list: parsed below, and the loader says so
            out[key] = msgspec.json.decode(value)
        return out
    except (*_REFUSED, RecursionError):  # the whole parse says what is wrong, as it always has
        return None


def parse(raw: Raw) -> Any:
    """One case's JSON, parsed, for the readers that explain (by :mod:`json` where msgspec will not:
    a whole number past 64 bits is still a number there)."""
    try:
        return msgspec.json.decode(raw)
    except _REFUSED:
        return json.loads(bytes(raw))


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
