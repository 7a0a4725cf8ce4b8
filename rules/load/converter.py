"""Turn one case's raw mapping (from JSON, TOML or a table reader) into a :class:`~rules.model.Case`.

The cattrs converter is strict: a string is never read as a list, ``"false"`` is never read as a
boolean, a code must be one of ours. Every problem comes back as a message and the dotted path of the
field, so the loader can name the file, the case and the field.

The loader reads a clean case with msgspec (:mod:`rules.load.jsonread`); this converter, with detailed
validation, runs only when msgspec refuses a case, to say exactly what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from enum import Enum
from functools import cache
from typing import Any

import attrs
import cattrs

from rules import model

NO_DATE = dt.date(1900, 1, 1)  # the CLD "no date" value
EARLIEST_PLAUSIBLE = dt.date(1990, 1, 1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class InputError(ValueError):
    """A value that cannot be read; its message is shown to the user as it is."""


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "...'"


_DATES: dict[str, dt.date | None] = {}  # a caseload holds few distinct dates: parse each once


def parse_date(value: Any) -> dt.date | None:
    """An ISO date (or a TOML date); ``1900-01-01`` reads as absent."""
    if value.__class__ is str:
        try:
            return _DATES[value]
        except KeyError:
            day = _parse_date(value)
            if len(_DATES) < 100_000:
                _DATES[value] = day
            return day
    return _parse_date(value)


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        raise InputError(f"expected a date, got a date and time: {value.isoformat()}")
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise InputError(f"not a date: {value!r}") from None
    else:
        raise InputError(f"not a date: {describe(value)}")
    if day == NO_DATE:
        return None
    if day < EARLIEST_PLAUSIBLE:
        raise InputError(f"implausible date: {day.isoformat()} is before 1990")
    return day


def _optional_date(value: Any, _: type) -> dt.date | None:
    return None if value is None else parse_date(value)


def _required_date(value: Any, _: type) -> dt.date:
    day = parse_date(value)
    if day is None:
        raise InputError("required date is the no-date value 1900-01-01")
    return day


# Scalar hooks, each in a plain and an optional ("X | None") form so that a field costs one call.
# JSON and TOML give exact builtin types, so a class test is enough and cheaper than isinstance.


def _str(value: Any, _: type) -> str:
    if value.__class__ is str:
        return value
    raise InputError(f"expected text, got {describe(value)}")


def _str_or_none(value: Any, _: type) -> str | None:
    return value if value is None else _str(value, _)


def _bool(value: Any, _: type) -> bool:
    if value is True or value is False:
        return value
    raise InputError(f"expected true or false, got {describe(value)}")


def _bool_or_none(value: Any, _: type) -> bool | None:
    if value is None or value is True or value is False:
        return value
    raise InputError(f"expected true or false, got {describe(value)}")


def _int(value: Any, _: type) -> int:
    if value.__class__ is int:
        return value
    raise InputError(f"expected a whole number, got {describe(value)}")


def _int_or_none(value: Any, _: type) -> int | None:
    return value if value is None else _int(value, _)


def _enum_hooks(cls: type[Enum]):
    members: dict[Any, Any] = {m.value: m for m in cls}
    allowed = ", ".join(members)

    def structure(value: Any, _: type) -> Enum:
        try:
            return members[value]
        except (KeyError, TypeError):
            raise InputError(f"unknown code {describe(value)} (expected one of {allowed})") from None

    def structure_or_none(value: Any, _: type) -> Enum | None:
        return None if value is None else structure(value, _)

    return structure, structure_or_none


def _is_tuple(t: Any) -> bool:
    return typing.get_origin(t) is tuple


def _tuple_factory(t: Any, converter: cattrs.Converter):
    (item, _ellipsis) = typing.get_args(t)
    inner = converter.get_structure_hook(item)

    def structure(value: Any, _: type) -> tuple:
        if not isinstance(value, (list, tuple)):
            raise InputError(f"expected a list, got {describe(value)}")
        out, errors = [], []
        for i, v in enumerate(value):
            try:
                out.append(inner(v, item))
            except Exception as exc:  # noqa: BLE001 - regrouped below with the index
                exc.__notes__ = [*getattr(exc, "__notes__", []), cattrs.errors.IterableValidationNote(
                    f"Structuring {t} @ index {i}", i, item)]
                errors.append(exc)
        if errors:
            raise cattrs.IterableValidationError(f"While structuring {t!r}", errors, t)
        return tuple(out)

    return structure


def _table_factory(cls: type, converter: cattrs.Converter):
    """attrs classes: a table is required (not a string or a list) before cattrs' own hook runs."""
    inner = cattrs.gen.make_dict_structure_fn(cls, converter)

    def structure(value: Any, _: type) -> Any:
        if value.__class__ is not dict and not isinstance(value, Mapping):
            raise InputError(f"expected a table, got {describe(value)}")
        return inner(value, cls)

    return structure


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(detailed_validation=True)
    conv.register_structure_hook(dt.date, _required_date)
    conv.register_structure_hook(dt.date | None, _optional_date)
    scalars = {str: (_str, _str_or_none), bool: (_bool, _bool_or_none), int: (_int, _int_or_none)}
    for name in dir(model):
        obj = getattr(model, name)
        if isinstance(obj, type) and issubclass(obj, Enum) and obj.__module__ == model.__name__:
            scalars[obj] = _enum_hooks(obj)
    for t, (plain, optional) in scalars.items():
        conv.register_structure_hook(t, plain)
        conv.register_structure_hook(t | None, optional)
    conv.register_structure_hook_factory(_is_tuple, lambda t: _tuple_factory(t, conv))
    conv.register_structure_hook_factory(attrs.has, lambda cls: _table_factory(cls, conv))
    return conv


