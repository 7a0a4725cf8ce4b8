"""``score --format text``: the figures an inspection report would print, for a terminal."""

from __future__ import annotations

import textwrap
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
    overall,
    pct,
    pick,
    ratio,
    sample_line,
    sampled_cases,
    scope_line,
    service_title,
    weakest_first,
)
from rules.scoring import RuleScore, Score, Scores, display_percent
from rules.words import plural, visible_lines


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


#: a breakdown is printed in pages no wider than this: at any number of groups a line stays readable
PAGE_WIDTH = 120


def _parts(s: Score | RuleScore, with_band: bool) -> tuple[str, str, str]:
    if not s.applicable:
        return ("-", "", "")
    return (pct(s.shown), (s.band or "") if with_band else "", f"({ratio(s)})")


def _aligned(cells: Sequence[tuple[str, str, str]]) -> list[str]:
    """One group's cells with their percents, bands and counts each in line with the others'."""
    widths = [max((len(c[i]) for c in cells), default=0) for i in range(3)]
    return [f"{c[0]:>{widths[0]}} {c[1]:<{widths[1]}} {c[2]:>{widths[2]}}".rstrip() if c[2] else c[0].rjust(widths[0])
            for c in cells]


def _breakdown(scores: Scores) -> list[str]:
    """By team or case manager: a summary of every group, a row each, weakest first; then the scores
    side by side in pages of a few groups, so that no line grows with the number of groups."""
    who = by_title(scores)
    groups = weakest_first(scores.breakdown)
    out = ["", f"By {who}: {plural(len(groups), who)}, weakest first (the share of everything that applied, met)"]
    rows = [["", "cases", "met/applicable", "score", *(s.title for s in scores.headline)]]
    for sl in (scores.overall, *groups):
        total = overall(sl)
        shown = display_percent(total.share)
        rows.append([sl.label, str(sl.cases), f"{total.met}/{total.applicable}", pct(shown),
                     *(pct(s.shown) for s in sl.headline)])
    out.extend(_table(rows, right=tuple(range(1, len(rows[0])))))

    # the scores side by side (with their bands), then the rules (narrower: no band), each in pages
    score_lines: list[tuple[str, str | None]] = []  # (label, kind:id), a heading's kind None
    for heading, kind, items in (("Headline", "headline", scores.headline), ("Criteria", "criteria", scores.criteria),
                                 ("Standards", "standards", scores.standards)):
        score_lines.append((heading, None))
        score_lines += [("  " + (s.title if kind != "criteria" else _short(f"{s.id} {s.title}")), f"{kind}:{s.id}")
                        for s in items]
    rule_lines: list[tuple[str, str | None]] = [(f"{r.rule} {r.name}", f"rules:{r.rule}") for r in scores.rules]
    every = (scores.overall, *groups)
    for what, lines in (("scores", score_lines), ("rules", rule_lines)):
        def cell(sl, ref: str | None) -> tuple[str, str, str]:
            if ref is None:
                return ("", "", "")
            kind, id = ref.split(":", 1)
            return _parts(sl.rule(id), with_band=False) if kind == "rules" else _parts(pick(sl, kind, id), with_band=True)

        columns = [(f"{sl.label} ({sl.cases})", _aligned([cell(sl, ref) for _, ref in lines])) for sl in every]
        out.extend(_pages(f"By {who}: {what} side by side", [label for label, _ in lines], columns))
    return out


def _pages(title: str, labels: list[str], columns: list[tuple[str, list[str]]]) -> list[str]:
    """A table of ``labels`` down the side and ``columns`` across, in pages no wider than PAGE_WIDTH."""
    label_width = max(map(len, labels), default=0) + 2
    pages: list[list[tuple[str, list[str]]]] = [[]]
    used = label_width
    for head, cells in columns:
        width = max(len(head), *map(len, cells)) + 2
        if pages[-1] and used + width > PAGE_WIDTH:
            pages.append([])
            used = label_width
        pages[-1].append((head, cells))
        used += width
    out = []
    for n, page in enumerate(pages, 1):
        rows = [["", *(head for head, _ in page)]]
        rows += [[label, *(cells[i] for _, cells in page)] for i, label in enumerate(labels)]
        out.extend(["", title + (f" ({n} of {len(pages)})" if len(pages) > 1 else ""),
                    *_table(rows, right=tuple(range(1, len(page) + 1)))])
    return out


def _listed(head: str, items: Sequence[str], indent: str) -> list[str]:
    """``head`` then ``items`` separated by commas, in lines no wider than PAGE_WIDTH; an item (a case
    id with its count) is never split across lines."""
    lines, line = [], head + items[0]
    for item in items[1:]:
        if len(line) + len(", ,") + len(item) > PAGE_WIDTH:  # room for the comma that ends a line
            lines.append(line + ",")
            line = indent + item
        else:
            line += ", " + item
    return [*lines, line]


def render(scores: Scores) -> str:
    head, scope = f"{service_title('inspection-style scores', scores)}:", scope_line(scores)
    out = [f"{head} {scope}"] if len(head) + 1 + len(scope) <= PAGE_WIDTH else [head, f"  {scope}"]
    sample = sample_line(scores)
    if sample:
        strata, said, more = sample.partition("; ")  # a stratum with its counts, or what follows, never split
        items = strata.split(", ")
        items[-1] += said + more
        out.extend(_listed("", items, "  "))
        out.extend(textwrap.wrap(sampled_cases(scores), 100, subsequent_indent="  ", break_on_hyphens=False))
    if not scores.cases:  # nothing read (a missing or broken export): no score here is a result
        out.append("No case was scored: the figures below count nothing (the input problems say why).")
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
        out.extend(["", indicated_heading(scores),
                    *textwrap.wrap(indicated_note(scores), PAGE_WIDTH, initial_indent="  ", subsequent_indent="  ")])
        rows = [["", "cases yes/indicated", "percent", "rating"]]
        for s in scores.indicated.standards:
            rows.append([f"{s.id} {s.standard.title}", "", pct(s.indicated_shown), s.indicated_rating or "-"])
            for q in scores.indicated.questions:
                if q.question.standard == s.id:
                    _, ratio_, percent = indicated_question_cells(q)
                    rows.append([f"  {q.id} {q.question.lens}", ratio_, percent, ""])
        out.extend(_table(rows, right=(1, 2)))

    if scores.breakdown:
        out.extend(_breakdown(scores))

    out.extend(["", "Worst gaps (most not met first)"])
    if not scores.cases:
        out.append("  none: no case was scored")
    elif not scores.worst:
        out.append("  none: every rule that applied was met")
    for r in scores.worst[:WORST_SHOWN]:
        out.append(
            f"  {r.rule} {r.name}: not met in {r.not_met} of {counted(r, r.applicable)} ({pct(r.shown)} met)"
        )
        out.extend(_listed(f"    {cases_label(r)}: ", failing_cases(r).split(", "), "      "))
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
