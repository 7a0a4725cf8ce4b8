"""``score --format html``: one self-contained page of scores with bar charts.

Inline CSS and inline SVG only: no script, no font, no image or link that reaches the network, so the
file can be mailed to a board or opened offline. Every string from the data is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from rules.report.score_common import (
    WORST_SHOWN,
    by_title,
    cases_label,
    counted,
    failing_cases,
    indicated_heading,
    indicated_note,
    indicated_question_cells,
    pct,
    pick,
    ratio,
    sample_line,
    sampled_cases,
    scope_line,
    sentence,
    service_title,
    slices,
)
from rules.scoring import Scale, Score, Scores
from rules.words import plural

#: bar colours by band position, best first (colour is never the only cue: the band is written too)
COLOURS = ("#2e7d32", "#f0a30a", "#e65100", "#b71c1c")
NONE_COLOUR = "#9e9e9e"

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #1b1b1b; margin: 0; background: #fafafa; }
main { max-width: 1100px; margin: 0 auto; padding: 1.5rem; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #1d3557; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
p.scope { color: #444; margin: .2rem 0; }
table { border-collapse: collapse; margin: .6rem 0; font-size: .92rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef2f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.section td { background: #f4f4f4; font-weight: 600; }
.band { font-weight: 600; white-space: nowrap; }
.b0 { color: #1b5e20; } .b1 { color: #8a5a00; } .b2 { color: #bf360c; } .b3 { color: #b71c1c; }
.na { color: #757575; }
svg.chart { width: 100%; max-width: 820px; height: auto; display: block; margin: .4rem 0 1rem; }
svg.chart text { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; font-size: 12px; fill: #1b1b1b; }
svg.chart text.tick { font-size: 10px; fill: #555; }
ol.worst li { margin-bottom: .5rem; }
.cases { color: #444; font-size: .9rem; }
details { margin: .4rem 0; }
footer { margin-top: 2rem; font-size: .85rem; color: #555; }
@media print { body { background: #fff; } main { padding: 0; } h2 { break-after: avoid; } svg.chart { break-inside: avoid; } }
"""

LABEL_W, BAR_W, VALUE_W, ROW_H, TOP = 330, 300, 190, 24, 22


def e(text: object) -> str:
    return escape(str(text), quote=True)


def _band_index(scale: Scale | None, band: str | None) -> int | None:
    if scale is None or band is None or band not in scale.labels:
        return None
    return scale.labels.index(band)


