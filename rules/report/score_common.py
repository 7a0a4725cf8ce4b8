"""What the score writers share: how a percent, a count and a sample are worded."""

from __future__ import annotations

from collections.abc import Sequence

from rules.sampling import STRATA_WORDS
from rules.scoring import RuleScore, Score, Scores, Slice, Tally
from rules.words import plural

#: how many failing cases a human-readable report names for one rule (JSON names them all)
CASES_SHOWN = 12
#: how many of the worst gaps a human-readable report lists (JSON lists them all)
WORST_SHOWN = 10


def pct(shown: float | None) -> str:
    """``74.9%``, or ``-`` when nothing applied."""
    return "-" if shown is None else f"{shown:.1f}%"


def ratio(s: Score | RuleScore) -> str:
    return f"{s.met}/{s.applicable}"


def counted(r: RuleScore, n: int) -> str:
    """``3 cases`` or ``3 records`` (per-record rules count each record)."""
    return plural(n, "record" if r.per_record else "case")


def sentence(text: str) -> str:
    """Text ending in a full stop (a rule's summary, as a sentence)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def sample_line(scores: Scores) -> str | None:
    s = scores.sample
    if s is None:
        return None
    by = STRATA_WORDS.get(s.strata_by, s.strata_by)
    strata = ", ".join(f"{st.key} {st.sampled} of {st.population}" for st in s.strata)
    line = (
        f"Inspection-style sample: {s.size} of {s.population} cases, seed {s.seed}, "
        f"stratified by {by} ({strata})"
    )
    if s.requested is not None and s.requested > s.population:
        line += f"; {s.requested} were asked for, but there are only {plural(s.population, 'case')}: every one is scored"
    return line


def sampled_cases(scores: Scores) -> str | None:
    """``Sampled cases: C-0002, C-0007, ...``: every case of the sample (an inspector's list)."""
    s = scores.sample
    if s is None:
        return None
    return f"Sampled cases ({len(s.case_ids)}): " + (", ".join(s.case_ids) or "none")


def service_title(what: str, scores_or_report) -> str:
    """``Shire YJS: inspection-style scores``: a heading naming the service, when it is known."""
    service = getattr(scores_or_report, "service", None)
    return f"{service}: {what}" if service else what[:1].upper() + what[1:]


def scope_line(scores: Scores) -> str:
    line = f"{plural(scores.cases, 'case')} scored as of {scores.as_of}"
    if scores.as_of_reason:
        line += f" ({scores.as_of_reason})"
    if scores.rejected:
        line += f" ({plural(scores.rejected, 'case')} rejected for input errors, not scored)"
    return line


def failing_cases(r: RuleScore, limit: int | None = CASES_SHOWN) -> str:
    """``C-0002 (2), C-0006 and 3 more``: the cases where a rule was not met."""
    shown = r.failing if limit is None else r.failing[:limit]
    parts = [f.case_id + (f" ({f.count})" if f.count > 1 else "") for f in shown]
    text = ", ".join(parts)
    rest = len(r.failing) - len(shown)
    if rest:
        text += f" and {rest} more"
    return text


def cases_label(r: RuleScore) -> str:
    """``Cases``, or for a per-record rule ``Cases (records not met)``: what the bracketed counts are."""
    return "Cases (records not met)" if r.per_record and any(f.count > 1 for f in r.failing) else "Cases"


def slices(scores: Scores) -> list[Slice]:
    """The columns of a side-by-side breakdown: all cases first, then each team or case manager."""
    return [scores.overall, *scores.breakdown]


def overall(slice_: Slice) -> Tally:
    """Everything that applied in a slice, met or not, across its rules."""
    total = Tally()
    for r in slice_.rules:
        total = total + r.tally
    return total


def weakest_first(groups: Sequence[Slice]) -> list[Slice]:
    """A breakdown's groups, the lowest share met first (a group where nothing applied last)."""
    def key(sl: Slice):
        share = overall(sl).share
        return (share is None, share if share is not None else 0, sl.label.casefold())

    return sorted(groups, key=key)


def by_title(scores: Scores) -> str:
    return {"team": "team", "case-manager": "case manager"}.get(scores.by or "", scores.by or "")


def pick(slice_: Slice, kind: str, id: str) -> Score:
    return next(s for s in getattr(slice_, kind) if s.id == id)


# -- the key questions indicated by the records (``scores.indicated``) ------------------------------------

INDICATED_TITLE = "indicated by the records, not judged"


def indicated_heading(scores: Scores) -> str:
    fw = scores.indicated.framework
    return f"Key questions ({fw.label}), {INDICATED_TITLE}"


def indicated_note(scores: Scores) -> str:
    fw = scores.indicated.framework
    note = (
        "A case is indicated no when an indicator rule is not met (not waived), yes when one is met and none is "
        "not; inspectors judge by reading the cases (yos-audit review)."
    )
    if fw.provisional:
        note = f"{fw.id} is PROVISIONAL: its questions are not verified against a primary source. " + note
    return note


def indicated_question_cells(q) -> tuple[str, str, str]:
    """(label, yes/indicated, percent) of a key question's indicated view."""
    return f"{q.id} {q.question.text}", f"{q.indicated_yes}/{q.indicated_yes + q.indicated_no}", pct(q.indicated_shown)
