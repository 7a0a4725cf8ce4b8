"""``score --format markdown``: an inspection-readiness report to hand to a management board."""

from __future__ import annotations

import re

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
from rules.scoring import Score, Scores
from rules.words import visible

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!&])")


def esc(text: object) -> str:
    """Text from the data, inert in Markdown: controls shown as escapes (:func:`~rules.words.visible`),
    special characters escaped (``&`` too: an entity could bring a control back), spaces run together."""
    return _SPECIAL.sub(r"\\\1", " ".join(visible(str(text)).split()))


def _band(s: Score) -> str:
    return esc(s.band) if s.applicable else "not applicable in any case"


def _headline_sentence(s: Score) -> str:
    if not s.applicable:
        return f"- **{esc(s.title)}**: no work of this kind applied in the cases scored."
    return (
        f"- **{esc(s.title)}**: {pct(s.shown)} of the work judged was done well enough "
        f"({s.met} of {s.applicable}): **{esc(s.band)} improvement required**."
    )


def render(scores: Scores) -> str:
    out = [
        f"# {esc(service_title(f'inspection readiness: scores as of {scores.as_of}', scores))}",
        "",
        (f"{esc(scope_line(scores))}. The scores follow the inspectors' method (HM Inspectorate "
        "of Probation, Core Case Inspection, Appendix 5): each score is the share of everything that "
        "applied, across all the cases, that was done well enough."),
        "",
    ]
    sample = sample_line(scores)
    if sample:
        out += [f"{esc(sample)}.", "", f"{esc(sampled_cases(scores))}.", ""]

    out += ["## Headline scores", ""]
    out += [_headline_sentence(s) for s in scores.headline]
    out += ["", "| Theme | Score | Met / applicable | Improvement required |", "|---|---:|---:|---|"]
    out += [f"| {esc(s.title)} | {pct(s.shown)} | {ratio(s)} | {_band(s)} |" for s in scores.headline]
    out.append("")

    out += ["## What to put right first", ""]
    if not scores.cases:
        out += ["No case was scored: nothing here is a result (the input problems say why).", ""]
    elif not scores.worst:
        out += ["Every requirement that applied was met.", ""]
    else:
        out += ["The requirements missed most often, with the cases to look at:", ""]
        for n, r in enumerate(scores.worst[:WORST_SHOWN], 1):
            out.append(
                f"{n}. **{esc(r.rule)} {esc(r.name)}**: not met in {r.not_met} of the {counted(r, r.applicable)} "
                f"where it applied ({pct(r.shown)} met). {esc(sentence(r.summary))} {cases_label(r)}: {esc(failing_cases(r))}."
            )
        if len(scores.worst) > WORST_SHOWN:
            out.append(f"\n{len(scores.worst) - WORST_SHOWN} more rules were not always met; see the table of every rule below.")
        out.append("")

    out += [
        "## Criteria (2012 inspection framework)", "",
        "| Criterion | Score | Met / applicable | Improvement required |", "|---|---:|---:|---|",
    ]
    current = None
    for s in scores.criteria:
        section = s.id.split(".")[0]
        if section != current:
            current = section
            sec = scores.overall.section(section)
            out.append(f"| **Section {esc(sec.id)}: {esc(sec.title)}** | **{pct(sec.shown)}** | **{ratio(sec)}** | |")
        out.append(f"| {esc(s.id)} {esc(s.title)} | {pct(s.shown)} | {ratio(s)} | {_band(s)} |")
    out.append("")

    out += [
        "## Standards (2018+ inspection framework)", "",
        "| Standard | Score | Met / applicable | Rating |", "|---|---:|---:|---|",
    ]
    out += [f"| {esc(s.title)} | {pct(s.shown)} | {ratio(s)} | {_band(s)} |" for s in scores.standards]
    if scores.indicated is not None:
        out += ["", f"## {esc(indicated_heading(scores))}", "", esc(indicated_note(scores)), "",
                "| Standard or key question | Cases yes / indicated | Percent | Rating |", "|---|---:|---:|---|"]
        for s in scores.indicated.standards:
            out.append(f"| **{esc(s.id)} {esc(s.standard.title)}** |  | {pct(s.indicated_shown)} | {esc(s.indicated_rating or '-')} |")
            for q in scores.indicated.questions:
                if q.question.standard == s.id:
                    label, ratio_, percent = indicated_question_cells(q)
                    out.append(f"| {esc(label)} | {ratio_} | {percent} |  |")
    out.append("")

    if scores.breakdown:
        cols = slices(scores)
        out += [f"## By {by_title(scores)}", ""]
        out.append("| | " + " | ".join(f"{esc(c.label)} ({c.cases})" for c in cols) + " |")
        out.append("|---|" + "---:|" * len(cols))
        for heading, kind, items in (
            ("Headline", "headline", scores.headline),
            ("Criteria", "criteria", scores.criteria),
            ("Standards", "standards", scores.standards),
        ):
            out.append(f"| **{heading}** |" + " |" * len(cols))
            for s in items:
                name = f"{s.id} {s.title}" if kind == "criteria" else s.title
                cells = []
                for c in cols:
                    x = pick(c, kind, s.id)
                    cells.append(f"{pct(x.shown)} {esc(x.band)} ({ratio(x)})" if x.applicable else "-")
                out.append(f"| {esc(name)} | " + " | ".join(cells) + " |")
        out.append("")

    out += [
        "## Every rule", "",
        "| Rule | What it checks | Criterion | Standard | Met / applicable | Score |", "|---|---|---|---|---:|---:|",
    ]
    for r in scores.rules:
        unit = " records" if r.per_record else ""
        out.append(
            f"| {esc(r.rule)} {esc(r.name)} | {esc(r.summary)} | {esc(r.criterion)} | {esc(r.standard or '')} "
            f"| {ratio(r)}{unit} | {pct(r.shown)} |"
        )
    out.append("")

    bands = "; ".join(f"{label} {rng}" for label, rng in scores.settings.bands.describe())
    ratings = "; ".join(f"{label} {rng}" for label, rng in scores.settings.ratings.describe())
    out += [
        "## How these scores are worked out", "",
        ("- Score = 100 × met ÷ applicable, where applicable = met + not met. Work not yet due (pending) "
        "and requirements that do not apply to a case are not counted."),
        ("- Rules about individual records (each absence, victim, event or risk assessment) count every "
        "record, so one case can count more than once."),
        "- A score that applied in no case is shown as \"-\": it is left out, never counted as 0% or 100%.",
        f"- Improvement bands (criteria and headline scores): {esc(bands)}.",
        f"- Ratings (standards): {esc(ratings)}.",
        ("- The band is judged on the exact share: 74.9% is MODERATE, 75.0% MINIMUM. Scores are printed "
        "to one decimal and never rounded up into a better band."),
        ("- Only \"75% MINIMUM, 74% MODERATE\" is confirmed by our sources (the 2012 report); the other "
        "thresholds are widely quoted and set in the `[scoring]` table of `yos-audit.toml`."),
        ("- These figures come from what is recorded on the case files; inspectors also judge the quality "
        "of the work, which no record check can."),
        "",
    ]
    return "\n".join(out)