def _clip(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


def bar_chart(title: str, rows: Sequence[tuple[str, Score]], scale: Scale | None) -> str:
    """A horizontal bar a row (0-100%), with the band thresholds of ``scale`` as dashed lines."""
    height = TOP + ROW_H * len(rows) + 8
    width = LABEL_W + BAR_W + VALUE_W
    out = [
        (f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img"><title>{e(title)}</title>')
    ]
    x0 = LABEL_W
    for tick in (0, 25, 50, 75, 100) if scale is None else (0, *sorted(float(t) for _, t in scale.thresholds), 100):
        x = x0 + BAR_W * tick / 100
        out.append(f'<text class="tick" x="{x:.1f}" y="12" text-anchor="middle">{tick:g}%</text>')
    for i, (label, s) in enumerate(rows):
        y = TOP + i * ROW_H
        desc = f"{label}: " + (f"{pct(s.shown)} ({ratio(s)})" + (f", {s.band}" if s.band else "") if s.applicable else "not applicable in any case")
        out.append(f"<g><title>{e(desc)}</title>")
        out.append(f'<text x="{LABEL_W - 8}" y="{y + 16}" text-anchor="end">{e(_clip(label))}</text>')
        out.append(f'<rect x="{x0}" y="{y + 4}" width="{BAR_W}" height="{ROW_H - 8}" fill="#eeeeee"/>')
        if s.applicable:
            idx = _band_index(scale, s.band)
            colour = COLOURS[min(idx, len(COLOURS) - 1)] if idx is not None else "#1d3557"
            w = BAR_W * (s.percent or 0) / 100
            out.append(f'<rect x="{x0}" y="{y + 4}" width="{w:.1f}" height="{ROW_H - 8}" fill="{colour}"/>')
            value = f"{pct(s.shown)}" + (f" {s.band}" if s.band else "")
        else:
            value = "not applicable"
        out.append(f'<text x="{x0 + BAR_W + 8}" y="{y + 16}">{e(value)}</text></g>')
    if scale is not None:
        for _, t in scale.thresholds:
            x = x0 + BAR_W * float(t) / 100
            out.append(
                f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{height - 4}" stroke="#555" '
                'stroke-width="1" stroke-dasharray="3,3"/>'
            )
    out.append("</svg>")
    return "".join(out)


def _band_cell(s: Score, scale: Scale | None) -> str:
    if not s.applicable:
        return '<td class="na">not applicable in any case</td>'
    if s.band is None:
        return "<td></td>"
    idx = _band_index(scale, s.band)
    cls = f" b{min(idx, 3)}" if idx is not None else ""
    return f'<td class="band{cls}">{e(s.band)}</td>'


def _score_row(label: str, s: Score, scale: Scale | None, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return (
        f"<tr{attr}><td>{e(label)}</td><td class=\"num\">{e(pct(s.shown))}</td>"
        f"<td class=\"num\">{e(ratio(s))}</td>{_band_cell(s, scale)}</tr>"
    )


def _table(head: str, rows: Sequence[str], band_head: str) -> str:
    return (
        f"<table><thead><tr><th>{e(head)}</th><th>Score</th><th>Met / applicable</th><th>{e(band_head)}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render(scores: Scores) -> str:
    bands, ratings = scores.settings.bands, scores.settings.ratings
    title = service_title(f"inspection-style scores as of {scores.as_of}", scores)
    body: list[str] = [f"<h1>{e(title)}</h1>", f'<p class="scope">{e(scope_line(scores))}.</p>']
    sample = sample_line(scores)
    if sample:
        body.append(f'<p class="scope">{e(sample)}.</p>')
        body.append(f'<p class="scope">{e(sampled_cases(scores))}.</p>')
    body.append(
        '<p class="scope">Each score is the share of everything that applied, across all the cases, that was done '
        "well enough: met &#247; (met + not met). Work not yet due and requirements that do not apply are not counted.</p>"
    )

    body.append('<section><h2 id="headline">Headline scores</h2>')
    body.append(bar_chart("Headline scores", [(s.title, s) for s in scores.headline], bands))
    body.append(_table("Theme", [_score_row(s.title, s, bands) for s in scores.headline], "Improvement required"))
    body.append("</section>")

    body.append('<section><h2 id="criteria">Criteria (2012 inspection framework)</h2>')
    body.append(bar_chart("Scores by criterion", [(f"{s.id} {s.title}", s) for s in scores.criteria], bands))
    rows, current = [], None
    for s in scores.criteria:
        section = s.id.split(".")[0]
        if section != current:
            current = section
            sec = scores.overall.section(section)
            rows.append(_score_row(f"Section {sec.id}: {sec.title}", sec, None, "section"))
        rows.append(_score_row(f"{s.id} {s.title}", s, bands))
    body.append(_table("Criterion", rows, "Improvement required"))
    body.append("</section>")

    body.append('<section><h2 id="standards">Standards (2018+ inspection framework)</h2>')
    body.append(bar_chart("Scores by standard", [(s.title, s) for s in scores.standards], ratings))
    body.append(_table("Standard", [_score_row(s.title, s, ratings) for s in scores.standards], "Rating"))
    body.append("</section>")
    if scores.indicated is not None:
        body.append(f'<section><h2 id="indicated">{e(indicated_heading(scores))}</h2><p class="scope">{e(indicated_note(scores))}</p>')
        body.append("<table><thead><tr><th>Standard or key question</th><th>Cases yes / indicated</th><th>Percent</th>"
                    "<th>Rating</th></tr></thead><tbody>")
        for s in scores.indicated.standards:
            body.append(f'<tr class="section"><td>{e(s.id)} {e(s.standard.title)}</td><td></td>'
                        f'<td class="num">{e(pct(s.indicated_shown))}</td><td>{e(s.indicated_rating or "-")}</td></tr>')
            for q in scores.indicated.questions:
                if q.question.standard == s.id:
                    label, ratio_, percent = indicated_question_cells(q)
                    body.append(f'<tr><td>{e(label)}</td><td class="num">{e(ratio_)}</td><td class="num">{e(percent)}</td><td></td></tr>')
        body.append("</tbody></table></section>")

    if scores.breakdown:
        cols = slices(scores)
        who = by_title(scores)
        body.append(f'<section><h2 id="breakdown">By {e(who)}</h2>')
        head = "".join(f"<th>{e(c.label)} ({c.cases})</th>" for c in cols)
        trs = []
        for heading, kind, items, scale in (
            ("Headline", "headline", scores.headline, bands),
            ("Criteria", "criteria", scores.criteria, bands),
            ("Standards", "standards", scores.standards, ratings),
        ):
            trs.append(f'<tr class="section"><td colspan="{len(cols) + 1}">{e(heading)}</td></tr>')
            for s in items:
                name = f"{s.id} {s.title}" if kind == "criteria" else s.title
                cells = []
                for c in cols:
                    x = pick(c, kind, s.id)
                    if not x.applicable:
                        cells.append('<td class="num na">-</td>')
                    else:
                        idx = _band_index(scale, x.band)
                        cls = f" b{min(idx, 3)}" if idx is not None else ""
                        cells.append(
                            f'<td class="num">{e(pct(x.shown))} <span class="band{cls}">{e(x.band or "")}</span> '
                            f"({e(ratio(x))})</td>"
                        )
                trs.append(f"<tr><td>{e(name)}</td>{''.join(cells)}</tr>")
        body.append(f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(trs)}</tbody></table>")
        body.append(f"<h3>Each criterion, {e(who)} by {e(who)}</h3>")
        for kind, items, scale in (("headline", scores.headline, bands), ("criteria", scores.criteria, bands)):
            for s in items:
                name = f"{s.id} {s.title}" if kind == "criteria" else s.title
                body.append(f"<h3>{e(name)}</h3>")
                body.append(bar_chart(f"{name} by {who}", [(c.label, pick(c, kind, s.id)) for c in cols], scale))
        body.append(f"<h3>Each {e(who)}</h3>")
        for c in scores.breakdown:
            body.append(f"<details><summary>{e(c.label)} ({plural(c.cases, 'case')})</summary>")
            body.append(bar_chart(f"{c.label}: scores by criterion", [(f"{s.id} {s.title}", s) for s in c.criteria], bands))
            body.append("</details>")
        body.append("</section>")

    body.append('<section><h2 id="worst">What to put right first</h2>')
    if not scores.cases:
        body.append("<p>No case was scored: nothing here is a result (the input problems say why).</p>")
    elif not scores.worst:
        body.append("<p>Every requirement that applied was met.</p>")
    else:
        items = []
        for r in scores.worst[:WORST_SHOWN]:
            items.append(
                f"<li><strong>{e(r.rule)} {e(r.name)}</strong>: not met in {r.not_met} of the "
                f"{e(counted(r, r.applicable))} where it applied ({e(pct(r.shown))} met). {e(sentence(r.summary))}"
                f'<div class="cases">{e(cases_label(r))}: {e(failing_cases(r))}</div></li>'
            )
        body.append(f'<ol class="worst">{"".join(items)}</ol>')
        if len(scores.worst) > WORST_SHOWN:
            body.append(f"<p>{len(scores.worst) - WORST_SHOWN} more rules were not always met: see every rule below.</p>")
    body.append("</section>")

    body.append('<section><h2 id="rules">Every rule</h2><table><thead><tr><th>Rule</th><th>What it checks</th>'
                "<th>Criterion</th><th>Standard</th><th>Met / applicable</th><th>Score</th></tr></thead><tbody>")
    for r in scores.rules:
        unit = " records" if r.per_record else ""
        body.append(
            f"<tr><td>{e(r.rule)} {e(r.name)}</td><td>{e(r.summary)}</td><td>{e(r.criterion)}</td>"
            f"<td>{e(r.standard or '')}</td><td class=\"num\">{e(ratio(r) + unit)}</td><td class=\"num\">{e(pct(r.shown))}</td></tr>"
        )
    body.append("</tbody></table></section>")

    band_text = "; ".join(f"{label} {rng}" for label, rng in bands.describe())
    rating_text = "; ".join(f"{label} {rng}" for label, rng in ratings.describe())
    body.append(
        "<footer><p>Improvement bands (criteria and headline): "
        f"{e(band_text)}. Ratings (standards): {e(rating_text)}. The band is judged on the exact share "
        "(74.9% is MODERATE, 75.0% MINIMUM); scores print to one decimal and are never rounded up into a "
        "better band. A score that applied in no case is left out, never counted as 0% or 100%.</p>"
        "<p>Made by yos-audit from the case records; inspectors also judge the quality of the work, which "
        "no record check can.</p></footer>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head>\n"
        "<body><main>\n" + "\n".join(body) + "\n</main></body></html>\n"
    )
