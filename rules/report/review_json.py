"""``review --format json``: the contract of ``shared/spec/review.md``, keys in its order.

Added after the contract's keys: ``as_of_source`` and ``as_of_reason`` are not (the contract's ``as_of``
is kept as it is); ``sample`` (null, or the sample drawn and how much of it is reviewed) and ``sizing``
(null, or what sample would narrow each standard's rating range, saying that the inspectorate's own
sizing formula is not published) come after them, then ``service`` (the export's ``service.name``, null
where it does not say): the contract has no key for the service, and every other report of the review
names it.

``points`` keeps the contract's ``case_level`` and ``of`` first; only when the config enters the
service's own ratings of the organisational standards (``[scoring.organisational]``) do keys follow them,
which the contract has no field for (:func:`overall_dict`): the tool never gives an overall rating from
cases alone, and without those ratings the document is as before.
"""

from __future__ import annotations

from typing import Any

from rules.report import jsontext
from rules.report.json_ import problem_dict
from rules.review import ReviewResult


def document(result: ReviewResult) -> dict[str, Any]:
    fw = result.framework
    roll = result.rollup
    doc: dict[str, Any] = {
        "tool": "yos-audit",
        "as_of": result.as_of.isoformat(),
        "framework": {"id": fw.id, "title": fw.title, "status": fw.status},
        "cases": result.cases,
        "reviewed": result.reviewed,
        "questions": [
            {
                "id": q.id, "standard": q.question.standard, "lens": q.question.lens, "text": q.question.text,
                "yes": q.yes, "no": q.no, "na": q.na, "unanswered": q.unanswered,
                "percent": q.shown, "ci95": list(q.ci_shown) if q.ci_shown is not None else None,
                "indicated": {"yes": q.indicated_yes, "no": q.indicated_no, "percent": q.indicated_shown},
                "agreement": {"cases": q.agreement_cases, "same": q.agreement_same},
            }
            for q in roll.questions
        ],
        "standards": [
            {
                "id": s.id, "title": s.standard.title, "percent": s.shown, "rating": s.rating, "points": s.points,
                "rating_range": list(s.rating_range) if s.rating_range is not None else None,
                "indicated": {"percent": s.indicated_shown, "rating": s.indicated_rating},
            }
            for s in roll.standards
        ],
        "points": {"case_level": roll.points, "of": roll.max_points, **overall_dict(result)},
        "superseded": [
            {"case": r.case, "reviewer": r.reviewer, "reviewed_on": r.reviewed_on.isoformat()} for r in result.superseded
        ],
        "input_problems": [problem_dict(p) for p in result.problems],
    }
    s = result.sample
    doc["sample"] = None if s is None else {
        "size": s.size, "seed": s.seed, "strata": s.strata, "population": s.population,
        "cases": list(s.cases), "reviewed": sum(1 for c in s.cases if c in result.counted and result.counted[c].answers),
    }
    if result.sizing:
        from rules.sampling import NOT_PUBLISHED, SAMPLE_MAX, SAMPLE_MIN

        doc["sizing"] = {
            "formula": NOT_PUBLISHED, "bounds": [SAMPLE_MIN, SAMPLE_MAX],
            "advice": [item.as_dict() for item in result.sizing if hasattr(item, "as_dict")],
        }
    else:
        doc["sizing"] = None
    doc["service"] = result.service
    return doc


def overall_dict(result: ReviewResult) -> dict[str, Any]:
    """The keys after the contract's two in ``points``, when the service entered its organisational
    ratings (else none)::

        "organisational": {"points": 10, "of": 15, "entered_in": "yos-audit.toml",
                           "ratings": {"1.1": "Good", ..., "3.4": null}},
        "total": 24, "total_of": 36, "overall": "Good",
        "missing": {"organisational": [], "case_level": []},
        "unconfirmed_edges": [[6, 7], [30, 31]]

    ``ratings`` lists every organisational standard in the framework's order, null where not entered;
    ``points`` sums those entered. ``total`` and ``overall`` are null until every standard has a rating:
    ``missing`` says which organisational standards are not entered and which case-level standards are
    not rated yet. ``unconfirmed_edges``: the band edges no source confirms, (highest of the band below,
    lowest of the band above)."""
    o = result.rollup.overall
    if o is None:
        return {}
    return {
        "organisational": {"points": o.points, "of": o.of, "entered_in": o.entered_in, "ratings": dict(o.ratings)},
        "total": o.total,
        "total_of": o.total_of,
        "overall": o.band,
        "missing": {"organisational": list(o.not_entered), "case_level": list(o.unrated)},
        "unconfirmed_edges": [list(edge) for edge in o.unconfirmed_edges],
    }


def render(result: ReviewResult) -> str:
    return jsontext.dumps(document(result)) + "\n"
