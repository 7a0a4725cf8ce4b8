"""``review --format markdown``: the review as tables, for a wiki or a board paper."""

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
from rules.report.score_markdown import esc
from rules.review import ReviewResult


def render(result: ReviewResult) -> str:
    e = esc
    roll = result.rollup
    out = [f"# {e(service_title(f'case review as of {result.as_of}', result))}", "", e(scope_line(result)) + ".", ""]
    out.append(e(framework_line(result)) + ".")
    out += [*(f"\n{e(line)}" for line in sample_lines(result)), "", e(METHOD), "", "## Standards", ""]
    out += [f"| Standard | Reviewed | Rating | {INDICATED.capitalize()} |", "|---|---:|---|---|"]
    for s in roll.standards:
        out.append(f"| {e(s.id)} {e(s.standard.title)} | {pct(s.shown)} | {e(rating_text(s))} | {e(indicated_text(s))} |")
    out += ["", f"Case-level points: {roll.points} of {roll.max_points}. {e(not_overall(roll.framework))}".rstrip()]
    overall = overall_lines(result)
    if overall:
        out += ["", f"**{e(overall[0])}**", *(x for line in overall[1:] for x in ("", e(line)))]
    out += ["", "## Key questions"]
    for s in roll.standards:
        out += ["", f"### {e(s.id)} {e(s.standard.title)}", ""]
        out += ["| Question | Yes | No | NA | Unanswered | Percent | 95% range | Indicated | Agreement |",
                "|---|---:|---:|---:|---:|---:|---|---:|---|"]
        for q in questions_of(result, s.id):
            out.append(
                f"| {e(q.id)} {e(q.question.text)} | {q.yes} | {q.no} | {q.na} | {q.unanswered} | {pct(q.shown)} | "
                f"{interval(q)} | {pct(q.indicated_shown)} | {agreement_text(q)} |"
            )
    worst = disagreements(result)
    out += ["", "## Where reviewers and the records disagree most", ""]
    if not worst:
        out.append("Nowhere yet.")
    for q in worst[:DISAGREE_SHOWN]:
        out.append(f"- {e(q.id)} {e(q.question.text)}: agree in {q.agreement_same} of {q.agreement_cases}")
    sizing = sizing_lines(result)
    if sizing:
        out += ["", "## Sample size", "", *(f"- {e(line)}" for line in sizing)]
    if result.superseded:
        out += ["", "## Superseded reviews", "", *(f"- {e(line)}" for line in superseded_lines(result))]
    if result.problems:
        out += ["", "## Input problems", "", *(f"- {e(str(p))}" for p in result.problems)]
    return "\n".join(out) + "\n"
