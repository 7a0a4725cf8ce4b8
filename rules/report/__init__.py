"""The report formats: one writer module a format, each a pure function of a :class:`CheckReport`
(``check``) or of :class:`rules.scoring.Scores` (``score``). A writer is imported when its format is asked for."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from itertools import chain
from typing import TYPE_CHECKING, Any

from rules.report.check import CheckReport, finding_text

if TYPE_CHECKING:
    from rules.scoring import Scores

__all__ = [
    "FORMATS", "OUTCOME_FORMATS", "SCORE_FORMATS", "CheckReport", "Output", "finding_text", "output", "output_scores",
    "render", "render_scores", "writer",
]

#: each format's writer, a module of this package with a ``render(report) -> str``: only the one asked
#: for is imported
_MODULES = {
    "text": "text", "json": "json_", "jsonl": "jsonl", "csv": "csv_", "markdown": "markdown", "sarif": "sarif",
    "junit": "junit", "github": "github",
}
FORMATS: tuple[str, ...] = tuple(_MODULES)
#: the formats that read :attr:`CheckReport.outcomes` (JUnit: whether a rule applied to a case); the
#: others read only the findings, so their audit need not keep its outcomes (``audit(outcomes=False)``)
OUTCOME_FORMATS: frozenset[str] = frozenset({"junit"})


def writer(fmt: str) -> Callable[[CheckReport], str]:
    """The ``render`` of format ``fmt`` (a KeyError for a format there is not)."""
    return importlib.import_module(f"rules.report.{_MODULES[fmt]}").render


def render(report: CheckReport, fmt: str) -> str:
    return writer(fmt)(report)


#: text, or the same as UTF-8 bytes in pieces (each made as it is taken)
Output = str | Iterable[bytes]


def output(report: CheckReport, fmt: str) -> Output:
    """:func:`render`, as the command line writes it: the JSON formats as bytes (see
    :func:`jsontext.encode`), the others as text."""
    if fmt == "json":  # the findings a batch at a time: the largest report
        from rules.report import json_, jsontext

        doc = json_.document(report)
        pieces = jsontext.encode_pieces(doc, "findings")
        return jsontext.dumps(doc) + "\n" if pieces is None else chain(pieces, (b"\n",))
    if fmt == "sarif":
        from rules.report import sarif

        return encoded(sarif.document(report))
    return render(report, fmt)


def encoded(doc: Any) -> Output:
    """A JSON report's document as the bytes of its text (the text ends with a new line), or as the
    text itself where only :mod:`json` will write it."""
    from rules.report import jsontext

    data = jsontext.encode(doc)
    return jsontext.dumps(doc) + "\n" if data is None else (data, b"\n")


#: ``yos-audit score --format`` choices.
SCORE_FORMATS: tuple[str, ...] = ("text", "json", "markdown", "html")


def output_scores(scores: Scores, fmt: str) -> Output:
    """:func:`render_scores`, as the command line writes it (see :func:`rules.report.output`)."""
    from rules.report import score_json

    return encoded(score_json.score_document(scores)) if fmt == "json" else render_scores(scores, fmt)


def render_scores(scores: Scores, fmt: str) -> str:
    """The scores in one of :data:`SCORE_FORMATS` (only that format's writer is imported)."""
    if fmt not in SCORE_FORMATS:
        raise KeyError(fmt)
    return importlib.import_module(f"rules.report.score_{fmt}").render(scores)
