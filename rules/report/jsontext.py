"""JSON text as ``json.dumps(doc, indent=..., ensure_ascii=False)`` writes it, byte for byte, in C.

With an indent, :mod:`json` leaves its C encoder for one in Python: 611,000 findings (100,000 cases)
took 15 s and 2 GiB that way. msgspec encodes and then indents the same document in C. Its floats
are written another way (``1e16``, not ``1e+16``), so this is only for documents that hold none: the
check report, SARIF, baselines and converted caseloads. Anything msgspec will not encode (a number past
64 bits, a string that is not Unicode) is written by :mod:`json`, as before.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec


def dumps(doc: Any, indent: int = 2) -> str:
    """``json.dumps(doc, indent=indent, ensure_ascii=False)`` for a document without floats (it may hold
    msgspec structs, dates and enums: written as msgspec writes them, the way :mod:`json` cannot)."""
    try:
        return msgspec.json.format(msgspec.json.encode(doc), indent=indent).decode("utf-8")
    except (msgspec.EncodeError, TypeError, OverflowError, UnicodeError, ValueError):
        return json.dumps(msgspec.to_builtins(doc), indent=indent, ensure_ascii=False)
