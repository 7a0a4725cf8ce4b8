"""``score --format json``: the JSON of the CLI contract (``shared/spec/cli.md``), extended compatibly.

The contract's keys come first and keep their meaning: ``as_of``, ``cases``, ``criteria`` [{id, title,
met, applicable, percent, band}], ``headline`` {safeguarding, risk_of_harm, likelihood_of_reoffending}
and ``rules`` [{rule, met, applicable}]. Added: ``tool``, ``as_of_source`` (``option``, ``extract`` or
``today``) and ``as_of_reason`` (why that date, in words), ``rejected``, ``sections``, ``standards``
(with ``rating``), ``worst`` (rules by most NOT_MET, with every failing case), ``breakdown`` (null, or
``{"by": "team", "groups": [...]}``), ``sample`` (null, or what was drawn) and ``scoring`` (the band
and rating thresholds used). ``percent`` is null, and ``band`` null, where nothing applied.
"""

from __future__ import annotations

from typing import Any

from rules import __version__
from rules.report import jsontext
from rules.report.json_ import as_of_dict
from rules.scoring import RuleScore, Scale, Score, Scores, Slice


def _score(s: Score, band_key: str = "band", extra: dict[str, Any] | None = None, members: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"id": s.id, "title": s.title, "met": s.met, "applicable": s.applicable, "percent": s.shown}
    if band_key:
        out[band_key] = s.band
    out["not_met"] = s.not_met
    out.update(extra or {})
    if members:
        out["rules"] = list(s.rules)
    return out


def _headline(s: Score, members: bool = True) -> dict[str, Any]:
    out = {"met": s.met, "applicable": s.applicable, "percent": s.shown, "band": s.band, "title": s.title, "not_met": s.not_met}
    if members:
        out["rules"] = list(s.rules)
    return out


def _rule(r: RuleScore) -> dict[str, Any]:
    return {
        "rule": r.rule, "met": r.met, "applicable": r.applicable, "name": r.name, "not_met": r.not_met,
        "percent": r.shown, "criterion": r.criterion, "standard": r.standard,
        "counts": r.counts,
    }


def _failing(r: RuleScore) -> list[dict[str, Any]]:
    return [
        {"case_id": f.case_id, "not_met": f.count, "team": f.team, "case_manager": f.case_manager, "message": f.message}
        for f in r.failing
    ]


def _slice(sl: Slice, members: bool = True) -> dict[str, Any]:
    """A slice's scores; ``members`` lists the rules counted in each (a breakdown group leaves them
    out: they are the same as the whole caseload's)."""
    return {
        "criteria": [_score(s, extra={"section": s.id.split(".")[0]}, members=members) for s in sl.criteria],
        "headline": {s.id: _headline(s, members) for s in sl.headline},
        "rules": [_rule(r) if members else _group_rule(r) for r in sl.rules],
        "sections": [_score(s, band_key="", members=members) for s in sl.sections],
        "standards": [_score(s, band_key="rating", members=members) for s in sl.standards],
    }


def _group_rule(r: RuleScore) -> dict[str, Any]:
    return {"rule": r.rule, "met": r.met, "applicable": r.applicable, "not_met": r.not_met, "percent": r.shown}


def _scale(scale: Scale) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, threshold in scale.thresholds:
        out[label] = threshold.numerator if threshold.denominator == 1 else float(threshold)
    out[scale.lowest] = 0
    return out


def score_document(scores: Scores) -> dict[str, Any]:
    """The JSON document as Python data."""
    body = _slice(scores.overall)
    doc: dict[str, Any] = {
        "as_of": scores.as_of.isoformat(),
        "cases": scores.cases,
        "criteria": body["criteria"],
        "headline": body["headline"],
        "rules": body["rules"],
        "tool": {"name": "yos-audit", "version": __version__},
        **{k: v for k, v in as_of_dict(scores).items() if k != "as_of"},
        "rejected": scores.rejected,
        "sections": body["sections"],
        "standards": body["standards"],
        "worst": [_rule(r) | {"cases": _failing(r)} for r in scores.worst],
        "breakdown": None,
        "sample": None,
        "scoring": {
            "percent": "100 * met / applicable; applicable = met + not_met; pending and not applicable are not counted",
            "bands": _scale(scores.settings.bands),
            "ratings": _scale(scores.settings.ratings),
        },
    }
    if scores.indicated is not None:
        ind = scores.indicated
        fw = ind.framework
        doc["indicated"] = {
            "framework": {"id": fw.id, "title": fw.title, "status": fw.status},
            "label": "indicated by the records, not judged",
            "questions": [
                {"id": q.id, "standard": q.question.standard, "lens": q.question.lens, "text": q.question.text,
                 "yes": q.indicated_yes, "no": q.indicated_no, "percent": q.indicated_shown}
                for q in ind.questions
            ],
            "standards": [
                {"id": s.id, "title": s.standard.title, "percent": s.indicated_shown, "rating": s.indicated_rating}
                for s in ind.standards
            ],
        }
    if scores.by is not None:
        doc["breakdown"] = {
            "by": scores.by,
            "groups": [
                {"key": sl.key, "label": sl.label, "cases": sl.cases} | _slice(sl, members=False) for sl in scores.breakdown
            ],
        }
    if scores.sample is not None:
        s = scores.sample
        doc["sample"] = {
            "size": s.size, "population": s.population, "seed": s.seed, "strata_by": s.strata_by,
            "strata": [{"key": st.key, "population": st.population, "sampled": st.sampled} for st in s.strata],
            "case_ids": list(s.case_ids),
            "requested": s.requested,
        }
    return doc


def render(scores: Scores) -> str:
    """The document's text, as ``json.dumps(doc, indent=2, ensure_ascii=False)`` writes it (in C: at
    100,000 cases the failing cases make it 150 MB, which :mod:`json` took 7 s to write)."""
    return jsontext.dumps(score_document(scores)) + "\n"
