"""Waivers as conftest keeps exceptions: counted in their own tally, never dropped, never failing a run;
an expired waiver stops waiving and is reported, and so is one that matches nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.cli import main
from rules.outcomes import Finding, Severity, Status
from rules.waivers import WAIVERS_NAME, Waiver, WaiverError, add_waiver, apply_waivers, load_waivers

AS_OF = ["--as-of", "2026-11-20"]
#: C-0001 of fixtures/small.json has one ROH003 finding (no RMP) and nothing else under --select ROH003
ROH003 = ["--select", "ROH003"]


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def waiver(rule="ROH003", case="C-0001", reason="RMP held on paper file; being scanned", who="TM North",
           until="2027-01-31", record=None) -> str:
    text = f'[[waiver]]\nrule = "{rule}"\ncase = "{case}"\nreason = "{reason}"\nwho = "{who}"\nuntil = {until}\n'
    return text + (f'record = "{record}"\n' if record else "")


def check_json(capsys, fixtures, waivers_file, *extra):
    code, out, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--format", "json",
                         "--waivers", str(waivers_file), *extra)
    return code, json.loads(out), err


def test_a_waived_finding_is_kept_and_counted_in_its_own_tally(capsys, fixtures, tmp_path):
    plain = json.loads(run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--format", "json")[1])
    w = tmp_path / "w.toml"
    w.write_text(waiver())
    _, doc, _ = check_json(capsys, fixtures, w)
    assert len(doc["findings"]) == len(plain["findings"])  # never dropped
    (waived,) = [f for f in doc["findings"] if f["waived"]]
    assert (waived["rule"], waived["case_id"]) == ("ROH003", "C-0001")
    assert waived["waiver_reason"] == "RMP held on paper file; being scanned"
    s, p = doc["summary"], plain["summary"]
    assert s["waived"] == 1 and p["waived"] == 0
    assert s["errors"] == p["errors"] - 1 and s["findings"] == p["findings"]
    assert doc["waivers"] == {"expired": [], "unused": []}


def test_a_waived_finding_does_not_fail_the_run(capsys, fixtures, tmp_path):
    w = tmp_path / "w.toml"
    w.write_text("")
    assert run(capsys, "check", str(fixtures / "small.json"), *AS_OF, *ROH003, "--waivers", str(w))[0] == 1
    w.write_text(waiver())
    code, out, _ = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, *ROH003, "--waivers", str(w))
    assert code == 0
    assert "waived   ROH003" in out and "waived: RMP held on paper file" in out and "1 waived" in out


def test_a_waiver_on_its_last_day_still_waives_and_the_day_after_it_has_expired(capsys, fixtures, tmp_path):
    w = tmp_path / "w.toml"
    w.write_text(waiver(until="2026-11-20"))
    code, doc, _ = check_json(capsys, fixtures, w, *ROH003)
    assert code == 0 and doc["summary"]["waived"] == 1
    w.write_text(waiver(until="2026-11-19"))
    code, doc, _ = check_json(capsys, fixtures, w, *ROH003)
    assert code == 1
    assert doc["summary"]["waived"] == 0 and not any(f["waived"] for f in doc["findings"])
    assert doc["waivers"]["expired"] == [{"rule": "ROH003", "case": "C-0001", "reason": "RMP held on paper file; being scanned",
                                         "who": "TM North", "until": "2026-11-19"}]
    assert doc["waivers"]["unused"] == []


def test_expired_and_unused_waivers_are_reported_in_text(capsys, fixtures, tmp_path):
    w = tmp_path / "w.toml"
    w.write_text(waiver(until="2026-01-01") + waiver(case="C-0404", until="2027-01-01"))
    code, out, _ = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, *ROH003, "--waivers", str(w))
    assert code == 1
    expired = out.split("Expired waivers (no longer waiving):\n")[1].split("\n")[0]
    unused = out.split("Unused waivers (match no finding):\n")[1].split("\n")[0]
    assert expired == "  ROH003 C-0001 (until 2026-01-01, TM North)"
    assert unused == "  ROH003 C-0404 (until 2027-01-01, TM North)"


def test_a_waiver_that_matches_nothing_is_reported_unused(capsys, fixtures, tmp_path):
    w = tmp_path / "w.toml"
    w.write_text(waiver(rule="SAF001", case="C-0001") + waiver(record="NO-SUCH-RECORD", rule="VIC001"))
    _, doc, _ = check_json(capsys, fixtures, w)
    assert [(u["rule"], u["case"]) for u in doc["waivers"]["unused"]] == [("SAF001", "C-0001"), ("VIC001", "C-0001")]
    assert doc["summary"]["waived"] == 0


def test_a_record_waiver_waives_only_that_record():
    def finding(record):
        return Finding("VIC001", "victim-contact-offered", Severity.ERROR, "C-1", "late", (record,), None, "1.1",
                       Status.NOT_MET, record=record)

    w = Waiver("VIC001", "C-1", "victim declined", "TM", dt.date(2027, 1, 1), record="V1")
    report = apply_waivers([finding("V1"), finding("V2")], [w], dt.date(2026, 11, 20))
    assert [f.waived for f in report.findings] == [True, False] and report.waived == 1
    assert report.unused == () and report.expired == ()


def test_the_default_waivers_file_is_found_in_the_current_folder(capsys, fixtures, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / WAIVERS_NAME).write_text(waiver())
    assert run(capsys, "check", str(fixtures / "small.json"), *AS_OF, *ROH003)[0] == 0


def test_waivers_round_trip_through_add_waiver(tmp_path):
    path = tmp_path / "w.toml"
    first = Waiver("ROH003", "C-0001", "paper file", "TM", dt.date(2027, 1, 31))
    second = Waiver("VIC001", "C-0002", "declined", "TM", dt.date(2027, 2, 1), record="V1")
    add_waiver(path, first)
    add_waiver(path, second)
    assert load_waivers(path) == [first, second]


MALFORMED = [
    (waiver().replace('reason = "RMP held on paper file; being scanned"\n', ""), "waiver 1: missing reason"),
    (waiver() + waiver(until='"31/01/2027"'), "waiver 2: until: not a date: '31/01/2027'"),
    (waiver(until="2027-01-31T10:00:00"), "waiver 1: until: expected a date like 2027-01-31"),
    (waiver() + 'colour = "red"\n', "waiver 1: unknown key 'colour'"),
    (waiver(reason="  "), "waiver 1: reason is empty"),
    (waiver().replace('rule = "ROH003"', "rule = 3"), "waiver 1: rule: expected text"),
    ('waiver = "ROH003"\n', "waivers are [[waiver]] tables"),
    ("waiver = [1, 2]\n", "waiver 1: must be a table"),
    ("[[waiver]\nrule = ", "not valid TOML"),
    ("a = " + "[" * 3000 + "]" * 3000 + "\n", "not valid TOML: nested too deeply"),
    ("a = " + "9" * 5000 + "\n", "not valid TOML: a number too long to read"),
]


@pytest.mark.parametrize("text,expected", MALFORMED, ids=[m[1] for m in MALFORMED])
def test_a_malformed_waivers_file_is_exit_2_naming_the_file_and_the_waiver(capsys, fixtures, tmp_path, text, expected):
    w = tmp_path / "team-waivers.toml"
    w.write_text(text)
    code, out, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--waivers", str(w))
    assert code == 2 and out == ""
    assert err.startswith(f"yos-audit: error: {w}: ") and expected in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("make,expected", [
    (lambda p: None, "no such waivers file"),
    (lambda p: p.mkdir(), "is a folder, not a waivers file"),
    (lambda p: p.write_bytes(b"\xff\xfe\x00junk"), "not UTF-8 text (byte 0)"),
])
def test_an_unreadable_waivers_file_is_exit_2(capsys, fixtures, tmp_path, make, expected):
    w = tmp_path / "w.toml"
    make(w)
    code, _, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--waivers", str(w))
    assert code == 2 and err == f"yos-audit: error: {w}: {expected}\n"


def test_load_waivers_raises_waiver_error_only(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(waiver(case="C-0001").replace('who = "TM North"', "who = []"))
    with pytest.raises(WaiverError, match=r"waiver 1: who: expected text"):
        load_waivers(path)


def test_a_waiver_naming_no_rule_is_an_error(tmp_path):
    from rules.waivers import WaiverError, load_waivers

    path = tmp_path / "w.toml"
    path.write_text('[[waiver]]\nrule = "ROH03"\ncase = "C-1"\nreason = "x"\nwho = "TM"\nuntil = 2027-01-01\n')
    with pytest.raises(WaiverError, match=r"waiver 1: rule: unknown rule code 'ROH03'"):
        load_waivers(path)


_CODES = st.sampled_from(["VIC001", "ROH003", "vic001"])  # a waiver made in code may be in any case
_IDS = st.sampled_from(["C-1", "C-2", "c-1", "C-1 "])  # case ids are matched exactly, as written
_RECORDS = st.sampled_from([None, "V1", "V2", "v1"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(_CODES, _IDS, _RECORDS), max_size=12),
    st.lists(st.tuples(_CODES, _IDS, _RECORDS, st.sampled_from(["a", "b", "c"]), st.integers(-2, 2)), max_size=8),
)
def test_each_finding_is_waived_by_the_first_in_date_waiver_that_matches_it(rows, waiver_rows):
    """Whatever the findings and waivers (looked up by rule and case, not tried one by one): a
    finding is waived by the first in-date waiver of the file that matches it, with its reason; a
    waiver past its date waives nothing and is expired; an in-date one that waives nothing is unused."""
    as_of = dt.date(2026, 11, 20)
    findings = [
        Finding(code, "name", Severity.ERROR, cid, "late", (), None, "1.1", Status.NOT_MET, record=record)
        for code, cid, record in rows
    ]
    waivers = [
        Waiver(code, cid, reason, "TM", as_of + dt.timedelta(days=days), record=record)
        for code, cid, record, reason, days in waiver_rows
    ]
    report = apply_waivers(findings, waivers, as_of)
    live = [w for w in waivers if w.until >= as_of]
    first = [next((w for w in live if w.matches(f)), None) for f in findings]  # every waiver tried in turn
    assert list(report.findings) == [
        f if w is None else f._replace(waived=True, waiver_reason=w.reason) for f, w in zip(findings, first)
    ]
    assert report.expired == tuple(w for w in waivers if w.until < as_of)
    used = {id(w) for w in first if w is not None}
    assert report.unused == tuple(w for w in live if id(w) not in used)


# -- unused means: could have matched a finding of this run, and did not ---------------------------


def _unused(doc):
    return [(u["rule"], u["case"]) for u in doc["waivers"]["unused"]]


def test_waivers_outside_team_case_manager_or_select_are_not_reported_unused(capsys, fixtures, tmp_path):
    """A run on one team, case manager or set of rules could not have used a waiver on another team's
    case or on a rule it did not run: reporting it unused would have the user delete a valid waiver.
    A waiver that could have matched and did not is still unused."""
    w = tmp_path / "w.toml"
    w.write_text(
        waiver(rule="ROH001", case="C-0002")  # South, with a finding: valid
        + waiver()  # ROH003 on C-0001 (North), with a finding: used
        + waiver(rule="SAF001", case="C-0001")  # North, no such finding: unused wherever C-0001 is audited
        + waiver(rule="PLN001", case="C-0002", until="2026-01-01")  # South, expired
    )
    _, whole, _ = check_json(capsys, fixtures, w)
    assert _unused(whole) == [("SAF001", "C-0001")] and len(whole["waivers"]["expired"]) == 1
    for scope in (["--team", "North"], ["--case-manager", "CM-1"], ["--team", "north", "--select", "ROH,SAF"]):
        _, doc, _ = check_json(capsys, fixtures, w, *scope)
        assert _unused(doc) == [("SAF001", "C-0001")], scope
        assert doc["waivers"]["expired"] == []  # a run on North names no South case
        assert doc["summary"]["waived"] == 1
    _, doc, _ = check_json(capsys, fixtures, w, "--select", "ROH003")
    assert doc["waivers"] == {"expired": [], "unused": []} and doc["summary"]["waived"] == 1
    _, doc, _ = check_json(capsys, fixtures, w, "--select", "ROH", "--ignore", "ROH003")
    assert doc["waivers"] == {"expired": [], "unused": []} and doc["summary"]["waived"] == 1  # ROH001 on C-0002
    code, out, _ = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--team", "North", "--waivers", str(w))
    assert out.split("Unused waivers (match no finding):\n")[1].split("\n\n")[0] == "  SAF001 C-0001 (until 2027-01-31, TM North)"
    assert "C-0002" not in out


def test_a_waiver_on_a_rejected_case_is_not_unused_but_one_on_a_case_gone_from_the_export_is(capsys, fixtures, tmp_path):
    doc = json.loads((fixtures / "small.json").read_text())
    doc["cases"][1]["start_date"] = "31/02/2026"  # C-0002 rejected: not audited
    export = tmp_path / "export.json"
    export.write_text(json.dumps(doc))
    w = tmp_path / "w.toml"
    w.write_text(waiver(rule="ROH001", case="C-0002") + waiver(rule="ROH001", case="C-9999"))
    code, out, _ = run(capsys, "check", str(export), *AS_OF, "--format", "json", "--waivers", str(w))
    assert code == 2
    assert _unused(json.loads(out)) == [("ROH001", "C-9999")]  # a stale waiver: no input holds the case


def test_a_waiver_after_an_unreadable_input_is_not_unused(capsys, fixtures, tmp_path):
    """An input that could not be read may hold the waiver's case: the run cannot say it is unused."""
    w = tmp_path / "w.toml"
    w.write_text(waiver(rule="ROH001", case="C-0404"))
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    code, out, _ = run(capsys, "check", str(fixtures / "small.json"), str(broken), *AS_OF, "--format", "json",
                       "--waivers", str(w))
    assert code == 2 and _unused(json.loads(out)) == []


