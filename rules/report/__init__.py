"""The report formats: one writer module a format, each a pure function of a :class:`CheckReport`
(``check``) or of :class:`rules.scoring.Scores` (``score``). A writer is imported when its format is asked for."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from typing import TYPE_CHECKING, Any

from rules.report.check import CheckReport, finding_text

if TYPE_CHECKING:
    from rules.scoring import Scores

__all__ = [
    "FORMATS", "SCORE_FORMATS", "CheckReport", "Output", "finding_text", "output", "output_scores", "render", "render_scores",
]


def _writers() -> dict[str, Callable[[CheckReport], str]]:
    from rules.report import csv_, github, json_, jsonl, junit, markdown, sarif, text

    return {
        "text": text.render, "json": json_.render, "jsonl": jsonl.render, "csv": csv_.render,
        "markdown": markdown.render, "sarif": sarif.render, "junit": junit.render, "github": github.render,
    }


FORMATS: tuple[str, ...] = ("text", "json", "jsonl", "csv", "markdown", "sarif", "junit", "github")


def render(report: CheckReport, fmt: str) -> str:
    return _writers()[fmt](report)


#: text, or the same as UTF-8 bytes in pieces (each made as it is taken)
Output = str | Iterable[bytes]


def output(report: CheckReport, fmt: str) -> Output:
    """:func:`render`, as the command line writes it: the JSON formats as bytes (see
    :func:`jsontext.encode`), the others as text."""
    from rules.report import json_, jsontext, sarif

    if fmt == "json":  # the findings a batch at a time: the largest report
        doc = json_.document(report)
        pieces = jsontext.encode_pieces(doc, "findings")
        return jsontext.dumps(doc) + "\n" if pieces is None else chain(pieces, (b"\n",))
    if fmt == "sarif":
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
    """The scores in one of :data:`SCORE_FORMATS`."""
    from rules.report import score_html, score_json, score_markdown, score_text

    writers = {"text": score_text.render, "json": score_json.render, "markdown": score_markdown.render, "html": score_html.render}
    return writers[fmt](scores)
