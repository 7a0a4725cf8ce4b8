"""The audit date (``--as-of``) a run uses, and why (``shared/spec/cli.md``).

Given: that date. Else the export's ``service.extracted_on`` when every input names the same date:
work done after an extract was taken is not in it, so judged as of a later day it would read as
overdue. Else (an input names none, or the inputs name different dates) today. The command line,
every report format and the terminal UI take the date from :func:`resolve_as_of`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from attrs import frozen

from rules.load.problems import InputProblem, ProblemLevel
from rules.model import Case

#: where the date came from: the ``--as-of`` option, the exports' extract date, or the day of the run
OPTION, EXTRACT, TODAY = "option", "extract", "today"


@frozen
class AsOf:
    date: dt.date
    #: :data:`OPTION`, :data:`EXTRACT` or :data:`TODAY`
    source: str
    #: why this date, in words that read after it: ``as of 2026-11-20 (the export's extract date)``
    reason: str


def resolve_as_of(given: dt.date | None, extracted_on: Sequence[dt.date | None], today: dt.date | None = None) -> AsOf:
    """The as-of date of a run on inputs whose ``service.extracted_on`` are ``extracted_on`` (one an
    input, None where an input names none or could not be read), ``given`` with ``--as-of`` or None."""
    if given is not None:
        return AsOf(given, OPTION, "given with --as-of")
    today = today or dt.date.today()
    named = {d for d in extracted_on if d is not None}
    if extracted_on and len(named) == 1 and None not in extracted_on:
        day = named.pop()
        if len(extracted_on) == 1:
            return AsOf(day, EXTRACT, "the export's extract date, service.extracted_on")
        return AsOf(day, EXTRACT, "the extract date every export names, service.extracted_on")
    if len(named) > 1:
        dates = ", ".join(str(d) for d in sorted(named))
        return AsOf(today, TODAY, f"today: the exports name different extract dates ({dates})")
    if len(extracted_on) > 1 and named:
        return AsOf(today, TODAY, "today: an export names no extract date, service.extracted_on")
    return AsOf(today, TODAY, "today: the export names no extract date, service.extracted_on")


def before_every_start(cases: Sequence[Case], as_of: dt.date, file: str = "") -> InputProblem | None:
    """A warning when ``as_of`` is before every case's start: nothing can be due yet, so the caseload
    would read as clean (``--as-of 2016-11-20`` for ``2026-11-20``). None otherwise, or with no case."""
    if not cases:
        return None
    first = min(c.start_date for c in cases)
    if as_of >= first:
        return None
    return InputProblem(
        ProblemLevel.WARNING, file,
        f"as of {as_of} is before every case's start (the first starts on {first}): nothing is due yet, "
        "so no finding means nothing; is the date mistyped?",
        field="as_of",
    )
