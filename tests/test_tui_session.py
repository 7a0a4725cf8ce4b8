"""The UI's view-model without a terminal: rows, filters, timeline, what to do and by when."""

import datetime as dt

import pytest
from tui_helpers import AS_OF, CASELOAD

from rules.outcomes import Severity
from rules.waivers import Waiver, add_waiver
from tui.session import NO_LEVEL, CaseFilter, Pipeline, Settings, select_rows, todo, urgent
from tui.timeline import timeline


@pytest.fixture
def pipeline(tmp_path):
    return Pipeline([CASELOAD], waivers_path=tmp_path / "waivers.toml")


def run(pipeline, **kw):
    kw.setdefault("as_of", AS_OF)
    kw.setdefault("rules", pipeline.default_rules())
    return pipeline.run(Settings(**kw))


def test_rows_count_live_findings_per_case(pipeline):
    view = run(pipeline)
    assert [r.case_id for r in view.rows] == [c.case_id for c in view.cases]
    assert len(view.rows) == 8 and view.load.rejected == 1
    for row in view.rows:
        live = [f for f in view.findings_of(row.case_id) if not f.waived]
        assert row.errors == sum(f.severity is Severity.ERROR for f in live)
        assert row.warnings == sum(f.severity is Severity.WARNING for f in live)
    c4 = next(r for r in view.rows if r.case_id == "C-0004")  # started 2026-11-02: duties due 2026-11-23
    assert (c4.errors, c4.info, c4.next_due) == (0, 4, dt.date(2026, 11, 23))


def test_filters(pipeline):
    view = run(pipeline)

    def ids(**kw):
        return [r.case_id for r in select_rows(view.rows, CaseFilter(**kw), view.as_of)]

    assert ids(team="South") == ["C-0005", "C-0006", "C-0007", "C-0008"]
    assert ids(case_manager="CM-North-02") == ["C-0003", "C-0004"]
    assert ids(disposal="REFERRAL_ORDER") == ["C-0002", "C-0006"]
    assert ids(rosh="HIGH") == ["C-0003"]
    assert "C-0005" in ids(rosh=NO_LEVEL) and "C-0003" not in ids(rosh=NO_LEVEL)
    assert ids(rule="ASM005") == ["C-0005"]
    assert ids(severity=Severity.INFO) == ["C-0002", "C-0004"]
    assert ids(text="Change Of Address") == ["C-0001"] and ids(text="review-after-change") == ["C-0001"]
    assert ids(text="nothing like this") == []
    assert ids(text="north yro") == ["C-0001"]
    # due within 3 days of 2026-11-20: C-0004's first duties (2026-11-23), and every case with an overdue duty
    within = ids(due_within=3)
    assert "C-0004" in within and all(r.overdue or r.case_id == "C-0004" for r in view.rows if r.case_id in within)
    assert ids(due_within=3, team="North", severity=Severity.INFO) == ["C-0002", "C-0004"]


def test_sort_and_urgency(pipeline):
    view = run(pipeline)
    by_errors = select_rows(view.rows, CaseFilter(), view.as_of, "errors", reverse=True)
    assert [r.errors for r in by_errors] == sorted((r.errors for r in view.rows), reverse=True)
    first = urgent(view.rows, 3)
    assert first[0].overdue == max(r.overdue for r in view.rows)


def test_scope_narrows_everything(pipeline):
    whole = run(pipeline)
    mine = run(pipeline, scope="CM-South-01")
    assert {c.case_manager for c in mine.cases} == {"CM-South-01"}
    assert {f.case_manager for f in mine.findings} == {"CM-South-01"}
    assert mine.scores.cases == 2 and whole.scores.cases == 8
    assert mine.case_managers == whole.case_managers  # the picker still offers everyone


def test_waivers_file_is_applied(pipeline, tmp_path):
    view = run(pipeline)
    f = next(f for f in view.findings if f.rule == "ASM005")
    add_waiver(tmp_path / "waivers.toml", Waiver("ASM005", f.case_id, "reassessed on paper", "TM South", dt.date(2027, 1, 31)))
    after = run(pipeline)
    waived = [x for x in after.findings if x.waived]
    assert [(x.rule, x.case_id) for x in waived] == [("ASM005", "C-0005")]
    assert after.counts()["waived"] == 1 and after.counts()["errors"] == view.counts()["errors"] - 1
    assert todo(waived[0], after) == "waived: reassessed on paper"


