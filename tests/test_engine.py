"""The audit engine: outcomes, findings and the properties every rule keeps."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import case_dicts, document

from rules.catalogue import all_rules
from rules.engine import audit
from rules.load import load_document
from rules.outcomes import Severity, Status

AS_OF = dt.date(2026, 11, 20)


def load(*cases):
    _, loaded, rejected, problems = load_document(document(list(cases)), "t.json")
    assert rejected == 0, problems
    return loaded


def by_case(result):
    out = {}
    for o in result.outcomes:
        out.setdefault(o.case_id, []).append(o)
    return out


cases_with_ids = st.lists(case_dicts(), min_size=1, max_size=5).map(
    lambda cs: [c | {"case_id": f"C-{i:03d}"} for i, c in enumerate(cs)]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases_with_ids, st.randoms(use_true_random=False), st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2027, 6, 1)))
def test_a_cases_outcomes_do_not_depend_on_the_other_cases_or_their_order(raw, rnd, as_of):
    cases = load(*raw)
    together = by_case(audit(cases, as_of))
    shuffled = list(cases)
    rnd.shuffle(shuffled)
    assert by_case(audit(shuffled, as_of)) == together
    for case in cases:
        alone = by_case(audit([case], as_of))
        assert alone.get(case.case_id, []) == together.get(case.case_id, [])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case_dicts(), st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 6, 1)))
def test_every_rule_judges_any_valid_case_consistently(raw, as_of):
    (case,) = load(raw)
    result = audit([case], as_of)
    for o in result.outcomes:
        assert o.status in (Status.MET, Status.NOT_MET, Status.PENDING)
        assert o.message
        if o.status is Status.PENDING:
            assert o.due_on is None or o.due_on >= as_of  # pending means not yet due
        if o.status is Status.NOT_MET and o.due_on is not None and "overdue" in o.message:
            assert o.due_on < as_of
        if "late:" in o.message:
            assert o.done_on is not None and o.due_on is not None and o.done_on > o.due_on
    rules = all_rules()
    for o in result.outcomes:
        if not rules[o.rule].per_record:
            assert o.record is None
    per_case = [o for o in result.outcomes if not rules[o.rule].per_record]
    assert len({o.rule for o in per_case}) == len(per_case)  # one outcome a case for per-case rules


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case_dicts())
def test_nothing_after_the_as_of_date_exists(raw):
    """Adding records dated after the as-of date changes no outcome."""
    as_of = dt.date(2026, 3, 1)
    later = {
        "reviews": raw.get("reviews", []) + [{"id": "LATE-R", "date": "2026-06-01", "reviews": []}],
        "contacts": raw.get("contacts", []) + [{"date": "2026-06-02", "kind": "OFFICE", "outcome": "UNACCEPTABLE_ABSENCE"}],
        "assessments": raw.get("assessments", []) + [{"id": "LATE-A", "kind": "ROSH_FULL", "completed_on": "2026-05-01", "level": "VERY_HIGH"}],
        "plans": raw.get("plans", []) + [{"id": "LATE-P", "kind": "RISK_MANAGEMENT_PLAN", "created_on": "2026-05-02"}],
    }
    (before,) = load(raw)
    (after,) = load(raw | later)
    assert audit([before], as_of).outcomes == audit([after], as_of).outcomes


def test_findings_and_due_soon_reminders(fixtures):
    from rules.load import load_paths

    result = audit(load_paths([fixtures / "small.json"]).caseload, AS_OF)
    info = [f for f in result.findings if f.severity is Severity.INFO]
    # C-0002 started 2026-10-26, a referral order: 20 working days is Monday 23 November,
    # within 5 working days of Friday 20 November, and nothing is done yet
    assert {(f.case_id, f.rule, f.due_on) for f in info} == {
        ("C-0002", code, dt.date(2026, 11, 23)) for code in ("ROH001", "SAF001", "PLN001")
    }
    assert all(f.status is Status.PENDING for f in info)
    not_met = {(o.case_id, o.rule) for o in result.outcomes if o.status is Status.NOT_MET}
    assert {(f.case_id, f.rule) for f in result.findings if f.severity is not Severity.INFO} == not_met


def test_case_not_started_is_not_audited():
    (case,) = load({"case_id": "C-1", "start_date": "2026-12-01"})
    assert audit([case], AS_OF).outcomes == ()


def test_options_and_severities_are_applied():
    (case,) = load({"case_id": "C-1", "start_date": "2026-06-01", "legal_outcome": "YOUTH_REHABILITATION_ORDER",
                    "assessments": [{"id": "A1", "kind": "ROSH_SCREENING", "completed_on": "2026-06-25"}]})
    rule = [all_rules()["ROH001"]]
    default = audit([case], AS_OF, rule)
    assert default.outcomes[0].status is Status.NOT_MET  # 15 working days: due 22 June
    relaxed = audit([case], AS_OF, rule, options={"ROH001": {"working_days": 20}})
    assert relaxed.outcomes[0].status is Status.MET  # 20 working days: due 29 June
    softer = audit([case], AS_OF, rule, severities={"ROH001": Severity.WARNING})
    assert softer.findings[0].severity is Severity.WARNING


@given(st.lists(st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 1, 4)), min_size=1, max_size=8).map(sorted), st.data())
def test_one_contact_is_named_as_when_all_are_named(days, data):
    from rules.facts import contact_ref, contact_refs
    from rules.model import Contact

    contacts = [Contact(date=d) for d in days]
    i = data.draw(st.integers(0, len(contacts) - 1))
    assert contact_ref(contacts, i) == contact_refs(contacts)[i]
    assert len(set(contact_refs(contacts))) == len(contacts)  # every name is a different one


@given(st.lists(st.tuples(st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 1, 4)), st.booleans()), max_size=10))
def test_absences_are_named_as_when_every_contact_is_named(contacts):
    """The view names only its absences, counting along each day's run; the names are the ones
    contact_refs gives every contact of the view, in any order the export lists them."""
    from rules.facts import CaseView, contact_refs
    from rules.model import Case, Contact, ContactOutcome

    absent, attended = ContactOutcome.UNACCEPTABLE_ABSENCE, ContactOutcome.ATTENDED
    case = Case(case_id="C-1", start_date=dt.date(2025, 12, 1),
                contacts=tuple(Contact(date=d, outcome=absent if a else attended) for d, a in contacts))
    view = CaseView(case, AS_OF)
    names = dict(zip(map(id, view.contacts), contact_refs(view.contacts)))
    expected = [(x, names[id(x)]) for x in view.contacts if x.outcome is absent]
    assert list(view.absences) == expected


def test_a_finding_is_overdue_only_while_its_duty_is_undone_past_its_date():
    from rules.outcomes import Finding

    def finding(status, due, done=None, severity=Severity.ERROR):
        return Finding("ROH001", "n", severity, "C-1", "m", (), due, "1.1", status, done_on=done)

    day = dt.date(2026, 11, 19)
    assert finding(Status.NOT_MET, day).is_overdue(AS_OF)
    assert not finding(Status.NOT_MET, day, done=AS_OF).is_overdue(AS_OF)  # done late: history, not a task
    assert not finding(Status.NOT_MET, AS_OF).is_overdue(AS_OF)  # due today is not yet overdue
    assert not finding(Status.NOT_MET, None).is_overdue(AS_OF)
    assert not finding(Status.PENDING, day, severity=Severity.INFO).is_overdue(AS_OF)


def test_each_finding_carries_its_rule_its_outcome_and_its_case():
    from pathlib import Path

    from rules.load import load_paths

    caseload = load_paths([Path(__file__).resolve().parent.parent / "examples" / "caseload.json"]).caseload
    result = audit(caseload, AS_OF)
    rules, cases = all_rules(), {c.case_id: c for c in caseload.cases}
    outcomes = {(o.rule, o.case_id, o.record, o.evidence): o for o in result.outcomes}
    assert result.findings and {f.severity for f in result.findings} == set(Severity)
    for f in result.findings:
        o, r, case = outcomes[f.rule, f.case_id, f.record, f.evidence], rules[f.rule], cases[f.case_id]
        assert (f.name, f.criterion) == (r.name, r.criterion)
        assert (f.message, f.status, f.done_on) == (o.message, o.status, o.done_on)
        assert (f.case_manager, f.team) == (case.case_manager, case.team)
        assert f.severity is (Severity.INFO if f.status is not Status.NOT_MET else r.severity)
        assert f.due_on == (o.due_on if f.status is not Status.MET else o.next_due)
        assert not f.waived and f.waiver_reason is None


def test_outcomes_share_one_object_per_message_and_evidence_and_progress_climbs_to_the_total():
    """A large audit keeps hundreds of thousands of outcomes: each distinct message and evidence is one
    object; progress is reported in order and ends at (cases, cases)."""
    from pathlib import Path

    from rules.load import load_paths

    cases = load_paths([Path(__file__).resolve().parent.parent / "examples" / "caseload.json"]).caseload.cases
    said = []
    done = audit(cases, AS_OF, progress=lambda d, t: said.append((d, t)))
    for field in ("message", "evidence"):
        values = [getattr(o, field) for o in done.outcomes]
        assert len({id(v) for v in values}) == len(set(values)) < len(values)
    steps = [d for d, _ in said]
    assert steps == sorted(steps) and said[-1] == (len(cases), len(cases)) and {t for _, t in said} == {len(cases)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases_with_ids, st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2027, 6, 1)))
def test_an_audit_for_findings_only_finds_the_same_and_keeps_no_outcome(raw, as_of):
    cases = load(*raw)
    whole, lean = audit(cases, as_of), audit(cases, as_of, outcomes=False)
    assert lean.findings == whole.findings and lean.cases == whole.cases and lean.rules == whole.rules
    assert whole.outcomes_kept and not lean.outcomes_kept and lean.outcomes == ()


def test_findings_only_on_the_example_the_same_findings_and_no_score():
    """Findings made without outcomes are the same objects' equals, their messages and evidence still
    one object each; a score, which counts met outcomes too, refuses such an audit."""
    from pathlib import Path

    import pytest

    from rules.load import load_paths
    from rules.scoring import score

    cases = load_paths([Path(__file__).resolve().parent.parent / "examples" / "caseload.json"]).caseload.cases
    whole, lean = audit(cases, AS_OF), audit(cases, AS_OF, outcomes=False)
    assert lean.findings == whole.findings and lean.outcomes == () and len(whole.outcomes) > len(whole.findings)
    messages = [f.message for f in lean.findings]
    assert len({id(m) for m in messages}) == len(set(messages)) < len(messages)
    score(whole)
    with pytest.raises(ValueError, match="findings only"):
        score(lean)
