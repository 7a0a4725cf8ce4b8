"""``--baseline`` and ``--since-baseline``: findings known by their content (rule, case, evidence, record),
never by a position or a wording, so only what is new is reported and judged."""

from __future__ import annotations

import datetime as dt
import json
import random
import stat
from collections import Counter

import pytest

from rules.baseline import FORMAT, BaselineError, dumps, load_baseline, since_baseline
from rules.cli import main
from rules.outcomes import Finding, Severity, Status

AS_OF = ["--as-of", "2026-11-20"]


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def findings_of(capsys, path, *extra, as_of="2026-11-20"):
    code, out, err = run(capsys, "check", str(path), "--as-of", as_of, "--format", "json", *extra)
    return code, json.loads(out), err


@pytest.fixture
def small(fixtures, tmp_path):
    path = tmp_path / "small.json"
    path.write_bytes((fixtures / "small.json").read_bytes())
    return path


def test_baseline_writes_content_keys_privately_and_leaves_the_run_as_it_was(capsys, small, tmp_path):
    base = tmp_path / "baseline.json"
    code, doc, _ = findings_of(capsys, small, "--baseline", str(base))
    plain_code, plain, _ = findings_of(capsys, small)
    assert code == plain_code == 1 and doc == plain  # the report and exit code are as without it
    assert stat.S_IMODE(base.stat().st_mode) == 0o600
    written = json.loads(base.read_text())
    assert written["format"] == FORMAT and written["version"] == 1 and written["as_of"] == "2026-11-20"
    gaps = [f for f in doc["findings"] if f["status"] == "not_met"]
    assert len(written["findings"]) == len(gaps) < len(doc["findings"])  # info reminders are not gaps
    for entry in written["findings"]:
        assert set(entry) == {"rule", "case_id", "evidence", "record"}  # no message, no date, no position
    assert Counter((e["rule"], e["case_id"], tuple(e["evidence"]), e["record"]) for e in written["findings"]) == Counter(
        (f["rule"], f["case_id"], tuple(f["evidence"]), f["record"]) for f in gaps)
    assert written["findings"] == sorted(written["findings"], key=lambda e: (e["rule"], e["case_id"], e["evidence"], e["record"] or ""))


def test_since_the_same_baseline_nothing_is_new(capsys, small, tmp_path):
    base = tmp_path / "baseline.json"
    findings_of(capsys, small, "--baseline", str(base))
    code, doc, _ = findings_of(capsys, small, "--since-baseline", str(base))
    assert code == 0  # only info reminders remain, and they never fail a run
    assert all(f["status"] != "not_met" for f in doc["findings"])
    assert doc["summary"]["baselined"] == len(json.loads(base.read_text())["findings"]) > 0
    _, text, _ = run(capsys, "check", str(small), *AS_OF, "--since-baseline", str(base))
    assert f"; {doc['summary']['baselined']} more already in the baseline, not shown." in text


def test_a_new_gap_is_reported_and_alone_decides_the_exit_code(capsys, small, tmp_path):
    base = tmp_path / "baseline.json"
    findings_of(capsys, small, "--baseline", str(base))
    doc = json.loads(small.read_text())
    doc["cases"][3]["plans"] = []  # C-0004 loses its intervention plan
    small.write_text(json.dumps(doc))
    code, after, _ = findings_of(capsys, small, "--since-baseline", str(base))
    _, everything, _ = findings_of(capsys, small)
    new = [f for f in after["findings"] if f["status"] == "not_met"]
    assert code == 1 and new and {f["case_id"] for f in new} == {"C-0004"}
    assert after["summary"]["baselined"] + len(after["findings"]) == len(everything["findings"])
    # at --fail-on never, a new gap is still reported but does not fail
    assert findings_of(capsys, small, "--since-baseline", str(base), "--fail-on", "never")[0] == 0


def test_the_key_is_content_not_position_nor_wording(capsys, small, tmp_path):
    base = tmp_path / "baseline.json"
    findings_of(capsys, small, "--baseline", str(base))
    doc = json.loads(small.read_text())
    random.Random(7).shuffle(doc["cases"])
    for case in doc["cases"]:
        case.get("contacts", []).reverse()
        case.get("assessments", []).reverse()
    small.write_text(json.dumps(doc, indent=4))
    code, after, _ = findings_of(capsys, small, "--since-baseline", str(base))
    assert code == 0 and all(f["status"] != "not_met" for f in after["findings"])
    # a day later every "N days ago" has changed, and the same gaps are still known (new ones may fall due)
    _, later, _ = findings_of(capsys, small, "--since-baseline", str(base), as_of="2026-11-21")
    _, later_all, _ = findings_of(capsys, small, as_of="2026-11-21")
    known = {(e["rule"], e["case_id"]) for e in json.loads(base.read_text())["findings"]}
    assert not [f for f in later["findings"] if f["status"] == "not_met" and (f["rule"], f["case_id"]) in known]
    assert later["summary"]["baselined"] == sum(f["status"] == "not_met" and (f["rule"], f["case_id"]) in known
                                                for f in later_all["findings"])