DETAILED = _make_converter()


def _format(exc: BaseException, _type: type | None) -> str:
    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, KeyError):
        return "required key missing"
    return f"cannot read this value ({type(exc).__name__})"


def structure_errors(exc: BaseException) -> list[tuple[str, str]]:
    """(field path, message) for each leaf of a cattrs error tree; path ``""`` is the case itself.

    The tree's tracebacks are dropped once read: each holds the frames it passed through, cattrs'
    frames hold the errors they gathered, and that cycle (with the loader's frames and all they hold)
    would outlive the load, since the loader runs with the cyclic collector paused."""
    out = []
    for line in cattrs.transform_error(exc, path="", format_exception=_format):
        message, _, path = line.rpartition(" @ ")
        out.append((path.lstrip("."), message))
    _drop_tracebacks(exc)
    return out


def _drop_tracebacks(exc: BaseException) -> None:
    todo, seen = [exc], set()
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        e.__traceback__ = None
        todo.extend(x for x in (*getattr(e, "exceptions", ()), e.__cause__, e.__context__) if x is not None)


# -- unknown keys -------------------------------------------------------------------------------


@cache
def _shape(cls: type) -> tuple[frozenset[str], dict[str, tuple[type, bool]]]:
    """Known keys of an attrs class, and for nested tables, their class and whether it is a list."""
    names, nested = set(), {}
    for f in attrs.fields(cls):
        names.add(f.name)
        t = f.type
        if isinstance(t, str):  # postponed annotations
            t = typing.get_type_hints(cls)[f.name]
        is_list = _is_tuple(t)
        inner = typing.get_args(t)[0] if is_list else t
        if isinstance(inner, types.UnionType) or typing.get_origin(inner) is typing.Union:
            inner = next(a for a in typing.get_args(inner) if a is not type(None))
        if attrs.has(inner):
            nested[f.name] = (inner, is_list)
    return frozenset(names), nested


def unknown_keys(data: Mapping, cls: type, path: str = "") -> list[str]:
    """Dotted paths of keys the format (version 1) does not know."""
    out: list[str] = []
    _unknown(data, cls, path, out)
    return out


def _unknown(data: Mapping, cls: type, path: str, out: list[str]) -> None:
    names, nested = _shape(cls)
    if not names.issuperset(data):  # the common case costs no set
        out.extend(f"{path}{key}" for key in data if key not in names)
    for key, (inner, is_list) in nested.items():
        value = data.get(key)
        if value is None:
            continue
        if is_list and isinstance(value, list):
            inner_names, inner_nested = _shape(inner)
            if inner_nested:
                for i, item in enumerate(value):
                    if isinstance(item, Mapping):
                        _unknown(item, inner, f"{path}{key}[{i}].", out)
            elif not all(item.__class__ is not dict or inner_names.issuperset(item) for item in value):
                for i, item in enumerate(value):  # flat records: look closer only when one has a stray key
                    if isinstance(item, Mapping):
                        _unknown(item, inner, f"{path}{key}[{i}].", out)
        elif not is_list and isinstance(value, Mapping):
            _unknown(value, inner, f"{path}{key}.", out)
