"""Small wording helpers shared by rule messages, reports and the terminal UI."""

from __future__ import annotations

import re
from collections.abc import Sequence


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 case``, ``2 cases`` (``many`` for an irregular plural)."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


#: what a terminal, a log or a Markdown file must never get raw from the data: C0 and C1 controls and
#: DEL (ESC starts a screen-clearing sequence, a new line starts a forged ``::error`` line in a CI log),
#: the bidirectional embeddings, overrides and isolates (they reorder what is shown: "Trojan Source"),
#: and the Unicode line and paragraph separators
_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_UNSEEN_BUT_NEW_LINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _shown(m: re.Match) -> str:
    c = m.group(0)
    return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def visible(text: str) -> str:
    """``text`` with every control, bidirectional override and line separator written as a visible
    escape (``\\x1b``, ``\\n``, ``\\u202e``), for a terminal, standard error or Markdown. Ordinary
    text comes back unchanged (the same object); a backslash is left as it is, so a Windows path
    reads as written."""
    return text if _UNSEEN.search(text) is None else _UNSEEN.sub(_shown, text)


def visible_lines(lines: Sequence[str]) -> str:
    """``lines`` joined by new lines, each made :func:`visible`: a new line from the data stays on its
    line as ``\\n``. Checked first on the whole text at once: ordinary text costs two scans."""
    text = "\n".join(lines)
    if text.count("\n") == max(len(lines) - 1, 0) and _UNSEEN_BUT_NEW_LINE.search(text) is None:
        return text
    return "\n".join(map(visible, lines))


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def name_key(name: str) -> str:
    """A person's or a team's name as matched: case, accents, repeated spaces and the two apostrophes
    (``'`` and ``’``) ignored, so ``siobhan o'connor`` finds ``Siobhán O’Connor``."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.split()).casefold()
