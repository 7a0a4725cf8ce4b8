"""Bad input, as a hostile or careless user gives it: every case is a clear message and exit 2 (a warning
where the case can still be audited), never a traceback; inputs are never written to; outputs holding
case data are private; nothing of a case reaches a crash message."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import case_dicts, damaged_cases, document, json_values

import rules.files
import rules.load
from rules.cli import main
from rules.load import ProblemLevel, load_document, load_paths
from rules.report import FORMATS

BAD = Path(__file__).resolve().parent.parent / "fixtures" / "bad"
AS_OF = ["--as-of", "2026-11-20"]

#: every file of fixtures/bad: (the message expected among its input problems, the field it names)
CORPUS = {
    "truncated.json": ("not valid JSON: Unterminated string starting at (line 6, column 3)", None),
    "empty.json": ("not valid JSON: Expecting value (line 1, column 1)", None),
    "invalid.toml": ("not valid TOML: Expected ']' at the end of a table declaration", None),
    "binary.json": ("not UTF-8 text (byte 0)", None),
    "utf16.json": ("UTF-16 text, not UTF-8: save the export as UTF-8", None),
    "bigint.json": ("not valid JSON: a number too long to read", None),
    "deep.toml": ("not valid TOML: nested too deeply", None),
    "top_list.json": ("an export must be a table with format, version, service and cases", None),
    "not_an_export.json": ("not a case export: format must be 'yos-case-export'", "format"),
    "version_text.json": ("version must be a whole number", "version"),
    "cases_not_list.json": ("cases must be a list", "cases"),
    "no_service.json": ("required key missing", "service"),
    "case_not_table.json": ("a case must be a table", "cases[0]"),
    "start_date_number.json": ("not a date: 20260302", "start_date"),
    "impossible_date.json": ("not a date: '2026-02-30'", "start_date"),
    "nan.json": ("not a date: nan", "start_date"),
    "datetime.toml": ("expected a date, got a date and time: 2026-03-02T10:00:00", "start_date"),
    "case_manager_number.json": ("expected text, got 7", "case_manager"),
    "flag_as_text.json": ("expected true or false, got 'yes'", "child.looked_after"),
    "records_not_list.json": ("expected a list, got 'none'", "assessments"),
    "level_as_text.json": ("expected a whole number, got 'two'", "mappa.level"),
    "unknown_code.json": ("unknown code 'FINE' (expected one of REFERRAL_ORDER,", "legal_outcome"),
    "duplicate_ids.json": ("duplicate id 'A1' (also at assessments[0].id)", "plans[0].id"),
    "duplicate_case_ids.json": ("duplicate case_id 'C-1'", "case_id"),
    "end_before_start.json": ("end_date 2026-01-01 is before start_date 2026-03-02", "end_date"),
    "before_1990.json": ("implausible date: 1985-06-01 is before 1990", "assessments[0].completed_on"),
    "future_date.json": ("2027-03-01 is after the export was taken (service.extracted_on 2026-11-20)", "contacts[0].date"),
}
#: files whose problems are warnings: the case is still audited
WARNINGS_ONLY = {"future_date.json"}


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def digest(paths) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


def test_the_corpus_table_covers_every_file():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_bad_file_gives_its_message_and_exit_code(capsys, name):
    expected, field = CORPUS[name]
    path = BAD / name
    before = digest([path])
    code, out, err = run(capsys, "check", str(path), *AS_OF, "--format", "json")
    assert "Traceback" not in out + err
    doc = json.loads(out)  # the report is still written, whole
    problems = doc["input_problems"]
    # errors are also said on standard error, one line each, for the person at the terminal
    assert err.splitlines() == [f"yos-audit: {p['file']}: " + (f"case {p['case_id']}: " if p["case_id"] else "")
                                + (f"{p['field']}: " if p["field"] else "") + f"error: {p['message']}"
                                for p in problems if p["level"] == "error"]
    match = [p for p in problems if expected in p["message"]]
    assert match, problems
    assert match[0]["file"] == str(path) and match[0]["field"] == field
    if name in WARNINGS_ONLY:
        assert code in (0, 1) and {p["level"] for p in problems} == {"warning"}
    else:
        assert code == 2 and match[0]["level"] == "error"
    assert run(capsys, "validate", str(path))[0] == (0 if name in WARNINGS_ONLY else 2)
    assert digest([path]) == before


def test_every_format_over_the_whole_corpus_writes_nothing_to_an_input(capsys, tmp_path):
    inputs = sorted(BAD.iterdir())
    before = digest(inputs)
    for fmt in FORMATS:
        out = tmp_path / f"report.{fmt}"
        code, stdout, err = run(capsys, "check", *map(str, inputs), *AS_OF, "--format", fmt, "-o", str(out))
        errors = [line for line in err.splitlines()]
        assert code == 2 and stdout == "" and errors and all(": error: " in line for line in errors)
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert digest(inputs) == before
    assert sorted(BAD.iterdir()) == inputs  # nothing added or deleted


def test_future_dates_warn_but_planned_ones_do_not(capsys):
    code, out, _ = run(capsys, "validate", str(BAD / "future_date.json"), "--format", "json")
    problems = json.loads(out)["input_problems"]
    assert code == 0 and [p["field"] for p in problems] == ["contacts[0].date"]  # not end_date, not custody.release_on
    assert problems[0]["case_id"] == "C-1"


def test_future_dates_need_an_extraction_date():
    d = document([{"case_id": "C-1", "start_date": "2026-03-02", "contacts": [{"date": "2099-01-01"}]}])
    assert load_document(d, "f.json")[3] == []
    d["service"]["extracted_on"] = "2026-11-20"
    (problem,) = load_document(d, "f.json")[3]
    assert (problem.level, problem.field) == (ProblemLevel.WARNING, "contacts[0].date")


def test_deeply_nested_json_is_a_clear_error(capsys, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    code, out, err = run(capsys, "check", str(path), *AS_OF)
    assert code == 2 and err == "" and f"{path}: error: not valid JSON: nested too deeply" in out


def test_a_folder_or_a_missing_path_is_a_clear_error(capsys, tmp_path):
    code, out, err = run(capsys, "check", str(tmp_path / "missing.json"), *AS_OF)
    assert code == 2 and f"{tmp_path / 'missing.json'}: error: no such file" in out and err == ""
    folder = tmp_path / "exports"
    folder.mkdir()
    code, out, err = run(capsys, "check", str(folder), *AS_OF, "--format", "json")
    (problem,) = json.loads(out)["input_problems"]
    assert code == 2 and problem["level"] == "error" and str(folder) in problem["file"]
    assert err == f"yos-audit: {problem['file']}: error: {problem['message']}\n"  # said on stderr too


def test_an_unreadable_file_is_a_clear_error(capsys, tmp_path, monkeypatch):
    path = tmp_path / "locked.json"
    path.write_text(json.dumps(document([])))

    def denied(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.chdir(tmp_path)  # no pyproject.toml here: only the export is read
    monkeypatch.setattr(rules.files, "_open", denied)  # works as root too, where chmod would not stop a read
    code, out, err = run(capsys, "check", str(path), *AS_OF)
    assert code == 2 and err == "" and f"{path}: error: permission denied" in out


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_file_by_its_mode(capsys, tmp_path):
    path = tmp_path / "locked.json"
    path.write_text(json.dumps(document([])))
    path.chmod(0)
    try:
        code, out, _ = run(capsys, "check", str(path), *AS_OF)
    finally:
        path.chmod(0o600)
    assert code == 2 and "permission denied" in out


def test_a_huge_file_is_refused_before_it_is_read(capsys, tmp_path, monkeypatch):
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(document([])))
    monkeypatch.setattr(rules.files, "MAX_FILE_BYTES", 10)
    monkeypatch.chdir(tmp_path)  # no pyproject.toml here: only the export would be read
    monkeypatch.setattr(rules.files, "_open", lambda path: pytest.fail("opened a file over the limit"))
    code, out, _ = run(capsys, "check", str(path), *AS_OF)
    size = path.stat().st_size
    assert code == 2 and f"{path}: error: too large to load ({size} bytes; the limit is 10 bytes)" in out


def test_one_bad_file_never_hides_a_good_one(capsys, fixtures):
    code, out, _ = run(capsys, "check", str(BAD / "truncated.json"), str(fixtures / "small.json"), *AS_OF, "--format", "json")
    doc = json.loads(out)
    assert code == 2 and doc["summary"]["cases"] == 4 and doc["findings"]


# -- outputs ------------------------------------------------------------------------------------------


@pytest.fixture
def export(fixtures, tmp_path):
    path = tmp_path / "caseload.json"
    path.write_bytes((fixtures / "small.json").read_bytes())
    return path


def _refuses(capsys, export, target, *extra):
    before = {p: p.read_bytes() for p in export.parent.iterdir() if p.is_file()}
    code, out, err = run(capsys, "check", str(export), *AS_OF, "-o", str(target), *extra)
    assert code == 2 and out == "" and "refusing to write over the input file" in err and err.count("\n") == 1
    assert {p: p.read_bytes() for p in export.parent.iterdir() if p.is_file()} == before


def test_output_never_overwrites_an_input_however_named(capsys, export, tmp_path, monkeypatch):
    _refuses(capsys, export, export)
    (tmp_path / "link.json").symlink_to(export)
    _refuses(capsys, export, tmp_path / "link.json")
    os.link(export, tmp_path / "hard.json")
    _refuses(capsys, export, tmp_path / "hard.json")
    monkeypatch.chdir(tmp_path)
    _refuses(capsys, export, Path("caseload.json"))


def test_output_never_overwrites_the_config_or_the_waivers(capsys, export, tmp_path):
    cfg = tmp_path / "cfg.toml"
    cfg.write_text('select = ["ALL"]\n')
    _refuses(capsys, export, cfg, "--config", str(cfg))
    waivers = tmp_path / "w.toml"
    waivers.write_text("")
    _refuses(capsys, export, waivers, "--waivers", str(waivers))


def test_output_files_are_readable_by_their_owner_only(capsys, export, tmp_path):
    old = os.umask(0)
    try:
        for name in ("report.txt", "report.sarif"):
            out = tmp_path / name
            run(capsys, "check", str(export), *AS_OF, "-o", str(out), "--baseline", str(tmp_path / f"{name}.baseline"))
            assert stat.S_IMODE(out.stat().st_mode) == 0o600
            assert stat.S_IMODE((tmp_path / f"{name}.baseline").stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_output_to_a_folder_or_nowhere_is_a_clear_error(capsys, export, tmp_path):
    code, _, err = run(capsys, "check", str(export), *AS_OF, "-o", str(tmp_path))
    assert code == 2 and err == f"yos-audit: error: {tmp_path} is a folder\n"
    code, _, err = run(capsys, "check", str(export), *AS_OF, "-o", str(tmp_path / "no" / "such" / "r.txt"))
    assert code == 2 and err.startswith("yos-audit: error: cannot write") and err.count("\n") == 1


# -- crash messages hold nothing of a case ----------------------------------------------------------


SECRET = "C-0001 YP-0001 Jo Bloggs"


@pytest.mark.parametrize("target", ["rules.report.render", "rules.pipeline.audit", "rules.pipeline.load_paths"])
def test_an_internal_error_prints_only_its_type(capsys, export, monkeypatch, target):
    module, name = target.rsplit(".", 1)

    def boom(*args, **kwargs):
        raise ValueError(f"could not handle case {SECRET}")

    monkeypatch.setattr(__import__(module, fromlist=[name]), name, boom)
    monkeypatch.delenv("YOS_AUDIT_DEBUG", raising=False)
    code, out, err = run(capsys, "check", str(export), *AS_OF)
    assert code == 2 and out == ""
    assert err == ("yos-audit: internal error (ValueError); nothing was written to your input files. "
                   "Set YOS_AUDIT_DEBUG=1 to see the traceback.\n")
    for part in SECRET.split():
        assert part not in err


def test_the_traceback_is_shown_only_when_asked_for(capsys, export, monkeypatch):
    def boom(*args, **kwargs):
        raise ValueError(SECRET)

    monkeypatch.setattr("rules.pipeline.audit", boom)
    monkeypatch.setenv("YOS_AUDIT_DEBUG", "1")
    with pytest.raises(ValueError, match="C-0001"):
        main(["check", str(export), *AS_OF])


def test_an_interrupt_is_one_line(capsys, export, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("rules.pipeline.audit", interrupted)
    assert run(capsys, "check", str(export), *AS_OF) == (2, "", "yos-audit: interrupted\n")


# -- fuzzing -----------------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(top=st.one_of(json_values, st.builds(document, st.lists(damaged_cases(), max_size=3))))
def test_the_loader_never_raises(top):
    service, cases, rejected, problems = load_document(top, "fuzz.json")
    assert rejected + len(cases) <= (len(top["cases"]) if isinstance(top, dict) and isinstance(top.get("cases"), list) else 0)
    for p in problems:
        assert p.file == "fuzz.json" and p.message and p.level in (ProblemLevel.ERROR, ProblemLevel.WARNING)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.builds(lambda d: json.dumps(d).encode(), st.builds(document, st.lists(damaged_cases(), max_size=2))),
        st.builds(lambda t: t.encode("utf-8"), st.text(max_size=200)),
    ),
    suffix=st.sampled_from([".json", ".toml"]),
    fmt=st.sampled_from(FORMATS),
    redact=st.booleans(),
)
def test_main_never_raises_and_exits_0_1_or_2(capsys, tmp_path, content, suffix, fmt, redact):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(content)
    argv = ["check", str(path), *AS_OF, "--format", fmt] + (["--redact"] if redact else [])
    os.environ.pop("YOS_AUDIT_DEBUG", None)
    code = main(argv)
    out = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "Traceback" not in out.err and "internal error" not in out.err
    assert path.read_bytes() == content


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=st.lists(st.sampled_from([
    "--format", "sarif", "junit", "bogus", "--as-of", "2026-02-30", "2026-11-20", "--select", "ROH", "XYZ", "--fail-on",
    "warning", "-o", "--waivers", "--since-baseline", "--baseline", "--redact", "--team", "", "--config", "-",
]), max_size=6))
def test_any_arguments_give_an_exit_code_not_a_traceback(capsys, fixtures, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)  # "-o sarif" writes a file named sarif: here, not in the checkout
    os.environ.pop("YOS_AUDIT_DEBUG", None)
    try:
        code = main(["check", str(fixtures / "small.json"), *args])
    except SystemExit as exc:  # argparse: usage errors exit 2, --help exits 0
        code = exc.code
    err = capsys.readouterr().err
    assert code in (0, 1, 2) and "Traceback" not in err and "internal error" not in err
    assert (fixtures / "small.json").read_bytes() == SMALL


SMALL = (Path(__file__).resolve().parent.parent / "fixtures" / "small.json").read_bytes()


def test_loading_the_corpus_together_never_raises():
    result = load_paths(sorted(BAD.iterdir()))
    assert not result.ok and len(result.problems) >= len(CORPUS)


def _as_toml(value):
    """The same case as a TOML file gives it: dates as dates, not strings."""
    if isinstance(value, dict):
        return {k: _as_toml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_toml(v) for v in value]
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.one_of(case_dicts(), damaged_cases()), toml=st.booleans())
def test_the_fast_reader_accepts_only_what_the_detailed_reader_reads_the_same(raw, toml):
    from rules.load.converter import DETAILED
    from rules.model import Case

    raw = _as_toml(raw) if toml else raw
    try:
        detailed = DETAILED.structure(raw, Case)
    except Exception:  # noqa: BLE001 - the detailed reader refuses: the fast one must too
        detailed = None
    fast = _fast(raw)
    if fast is None:  # refusing is always allowed: the detailed reader then explains
        return
    assert fast == detailed


def _fast(raw):
    """What the loader's fast reader of a parsed case takes (None: it leaves the case to the detailed
    reader): msgspec's reading, where no date is before 1990 (1900-01-01, no date, among them)."""
    from rules.load import _bounds
    from rules.load.converter import EARLIEST_PLAUSIBLE
    from rules.load.jsonread import read_parsed

    case = read_parsed(raw)
    return None if case is None or _bounds(case)[0] < EARLIEST_PLAUSIBLE else case


@settings(max_examples=100, deadline=None)
@given(raw=case_dicts(), toml=st.booleans())
def test_a_clean_case_takes_the_fast_path(raw, toml):
    assert _fast(_as_toml(raw) if toml else raw) is not None  # not left to the detailed reader
