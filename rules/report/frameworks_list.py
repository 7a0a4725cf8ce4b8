"""``yos-audit frameworks [ID|FILE]``: the frameworks there are, or one of them in full."""

from __future__ import annotations

from typing import Any

from rules.frameworks import Framework
from rules.words import plural, visible_lines


def _count(fw: Framework) -> str:
    if fw.kind == "criteria":
        return f"{plural(len(fw.criteria), 'criterion', 'criteria')}, {plural(len(fw.themes), 'headline theme')}"
    return f"{plural(len(fw.standards), 'standard')}, {plural(len(fw.questions), 'key question')}"


def _status(fw: Framework) -> str:
    return "PROVISIONAL: not verified against a primary source" if fw.provisional else fw.status


def render_list(frameworks: list[Framework], defaults: dict[str, str]) -> str:
    out = []
    width = max(len(fw.id) for fw in frameworks)
    for fw in frameworks:
        used = [what for what, ident in defaults.items() if ident == fw.id]
        out.append(f"{fw.id:<{width}}  {_status(fw)}  {fw.title}")
        out.append(f"{'':<{width}}  {_count(fw)}" + (f"; the default for {' and '.join(used)}" if used else ""))
    out.append("")
    out.append("`yos-audit frameworks ID` shows one in full; `--framework ID|FILE` on score and review uses one")
    out.append("(a FILE of your own is checked as carefully as an export).")
    return visible_lines(out) + "\n"


def _scale_lines(fw: Framework) -> list[str]:
    out = []
    for key, spec in fw.scales.items():
        levels = ", ".join(
            f"{lv.name} from {lv.threshold.numerator if lv.threshold.denominator == 1 else float(lv.threshold):g}%"
            + (f" ({lv.points} points)" if lv.points is not None else "")
            for lv in spec.levels
        )
        out.append(f"  {key} ({spec.title}): {levels}")
    return out


def _organisational_lines(fw: Framework) -> list[str]:
    """The standards not judged from cases and the overall rating's bands; nothing for a framework
    without them."""
    if not fw.organisational or fw.overall is None:
        return []
    out = ["", (f"Not judged from cases ({plural(len(fw.organisational), 'standard')}): only a service's own ratings "
                "of them, entered in [scoring.organisational] of the config, are ever shown")]
    out += [f"  {o.id} {o.title} ({o.domain})" if o.domain else f"  {o.id} {o.title}" for o in fw.organisational]
    bands = ", ".join(f"{b.name} from {b.from_points}" for b in fw.overall.bands)
    out.append(f"{fw.overall.title[:1].upper()}{fw.overall.title[1:]}, of {fw.total_max_points} points over every "
               f"standard: {bands}")
    if fw.overall.note:
        out.append(f"  {fw.overall.note}")
    return out


def render_one(fw: Framework) -> str:
    out = [f"{fw.label}: {fw.title}", f"status: {_status(fw)}"]
    if fw.file:
        out.append(f"file: {fw.file}")
    if fw.note:
        out.append(f"note: {fw.note}")
    for s in fw.sources:
        out.append(f"source: {s}")
    if fw.kind == "criteria":
        for sec in fw.sections:
            out += ["", f"Section {sec.id} {sec.title}"]
            for c in fw.criteria:
                if c.section == sec.id:
                    out.append(f"  {c.id} {c.title} (the rules whose criterion is {c.id})")
        out += ["", "Headline themes"]
        for t in fw.themes:
            out.append(f"  {t.title}: {', '.join(t.selectors)}")
    else:
        for s in fw.standards:
            covers = ", ".join(sorted(g.value for g in s.covers))
            out += ["", f"{s.id} {s.title} ({s.domain}; cases: {covers})"]
            for q in fw.questions_of(s.id):
                out.append(f"  {q.id} [{q.lens}] {q.text}")
                out.append(f"        indicated by: {', '.join(q.indicators) or 'no rule'}")
    out += _organisational_lines(fw)
    out += ["", "Scales"] + _scale_lines(fw)
    if fw.sample_min or fw.sample_max:
        out.append(f"Case sample: {fw.sample_min or '?'} to {fw.sample_max or '?'} cases")
    return visible_lines(out) + "\n"


def framework_dict(fw: Framework, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": fw.id, "title": fw.title, "status": fw.status, "kind": fw.kind, "file": fw.file}
    if not full:
        out["standards" if fw.kind == "questions" else "criteria"] = len(fw.standards if fw.kind == "questions" else fw.criteria)
        if fw.kind == "questions":
            out["questions"] = len(fw.questions)
        return out
    out |= {"short": fw.short, "note": fw.note, "sources": list(fw.sources)}
    if fw.kind == "criteria":
        out["sections"] = [{"id": s.id, "title": s.title} for s in fw.sections]
        out["criteria"] = [{"id": c.id, "title": c.title, "section": c.section} for c in fw.criteria]
        out["themes"] = [{"id": t.key, "title": t.title, "rules": list(t.selectors)} for t in fw.themes]
    else:
        out["standards"] = [
            {"id": s.id, "title": s.title, "domain": s.domain, "covers": sorted(g.value for g in s.covers),
             "questions": list(s.questions)}
            for s in fw.standards
        ]
        out["questions"] = [
            {"id": q.id, "standard": q.standard, "lens": q.lens, "text": q.text, "indicators": list(q.indicators)}
            for q in fw.questions
        ]
    out["scales"] = {
        k: [{"name": lv.name, "from": float(lv.threshold) if lv.threshold.denominator != 1 else lv.threshold.numerator,
             "points": lv.points} for lv in spec.levels]
        for k, spec in fw.scales.items()
    }
    out["sample"] = {"min": fw.sample_min, "max": fw.sample_max}
    if fw.organisational and fw.overall is not None:  # only a framework that has them says anything of them
        out["organisational"] = [{"id": o.id, "title": o.title, "domain": o.domain} for o in fw.organisational]
        out["overall"] = {
            "title": fw.overall.title, "of": fw.total_max_points, "note": fw.overall.note,
            "levels": [{"name": b.name, "from": b.from_points, "edge_confirmed": b.edge_confirmed} for b in fw.overall.bands],
        }
    return out
