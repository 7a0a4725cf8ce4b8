"""The command line contract (shared/spec/cli.md): commands, formats, exit codes."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from rules.cli import Exit, main

GOLDEN = Path(__file__).parent / "golden"
AS_OF = ["--as-of", "2026-11-20"]


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("fmt,suffix", [("text", "txt"), ("json", "json"), ("csv", "csv"), ("markdown", "md")])
def test_golden_formats(capsys, monkeypatch, fixtures, fmt, suffix):
    monkeypatch.chdir(fixtures.parent)  # paths in the output are relative, as a user types them
    code, out, _ = run(capsys, "check", "fixtures/small.json", *AS_OF, "--format", fmt)
    assert code == 1
    golden = GOLDEN / f"check.{suffix}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out)
    assert out == golden.read_text()


def test_json_shape_and_order(capsys, fixtures):
    _, out, _ = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--format", "json")
    doc = json.loads(out)
    assert doc["tool"]["name"] == "yos-audit" and doc["as_of"] == "2026-11-20"
    s = doc["summary"]
    assert s["cases"] == 4 and s["rejected"] == 0
    assert s["findings"] == s["errors"] + s["warnings"] + s["info"] + s["waived"]
    keys = [(f["case_id"], f["rule"], f["due_on"] or "9999") for f in doc["findings"]]
    assert keys == sorted(keys)
    first = doc["findings"][0]
    for key in ("rule", "name", "severity", "case_id", "message", "evidence", "due_on", "criterion", "waived"):
        assert key in first


def test_exit_codes(capsys, fixtures, tmp_path):
    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps({"format": "yos-case-export", "version": 1, "service": {"name": "x"}, "cases": []}))
    assert run(capsys, "check", str(clean), *AS_OF)[0] == 0
    assert run(capsys, "check", str(fixtures / "small.json"), *AS_OF)[0] == 1
    assert run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--fail-on", "never")[0] == 0
    # warnings only: C-0003's ASM003 is a warning
    code, _, _ = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--select", "ASM003")
    assert code == 0
    code, _, _ = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--select", "ASM003", "--fail-on", "warning")
    assert code == 1
    assert run(capsys, "check", str(tmp_path / "missing.json"), *AS_OF)[0] == 2
    with pytest.raises(SystemExit) as exc:
        main(["check", "--as-of", "20/11/2026", str(clean)])
    assert exc.value.code == 2


def test_input_error_still_prints_findings_and_exits_2(capsys, fixtures, tmp_path):
    doc = json.loads((fixtures / "small.json").read_text())
    doc["cases"][1]["start_date"] = "31/02/2026"
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(doc))
    code, out, _ = run(capsys, "check", str(path), *AS_OF, "--format", "json")
    result = json.loads(out)
    assert code == 2
    assert result["summary"]["cases"] == 3 and result["summary"]["rejected"] == 1
    assert result["input_problems"] == [{"level": "error", "file": str(path), "case_id": "C-0002",
                                         "field": "start_date", "message": "not a date: '31/02/2026'"}]
    assert {f["case_id"] for f in result["findings"]} == {"C-0001", "C-0003"}


def test_select_ignore_and_filters(capsys, fixtures):
    def rules_in(*extra):
        _, out, _ = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--format", "json", *extra)
        return {(f["case_id"], f["rule"]) for f in json.loads(out)["findings"]}

    everything = rules_in()
    assert rules_in("--select", "ROH") == {k for k in everything if k[1].startswith("ROH")}
    assert rules_in("--ignore", "ROH,MGT001") == {k for k in everything if not k[1].startswith("ROH") and k[1] != "MGT001"}
    assert rules_in("--case-manager", "cm-2") == {k for k in everything if k[0] in ("C-0002", "C-0003")}
    assert rules_in("--team", "North") == {k for k in everything if k[0] in ("C-0001", "C-0004")}
    code, _, err = run(capsys, "check", str(fixtures / "small.json"), "--select", "XYZ")
    assert code == 2 and "unknown rule code or prefix 'XYZ'" in err


def test_config_file_is_honoured(capsys, fixtures, tmp_path):
    cfg = tmp_path / "cfg.toml"
    cfg.write_text('select = ["ASM003"]\n[severity]\nASM003 = "error"\n')
    code, out, _ = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--config", str(cfg), "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 1 and [(f["rule"], f["severity"]) for f in findings] == [("ASM003", "error")]
    cfg.write_text('[rules.ROH001]\nworking_days = "fifteen"\n')
    code, _, err = run(capsys, "check", str(fixtures / "small.json"), "--config", str(cfg))
    assert code == 2 and "rules.ROH001.working_days" in err and "\n" == err[-1] and err.count("\n") == 1
    cfg.write_text('[scoring.bands]\nMODERATE = 90\n')  # a bad [scoring] table fails check too, at load
    code, _, err = run(capsys, "check", str(fixtures / "small.json"), "--config", str(cfg))
    assert code == 2 and "scoring.bands.MODERATE" in err


def test_pyproject_config(capsys, fixtures, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.yos-audit]\nselect = ["PLN007"]\n')
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--format", "json")
    assert {f["rule"] for f in json.loads(out)["findings"]} == {"PLN007"}


def test_rules_and_explain(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0 and len(out.splitlines()) == 37
    code, out, _ = run(capsys, "explain", "ROH003")
    assert code == 0
    for part in ("ROH003 rmp-required", "What it checks", "Why it matters", "Source", "threshold = \"MEDIUM\"",
                 "Failing example", "-> not_met", "Passing example", "-> met"):
        assert part in out
    assert run(capsys, "explain", "rmp-required")[1] == out
    code, _, err = run(capsys, "explain", "XYZ999")
    assert code == 2 and "no rule 'XYZ999'" in err


def test_validate(capsys, fixtures, tmp_path):
    assert run(capsys, "validate", str(fixtures / "small.json"))[0] == 0
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "yos-case-export", "version": 1, "service": {"name": "x"}, "cases": [{"case_id": "C-1"}]}')
    code, out, _ = run(capsys, "validate", str(bad), "--format", "json")
    assert code == 2 and json.loads(out)["input_problems"][0]["field"] == "start_date"


def test_init_writes_a_config_that_loads(capsys, tmp_path, monkeypatch):
    from rules.config import Config, load_config

    monkeypatch.chdir(tmp_path)
    assert run(capsys, "init")[0] == 0
    written = load_config()
    assert written.source.endswith("yos-audit.toml")
    assert (written.select, written.fail_on) == (Config().select, Config().fail_on)
    assert written.options["ROH003"] == {"threshold": "MEDIUM", "working_days": 10}
    from rules.scoring import DEFAULT_SETTINGS, scoring_settings

    assert scoring_settings(written.scoring) == DEFAULT_SETTINGS
    code, _, err = run(capsys, "init")
    assert code == 2 and "exists already" in err


def test_output_file_is_private_and_never_an_input(capsys, fixtures, tmp_path):
    out = tmp_path / "findings.json"
    assert run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--format", "json", "-o", str(out))[0] == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())["summary"]["cases"] == 4
    copy = tmp_path / "input.json"
    copy.write_bytes((fixtures / "small.json").read_bytes())
    code, _, err = run(capsys, "check", str(copy), *AS_OF, "-o", str(copy))
    assert code == 2 and "refusing to write over the input file" in err
    assert copy.read_bytes() == (fixtures / "small.json").read_bytes()


def test_internal_errors_print_no_case_data(capsys, fixtures, monkeypatch):
    import rules.pipeline

    def boom(*a, **k):
        raise RuntimeError("C-0001 YP-0001 secret")

    monkeypatch.setattr(rules.pipeline, "audit", boom)
    monkeypatch.delenv("YOS_AUDIT_DEBUG", raising=False)
    code, out, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF)
    assert code == 2 and "internal error (RuntimeError)" in err
    assert "C-0001" not in err + out and "secret" not in err + out


def test_console_script_check_does_not_import_textual(fixtures):
    code = (
        "import sys; from rules.cli import main; rc = main(['check', %r, '--as-of', '2026-11-20']); "
        "assert 'textual' not in sys.modules, 'textual imported'; print('rc', rc)" % str(fixtures / "small.json")
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("rc 1")


def test_add_waiver_keeps_existing_waivers_and_is_private(tmp_path):
    import datetime as dt

    from rules.waivers import Waiver, add_waiver, load_waivers

    path = tmp_path / "w.toml"
    first = Waiver("ROH003", "C-0001", "on paper file", "TM North", dt.date(2027, 1, 31))
    second = Waiver("VIC001", "C-0001", "victim unreachable", "TM North", dt.date(2027, 2, 1), record="V1")
    add_waiver(path, first)
    add_waiver(path, second)
    assert load_waivers(path) == [first, second]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_validate_json_names_the_row_and_column_of_a_bad_cell(capsys, tmp_path):
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "cases.csv").write_text("case_id,start_date\nC-1,2026-01-05\nC-2,31/02/2026\n")
    code, out, _ = run(capsys, "validate", str(folder), "--format", "json")
    (problem,) = json.loads(out)["input_problems"]
    assert code == 2
    assert (problem["case_id"], problem["row"], problem["column"]) == ("C-2", 3, "start_date")


def test_text_puts_what_to_do_now_before_history():
    import datetime as dt

    from rules.outcomes import Finding, Severity, Status
    from rules.report.grouping import DONE_LATE, DUE_SOON, MISSED, TO_DO, WAIVED, by_case, kind

    def f(case, rule, sev=Severity.ERROR, due=dt.date(2026, 7, 1), done=None, waived=False, status=Status.NOT_MET):
        return Finding(rule, "n", sev, case, "m", (), due, "1.1", status, waived=waived, done_on=done)

    late = f("C-1", "ASM001", due=dt.date(2026, 1, 1), done=dt.date(2026, 2, 1))  # oldest, but history
    todo = f("C-1", "ROH003")
    soon = f("C-1", "PLN001", Severity.INFO, due=dt.date(2026, 11, 23), status=Status.PENDING)
    gone = f("C-2", "ROH003")  # C-2 has closed: a gap that can no longer be closed
    kept = f("C-3", "ROH003", waived=True)
    assert [kind(x, {"C-2"}) for x in (todo, soon, gone, late, kept)] == [TO_DO, DUE_SOON, MISSED, DONE_LATE, WAIVED]
    groups = by_case([kept, late, gone, soon, todo], closed={"C-2"})
    assert [cid for cid, _ in groups] == ["C-1", "C-2", "C-3"]
    assert groups[0][1] == [todo, soon, late]


def test_config_keys_table_is_checked():
    from rules.config import ConfigError, parse_config

    assert parse_config({"keys": {"view.cases": "k"}}, "c.toml").keys == {"view.cases": "k"}
    with pytest.raises(ConfigError, match=r"c.toml: \[keys\] maps binding ids to keys"):
        parse_config({"keys": {"view.cases": 3}}, "c.toml")


def test_a_filter_that_matches_no_case_is_a_usage_error_not_an_all_clear(capsys, fixtures):
    code, out, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--case-manager", "CM-9")
    assert code == 2 and out == ""
    assert err == "yos-audit: error: --case-manager 'CM-9' matches no case; there are:\n  CM-1\n  CM-2\n"
    code, _, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--team", "Nort")
    assert code == 2 and "--team 'Nort' matches no case; there are:\n  North\n  South\n" in err


def test_a_mistyped_command_is_not_opened_as_a_file(capsys):
    code, _, err = run(capsys, "chek", "x.json")
    assert code == 2 and "unknown command 'chek'; did you mean 'check'?" in err


def test_the_baseline_and_the_report_must_be_two_files(capsys, fixtures, tmp_path):
    both = str(tmp_path / "b.json")
    code, _, err = run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "--baseline", both, "-o", both)
    assert code == 2 and "--baseline and -o name the same file" in err
    assert not (tmp_path / "b.json").exists()


def test_convert_writes_nothing_when_an_input_cannot_be_read(capsys, tmp_path):
    out = tmp_path / "c.json"
    code, _, err = run(capsys, "convert", str(tmp_path / "missing.json"), "-o", str(out))
    assert code == 2 and "nothing written" in err and not out.exists()


def test_an_existing_output_file_keeps_its_mode(capsys, fixtures, tmp_path):
    """Only files the tool creates are made owner-only (issue 17, item 3): one it replaces is the user's."""
    out = tmp_path / "findings.txt"
    out.write_text("old")
    out.chmod(0o640)
    run(capsys, "check", str(fixtures / "small.json"), *AS_OF, "-o", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and out.read_text() != "old"


def test_machine_formats_say_input_errors_on_stderr(capsys, fixtures, tmp_path):
    missing = tmp_path / "missing.json"
    code, out, err = run(capsys, "check", str(missing), *AS_OF, "--format", "csv")
    assert code == 2 and out.startswith("case_id,")
    assert err == f"yos-audit: {missing}: error: no such file\n"


@pytest.mark.parametrize("command", [["check", "--format", "json"], ["score", "--format", "json"], ["rules"]])
def test_the_command_ends_with_its_output_whole_and_its_exit_code(capsys, command):
    """``yos-audit`` (cli.console) ends without freeing what it built: its output must still all be
    there, piped, and its exit code the one main gives."""
    example = str(Path(__file__).resolve().parent.parent / "examples" / "caseload.json")
    args = [command[0], *([example, "--as-of", "2026-11-20"] if command[0] != "rules" else []), *command[1:]]
    code = main(args)
    expected = capsys.readouterr().out
    run = subprocess.run([sys.executable, "-m", "rules.cli", *args], capture_output=True, text=True, check=False)
    assert (run.returncode, run.stdout) == (code, expected)
    assert len(expected) > 1000


@pytest.mark.parametrize(
    ("command", "fmt"), [("check", "json"), ("check", "sarif"), ("check", "text"), ("check", "csv"), ("score", "json")]
)
def test_a_reader_that_stops_early_does_not_change_the_exit_code(capsys, command, fmt):
    """``yos-audit check ... | head``: the reader goes after a few bytes; the exit code still says what
    the audit found (as without the pipe), with no traceback and no complaint on standard error."""
    example = str(Path(__file__).resolve().parent.parent / "examples" / "caseload.json")
    args = [command, example, "--as-of", "2026-11-20", "--format", fmt]
    expected = main(args)
    whole = capsys.readouterr().out
    assert len(whole.encode()) > 70_000  # more than a pipe holds: the writer meets the closed pipe
    proc = subprocess.Popen([sys.executable, "-m", "rules.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert whole.encode().startswith(proc.stdout.read(10))
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == expected
    assert "Traceback" not in err and "Broken pipe" not in err and "Exception ignored" not in err


def _many_bad_cases(tmp_path: Path) -> str:
    """The example caseload 20 times over (new case ids), every copy's start date not a date: a report
    and a list of problems each larger than a pipe holds."""
    doc = json.loads((Path(__file__).resolve().parent.parent / "examples" / "caseload.json").read_text())
    originals = doc["cases"]
    doc["cases"] = list(originals)
    for n in range(20):
        for case in originals:
            doc["cases"].append({**case, "case_id": f"{case['case_id']}-{n}", "start_date": "31/02/2026"})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    return str(path)


@pytest.mark.parametrize(
    "command", [["check", "--format", "json"], ["score", "--format", "json"], ["validate"]], ids=lambda c: c[0]
)
def test_a_reader_of_output_and_errors_both_that_stops_early_does_not_change_the_exit_code(tmp_path, capsys, command):
    """``yos-audit check ... 2>&1 | head``: the problems printed after the report meet the same closed
    pipe; and validate, which lists them on standard output. The exit code is the one without the pipe."""
    args = [command[0], _many_bad_cases(tmp_path), *(["--as-of", "2026-11-20"] if command[0] != "validate" else []), *command[1:]]
    expected = main(args)
    assert expected == Exit.ERROR
    capsys.readouterr()
    proc = subprocess.Popen([sys.executable, "-m", "rules.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    head = proc.stdout.read(10)
    proc.stdout.close()
    assert head and proc.wait(timeout=60) == expected
