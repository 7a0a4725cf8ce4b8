"""``review --format text``: the standards with their ratings and ranges, then every key question."""

from __future__ import annotations

from rules.report.review_common import (
    DISAGREE_SHOWN,
    INDICATED,
    METHOD,
    agreement_text,
    disagreements,
    framework_line,
    indicated_text,
    interval,
    not_overall,
    overall_lines,
    pct,
    questions_of,
    rating_text,
    sample_lines,
    scope_line,
    sizing_lines,
    superseded_lines,
)
from rules.report.score_common import service_title
from rules.report.score_text import _table
from rules.review import ReviewResult
from rules.words import plural, visible_lines


def render(result: ReviewResult) -> str:
    roll = result.rollup
    out = [f"{service_title('case review', result)}: {scope_line(result)}", framework_line(result) + ".",
           *sample_lines(result), METHOD]
    out += ["", "Standards"]
    rows = [["", "reviewed", "rating (and what the sample allows)", INDICATED]]
    for s in roll.standards:
        rows.append([f"{s.id} {s.standard.title}", pct(s.shown), rating_text(s), indicated_text(s)])
    out += _table(rows, right=(1,))
    rated = sum(1 for s in roll.standards if s.rating is not None)
    out.append(f"  Case-level points: {roll.points} of {roll.max_points} ({plural(rated, 'standard')} rated). "
               f"{not_overall(roll.framework)}".rstrip())
    overall = overall_lines(result)
    if overall:
        out += ["", overall[0], *(f"  {line}" for line in overall[1:])]

    for s in roll.standards:
        out += ["", f"{s.id} {s.standard.title} ({s.standard.domain})"]
        for q in questions_of(result, s.id):
            out.append(f"  {q.id} [{q.question.lens}] {q.question.text}")
            out.append(
                f"    reviewed: yes {q.yes}, no {q.no}, na {q.na}, unanswered {q.unanswered}: {pct(q.shown)}"
                f" (95% range {interval(q)})"
            )
            out.append(
                f"    indicated: yes {q.indicated_yes}, no {q.indicated_no}: {pct(q.indicated_shown)};"
                f" reviewers agree with the indication in {agreement_text(q)}"
            )

    out += ["", "Where reviewers and the records disagree most"]
    worst = disagreements(result)
    if not worst:
        out.append("  nowhere yet" if any(q.agreement_cases for q in roll.questions) else "  nothing to compare yet")
    for q in worst[:DISAGREE_SHOWN]:
        out.append(
            f"  {q.id} {q.question.text} agree in {q.agreement_same} of {q.agreement_cases} "
            f"({100 * q.agreement_same / q.agreement_cases:.0f}%)"
        )
    sizing = sizing_lines(result)
    if sizing:
        out += ["", "Sample size", *(f"  {line}" for line in sizing)]
    if result.superseded:
        out += ["", "Superseded reviews (a later review of the case counts)", *(f"  {line}" for line in superseded_lines(result))]
    errors = sum(1 for p in result.problems if p.level == "error")
    if result.problems:
        out += ["", f"{plural(len(result.problems), 'input problem')} ({plural(errors, 'error')}): see standard error or --format json"]
    return visible_lines(out) + "\n"
