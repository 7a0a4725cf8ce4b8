"""The loader's fast path: one generated function a record class, for the clean case.

cattrs' generated hooks call one function a field and build each record from a keyword dict; a large
export is millions of records, and that was most of the load. Here each class of the model gets one
function, generated from its attrs fields, that reads every field inline with the same strictness as
:mod:`rules.load.converter` (a string is never read as a list, ``"false"`` is never a boolean, a code
must be one of ours, ``1900-01-01`` is no date). It does not explain: on anything it does not accept
it raises, and the loader reads that case again with the detailed converter, which names the field.

``tests/test_bad_input.py`` checks, over hypothesis cases clean and damaged, that whatever this accepts
the detailed converter reads the same, and that every clean case takes this path.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from enum import Enum
from typing import Any

import attrs

from rules import model
from rules.load.converter import _DATES, parse_date

_MISSING = object()


class Reject(ValueError):
    """Not the clean case: read it again in detail."""


def split_optional(hint: Any) -> tuple[Any, bool]:
    """(the type without ``None``, whether ``None`` is allowed)."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0], len(args) < len(typing.get_args(hint))
    return hint, False


def _compile(cls: type, env: dict[str, Any], done: set[type]) -> str:
    """Generate (into ``env``) the reader of ``cls`` and of the classes inside it; its name."""
    name = f"read_{cls.__name__}"
    if cls in done:
        return name
    done.add(cls)
    hints = typing.get_type_hints(cls)
    names = f"K_{cls.__name__}"
    env[names] = frozenset(f.name for f in attrs.fields(cls))
    lines = [
        f"def {name}(d, stray):",
        "    if d.__class__ is not dict: raise Reject",
        f"    if not {names}.issuperset(d): stray.append({cls.__name__!r})",
        "    g = d.get",
    ]
    args = []
    for i, f in enumerate(attrs.fields(cls)):
        t, optional = split_optional(hints[f.name])
        v = f"v{i}"
        args.append(v)
        key = repr(f.name)
        required = f.default is attrs.NOTHING
        if typing.get_origin(t) is tuple:
            (item,) = typing.get_args(t)[:1]
            if attrs.has(item):
                inner = _compile(item, env, done)
                each = f"[{inner}(x, stray) for x in {v}]"
            elif item is str:
                each = None
            else:  # a list of codes
                codes = f"M_{item.__name__}"
                env[codes] = {m.value: m for m in item}
                each = f"[{codes}[x] for x in {v}]"
            lines.append(f"    {v} = g({key}, _MISSING)")
            lines.append(f"    if {v} is _MISSING: {v} = ()")
            lines.append(f"    elif {v}.__class__ is list or {v}.__class__ is tuple:")
            if each is None:  # strings: kept as they are, each checked
                lines.append(f"        for x in {v}:")
                lines.append("            if x.__class__ is not str: raise Reject")
                lines.append(f"        {v} = tuple({v})")
            else:
                lines.append(f"        {v} = tuple({each})")
            lines.append("    else: raise Reject")
            continue
        get = f"d[{key}]" if required else f"g({key})"
        lines.append(f"    {v} = {get}")
        if t is dt.date:
            lines.append(f"    if {v} is not None:")
            lines.append("        try:")
            lines.append(f"            {v} = _DATES[{v}]")
            lines.append("        except (KeyError, TypeError):")
            lines.append(f"            {v} = parse_date({v})")
            if not optional:
                lines.append(f"    if {v} is None: raise Reject")
        elif isinstance(t, type) and issubclass(t, Enum):
            codes = f"M_{t.__name__}"
            env[codes] = {m.value: m for m in t}
            lines.append(f"    if {v} is not None: {v} = {codes}[{v}]")
            if not optional:
                lines.append("    else: raise Reject")
        elif t is str or t is int:
            lines.append(f"    if {v}.__class__ is not {t.__name__}" + (f" and {v} is not None" if optional else "") + ": raise Reject")
        elif t is bool:
            lines.append(f"    if {v} is not True and {v} is not False" + (f" and {v} is not None" if optional else "") + ": raise Reject")
        elif attrs.has(t):
            inner = _compile(t, env, done)
            lines.append(f"    if {v} is not None: {v} = {inner}({v}, stray)")
            if not optional:
                lines.append("    else: raise Reject")
        else:  # pragma: no cover - a model field of a type this generator does not know
            raise TypeError(f"{cls.__name__}.{f.name}: no fast reader for {t!r}")
    env[cls.__name__] = cls
    lines.append(f"    return {cls.__name__}({', '.join(args)})")
    exec(compile("\n".join(lines), f"<fast reader of {cls.__name__}>", "exec"), env)  # noqa: S102 - code generated from our own model
    return name


def _reader(cls: type):
    env: dict[str, Any] = {"Reject": Reject, "_MISSING": _MISSING, "_DATES": _DATES, "parse_date": parse_date}
    return env[_compile(cls, env, set())]


_read_case = _reader(model.Case)


def read_case(raw: Any, stray: list[str] | None = None) -> model.Case:
    """The :class:`~rules.model.Case` of a clean raw case; raises :class:`Reject` (or the error of a
    value) on anything else. Keys the format does not know are skipped, and the name of each record
    class that had one is added to ``stray``: the loader names them only then."""
    return _read_case(raw, [] if stray is None else stray)
