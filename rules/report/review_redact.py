"""``review --redact``: the review with case ids and reviewers' names as the stable pseudonyms of
``check --redact`` (same key, same pseudonym); notes are never in a review report. Counts, question
ids, dates and team names are kept."""

from __future__ import annotations

from attrs import evolve

from rules.redact import Pseudonyms
from rules.review import ReviewResult


def redact_review(result: ReviewResult, key: str | bytes, problems) -> ReviewResult:
    p = Pseudonyms(key)
    superseded = sorted(
        (evolve(r, case=p("case", r.case), reviewer=p("staff", r.reviewer), notes={}) for r in result.superseded),
        key=lambda r: (r.case, r.reviewed_on),
    )
    counted = {p("case", k): evolve(r, case=p("case", k), reviewer=p("staff", r.reviewer), notes={})
               for k, r in result.counted.items()}
    sample = result.sample
    if sample is not None:
        sample = evolve(sample, cases=tuple(p("case", c) for c in sample.cases))
    return evolve(result, superseded=tuple(superseded), counted=counted, sample=sample, problems=tuple(problems))
