"""``--redact``: no case id, ypid, staff name or record id survives in any output format, and the
pseudonyms are stable for a key, so redacted reports can be compared and shared."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest

from rules.cli import main
from rules.engine import audit
from rules.load import load_paths
from rules.redact import DEFAULT_KEY, ENV_KEY, Pseudonyms, Scrubber, redact_report, resolve_key
from rules.report import FORMATS, CheckReport

AS_OF = ["--as-of", "2026-11-20"]


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def sensitive(fixtures, tmp_path):
    """small.json with staff in every place a name can stand, a rejected case, and waivers."""
    doc = json.loads((fixtures / "small.json").read_text())
    c1 = doc["cases"][0]
    c1["contacts"][0]["by"] = "Jo Bloggs"
    c1["assessments"][1]["countersigned_by"] = "Ann O'Hara"
    c1["oversight"] = [{"date": "2026-07-20", "by": "Mo Khan", "subject": "ROSH", "target": "A2", "note": "Jo Bloggs to chase"}]
    doc["cases"].append({"case_id": "C-0099", "ypid": "YP-0099", "case_manager": "Sam Smith", "start_date": "2026-03-02",
                         "legal_outcome": "Sam Smith"})
    doc["cases"].append({"case_id": "C-0098", "start_date": "2026-03-02",
                         "assessments": [{"id": "A9", "kind": "CORE"}, {"id": "A9", "kind": "CORE"}]})
    path = tmp_path / "caseload.json"
    path.write_text(json.dumps(doc))
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(
        '[[waiver]]\nrule = "ROH003"\ncase = "C-0001"\nreason = "C-0001: RMP A2 on paper with Jo Bloggs"\nwho = "Pat Lead"\nuntil = 2027-01-01\n'
        '[[waiver]]\nrule = "VIC001"\ncase = "C-0404"\nreason = "n/a"\nwho = "Pat Lead"\nuntil = 2027-01-01\nrecord = "V7"\n'
        '[[waiver]]\nrule = "ROH001"\ncase = "C-0003"\nreason = "old"\nwho = "Lee Old"\nuntil = 2026-01-01\n'
    )
    return path, waivers


#: every identifier of a child or of staff in the sensitive caseload and its waivers
IDENTIFIERS = [
    "C-0001", "C-0002", "C-0003", "C-0004", "C-0098", "C-0099", "C-0404",
    "YP-0001", "YP-0002", "YP-0003", "YP-0004", "YP-0099",
    "CM-1", "CM-2", "TM-South", "Jo Bloggs", "Ann O'Hara", "Mo Khan", "Sam Smith", "Pat Lead", "Lee Old",
    "A1", "A2", "A3", "A4", "A9", "IP1", "SP1", "VMP1", "R1", "R2", "E1", "V1", "V7",
]


def leaks(text: str) -> list[str]:
    found = []
    for ident in IDENTIFIERS:
        variants = {ident, ident.replace("'", "\\'"), ident.replace("'", "&#x27;"), ident.replace("'", "&apos;")}
        if any(re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", text) for v in variants):
            found.append(ident)
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_identifier_survives_in_any_format(capsys, sensitive, fmt, monkeypatch):
    monkeypatch.setenv(ENV_KEY, "a secret of the service")
    path, waivers = sensitive
    code, plain, _ = run(capsys, "check", str(path), *AS_OF, "--format", fmt, "--waivers", str(waivers))
    assert code == 2  # two cases rejected: still reported
    assert set(leaks(plain)) >= {"C-0001", "A2"}  # the check below is not vacuous
    if fmt != "csv":  # one row a finding: no room for waivers that waive nothing
        assert "Lee Old" in plain or "C-0404" in plain
    code, out, err = run(capsys, "check", str(path), *AS_OF, "--format", fmt, "--waivers", str(waivers), "--redact")
    assert code == 2 and leaks(err) == []  # input errors are said on stderr too, redacted as well
    assert leaks(out) == []
    assert "case-" in out and "rec-" in out and "staff-" in out
    if fmt != "github":  # annotations name no team
        assert "North" in out and "South" in out  # teams are not personal: kept


def test_redaction_keeps_the_shape_and_the_counts(capsys, sensitive, monkeypatch):
    monkeypatch.setenv(ENV_KEY, "k")
    path, waivers = sensitive
    plain = json.loads(run(capsys, "check", str(path), *AS_OF, "--format", "json", "--waivers", str(waivers))[1])
    red = json.loads(run(capsys, "check", str(path), *AS_OF, "--format", "json", "--waivers", str(waivers), "--redact")[1])
    assert red["summary"] == plain["summary"]
    assert [(f["rule"], f["severity"], f["due_on"], f["waived"], f["team"]) for f in red["findings"]] == sorted(
        [(f["rule"], f["severity"], f["due_on"], f["waived"], f["team"]) for f in plain["findings"]],
        key=[(f["rule"], f["severity"], f["due_on"], f["waived"], f["team"]) for f in red["findings"]].index)
    assert len(red["input_problems"]) == len(plain["input_problems"])
    assert [p["field"] for p in red["input_problems"]] == [p["field"] for p in plain["input_problems"]]
    assert len(red["waivers"]["expired"]) == len(red["waivers"]["unused"]) == 1
    # the same identifier gets the same pseudonym everywhere: the case, its findings, its evidence
    pseudo = {f["case_id"] for f in red["findings"] if f["team"] == "South"}
    assert len(pseudo) == 2 and all(p.startswith("case-") for p in pseudo)
    roh = next(f for f in red["findings"] if f["rule"] == "ROH003" and f["waived"])
    assert roh["evidence"][0] in roh["message"] and roh["case_id"] in roh["waiver_reason"]
    junit_plain = ET.fromstring(run(capsys, "check", str(path), *AS_OF, "--format", "junit")[1])
    junit_red = ET.fromstring(run(capsys, "check", str(path), *AS_OF, "--format", "junit", "--redact")[1])
    assert {k: junit_red.get(k) for k in ("tests", "failures", "skipped", "errors")} == {
        k: junit_plain.get(k) for k in ("tests", "failures", "skipped", "errors")}


def test_pseudonyms_are_stable_for_a_key_and_change_with_it(capsys, sensitive, monkeypatch):
    path, _ = sensitive
    monkeypatch.setenv(ENV_KEY, "first key")
    a = run(capsys, "check", str(path), *AS_OF, "--format", "json", "--redact")[1]
    b = run(capsys, "check", str(path), *AS_OF, "--format", "json", "--redact")[1]
    monkeypatch.setenv(ENV_KEY, "second key")
    c = run(capsys, "check", str(path), *AS_OF, "--format", "json", "--redact")[1]
    assert a == b != c
    assert Pseudonyms("k")("case", "C-0001") == Pseudonyms(b"k")("case", "C-0001") != Pseudonyms("k")("staff", "C-0001")
    assert re.fullmatch(r"case-[0-9a-f]{12}", Pseudonyms("k")("case", "C-0001"))


def test_the_key_comes_from_the_environment_then_the_config_then_a_default_with_a_warning(capsys, sensitive, tmp_path, monkeypatch):
    path, _ = sensitive
    cfg = tmp_path / "cfg.toml"
    cfg.write_text('redact_key = "from the config"\n')
    monkeypatch.delenv(ENV_KEY, raising=False)
    def key_warnings(err: str) -> list[str]:  # stderr also says the input errors of the rejected cases
        assert all(": error: " in line for line in err.splitlines() if "--redact" not in line)
        return [line for line in err.splitlines() if "--redact" in line]

    _, default_out, err = run(capsys, "check", str(path), *AS_OF, "--format", "json", "--redact")
    (warning,) = key_warnings(err)
    assert "warning: --redact with the built-in key" in warning and ENV_KEY in warning
    _, config_out, err = run(capsys, "check", str(path), *AS_OF, "--format", "json", "--redact", "--config", str(cfg))
    assert key_warnings(err) == [] and config_out != default_out
    monkeypatch.setenv(ENV_KEY, "from the config")
    assert run(capsys, "check", str(path), *AS_OF, "--format", "json", "--redact")[1] == config_out
    monkeypatch.setenv(ENV_KEY, "from the environment")
    _, env_out, err = run(capsys, "check", str(path), *AS_OF, "--format", "json", "--redact", "--config", str(cfg))
    assert key_warnings(err) == [] and env_out not in (config_out, default_out)
    assert resolve_key(None, {}) == (DEFAULT_KEY, "default")
    assert resolve_key("c", {}) == ("c", "config") and resolve_key("c", {ENV_KEY: "e"}) == ("e", "environment")


def test_a_bad_redact_key_in_the_config_is_exit_2(capsys, sensitive, tmp_path):
    cfg = tmp_path / "cfg.toml"
    cfg.write_text("redact_key = 42\n")
    code, _, err = run(capsys, "check", str(sensitive[0]), "--redact", "--config", str(cfg))
    assert code == 2 and "redact_key must be text" in err


def test_the_cases_handed_to_writers_hold_no_identifier_nor_free_text(fixtures):
    loaded = load_paths([fixtures / "small.json"])
    result = audit(loaded.caseload, dt.date(2026, 11, 20))
    report = CheckReport(as_of=result.as_of, findings=result.findings, rules=result.rules, outcomes=result.outcomes,
                         cases={c.case_id: c for c in loaded.caseload.cases}, sources=dict(loaded.sources))
    red = redact_report(report, "k")
    text = repr(red.cases) + repr(red.outcomes) + repr(red.findings) + repr(red.sources)
    assert leaks(text) == []
    assert "moved to a new placement" not in text  # an event's description: free text
    assert "MALE" in text and "North" in text  # codes and teams are kept
    case = red.cases[Pseudonyms("k")("case", "C-0003")]
    assert case.plans[0].incorporates == (Pseudonyms("k")("rec", "VMP1"),) == (case.plans[1].id,)
    assert case.oversight[0].by == Pseudonyms("k")("staff", "TM-South") == case.assessments[2].countersigned_by
    assert {o.case_id for o in red.outcomes} <= set(red.cases) and set(red.sources) == set(red.cases)


def test_the_scrubber_replaces_whole_tokens_ignoring_case():
    s = Scrubber({"A1": "rec-1", "A10": "rec-10", "C-0001": "case-1", "Jo Bloggs": "staff-1", "": "never"})
    assert s("A1, A10 and a1; A100 XA1 A1-B C-0001 C-00011 jo bloggs.") == (
        "rec-1, rec-10 and rec-1; A100 XA1 A1-B case-1 C-00011 staff-1.")
    assert s("") == "" and Scrubber({})("A1") == "A1"
    p = Pseudonyms("k")
    assert s.quoted("unknown code 'Sam Smith' and 'A1'", p) == f"unknown code '{p('value', 'Sam Smith')}' and 'rec-1'"


def test_a_baseline_written_with_redact_holds_pseudonyms_and_matches_the_next_redacted_run(capsys, sensitive, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_KEY, "k")
    path, waivers = str(sensitive[0]), str(sensitive[1])
    base = tmp_path / "baseline.json"
    _, first, _ = run(capsys, "check", path, *AS_OF, "--format", "json", "--waivers", waivers, "--redact", "--baseline", str(base))
    text = base.read_text()
    assert leaks(text) == [] and "case-" in text and "rec-" in text
    doc = json.loads(text)
    assert re.fullmatch(r"key-[0-9a-f]{12}", doc["redacted"])
    gaps = sum(f["status"] == "not_met" for f in json.loads(first)["findings"])
    assert len(doc["findings"]) == gaps > 0
    # the next run with the same key: every gap is known, only the reminders are left
    code, out, err = run(capsys, "check", path, *AS_OF, "--format", "json", "--waivers", waivers, "--redact", "--since-baseline", str(base))
    again = json.loads(out)
    assert again["summary"]["baselined"] == gaps and all(f["status"] != "not_met" for f in again["findings"])
    assert leaks(out) == [] and leaks(err) == []
    # ratchet: read and written again, the same file
    run(capsys, "check", path, *AS_OF, "--redact", "--since-baseline", str(base), "--baseline", str(base))
    assert json.loads(base.read_text()) == doc
    # without --redact, or with another key, nothing could match: a usage error, not every finding new
    code, out, err = run(capsys, "check", path, *AS_OF, "--since-baseline", str(base))
    assert code == 2 and out == "" and "written with --redact" in err and "add --redact" not in err
    assert "only --redact matches" in err
    monkeypatch.setenv(ENV_KEY, "another key")
    code, out, err = run(capsys, "check", path, *AS_OF, "--redact", "--since-baseline", str(base))
    assert code == 2 and out == "" and "under another key" in err
    # a baseline written without --redact is still used by a run with it, compared in the real ids
    plain = tmp_path / "plain.json"
    run(capsys, "check", path, *AS_OF, "--baseline", str(plain))
    assert "C-0001" in plain.read_text() and "redacted" not in json.loads(plain.read_text())
    code, out, err = run(capsys, "check", path, *AS_OF, "--format", "json", "--waivers", waivers, "--redact", "--since-baseline", str(plain))
    assert json.loads(out)["summary"]["baselined"] == gaps and leaks(out) == []


@pytest.mark.parametrize("command", ["check", "score"])
@pytest.mark.parametrize("option", ["--case-manager", "--team"])
def test_a_name_that_matches_no_case_lists_no_name_under_redact(capsys, sensitive, command, option, monkeypatch):
    monkeypatch.setenv(ENV_KEY, "k")
    code, _, err = run(capsys, command, str(sensitive[0]), *AS_OF, option, "nobody")
    assert code == 2 and ("CM-1" in err or "North" in err)  # without --redact: the names there are
    code, out, err = run(capsys, command, str(sensitive[0]), *AS_OF, option, "nobody", "--redact")
    assert code == 2 and out == "" and "'nobody' matches no case" in err
    assert leaks(err) == [] and "North" not in err and "not listed under --redact" in err
    assert ("there are 2 case managers" if option == "--case-manager" else "there are 2 teams") in err


@pytest.mark.parametrize("fmt", FORMATS)
def test_input_file_paths_are_pseudonymised_alike_in_every_format(capsys, sensitive, tmp_path, fmt, monkeypatch):
    """Input files are often named after a case or a child: their paths are replaced too, by the same
    pseudonym in every format (and in a message naming another file)."""
    monkeypatch.setenv(ENV_KEY, "k")
    folder = tmp_path / "Jo Bloggs"
    folder.mkdir()
    first = folder / "C-0001 Bloggs.json"
    first.write_text(sensitive[0].read_text())
    second = tmp_path / "YP-0099.toml"  # C-0001 again: "... is also in <the first file>"
    second.write_text('format = "yos-audit-case-export"\nversion = 1\nservice = {name = "S", extracted_on = 2026-11-20}\n'
                      '[[cases]]\ncase_id = "C-0001"\nstart_date = 2026-01-05\n')
    code, plain, _ = run(capsys, "check", str(first), str(second), *AS_OF, "--format", fmt)
    assert code == 2
    code, out, err = run(capsys, "check", str(first), str(second), *AS_OF, "--format", fmt, "--redact")
    for text in (out, err):
        assert "Bloggs" not in text and "YP-0099" not in text and str(tmp_path) not in text, text
        assert leaks(text) == []
    if fmt in ("text", "json", "jsonl", "markdown", "sarif", "github", "junit"):  # the formats that name files
        assert "Bloggs" in plain or "YP-0099" in plain  # not vacuous
        names = set(re.findall(r"file-[0-9a-f]{12}(?:\.json|\.toml)?", out))
        assert Pseudonyms("k")("file", str(second)) + ".toml" in names
    if fmt in ("sarif", "github", "json"):
        assert Pseudonyms("k")("file", str(first)) + ".json" in out
    assert set(re.findall(r"file-[0-9a-f]{12}\.\w+", err)) <= {
        Pseudonyms("k")("file", str(first)) + ".json", Pseudonyms("k")("file", str(second)) + ".toml"}
