"""``score --format text``: the figures an inspection report would print, for a terminal."""

from __future__ import annotations

from collections.abc import Sequence

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
    scope_line,
    slices,
)
from rules.scoring import Score, Scores
from rules.words import visible_lines


def _table(rows: Sequence[Sequence[str]], right: Sequence[int] = (), indent: str = "  ") -> list[str]:
    """Rows of cells in aligned columns; columns in ``right`` are right-aligned."""
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def _line(s: Score, label: str, with_band: bool = True) -> list[str]:
    band = (s.band or "") if s.applicable else "(applied in no case)"
    return [label, ratio(s), pct(s.shown), band if with_band or not s.applicable else ""]


def _cell(s: Score) -> str:
    if not s.applicable:
        return "-"
    return f"{pct(s.shown)} {s.band}".rstrip() + f" ({ratio(s)})"


def _short(text: str, width: int = 36) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def render(scores: Scores) -> str:
    out = [f"Inspection-style scores: {scope_line(scores)}"]
    sample = sample_line(scores)
    if sample:
        out.append(sample)
    out.append("Score = met / applicable (pending and not applicable not counted); bands on the exact share.")

    def block(title: str, items: Sequence[Score], label, band_head: str, with_band: bool = True) -> None:
        out.extend(["", title])
        rows = [["", "met/applicable", "score", band_head]]
        rows += [_line(s, label(s), with_band) for s in items]
        out.extend(_table(rows, right=(1, 2)))

    block("Headline scores", scores.headline, lambda s: s.title, "improvement required")
    block("Criteria (2012 framework)", scores.criteria, lambda s: f"{s.id} {s.title}", "improvement required")
    block("Sections (2012 framework)", scores.sections, lambda s: f"{s.id} {s.title}", "", with_band=False)
    block("Standards (2018+ framework)", scores.standards, lambda s: s.title, "rating")
    if scores.indicated is not None:
        out.extend(["", indicated_heading(scores), f"  {indicated_note(scores)}"])
        rows = [["", "cases yes/indicated", "percent", "rating"]]
        for s in scores.indicated.standards:
            rows.append([f"{s.id} {s.standard.title}", "", pct(s.indicated_shown), s.indicated_rating or "-"])
            for q in scores.indicated.questions:
                if q.question.standard == s.id:
                    _, ratio_, percent = indicated_question_cells(q)
                    rows.append([f"  {q.id} {q.question.lens}", ratio_, percent, ""])
        out.extend(_table(rows, right=(1, 2)))

    if scores.breakdown:
        cols = slices(scores)
        out.extend(["", f"By {by_title(scores)}"])
        rows = [["", *(f"{c.label} ({c.cases})" for c in cols)]]
        for heading, kind, items in (
            ("Headline", "headline", scores.headline),
            ("Criteria", "criteria", scores.criteria),
            ("Standards", "standards", scores.standards),
        ):
            rows.append([heading, *("" for _ in cols)])
            for s in items:
                name = s.title if kind != "criteria" else _short(f"{s.id} {s.title}")
                rows.append([f"  {name}", *(_cell(pick(c, kind, s.id)) for c in cols)])
        rows.append(["Rules", *("" for _ in cols)])
        for i, r in enumerate(scores.rules):
            cells = []
            for c in cols:
                rc = c.rules[i]
                cells.append(f"{pct(rc.shown)} ({ratio(rc)})" if rc.applicable else "-")
            rows.append([f"  {r.rule} {r.name}", *cells])
        out.extend(_table(rows, right=tuple(range(1, len(cols) + 1))))

    out.extend(["", "Worst gaps (most not met first)"])
    if not scores.worst:
        out.append("  none: every rule that applied was met")
    for r in scores.worst[:WORST_SHOWN]:
        out.append(
            f"  {r.rule} {r.name}: not met in {r.not_met} of {counted(r, r.applicable)} ({pct(r.shown)} met)"
        )
        out.append(f"    {cases_label(r)}: {failing_cases(r)}")
    if len(scores.worst) > WORST_SHOWN:
        out.append(f"  and {len(scores.worst) - WORST_SHOWN} more rules not always met (see --format json)")

    out.extend(["", "Rules"])
    rows = [["", "", "criterion", "met/applicable", "score"]]
    for r in scores.rules:
        rows.append([r.rule, r.name, r.criterion, ratio(r) + (" records" if r.per_record else ""), pct(r.shown)])
    out.extend(_table(rows, right=(3, 4)))

    bands = ", ".join(f"{label} {rng}" for label, rng in scores.settings.bands.describe())
    ratings = ", ".join(f"{label} {rng}" for label, rng in scores.settings.ratings.describe())
    out.extend(["", f"Improvement bands: {bands}.", f"Ratings: {ratings}."])
    return visible_lines(out) + "\n"  # names from the data (case ids, teams) shown, never obeyed