def test_a_bad_waivers_file_is_a_problem_not_a_crash(pipeline, tmp_path):
    (tmp_path / "waivers.toml").write_text("[[waiver]]\nrule = 'ASM001'\n")
    view = run(pipeline)
    assert "missing" in view.waiver_error and view.counts()["waived"] == 0


def test_rules_off_and_as_of_recompute(pipeline):
    view = run(pipeline)
    fewer = run(pipeline, rules=tuple(c for c in pipeline.default_rules() if c != "ASM002"))
    assert not any(f.rule == "ASM002" for f in fewer.findings) and any(f.rule == "ASM002" for f in view.findings)
    later = run(pipeline, as_of=dt.date(2026, 12, 31))
    assert later.counts()["overdue"] > view.counts()["overdue"]
    c4 = next(r for r in later.rows if r.case_id == "C-0004")
    assert c4.info == 0 and c4.errors >= 1  # what was due on 2026-11-23 is overdue by the new date


def test_todo_says_what_and_when(pipeline):
    view = run(pipeline)
    late = next(f for f in view.findings_of("C-0001") if f.rule == "ASM001")  # done late
    assert todo(late, view).startswith("done late")
    overdue = next(f for f in view.findings_of("C-0001") if f.rule == "ASM002")
    assert todo(overdue, view) == f"overdue since {overdue.due_on}: do it now"
    soon = next(f for f in view.findings_of("C-0004") if f.rule == "ASM001")
    assert todo(soon, view) == "by 2026-11-23"


def test_timeline_puts_findings_beside_their_records(pipeline):
    view = run(pipeline)
    entries, hidden = timeline(view.case("C-0001"), view.findings_of("C-0001"), view.as_of)
    dates = [e.date for e in entries]
    assert dates == sorted(dates) and hidden == 0
    home = {f.rule: e for e in entries for f in e.findings}
    assert home["ASM001"].refs == ("A2",)  # the late start assessment
    assert home["REV001"].refs[0] == "E1"  # per-record rule: the event it is about
    assert home["SAF001"].kind == "due" and home["SAF001"].date == dt.date(2026, 6, 22)  # never recorded
    assert sum(len(e.findings) for e in entries) == len(view.findings_of("C-0001"))
    kinds = {e.kind for e in entries}
    assert {"assessment", "plan", "review", "contact", "enforcement", "oversight", "event", "case"} <= kinds


def test_timeline_leaves_out_what_is_after_the_as_of_date(pipeline):
    view = run(pipeline, as_of=dt.date(2026, 6, 30))
    entries, hidden = timeline(view.case("C-0001"), view.findings_of("C-0001"), view.as_of)
    assert all(e.date is None or e.date <= view.as_of for e in entries)
    assert hidden > 0


def test_the_default_as_of_is_the_one_the_command_line_takes(tmp_path):
    """Settings(as_of=None): the exports' service.extracted_on if every one names the same date, else
    today (rules.asof.resolve_as_of, as `yos-audit check` without --as-of)."""
    import json

    def export(name, extracted_on):
        doc = json.loads(CASELOAD.read_text())
        doc["service"]["extracted_on"] = extracted_on
        if extracted_on is None:
            del doc["service"]["extracted_on"]
        for case in doc["cases"]:
            case["case_id"] = f"{name}-{case['case_id']}"
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(doc))
        return path

    def as_of(*paths):
        pipeline = Pipeline(paths, waivers_path=tmp_path / "none.toml")
        view = pipeline.run(Settings(None, pipeline.default_rules()))
        assert view.settings.as_of == view.as_of  # the view says the date it was judged as of
        return view.as_of

    assert json.loads(CASELOAD.read_text())["service"]["extracted_on"] == "2026-11-20"
    assert as_of(CASELOAD) == dt.date(2026, 11, 20)
    assert as_of(export("a", "2026-10-01"), export("b", "2026-10-01")) == dt.date(2026, 10, 1)
    assert as_of(export("c", "2026-10-01"), export("d", "2026-10-02")) == dt.date.today()
    assert as_of(export("e", "2026-10-01"), export("f", None)) == dt.date.today()
