"""The machine formats of ``check``: jsonl, sarif, junit and github, each checked against its published
schema or format, pinned by golden files, and true to the findings of the JSON format."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import case_dicts, document

from rules.cli import main
from rules.outcomes import Finding, Severity, Status
from rules.report import FORMATS, CheckReport, render
from rules.report.github import command, escape_data, escape_property

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
SCHEMAS = HERE / "schemas"
AS_OF = ["--as-of", "2026-11-20"]
#: the golden file of each machine format
MACHINE = {"jsonl": "check.jsonl", "sarif": "check.sarif", "junit": "check.junit.xml", "github": "check.github.txt"}


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def check(capsys, path, fmt, *extra):
    return run(capsys, "check", str(path), *AS_OF, "--format", fmt, *extra)


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


@pytest.fixture(scope="module")
def junit_schema():
    return xmlschema.XMLSchema(SCHEMAS / "junit.xsd")


def json_findings(capsys, path, *extra):
    return json.loads(check(capsys, path, "json", *extra)[1])


def write_doc(tmp_path, doc, name="caseload.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


# -- every format is offered and golden-pinned ------------------------------------------------------


def test_every_format_of_the_contract_is_offered():
    assert set(FORMATS) == {"text", "json", "jsonl", "csv", "markdown", "sarif", "junit", "github"}


@pytest.mark.parametrize("fmt", sorted(MACHINE))
def test_golden_formats(capsys, monkeypatch, fixtures, fmt):
    monkeypatch.chdir(fixtures.parent)  # paths in the output are relative, as a user types them
    code, out, err = run(capsys, "check", "fixtures/small.json", *AS_OF, "--format", fmt)
    assert code == 1 and err == ""
    golden = GOLDEN / MACHINE[fmt]
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out)
    assert out == golden.read_text()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_an_empty_caseload(capsys, tmp_path, fmt):
    code, out, err = check(capsys, write_doc(tmp_path, document([])), fmt)
    assert code == 0 and err == ""
    if fmt in ("json", "sarif"):
        json.loads(out)
    if fmt == "junit":
        assert ET.fromstring(out).get("tests") == "0"


# -- jsonl --------------------------------------------------------------------------------------------


def test_jsonl_is_one_finding_a_line_then_the_summary(capsys, fixtures):
    doc = json_findings(capsys, fixtures / "small.json")
    _, out, _ = check(capsys, fixtures / "small.json", "jsonl")
    assert out.endswith("\n") and "\n\n" not in out
    lines = [json.loads(line) for line in out.splitlines()]
    assert all(next(iter(line)) == "kind" for line in lines)
    findings = [line for line in lines if line["kind"] == "finding"]
    assert [{k: v for k, v in f.items() if k != "kind"} for f in findings] == doc["findings"]
    assert lines[-1]["kind"] == "summary"
    summary = {k: v for k, v in lines[-1].items() if k not in ("kind", "tool", "as_of", "as_of_source", "as_of_reason")}
    assert summary == doc["summary"] and lines[-1]["as_of"] == "2026-11-20"
    assert lines[-1]["as_of_source"] == doc["as_of_source"] == "option"
    assert Counter(line["kind"] for line in lines) == {"finding": len(doc["findings"]), "summary": 1}


def test_jsonl_carries_input_problems_and_waivers(capsys, fixtures, tmp_path):
    doc = json.loads((fixtures / "small.json").read_text())
    doc["cases"][1]["start_date"] = "31/02/2026"
    waivers = tmp_path / "w.toml"
    waivers.write_text('[[waiver]]\nrule = "ROH003"\ncase = "C-9999"\nreason = "x"\nwho = "TM"\nuntil = 2027-01-01\n')
    code, out, _ = check(capsys, write_doc(tmp_path, doc), "jsonl", "--waivers", str(waivers))
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 2
    problem = next(line for line in lines if line["kind"] == "input_problem")
    assert problem["case_id"] == "C-0002" and problem["field"] == "start_date"
    waiver = next(line for line in lines if line["kind"] == "waiver")
    assert waiver["state"] == "unused" and waiver["case"] == "C-9999" and waiver["until"] == "2027-01-01"
    assert lines[-1]["rejected"] == 1


# -- sarif --------------------------------------------------------------------------------------------


def test_sarif_is_valid_against_the_2_1_0_schema(capsys, fixtures, sarif_validator):
    _, out, _ = check(capsys, fixtures / "small.json", "sarif")
    doc = json.loads(out)
    errors = sorted(sarif_validator.iter_errors(doc), key=str)
    assert not errors, errors[0]
    assert doc["version"] == "2.1.0" and len(doc["runs"]) == 1


def test_the_sarif_validator_is_not_vacuous(capsys, fixtures, sarif_validator):
    _, out, _ = check(capsys, fixtures / "small.json", "sarif")
    doc = json.loads(out)
    doc["runs"][0]["results"][0]["level"] = "info"  # not a SARIF level
    assert not sarif_validator.is_valid(doc)
    del doc["runs"][0]["tool"]
    assert not sarif_validator.is_valid(doc)


def test_sarif_has_one_result_a_finding_and_describes_every_rule(capsys, fixtures):
    findings = json_findings(capsys, fixtures / "small.json")["findings"]
    _, out, _ = check(capsys, fixtures / "small.json", "sarif", "--select", "ROH,PLN,MGT")
    run_ = json.loads(out)["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({r["id"] for r in rules}, key=[r["id"] for r in rules].index)
    assert {r["id"][:3] for r in rules} == {"ROH", "PLN", "MGT"}
    for r in rules:
        for key in ("id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration"):
            assert r[key], (r["id"], key)
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run_["results"]
    selected = [f for f in findings if f["rule"][:3] in ("ROH", "PLN", "MGT")]
    assert len(results) == len(selected)
    for res, f in zip(results, selected, strict=True):
        assert res["ruleId"] == f["rule"] and rules[res["ruleIndex"]]["id"] == f["rule"]
        assert res["message"]["text"].startswith(f["message"])
        loc = res["locations"][0]
        assert loc["physicalLocation"]["artifactLocation"]["uri"].endswith("fixtures/small.json")
        assert loc["logicalLocations"][0]["name"] == f["case_id"]
        if f["status"] == "not_met":
            assert res["kind"] == "fail" and res["level"] == f["severity"]
        else:  # a reminder is not a failure: SARIF wants level none then
            assert res["kind"] == "informational" and res["level"] == "none"
    assert len({r["partialFingerprints"]["yosAuditFindingKey/v1"] for r in results}) == len(results)


def test_sarif_waivers_and_input_problems(capsys, fixtures, tmp_path, sarif_validator):
    doc = json.loads((fixtures / "small.json").read_text())
    doc["cases"][1]["start_date"] = "31/02/2026"
    waivers = tmp_path / "w.toml"
    waivers.write_text('[[waiver]]\nrule = "ROH003"\ncase = "C-0001"\nreason = "RMP on paper file"\nwho = "TM"\nuntil = 2027-01-01\n')
    code, out, _ = check(capsys, write_doc(tmp_path, doc, "my file.json"), "sarif", "--waivers", str(waivers))
    sarif = json.loads(out)
    assert code == 2 and sarif_validator.is_valid(sarif)
    run_ = sarif["runs"][0]
    (waived,) = [r for r in run_["results"] if "suppressions" in r]
    assert waived["ruleId"] == "ROH003" and waived["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "RMP on paper file"}]
    invocation = run_["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "31/02/2026" in note["message"]["text"]
    uri = note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert " " not in uri and uri.endswith("my%20file.json") and urlsplit(uri).scheme == "file"


# -- junit --------------------------------------------------------------------------------------------


def _junit(capsys, path, *extra):
    code, out, _ = check(capsys, path, "junit", *extra)
    return code, out, ET.fromstring(out)


def test_junit_is_valid_and_its_counts_add_up(capsys, fixtures, junit_schema):
    _, out, root = _junit(capsys, fixtures / "small.json")
    junit_schema.validate(out)
    _assert_counts_add_up(root)


def _assert_counts_add_up(root: ET.Element) -> None:
    assert root.tag == "testsuites"
    totals = Counter()
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        counted = {
            "tests": len(cases),
            "failures": sum(len(c.findall("failure")) > 0 for c in cases),
            "errors": sum(len(c.findall("error")) > 0 for c in cases),
            "skipped": sum(len(c.findall("skipped")) > 0 for c in cases),
        }
        for key, n in counted.items():
            assert suite.get(key) == str(n), (suite.get("name"), key)
            totals[key] += n
        for c in cases:
            assert c.get("name") and c.get("classname")
            assert sum(bool(c.findall(tag)) for tag in ("failure", "error", "skipped")) <= 1
    for key in ("tests", "failures", "errors", "skipped"):
        assert root.get(key) == str(totals[key]), key


def test_junit_has_every_selected_rule_for_every_case(capsys, fixtures):
    import datetime as dt

    from rules.catalogue import all_rules
    from rules.engine import audit
    from rules.load import load_paths

    _, _, root = _junit(capsys, fixtures / "small.json")
    loaded = load_paths([fixtures / "small.json"])
    result = audit(loaded.caseload, dt.date(2026, 11, 20))
    applies = {(o.case_id, o.rule) for o in result.outcomes}
    failing = {(f.case_id, f.rule) for f in result.findings if f.status is Status.NOT_MET}
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert sorted(suites) == ["C-0001", "C-0002", "C-0003", "C-0004"]
    for case_id, suite in suites.items():
        names = [c.get("name") for c in suite.findall("testcase")]
        assert names == [f"{r.code} {r.name}" for r in all_rules().values()]
        for c in suite.findall("testcase"):
            code = c.get("name").split()[0]
            assert c.get("classname") == case_id
            state = "failure" if c.find("failure") is not None else "skipped" if c.find("skipped") is not None else "passed"
            if (case_id, code) in failing:
                assert state == "failure"
            elif (case_id, code) not in applies:
                assert state == "skipped" and c.find("skipped").get("message") == "not applicable"
            else:
                assert state == "passed"


def test_junit_waived_is_skipped_never_failed_and_input_errors_are_errors(capsys, fixtures, tmp_path, junit_schema):
    doc = json.loads((fixtures / "small.json").read_text())
    doc["cases"][1]["start_date"] = "31/02/2026"
    waivers = tmp_path / "w.toml"
    waivers.write_text('[[waiver]]\nrule = "ROH003"\ncase = "C-0001"\nreason = "RMP on paper file"\nwho = "TM"\nuntil = 2027-01-01\n'
                       '[[waiver]]\nrule = "ROH001"\ncase = "C-0001"\nreason = "old"\nwho = "TM"\nuntil = 2026-01-01\n')
    _, out, root = _junit(capsys, write_doc(tmp_path, doc), "--waivers", str(waivers))
    junit_schema.validate(out)
    _assert_counts_add_up(root)
    (tc,) = root.findall("./testsuite[@name='C-0001']/testcase[@name='ROH003 rmp-required']")
    assert tc.find("failure") is None and tc.find("skipped").get("message") == "waived: RMP on paper file"
    (inp,) = root.findall("./testsuite[@name='input']")
    assert inp.get("errors") == "1" and "31/02/2026" in inp.find("testcase/error").get("message")
    (w,) = root.findall("./testsuite[@name='waivers']")
    assert "expired" in w.find("testcase/system-out").text


def test_junit_survives_characters_xml_cannot_hold(capsys, tmp_path, junit_schema):
    case = {"case_id": "C-\x01<&>\"'", "start_date": "2026-01-05", "assessments": [{"id": "A\x02", "kind": "CORE"}]}
    _, out, root = _junit(capsys, write_doc(tmp_path, document([case])))
    junit_schema.validate(out)
    assert root.find("testsuite").get("name") == "C-\ufffd<&>\"'"


# -- github -------------------------------------------------------------------------------------------

ANNOTATION = re.compile(r"^::(error|warning|notice)( [a-z]+=[^,:\r\n]*(,[a-z]+=[^,:\r\n]*)*)?::[^\r\n]*$")


def test_github_annotations(capsys, fixtures):
    findings = json_findings(capsys, fixtures / "small.json")["findings"]
    _, out, _ = check(capsys, fixtures / "small.json", "github")
    first, *lines = out.splitlines()
    assert first == "::notice title=as-of date::as of 2026-11-20 (given with --as-of)"
    assert len(lines) == len(findings)
    for line, f in zip(lines, findings, strict=True):
        assert ANNOTATION.match(line), line
        kind = {"error": "error", "warning": "warning", "info": "notice"}[f["severity"]]
        assert line.startswith(f"::{kind} file={escape_property(str(fixtures / 'small.json'))},title=")
        assert f"title={escape_property(f['rule'] + ' ' + f['name'] + ' (' + f['case_id'] + ')')}" in line
        assert line.split("::", 2)[2].startswith(escape_data(f["message"]))


def test_github_escaping_follows_the_actions_toolkit():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert command("error", "line one\n::warning::forged", file="x,y.json", title="T: 1") == (
        "::error file=x%2Cy.json,title=T%3A 1::line one%0A::warning::forged")
    assert command("notice", "m") == "::notice::m"


def test_github_hostile_ids_cannot_forge_a_command(capsys, tmp_path):
    case = {"case_id": "C-1\n::error::forged,%", "start_date": "2026-01-05",
            "assessments": [{"id": "A1\r\n::warning::x", "kind": "CORE", "stage": "START", "completed_on": "2026-01-09"}]}
    _, out, _ = check(capsys, write_doc(tmp_path, document([case])), "github")
    for line in out.splitlines():
        assert ANNOTATION.match(line), line


def test_github_waived_expired_unused_and_input_problems(capsys, fixtures, tmp_path):
    doc = json.loads((fixtures / "small.json").read_text())
    doc["cases"][1]["start_date"] = "31/02/2026"
    waivers = tmp_path / "w.toml"
    waivers.write_text('[[waiver]]\nrule = "ROH003"\ncase = "C-0001"\nreason = "RMP on paper"\nwho = "TM"\nuntil = 2027-01-01\n'
                       '[[waiver]]\nrule = "ROH001"\ncase = "C-0001"\nreason = "old"\nwho = "TM"\nuntil = 2026-01-01\n'
                       '[[waiver]]\nrule = "ROH001"\ncase = "C-0404"\nreason = "none"\nwho = "TM"\nuntil = 2027-01-01\n')
    _, out, _ = check(capsys, write_doc(tmp_path, doc), "github", "--waivers", str(waivers))
    lines = out.splitlines()
    assert all(ANNOTATION.match(line) for line in lines)
    assert any(line.startswith("::notice ") and "waived ROH003" in line and "RMP on paper" in line for line in lines)
    assert any(line.startswith("::error ") and "input error" in line and "31/02/2026" in line for line in lines)
    assert any("expired waiver" in line and "ROH001 C-0001" in line for line in lines)
    assert any("unused waiver" in line and "ROH001 C-0404" in line for line in lines)


# -- every format over random caseloads -----------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases=st.lists(case_dicts(), max_size=4, unique_by=lambda c: c["case_id"]))
def test_machine_formats_hold_for_any_caseload(cases):
    import datetime as dt

    from rules.engine import audit
    from rules.load import load_document

    _, loaded, rejected, problems = load_document(document(cases), "random.json")
    result = audit(loaded, dt.date(2026, 11, 20))
    report = CheckReport(as_of=result.as_of, findings=result.findings, problems=tuple(problems), rules=result.rules,
                         cases={c.case_id: c for c in loaded}, rejected=rejected, outcomes=result.outcomes,
                         sources={c.case_id: "random.json" for c in loaded})
    sarif = json.loads(render(report, "sarif"))
    assert _SARIF.is_valid(sarif)
    assert len(sarif["runs"][0]["results"]) == len(result.findings)
    root = ET.fromstring(render(report, "junit"))
    _assert_counts_add_up(root)
    assert sum(int(s.get("tests")) for s in root.findall("testsuite") if s.get("name") != "input") == len(loaded) * len(result.rules)
    lines = render(report, "jsonl").splitlines()
    assert sum(json.loads(line)["kind"] == "finding" for line in lines) == len(result.findings)
    assert all(ANNOTATION.match(line) for line in render(report, "github").splitlines())


_SARIF = jsonschema.Draft4Validator(json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text()))


def test_writers_are_pure_functions_of_the_report():
    import datetime as dt

    f = Finding("ROH003", "rmp-required", Severity.ERROR, "C-1", "no RMP", ("A1",), dt.date(2026, 7, 3), "1.1",
                Status.NOT_MET, case_manager="CM", team="T")
    report = CheckReport(as_of=dt.date(2026, 11, 20), findings=(f,))
    for fmt in ("jsonl", "sarif", "junit", "github"):
        assert render(report, fmt) == render(report, fmt)
    assert render(report, "github") == "::error title=ROH003 rmp-required (C-1)::no RMP (evidence: A1) [due 2026-07-03]\n"
