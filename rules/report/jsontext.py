"""JSON text as ``json.dumps(doc, indent=..., ensure_ascii=False)`` writes it, byte for byte, in C.

With an indent, :mod:`json` leaves its C encoder for one in Python, slow and memory-hungry on a large
report. msgspec encodes and then indents the same document in C: the check report, SARIF, baselines,
converted caseloads and the score report. Anything msgspec will not encode
(a number past 64 bits, a string that is not Unicode) is written by :mod:`json`, as before.

Floats: a float :mod:`json` writes without an exponent (``74.9``, ``100.0``, ``0.0001``) is written
the same. One it writes with an exponent (below 0.0001 or from 10**16) msgspec writes another way
(``0.00001`` for ``1e-05``, ``1e16`` for ``1e+16``): the same number. Only finite floats: msgspec
writes NaN as ``null``. The score report's floats are percents to one decimal and band thresholds
from 0 to 100, checked when the config is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import msgspec


def dumps(doc: Any, indent: int = 2) -> str:
    """``json.dumps(doc, indent=indent, ensure_ascii=False)`` for a document whose floats are finite (see
    above; it may hold msgspec structs, dates and enums: written as msgspec writes them, the way
    :mod:`json` cannot)."""
    data = encode(doc, indent)
    if data is None:
        return json.dumps(msgspec.to_builtins(doc), indent=indent, ensure_ascii=False)
    return data.decode("utf-8")


def encode(doc: Any, indent: int = 2) -> bytes | None:
    """:func:`dumps` as UTF-8, or None where msgspec will not write the document (:func:`dumps` then
    writes it through :mod:`json`). Written as these bytes, a large report is not copied into text and
    back."""
    try:
        return msgspec.json.format(msgspec.json.encode(doc), indent=indent)
    except (msgspec.EncodeError, TypeError, OverflowError, UnicodeError, ValueError):
        return None


def encode_pieces(doc: dict[str, Any], key: str, indent: int = 2, batch: int = 20_000) -> Iterator[bytes] | None:
    """:func:`encode` of ``doc`` in pieces, its long list ``doc[key]`` formatted a batch at a time as the
    pieces are taken: a large check report is never whole in memory as formatted text, only as compact
    JSON. None where msgspec will not write the document: that is known before the first piece."""
    items = doc[key]
    encoder = msgspec.json.Encoder()
    try:
        skeleton = msgspec.json.format(encoder.encode({**doc, key: []}), indent=indent)
        compact = [encoder.encode(items[i : i + batch]) for i in range(0, len(items), batch)]
    except (msgspec.EncodeError, TypeError, OverflowError, UnicodeError, ValueError):
        return None
    pad = b" " * indent
    head, found, tail = skeleton.partition(b"\n" + pad + encoder.encode(key) + b": []")  # the top level's own
    if not compact:
        return iter((skeleton,))
    if not found:  # no indent to find it by (indent 0 writes one line): whole, then
        whole = encode(doc, indent)
        return None if whole is None else iter((whole,))

    def pieces() -> Iterator[bytes]:
        yield head + found[:-1] + b"\n"
        for n, data in enumerate(compact):
            compact[n] = b""  # taken: its memory goes
            body = msgspec.json.format(data, indent=indent)[2:-2]  # the items, without the list's brackets
            yield (b",\n" if n else b"") + pad + body.replace(b"\n", b"\n" + pad)
        yield b"\n" + pad + b"]" + tail

    return pieces()
