"""``score --redact``: scores that can be shared beyond the service.

The same pseudonyms as ``check --redact`` (:mod:`rules.redact`, same key, same pseudonym): case ids
become ``case-…``, case managers ``staff-…``, and identifiers inside a failing case's message are
replaced too. Team names, rule codes, dates and every count are kept. Lists the real names would
order (failing cases, case managers side by side) are sorted by pseudonym instead, so the order
gives nothing away.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import evolve

from rules.model import Case
from rules.redact import Pseudonyms, Scrubber, case_identifiers
from rules.scoring import FailingCase, RuleScore, Scores, Slice


def redact_scores(scores: Scores, cases: Mapping[str, Case], key: str | bytes) -> Scores:
    """The scores with every case id and staff name replaced by its stable pseudonym.

    ``cases`` (by case id) are the audited cases: their identifiers are what a message may hold.
    """
    p = Pseudonyms(key)
    scrubbers: dict[str, Scrubber] = {}

    def scrub(case_id: str, text: str) -> str:
        s = scrubbers.get(case_id)
        if s is None:
            case = cases.get(case_id)
            known = case_identifiers(case, p) if case is not None else {case_id: p("case", case_id)}
            s = scrubbers[case_id] = Scrubber(known)
        return s(text)

    def failing(f: FailingCase) -> FailingCase:
        return f._replace(
            case_id=p("case", f.case_id), message=scrub(f.case_id, f.message),
            case_manager=p("staff", f.case_manager) if f.case_manager else f.case_manager,
        )

    memo: dict[int, RuleScore] = {}

    def rule(r: RuleScore) -> RuleScore:
        done = memo.get(id(r))
        if done is None:
            fails = sorted((failing(f) for f in r.failing), key=lambda f: f.case_id)
            done = memo[id(r)] = evolve(r, failing=tuple(fails))
        return done

    def slice_(sl: Slice, staff_keyed: bool) -> Slice:
        changes = {"rules": tuple(rule(r) for r in sl.rules)}
        if staff_keyed and sl.key is not None:
            changes["key"] = changes["label"] = p("staff", sl.key)
        return evolve(sl, **changes)

    staff_keyed = scores.by == "case-manager"
    breakdown = [slice_(sl, staff_keyed) for sl in scores.breakdown]
    if staff_keyed:
        breakdown.sort(key=lambda sl: (sl.key is None, sl.label))
    overall = slice_(scores.overall, False)
    sample = scores.sample
    if sample is not None:
        sample = evolve(sample, case_ids=tuple(p("case", c) for c in sample.case_ids))
    return evolve(
        scores, overall=overall, breakdown=tuple(breakdown), worst=tuple(rule(r) for r in scores.worst), sample=sample,
    )
