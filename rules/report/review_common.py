"""What the review writers share: how a rating, a range, an interval and a disagreement are worded."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from rules.sampling import STRATA_WORDS
from rules.words import plural

if TYPE_CHECKING:  # the command line reads REVIEW_FORMATS here to build its parser: the rest when it reviews
    from collections.abc import Sequence

    from rules.review import ReviewResult
    from rules.scoring import QuestionRollup, StandardRollup

#: ``yos-audit review --format`` choices.
REVIEW_FORMATS: tuple[str, ...] = ("text", "json", "markdown", "html")
#: how many questions "where reviewers and indications disagree most" lists (JSON: every question)
DISAGREE_SHOWN = 5

INDICATED = "indicated by the records, not judged"
METHOD = (
    "Percent = yes / (yes + no) over the reviewed cases a question covers (na and unanswered not counted); "
    "a standard is rated on its lowest question, on the exact share; the range is the 95% Wilson interval's."
)


def not_overall(framework) -> str:
    """What the case-level points leave out, for a framework with an overall rating (hmip-2018: 5
    organisational standards, 36 points); nothing for one without (hmip-2025 says nothing of it)."""
    if framework.overall is None or not framework.organisational:
        return ""
    return (f"Case-level points only: HMIP's overall rating adds {len(framework.organisational)} organisational "
            f"standards ({framework.total_max_points} points), which no case review can judge.")


def overall_lines(result: ReviewResult) -> list[str]:
    """The overall rating with the service's own organisational ratings, labelled as theirs: a headline
    (the total and its band, or what it still needs) and the ratings entered. Nothing when the config
    enters none: the tool never gives an overall rating from cases alone."""
    o = result.rollup.overall
    if o is None:
        return []
    fw = result.framework
    head = f"Overall, with the service's own organisational ratings ({o.entered_in or 'the config'}): "
    if o.complete:
        head += f"{o.total} of {o.total_of} points: {o.band}"
        if o.unconfirmed_edges:
            edges = " and ".join(f"{low}/{high}" for low, high in o.unconfirmed_edges)
            head += f" (band {'edges' if len(o.unconfirmed_edges) > 1 else 'edge'} {edges} unconfirmed)"
    else:
        needs = []
        if o.not_entered:
            needs.append("not entered: " + ", ".join(f"{i} {fw.organisational_standard(i).title}" for i in o.not_entered))
        if o.unrated:
            needs.append("not rated from the cases yet: " + ", ".join(f"{i} {fw.standard(i).title}" for i in o.unrated))
        head += f"no total until every standard has a rating ({'; '.join(needs)})"
    entered = ", ".join(f"{i} {r or 'not entered'}" for i, r in o.ratings.items())
    detail = (f"Organisational standards as the service rates them, not judged by this tool: {entered}: {o.points} of "
              f"{o.of} points; case-level {result.rollup.points} of {result.rollup.max_points}.")
    return [head, detail]


def pct(shown: float | None) -> str:
    return "-" if shown is None else f"{shown:.1f}%"


def interval(q: QuestionRollup) -> str:
    """``54.8-91.0``, or ``-``."""
    return "-" if q.ci_shown is None else f"{q.ci_shown[0]:.1f}-{q.ci_shown[1]:.1f}"


def rating_text(s: StandardRollup) -> str:
    """``Good (could be Requires improvement to Outstanding)``; ``not reviewed``."""
    if s.rating is None:
        return "not reviewed"
    low, high = s.rating_range
    if low == high:
        return f"{s.rating} (the sample settles it)"
    return f"{s.rating} (could be {low} to {high})"


def indicated_text(s: StandardRollup) -> str:
    return "-" if s.indicated_rating is None else f"{pct(s.indicated_shown)} {s.indicated_rating}"


def scope_line(result: ReviewResult) -> str:
    line = f"{result.reviewed} of {plural(result.cases, 'case')} reviewed, as of {result.as_of}"
    if result.as_of_reason:
        line += f" ({result.as_of_reason})"
    if result.rejected:
        line += f"; {plural(result.rejected, 'case')} rejected for input errors"
    return line


def framework_line(result: ReviewResult) -> str:
    fw = result.framework
    text = f"Framework {fw.label}: {fw.title}"
    if fw.provisional:
        text += ". PROVISIONAL: its questions and roll-up are not verified against a primary source"
    return text


def agreement_text(q: QuestionRollup) -> str:
    if not q.agreement_cases:
        return "-"
    return f"{q.agreement_same} of {q.agreement_cases}"


def disagreements(result: ReviewResult) -> list[QuestionRollup]:
    """Questions where reviewers' answers and the indications disagree, most first (share of agreement,
    then more cases compared, then the framework's order)."""
    order = {q.id: i for i, q in enumerate(result.rollup.questions)}
    found = [q for q in result.rollup.questions if q.agreement_cases and q.agreement_same < q.agreement_cases]
    return sorted(found, key=lambda q: (q.agreement_same / q.agreement_cases, -q.agreement_cases, order[q.id]))


def sample_lines(result: ReviewResult) -> list[str]:
    s = result.sample
    if s is None:
        return []
    done = sum(1 for c in s.cases if c in result.counted and result.counted[c].answers)
    strata = f", stratified by {STRATA_WORDS.get(s.strata, s.strata)}" if s.strata else ""
    drawn = f"{s.size} of {plural(s.population, 'case')}" if s.population else plural(s.size, "case")
    return [f"Sample: {drawn} drawn with seed {s.seed}{strata}; {done} of {len(s.cases)} reviewed."]


def sizing_lines(result: ReviewResult) -> list[str]:
    return [line for item in result.sizing for line in ([item] if isinstance(item, str) else [item.text])]


def superseded_lines(result: ReviewResult) -> list[str]:
    return [f"{r.case} by {r.reviewer} on {r.reviewed_on} ({r.file} {r.where})" for r in result.superseded]


def questions_of(result: ReviewResult, standard_id: str) -> Sequence[QuestionRollup]:
    return [q for q in result.rollup.questions if q.question.standard == standard_id]


def output_review(result: ReviewResult, fmt: str):
    from rules.report import encoded, review_json

    return encoded(review_json.document(result)) if fmt == "json" else render_review(result, fmt)


def render_review(result: ReviewResult, fmt: str) -> str:
    """The review in one of :data:`REVIEW_FORMATS` (only that format's writer is imported)."""
    if fmt not in REVIEW_FORMATS:
        raise KeyError(fmt)
    return importlib.import_module(f"rules.report.review_{fmt}").render(result)
