"""A case's records in date order, each with the findings about it (headless, for the case screen).

A finding names the records it is about in ``record`` (per-record rules) and ``evidence`` (ids). It is
shown beside the record it names (``record`` first, else the latest-dated of its evidence); a finding
about something never recorded ("no RoSH screening recorded") stands at its due date, where the
missing record should have been.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from attrs import frozen

from rules.model import Case
from rules.outcomes import Finding


@frozen
class Entry:
    date: dt.date | None
    #: assessment, plan, review, event, contact, enforcement, oversight, victim, case, due
    kind: str
    title: str
    detail: str = ""
    #: the names findings use for this record: its id, or e.g. ``contact 2026-07-01``
    refs: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()


def _v(x) -> str:
    """A code or value for display: REFERRAL_ORDER -> referral order."""
    return str(getattr(x, "value", x)).replace("_", " ").lower()


def _join(*parts: str | None) -> str:
    return " · ".join(p for p in parts if p)


def _yes(flag: bool | None, text: str) -> str | None:
    if flag is None:
        return None
    return text if flag else f"no {text}"


def records(case: Case) -> list[Entry]:
    """Every dated thing in the case file, unsorted."""
    out: list[Entry] = [
        Entry(case.start_date, "case", "Order starts", _join(_v(case.legal_outcome) if case.legal_outcome else None,
                                                             case.intervention_level and f"{_v(case.intervention_level)} intervention")),
    ]
    if case.transferred_in_on:
        out.append(Entry(case.transferred_in_on, "case", "Transferred in from another service"))
    if case.closed_on:
        out.append(Entry(case.closed_on, "case", "Case closed"))
    for a in case.assessments:
        date = a.completed_on or a.started_on
        state = f"completed {a.completed_on}" if a.completed_on else (f"started {a.started_on}, not completed" if a.started_on else "not completed")
        detail = _join(
            state, a.level and f"level {_v(a.level)}",
            a.full_analysis_required and "full analysis required",
            _yes(a.victims_considered, "victims considered"),
            _yes(a.self_assessment_used, "self-assessment"),
            _yes(a.learning_style_assessed, "learning style"),
            a.countersigned_by and f"countersigned by {a.countersigned_by}" + (f" on {a.countersigned_on}" if a.countersigned_on else ""),
        )
        stage = f" ({_v(a.stage)})" if a.stage else ""
        out.append(Entry(date, "assessment", f"{a.id} {_v(a.kind)}{stage}", detail, (a.id,)))
    for p in case.plans:
        detail = _join(
            f"created {p.created_on}" if p.created_on else "draft, never completed",
            p.addresses and "addresses " + ", ".join(_v(x) for x in p.addresses),
            p.incorporates and "incorporates " + ", ".join(p.incorporates),
            _yes(p.child_involved, "child involved"),
            p.countersigned_by and f"countersigned by {p.countersigned_by}",
        )
        out.append(Entry(p.created_on, "plan", f"{p.id} {_v(p.kind) if p.kind else 'plan'}", detail, (p.id,)))
    for r in case.reviews:
        refs = (r.id,) if r.id else ()
        out.append(Entry(r.date, "review", f"{r.id + ' ' if r.id else ''}review" + (f" ({_v(r.reason)})" if r.reason else ""),
                         "reviews " + ", ".join(r.reviews) if r.reviews else "", refs))
    for e in case.events:
        refs = tuple(x for x in (e.id, e.date and f"event {e.date}") if x)
        out.append(Entry(e.date, "event", f"{e.id + ' ' if e.id else ''}{_v(e.kind) if e.kind else 'event'}", e.description or "", refs))
    for c in case.contacts:
        out.append(Entry(c.date, "contact", f"contact: {_v(c.kind) if c.kind else 'contact'}",
                         _join(c.outcome and _v(c.outcome), c.by and f"by {c.by}"), (f"contact {c.date}",)))
    for x in case.enforcement:
        refs = (f"enforcement {x.date}",) if x.date else ()
        out.append(Entry(x.date, "enforcement", f"{_v(x.kind) if x.kind else 'enforcement'}",
                         f"for the absence of {x.relates_to}" if x.relates_to else "", refs))
    for o in case.oversight:
        refs = (f"oversight {o.date}",) if o.date else ()
        out.append(Entry(o.date, "oversight", f"oversight{' of ' + _v(o.subject) if o.subject else ''}",
                         _join(o.target and f"of {o.target}", o.by and f"by {o.by}", o.note), refs))
    for v in case.victims:
        refs = (v.id,) if v.id else ()
        out.append(Entry(v.identified_on, "victim", f"{v.id + ' ' if v.id else ''}victim identified", _join(
            v.contact_offered_on and f"contact offered {v.contact_offered_on}", v.declined and "declined contact",
            _yes(v.views_recorded, "views recorded"),
        ), refs))
    if case.mappa and case.mappa.eligible:
        out.append(Entry(case.mappa.notified_on or case.start_date, "case", "MAPPA eligible",
                         _join(case.mappa.category and f"category {case.mappa.category}",
                               f"notified {case.mappa.notified_on}" if case.mappa.notified_on else "not notified")))
    if case.custody and case.custody.secure_establishment_informed_on:
        out.append(Entry(case.custody.secure_establishment_informed_on, "case", "Secure establishment informed of vulnerability"))
    return out


_ORDER = {"case": 0, "assessment": 1, "plan": 2, "review": 3, "event": 4, "victim": 5, "contact": 6, "enforcement": 7, "oversight": 8, "due": 9}


def timeline(case: Case, findings: Sequence[Finding], as_of: dt.date) -> tuple[list[Entry], int]:
    """(entries in date order with their findings, how many records dated after ``as_of`` were left out).

    Undated records come last. Nothing dated after the as-of date exists for the audit, so it is left
    out here too.
    """
    every = records(case)
    entries = [e for e in every if e.date is None or e.date <= as_of]
    hidden = len(every) - len(entries)
    by_ref: dict[str, int] = {}
    for i, e in enumerate(entries):
        for ref in e.refs:
            by_ref.setdefault(ref, i)
    attached: dict[int, list[Finding]] = {}
    loose: list[Finding] = []
    for f in findings:
        i = _home(f, entries, by_ref)
        if i is None:
            loose.append(f)
        else:
            attached.setdefault(i, []).append(f)
    out = [Entry(e.date, e.kind, e.title, e.detail, e.refs, tuple(attached.get(i, ()))) for i, e in enumerate(entries)]
    for f in loose:  # the missing record, at the date it was due
        out.append(Entry(f.due_on or as_of, "due", f"due: {f.name}", "", (), (f,)))
    out.sort(key=lambda e: (e.date is None, e.date or dt.date.max, _ORDER.get(e.kind, 9)))
    return out, hidden


def _home(f: Finding, entries: Sequence[Entry], by_ref: dict[str, int]) -> int | None:
    if f.record is not None and f.record in by_ref:
        return by_ref[f.record]
    hits = [by_ref[r] for r in f.evidence if r in by_ref]
    if not hits:
        return None
    return max(hits, key=lambda i: (entries[i].date or dt.date.min, i))
