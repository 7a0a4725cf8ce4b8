"""The two shapes most rules share: a duty with a deadline, and a duty recurring at an interval.

Both follow the catalogue's terms: a record dated on its due date is on time; with nothing done, a due
date equal to the as-of date is still PENDING; done after the due date is NOT_MET "late"; missing after
it is NOT_MET "overdue". The messages say which, with the dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rules.calendar import add_months
from rules.facts import CaseView
from rules.outcomes import Status, Verdict
from rules.words import plural

MET = Status.MET  # the commonest verdict, named once (an enum member is a slow lookup on Python 3.11)


def days(n: int) -> str:
    return plural(n, "day")


def by_deadline(
    c: CaseView,
    what: str,
    due: dt.date,
    done: dt.date | None,
    evidence: Sequence[str] = (),
    record: str | None = None,
    since: str = "",
    at_close: bool = False,
) -> Verdict:
    """``what`` was due on ``due``; ``done`` is when it was first done (or None).

    ``since`` completes the sentence for the reader, e.g. "(start 2026-06-01)".
    A case that closed before the due date with nothing done owed nothing: NOT_APPLICABLE, unless the
    duty is one of closing the case (``at_close``), which stays owed after it.
    """
    ev = tuple(evidence)
    if done is not None and done <= due:
        return Verdict(MET, f"{what} on {done}, due {due}", ev, due, done, record)
    after = f" {since}" if since else ""
    if done is not None:
        return Verdict(
            Status.NOT_MET, f"late: {what} on {done}, {days((done - due).days)} after it was due on {due}{after}",
            ev, due, done, record,
        )
    if c.closed_on is not None and c.closed_on < due and not at_close:
        return Verdict(Status.NOT_APPLICABLE, f"case closed on {c.closed_on}, before {what} was due", ev, due, None, record)
    if due < c.as_of:
        if c.closed_on is not None and not at_close:
            return Verdict(
                Status.NOT_MET, f"overdue: no {what} recorded before the case closed on {c.closed_on}; it was due on {due}{after}",
                ev, due, None, record,
            )
        return Verdict(
            Status.NOT_MET, f"overdue: no {what} recorded; it was due on {due}{after}, {days((c.as_of - due).days)} ago",
            ev, due, None, record,
        )
    return Verdict(Status.PENDING, f"{what} due on {due}{after}", ev, due, None, record)


def at_interval(
    c: CaseView,
    what: str,
    anchor: dt.date,
    anchor_ref: str | None,
    done: Sequence[tuple[dt.date, str | None]],
    months: int,
    anchor_what: str = "",
) -> Verdict | None:
    """``what`` is owed at least every ``months`` from ``anchor`` until the end of watch.

    ``done`` holds (date, record id) of each time it was done; ``anchor_what`` names the anchor in
    messages ("the start"). Applies once the case was open ``months`` after the anchor; before that it
    is PENDING (open) or NOT_APPLICABLE (closed). On the very day the first interval ends it applies
    if the duty was done in between (MET), and is PENDING, due that day, if not.
    """
    end = c.end_of_watch
    first_due = add_months(anchor, months)
    times = sorted((d, ref) for d, ref in done if anchor < d <= end)
    if end < first_due or (end == first_due and not times):  # not yet open a whole interval
        if c.closed_on is not None:
            return None
        last, ref = times[-1] if times else (anchor, anchor_ref)
        due = add_months(last, months)
        return Verdict(Status.PENDING, f"{what} due on {due}", _refs(ref), due, record=None)
    late: list[tuple[dt.date, dt.date, str | None, dt.date]] = []  # (previous, due, ref, done)
    prev, prev_ref = anchor, anchor_ref
    for d, ref in times:
        due = add_months(prev, months)
        if d > due:
            late.append((prev, due, ref, d))
        prev, prev_ref = d, ref
    due = add_months(prev, months)
    last = f"{anchor_what} ({prev})" if anchor_what and prev == anchor else str(prev)
    if end > due:
        count = len(late) + 1
        more = f" ({count} gaps longer than {months} months in all)" if count > 1 else ""
        if c.closed_on is not None:
            msg = f"overdue: no {what} after {last} before the case closed on {c.closed_on}; it was due on {due}{more}"
        else:
            msg = f"overdue: no {what} since {last}; it was due on {due}, {days((c.as_of - due).days)} ago{more}"
        return Verdict(Status.NOT_MET, msg, _refs(prev_ref), due)
    if late:
        previous, due_late, ref, d = late[-1]
        more = f" ({len(late)} gaps longer than {months} months in all)" if len(late) > 1 else ""
        return Verdict(
            Status.NOT_MET,
            f"late: {what} on {d}, {days((d - due_late).days)} after it was due on {due_late} ({months} months after {previous}){more}",
            _refs(ref), due_late, d,
        )
    next_due = None if c.closed_on is not None else due
    tail = f"; next due on {due}" if next_due else ""
    return Verdict(Status.MET, f"{what} at least every {months} months since {anchor}{tail}", _refs(prev_ref), done_on=prev, next_due=next_due)


def _refs(*refs: str | None) -> tuple[str, ...]:
    return tuple(r for r in refs if r)