def test_ratchet_with_the_same_file_for_both(capsys, small, tmp_path):
    base = tmp_path / "baseline.json"
    findings_of(capsys, small, "--baseline", str(base))
    before = base.read_text()
    doc = json.loads(small.read_text())
    doc["cases"][3]["plans"] = []
    small.write_text(json.dumps(doc))
    code, _, _ = findings_of(capsys, small, "--since-baseline", str(base), "--baseline", str(base))
    assert code == 1 and base.read_text() != before
    assert findings_of(capsys, small, "--since-baseline", str(base))[0] == 0


def test_waived_findings_stay_waived_and_are_written_to_the_baseline(capsys, small, tmp_path):
    waivers = tmp_path / "w.toml"
    waivers.write_text('[[waiver]]\nrule = "ROH003"\ncase = "C-0001"\nreason = "paper"\nwho = "TM"\nuntil = 2027-01-01\n')
    base = tmp_path / "baseline.json"
    findings_of(capsys, small, "--waivers", str(waivers), "--baseline", str(base))
    assert {"rule": "ROH003", "case_id": "C-0001", "evidence": ["A2"], "record": None} in json.loads(base.read_text())["findings"]
    _, doc, _ = findings_of(capsys, small, "--waivers", str(waivers), "--since-baseline", str(base))
    assert doc["waivers"]["unused"] == []  # the waiver matched, though its finding is in the baseline


def _finding(rule="ROH003", case="C-1", evidence=("A1",), record=None, status=Status.NOT_MET, message="m"):
    return Finding(rule, "n", Severity.ERROR, case, message, evidence, None, "1.1", status, record=record)


def test_keys_are_counted():
    a, b = _finding(message="first"), _finding(message="second")
    base = load_baseline_from(dumps([a], dt.date(2026, 11, 20)))
    new, hidden = since_baseline([a, b], base)
    assert hidden == 1 and new == (b,)
    base = load_baseline_from(dumps([a, b], dt.date(2026, 11, 20)))
    assert since_baseline([a, b, _finding()], base) == ((_finding(),), 2)


def test_info_reminders_are_never_baselined():
    reminder = _finding(status=Status.PENDING)
    base = load_baseline_from(dumps([reminder], dt.date(2026, 11, 20)))
    assert base == Counter()
    gap = _finding()
    assert since_baseline([reminder, gap], Counter({gap.key: 1})) == ((reminder,), 1)


def test_record_and_evidence_are_part_of_the_key():
    base = Counter({_finding(record="V1").key: 1})
    assert since_baseline([_finding(record="V2")], base)[1] == 0
    assert since_baseline([_finding(evidence=("A2",))], Counter({_finding().key: 1}))[1] == 0


def load_baseline_from(text):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "b.json"
        path.write_text(text)
        return load_baseline(path)


BAD = [
    ("{", "not valid JSON"),
    ("[]", "not a yos-audit baseline"),
    ('{"format": "yos-audit-baseline", "version": 2, "findings": []}', "baseline version 2"),
    ('{"format": "yos-audit-baseline", "version": 1, "findings": {}}', "findings must be a list"),
    ('{"format": "yos-audit-baseline", "version": 1, "findings": [{"rule": "X"}]}', "finding 1: rule and case_id must be text"),
    ('{"format": "yos-audit-baseline", "version": 1, "findings": [{"rule": "X", "case_id": "C", "evidence": "A1"}]}',
     "finding 1: evidence must be a list"),
    ('{"format": "yos-audit-baseline", "version": 1, "findings": [{"rule": "X", "case_id": "C", "evidence": [], "record": 1}]}',
     "finding 1: record must be text or null"),
    ("[" * 100000 + "]" * 100000, "nested too deeply"),
    ('{"format": "yos-audit-baseline", "version": 1, "redacted": 1, "findings": []}', "redacted must be text"),
]


@pytest.mark.parametrize("text,expected", BAD, ids=[b[1] for b in BAD])
def test_a_bad_baseline_is_exit_2_naming_the_file(capsys, small, tmp_path, text, expected):
    base = tmp_path / "baseline.json"
    base.write_text(text)
    code, out, err = run(capsys, "check", str(small), *AS_OF, "--since-baseline", str(base))
    assert code == 2 and out == "" and err.startswith(f"yos-audit: error: {base}: ") and expected in err
    assert err.count("\n") == 1


def test_a_missing_baseline_is_exit_2(capsys, small, tmp_path):
    code, _, err = run(capsys, "check", str(small), *AS_OF, "--since-baseline", str(tmp_path / "none.json"))
    assert code == 2 and "no such baseline file" in err
    with pytest.raises(BaselineError):
        load_baseline(tmp_path)


def test_the_baseline_never_overwrites_an_input(capsys, small, tmp_path):
    before = small.read_bytes()
    code, _, err = run(capsys, "check", str(small), *AS_OF, "--baseline", str(small))
    assert code == 2 and "refusing to write over the input file" in err and small.read_bytes() == before
    base = tmp_path / "baseline.json"
    findings_of(capsys, small, "--baseline", str(base))
    kept = base.read_bytes()
    code, _, err = run(capsys, "check", str(small), *AS_OF, "--since-baseline", str(base), "-o", str(base))
    assert code == 2 and "refusing to write over the input file" in err and base.read_bytes() == kept