def test_the_ui_does_not_call_a_waiver_on_a_rule_switched_off_unused(tmp_path):
    from tui_helpers import AS_OF as UI_AS_OF
    from tui_helpers import CASELOAD

    from tui.session import Pipeline, Settings

    path = tmp_path / "w.toml"
    path.write_text(waiver(rule="ROH003", case="C-0404"))
    pipeline = Pipeline([CASELOAD], waivers_path=path)
    on = pipeline.run(Settings(UI_AS_OF, pipeline.default_rules()))
    assert [(w.rule, w.case) for w in on.waivers.unused] == [("ROH003", "C-0404")]
    off = pipeline.run(Settings(UI_AS_OF, tuple(c for c in pipeline.default_rules() if c != "ROH003")))
    assert off.waivers.unused == ()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_CODES, _IDS, _RECORDS), max_size=12),
    st.lists(st.tuples(_CODES, _IDS, _RECORDS, st.integers(-2, 2)), max_size=8),
    st.sets(_CODES), st.sets(_IDS), st.sets(_IDS), st.booleans(),
)
def test_a_scope_leaves_out_only_waivers_the_run_could_not_have_used(rows, waiver_rows, rules, cases, skipped, partial):
    """With a run's scope, the findings are waived exactly as without it (a run's findings are all of
    its rules and cases); the expired and unused waivers are those without it that the scope covers."""
    from rules.waivers import Scope

    as_of = dt.date(2026, 11, 20)
    scope = Scope(frozenset(rules), frozenset(cases), partial, frozenset(skipped) - frozenset(cases))
    findings = [
        Finding(code, "name", Severity.ERROR, cid, "late", (), None, "1.1", Status.NOT_MET, record=record)
        for code, cid, record in rows if code in rules and cid in cases
    ]
    waivers = [Waiver(code, cid, "r", "TM", as_of + dt.timedelta(days=days), record=record)
               for code, cid, record, days in waiver_rows]
    plain, scoped = apply_waivers(findings, waivers, as_of), apply_waivers(findings, waivers, as_of, scope)
    assert scoped.findings == plain.findings
    assert scoped.expired == tuple(w for w in plain.expired if scope.covers(w))
    assert scoped.unused == tuple(w for w in plain.unused if scope.covers(w))
    for w in scoped.unused:  # unused: in scope, and nothing of the run matched it
        assert w.rule in rules and (w.case in cases or (not partial and w.case not in skipped))
