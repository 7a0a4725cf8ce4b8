"""Small wording helpers shared by rule messages, reports and the terminal UI."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 case``, ``2 cases`` (``many`` for an irregular plural)."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"
