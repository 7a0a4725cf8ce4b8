"""``review --format html``: one self-contained page for a board: each standard's rating with the range
the sample allows, and each key question's percentage drawn with its 95% interval and the percentage
the records indicate.

Inline CSS and inline SVG only, as ``score``'s page: no script, no font, no link that reaches the
network. Every string from the data is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

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
from rules.report.score_html import COLOURS, CSS, e
from rules.review import ReviewResult
from rules.scales import Scale
from rules.scoring import QuestionRollup
from rules.words import plural

LABEL_W, BAR_W, VALUE_W, ROW_H, TOP = 300, 360, 230, 30, 24
EXTRA_CSS = """
.provisional { background: #fff3cd; border: 1px solid #f0a30a; padding: .4rem .6rem; }
.legend { font-size: .85rem; color: #444; }
"""


def _colour(scale: Scale, share) -> str:
    label = scale.classify(share)
    if label is None:
        return "#9e9e9e"
    return COLOURS[min(scale.rank(label), len(COLOURS) - 1)]


def question_chart(title: str, rows: Sequence[QuestionRollup], scale: Scale) -> str:
    """A bar a question (the reviewed percent, coloured by its rating), its 95% interval as a line with
    end ticks, and the indicated percent as a hollow diamond; the rating thresholds dashed."""
    height = TOP + ROW_H * len(rows) + 8
    width = LABEL_W + BAR_W + VALUE_W
    x0 = LABEL_W
    out = [(f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img">'
           f"<title>{e(title)}</title>")]
    for tick in (0, *sorted(float(t) for _, t in scale.thresholds), 100):
        x = x0 + BAR_W * tick / 100
        out.append(f'<text class="tick" x="{x:.1f}" y="12" text-anchor="middle">{tick:g}%</text>')
    for i, q in enumerate(rows):
        y = TOP + i * ROW_H
        mid = y + ROW_H / 2
        desc = (f"{q.id}: {pct(q.shown)} yes of {q.yes + q.no} answered, 95% range {interval(q)}; "
                f"indicated {pct(q.indicated_shown)}")
        out.append(f"<g><title>{e(desc)}</title>")
        out.append(f'<text x="{LABEL_W - 8}" y="{mid + 4:.1f}" text-anchor="end">{e(q.id + " " + q.question.lens)}</text>')
        out.append(f'<rect x="{x0}" y="{y + 6}" width="{BAR_W}" height="{ROW_H - 12}" fill="#eeeeee"/>')
        if q.share is not None:
            w = BAR_W * float(q.share) / 100
            out.append(f'<rect x="{x0}" y="{y + 6}" width="{w:.1f}" height="{ROW_H - 12}" fill="{_colour(scale, q.share)}"/>')
            lo, hi = (x0 + BAR_W * v / 100 for v in q.ci)
            out.append(f'<line x1="{lo:.1f}" y1="{mid:.1f}" x2="{hi:.1f}" y2="{mid:.1f}" stroke="#1b1b1b" stroke-width="2"/>')
            for x in (lo, hi):
                out.append(f'<line x1="{x:.1f}" y1="{mid - 6:.1f}" x2="{x:.1f}" y2="{mid + 6:.1f}" stroke="#1b1b1b" stroke-width="2"/>')
        if q.indicated_share is not None:
            x = x0 + BAR_W * float(q.indicated_share) / 100
            out.append(f'<polygon points="{x:.1f},{mid - 7:.1f} {x + 6:.1f},{mid:.1f} {x:.1f},{mid + 7:.1f} {x - 6:.1f},{mid:.1f}" '
                       'fill="none" stroke="#1d3557" stroke-width="2"/>')
        value = f"{pct(q.shown)} ({interval(q)})" if q.share is not None else "not answered"
        value += f" · ind. {pct(q.indicated_shown)}"
        out.append(f'<text x="{x0 + BAR_W + 8}" y="{mid + 4:.1f}">{e(value)}</text></g>')
    for _, t in scale.thresholds:
        x = x0 + BAR_W * float(t) / 100
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{height - 4}" stroke="#555" stroke-width="1" stroke-dasharray="3,3"/>')
    out.append("</svg>")
    return "".join(out)


def render(result: ReviewResult) -> str:
    roll = result.rollup
    scale = roll.ratings
    fw = result.framework
    title = service_title(f"case review ({fw.label}) as of {result.as_of}", result)
    body = [f"<h1>{e(title)}</h1>", f'<p class="scope">{e(scope_line(result))}.</p>']
    cls = "scope provisional" if fw.provisional else "scope"
    body.append(f'<p class="{cls}">{e(framework_line(result))}.</p>')
    body += [f'<p class="scope">{e(line)}</p>' for line in sample_lines(result)]
    body.append(f'<p class="scope">{e(METHOD)}</p>')

    body.append('<section><h2 id="standards">Standards</h2><table><thead><tr><th>Standard</th><th>Reviewed</th>'
                f"<th>Rating (and what the sample allows)</th><th>{e(INDICATED.capitalize())}</th></tr></thead><tbody>")
    for s in roll.standards:
        rank = scale.rank(s.rating)
        band = f' class="band b{min(rank, 3)}"' if rank is not None else ' class="na"'
        body.append(f"<tr><td>{e(s.id)} {e(s.standard.title)}</td><td class=\"num\">{e(pct(s.shown))}</td>"
                    f"<td{band}>{e(rating_text(s))}</td><td>{e(indicated_text(s))}</td></tr>")
    body.append("</tbody></table>")
    overall = "".join(
        f'\n<p class="overall"><strong>{e(lines[0])}</strong><br>{"<br>".join(e(x) for x in lines[1:])}</p>'
        for lines in [overall_lines(result)] if lines
    )
    body.append(f"<p>Case-level points: <strong>{roll.points} of {roll.max_points}</strong>. {e(not_overall(roll.framework))}</p>{overall}</section>")

    body.append('<section><h2 id="questions">Key questions</h2>'
                '<p class="legend">Bar: the share of reviewed cases answered yes, coloured by its rating. Black line: '
                "the 95% range a sample of this size allows. Hollow diamond: the share the records indicate "
                "(not judged). Dashed lines: the rating thresholds.</p>")
    for s in roll.standards:
        qs = questions_of(result, s.id)
        body.append(f"<h3>{e(s.id)} {e(s.standard.title)} <span class=\"cases\">({e(s.standard.domain)})</span></h3>")
        body.append(question_chart(f"{s.id} {s.standard.title}", qs, scale))
        body.append("<table><thead><tr><th>Question</th><th>Yes</th><th>No</th><th>NA</th><th>Unanswered</th>"
                    "<th>Percent</th><th>95% range</th><th>Indicated</th><th>Agreement</th></tr></thead><tbody>")
        for q in qs:
            body.append(
                f"<tr><td>{e(q.id)} {e(q.question.text)}</td><td class=\"num\">{q.yes}</td><td class=\"num\">{q.no}</td>"
                f"<td class=\"num\">{q.na}</td><td class=\"num\">{q.unanswered}</td><td class=\"num\">{e(pct(q.shown))}</td>"
                f"<td class=\"num\">{e(interval(q))}</td><td class=\"num\">{e(pct(q.indicated_shown))}</td>"
                f"<td class=\"num\">{e(agreement_text(q))}</td></tr>"
            )
        body.append("</tbody></table>")
    body.append("</section>")

    worst = disagreements(result)
    body.append('<section><h2 id="disagree">Where reviewers and the records disagree most</h2>')
    if not worst:
        body.append("<p>Nowhere yet.</p>")
    else:
        body.append("<ol>" + "".join(
            f"<li>{e(q.id)} {e(q.question.text)}: reviewers agree with the indication in "
            f"{q.agreement_same} of {plural(q.agreement_cases, 'case')}</li>" for q in worst[:DISAGREE_SHOWN]) + "</ol>")
        body.append("<p>Where the records and the reading tell different stories, the inspectors will notice.</p>")
    body.append("</section>")
    sizing = sizing_lines(result)
    if sizing:
        body.append('<section><h2 id="sample">Sample size</h2><ul>' + "".join(f"<li>{e(line)}</li>" for line in sizing) + "</ul></section>")
    if result.superseded:
        body.append('<section><h2 id="superseded">Superseded reviews</h2><ul>'
                    + "".join(f"<li>{e(line)}</li>" for line in superseded_lines(result)) + "</ul></section>")
    if result.problems:
        body.append('<section><h2 id="problems">Input problems</h2><ul>'
                    + "".join(f"<li>{e(str(p))}</li>" for p in result.problems) + "</ul></section>")
    rating_text_ = "; ".join(f"{label} {rng}" for label, rng in scale.describe())
    body.append(
        f"<footer><p>Ratings: {e(rating_text_)}, judged on the exact share (79.9% is Good); percents print to one "
        "decimal and are never rounded up into a better rating. The answers are the reviewers' judgement; "
        "the indications come from the case records and only sit beside them.</p></footer>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}{EXTRA_CSS}</style></head>\n"
        "<body><main>\n" + "\n".join(body) + "\n</main></body></html>\n"
    )
