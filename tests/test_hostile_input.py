"""Bad input read wrongly, or crashing (issue 17, items 5-8, 10 and the input half of 11).

Every input here is hostile or careless, and small: made by the test itself. Each is a clear message
naming file, record (row, case or cell) and field, never a traceback; the good cases beside a bad one
are still audited. What would hang or eat the machine's memory before its fix (an endless device, a
FIFO with no writer) runs in a process of its own, with bounded memory and a timeout.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import case_dicts, damaged_cases, document

from rules import model
from rules.cli import main

ROOT = Path(__file__).resolve().parent.parent
AS_OF = ["--as-of", "2026-11-20"]
GOOD_CASE = {"case_id": "C-1", "start_date": "2026-03-02", "legal_outcome": "REFERRAL_ORDER"}


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def problems_of(out: str) -> list[dict]:
    return json.loads(out)["input_problems"]


def export(path: Path, cases: list[dict]) -> Path:
    path.write_text(json.dumps(document(cases)), encoding="utf-8")
    return path


def _bounded() -> None:  # pragma: no cover - runs in the child process
    limit = 1536 * 1024**2
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def cli(cwd: Path, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """``yos-audit ARGV`` in a process of its own with 1.5 GiB of memory at most: reading an endless
    device fails there (a MemoryError), and a blocking open of a FIFO fails the test by its timeout."""
    env = {k: v for k, v in os.environ.items() if k != "YOS_AUDIT_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "rules.cli", *argv], capture_output=True, text=True, cwd=cwd,
                          check=False, timeout=timeout, preexec_fn=_bounded, env=env)


# -- item 8: only regular files, only up to the limit ---------------------------------------------------


DEVICES = [d for d in ("/dev/zero", "/dev/urandom") if Path(d).exists()]


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    return path


def test_a_device_or_a_fifo_is_refused_as_an_export_table_or_workbook(tmp_path, fifo):
    good = export(tmp_path / "good.json", [GOOD_CASE])
    link = tmp_path / "zero.json"  # a device by another name (not also given by its own: that is read once)
    if not DEVICES:
        os.mkfifo(tmp_path / "other-pipe")
    link.symlink_to(DEVICES[0] if DEVICES else tmp_path / "other-pipe")
    folder = tmp_path / "tables"
    folder.mkdir()
    os.mkfifo(folder / "cases.csv")  # the cases table of a folder read with the built-in map
    book = tmp_path / "book.xlsx"
    os.mkfifo(book)
    paths = [*DEVICES[1:], str(fifo), str(link), str(folder), str(book), str(good)]
    proc = cli(tmp_path, "check", *paths, *AS_OF, "--format", "json")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    doc = json.loads(proc.stdout)
    said = {p["file"]: p["message"] for p in doc["input_problems"]}
    for device in DEVICES[1:]:
        assert said[device] == "is a device, not a file: refused before reading"
    assert said[str(fifo)] == "is a FIFO (named pipe), not a file: refused before reading"
    assert said[str(link)].endswith(", not a file: refused before reading")
    assert said[str(folder / "cases.csv")] == "is a FIFO (named pipe), not a file: refused before reading"
    assert said[str(book)] == "is a FIFO (named pipe), not a file: refused before reading"
    assert doc["summary"]["cases"] == 1  # the good export beside them is still audited


@pytest.mark.parametrize("option, what", [
    ("--config", "config file"), ("--waivers", "waivers file"), ("--since-baseline", "baseline file"), ("--map", "column map"),
])
def test_a_device_or_a_fifo_is_refused_as_a_config_waivers_baseline_or_map(tmp_path, fifo, option, what):
    good = export(tmp_path / "good.json", [GOOD_CASE])
    if option == "--map":  # a map is read for tables only
        good = tmp_path / "tables"
        good.mkdir()
        (good / "cases.csv").write_text("case_id,start_date\nC-1,2026-03-02\n")
    target = DEVICES[0] if DEVICES else str(fifo)
    proc = cli(tmp_path, "check", str(good), *AS_OF, option, target, "--format", "json")
    kind = "a device" if DEVICES else "a FIFO (named pipe)"
    message = f"{target}: is {kind}, not a {what}: refused before reading"
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    if option == "--map":  # a problem of the input, in the report
        assert {p["message"] for p in json.loads(proc.stdout)["input_problems"]} == {f"column map: {message.split(': ', 1)[1]}"}
    else:
        assert proc.stderr == f"yos-audit: error: {message}\n"
    proc = cli(tmp_path, "check", str(good), *AS_OF, option, str(fifo), "--format", "json")  # a FIFO never blocks
    assert proc.returncode == 2 and "a FIFO (named pipe)" in proc.stdout + proc.stderr


def test_files_over_the_limit_are_refused_before_they_are_opened(capsys, tmp_path, monkeypatch):
    import rules.files

    good = export(tmp_path / "caseload.json", [GOOD_CASE])
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "cases.csv").write_text("case_id,start_date\nC-2,2026-03-02\n")
    config = tmp_path / "yos-audit.toml"
    config.write_text('select = ["ALL"]\n' + "# padding\n" * 10)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(rules.files, "_open", lambda path: pytest.fail(f"opened {path}, a file over the limit"))
    monkeypatch.setattr(rules.files, "MAX_FILE_BYTES", 20)
    monkeypatch.setattr(rules.files, "MAX_SETTINGS_BYTES", 30)
    code, _, err = run(capsys, "check", str(good), *AS_OF)
    assert code == 2 and err == f"yos-audit: error: {config}: too large to load ({config.stat().st_size} bytes; the limit is 30 bytes)\n"
    config.unlink()
    code, out, _ = run(capsys, "check", str(good), str(folder), *AS_OF, "--format", "json")
    said = {p["file"]: p["message"] for p in problems_of(out)}
    assert code == 2 and said == {
        str(good): f"too large to load ({good.stat().st_size} bytes; the limit is 20 bytes)",
        str(folder / "cases.csv"): f"too large to load ({(folder / 'cases.csv').stat().st_size} bytes; the limit is 20 bytes)",
    }


def test_read_regular_reads_a_whole_file_and_says_why_it_cannot(tmp_path):
    from rules.files import FileError, read_regular

    path = tmp_path / "a.bin"
    data = os.urandom(300_000)
    path.write_bytes(data)
    assert read_regular(path) == data
    (tmp_path / "empty").touch()
    assert read_regular(tmp_path / "empty") == b""
    for target, message in [(tmp_path / "missing", "no such config file"), (tmp_path, "is a folder, not a config file")]:
        with pytest.raises(FileError, match=f"^{message}$"):
            read_regular(target, "config file")
    with pytest.raises(FileError, match=r"^too large to load \(293 KiB; the limit is 1000 bytes\)$"):
        read_regular(path, limit=1000)


# -- item 5: a CSV quote never closed, rows of the wrong width ------------------------------------------


def tables(tmp_path: Path, events: str, cases: str | None = None) -> Path:
    """A folder of two tables under our own names (read with the built-in map)."""
    folder = tmp_path / "tables"
    folder.mkdir(exist_ok=True)
    rows = "".join(f"C-{i},2026-03-02,REFERRAL_ORDER\r\n" for i in range(1, 6))
    (folder / "cases.csv").write_text(cases or "case_id,start_date,legal_outcome\r\n" + rows, encoding="utf-8")
    (folder / "events.csv").write_text(events, encoding="utf-8")
    return folder


EVENTS = "case_id,id,date,kind,description\r\n" + "".join(f"C-{i},E1,2026-04-0{i},OTHER,moved\r\n" for i in range(1, 6))


def test_a_quote_never_closed_is_an_error_naming_the_row_where_it_opened(capsys, tmp_path):
    lines = EVENTS.splitlines(keepends=True)
    lines[2] = lines[2].replace("moved", '"moved to a relative\'s home')  # row 3 opens a quote, and no row closes it
    folder = tables(tmp_path, "".join(lines))
    code, out, err = run(capsys, "check", str(folder), *AS_OF, "--format", "json")
    (problem,) = problems_of(out)
    assert code == 2 and problem["level"] == "error" and problem["file"] == str(folder / "events.csv")
    assert problem["row"] == 3 and problem["message"].startswith(
        "a quote opened in this row (line 3) is never closed: the rest of the file (lines 3 to 6) would be read as one cell")
    assert json.loads(out)["summary"]["cases"] == 5  # the cases table is read; events are not, and it is said
    assert err == f"yos-audit: {folder / 'events.csv'}: row 3: error: {problem['message']}\n"


@pytest.mark.parametrize("last", [
    'C-5,E1,2026-04-05,OTHER,"never closed\r\n',  # on the last line
    'C-5,E1,"2026"-04-05,OTHER,"never closed\r\n',  # after a stray quote the lenient reading takes as it is
    'C-5,E1,2026-04-05,OTHER,"a ""quoted"" word, never closed',  # doubled quotes inside, no new line at the end
])
def test_a_quote_never_closed_on_the_last_row(capsys, tmp_path, last):
    folder = tables(tmp_path, "".join(EVENTS.splitlines(keepends=True)[:-1]) + last)
    code, out, _ = run(capsys, "check", str(folder), *AS_OF, "--format", "json")
    (problem,) = problems_of(out)
    assert code == 2 and problem["row"] == 6 and "a quote opened in this row (line 6) is never closed" in problem["message"]


def test_quotes_that_close_are_read_as_ever(capsys, tmp_path):
    events = EVENTS.replace("C-2,E1,2026-04-02,OTHER,moved", 'C-2,E1,2026-04-02,OTHER,"moved, ""twice""\r\nand back"')
    folder = tables(tmp_path, events.replace("C-5,E1,2026-04-05,OTHER,moved", 'C-5,E1,2026-04-05,OTHER,"a"b'))
    code, out, _ = run(capsys, "check", str(folder), *AS_OF, "--format", "json")
    assert problems_of(out) == [] and code in (0, 1)


def test_a_quote_never_closed_in_a_large_table_and_after_a_sep_line(capsys, tmp_path):
    rows = "".join(f"C-1,E{i},2026-04-01,OTHER,{'x' * 100}\r\n" for i in range(2000))  # over csv's field limit
    folder = tables(tmp_path, "sep=,\r\n" + EVENTS.replace("C-3,E1,2026-04-03,OTHER,moved", 'C-3,E1,2026-04-03,OTHER,"moved') + rows)
    code, out, _ = run(capsys, "check", str(folder), *AS_OF, "--format", "json")
    (problem,) = problems_of(out)
    assert code == 2 and problem["row"] == 4  # the header is row 1 below the sep= line, as Excel shows it
    assert problem["message"].startswith("a cell of this row (line 5) runs on for over 131072 characters: a quote opened there")


def test_rows_of_the_wrong_width_are_warnings_naming_file_and_row(capsys, tmp_path):
    events = EVENTS.replace("C-2,E1,2026-04-02,OTHER,moved", "C-2,E1,2026-04-02")  # 3 cells of 5
    events = events.replace("C-3,E1,2026-04-03,OTHER,moved", "C-3,E1,2026-04-03,OTHER,moved,home,")  # 7 of 5
    events = events.replace("C-4,E1,2026-04-04,OTHER,moved", "C-4,E1,2026-04-04,OTHER,moved,,")  # empty cells past: fine
    events += ",,,,\r\n\r\n"  # blank rows: fine
    folder = tables(tmp_path, events)
    code, out, _ = run(capsys, "check", str(folder), *AS_OF, "--format", "json")
    problems = problems_of(out)
    assert code in (0, 1) and {p["level"] for p in problems} == {"warning"}
    assert [(p["file"], p["row"], p["message"]) for p in problems] == [
        (str(folder / "events.csv"), 3, "this row has 3 of the header's 5 cells; the missing cells read as empty"),
        (str(folder / "events.csv"), 4, "this row has 7 cells, the header 5; the cells past the header are not read ('home')"),
    ]


def test_a_quote_that_joins_rows_is_told_by_the_rows_width_and_too_many_are_counted(capsys, tmp_path):
    joined = EVENTS.replace("C-2,E1,2026-04-02,OTHER,moved", 'C-2,E1,2026-04-02,"OTHER,moved').replace(
        "C-3,E1,2026-04-03,OTHER,moved", 'C-3",E1,2026-04-03,OTHER,moved')
    many = "".join(f"C-1,E{i + 10}\r\n" for i in range(30))
    folder = tables(tmp_path, joined + many)
    _, out, _ = run(capsys, "check", str(folder), *AS_OF, "--format", "json")
    problems = [p for p in problems_of(out) if p["level"] == "warning"]
    assert problems[0]["row"] == 3 and "(lines 3 to 4: a quote may have joined them)" in problems[0]["message"]
    assert len(problems) == 21 and problems[-1]["message"] == "11 more rows have fewer or more cells than the header (5)"


# -- item 6: a key given twice ----------------------------------------------------------------------------


HEAD = '{"format": "yos-case-export", "version": 1, "service": {"name": "S", "extracted_on": "2026-11-20"}, '
C1 = json.dumps(GOOD_CASE)


def raw_export(tmp_path: Path, text: str, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cases_given_twice_is_an_error_naming_the_key_not_an_empty_caseload(capsys, tmp_path):
    path = raw_export(tmp_path, HEAD + f'"cases": [{C1}], "cases": []}}')
    code, out, _ = run(capsys, "check", str(path), *AS_OF, "--format", "json")
    (problem,) = problems_of(out)
    assert code == 2 and (problem["level"], problem["field"], problem["case_id"]) == ("error", "cases", None)
    assert problem["message"] == ("the key is given 2 times (a list of 1, then a list of 0): which is meant cannot be told; "
                                  "the file is not read")
    assert run(capsys, "validate", str(path))[0] == 2


@pytest.mark.parametrize("case, field, label, message", [
    ('{"case_id": "C-8", "case_id": "C-9", "start_date": "2026-03-02"}', "cases[1].case_id", None,
     "the key is given 2 times ('C-8', then 'C-9'): which is meant cannot be told"),
    ('{"case_id": "C-9", "start_date": "2026-03-02", "team": "North", "team": "South"}', "team", "C-9",
     "the key is given 2 times ('North', then 'South'): which is meant cannot be told"),
    ('{"case_id": "C-9", "start_date": "2026-03-02", "assessments": [{"id": "A1", "kind": "CORE", "kind": "ROSH_FULL"}]}',
     "assessments[0].kind", "C-9", "the key is given 2 times ('CORE', then 'ROSH_FULL'): which is meant cannot be told"),
    ('{"case_id": "C-9", "start_date": "2026-03-02", "mappa": {"level": 1}, "mappa": {"level": 3}}', "mappa", "C-9",
     "the key is given 2 times (a table, then a table): which is meant cannot be told"),
    # a colon written as an escape in the text must not hide (or fake) a key given twice
    ('{"case_id": "C-9", "start_date": "2026-03-02", "team": "a\\u003ab", "team": "c"}', "team", "C-9",
     "the key is given 2 times ('a:b', then 'c'): which is meant cannot be told"),
], ids=["case_id", "team", "a record's key", "a table", "escaped colon"])
def test_a_key_given_twice_in_a_case_rejects_that_case_naming_the_key(capsys, tmp_path, case, field, label, message):
    path = raw_export(tmp_path, HEAD + f'"cases": [{C1}, {case}]}}')
    code, out, _ = run(capsys, "check", str(path), *AS_OF, "--format", "json")
    (problem,) = problems_of(out)
    assert code == 2 and (problem["field"], problem["case_id"], problem["message"]) == (field, label, message)
    assert json.loads(out)["summary"]["cases"] == 1  # C-1 is audited


def test_a_key_given_twice_in_the_service_or_in_a_file_msgspec_will_not_read(capsys, tmp_path):
    path = raw_export(tmp_path, HEAD.replace('"name": "S"', '"name": "S", "name": "T"') + f'"cases": [{C1}]}}')
    code, out, _ = run(capsys, "check", str(path), *AS_OF, "--format", "json")
    (problem,) = problems_of(out)
    assert code == 2 and problem["field"] == "service.name" and "given 2 times ('S', then 'T')" in problem["message"]
    # a number msgspec will not read sends the whole file to json: the same problems are found there
    big = '{"case_id": "C-9", "case_id": "C-10", "start_date": "2026-03-02"}'
    path = raw_export(tmp_path, HEAD + f'"n": 1e400, "cases": [{C1}, {big}]}}')
    code, out, _ = run(capsys, "check", str(path), *AS_OF, "--format", "json")
    said = {(p["level"], p["field"]) for p in problems_of(out)}
    assert code == 2 and said == {("warning", "n"), ("error", "cases[1].case_id")}


def test_no_key_given_twice_in_the_example_or_a_pretty_printed_export(tmp_path):
    from rules.load import load_paths

    example = ROOT / "examples" / "caseload.json"
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(json.loads(example.read_text()), indent=4, separators=(",", " : "), ensure_ascii=True))
    for path in (example, pretty):
        result = load_paths([path])
        assert result.problems == () and len(result.caseload.cases) == 68


# -- item 7: a lone surrogate --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown", "sarif", "junit", "github"])
def test_a_lone_surrogate_rejects_its_case_and_the_others_are_reported(capsys, tmp_path, fmt):
    bad = '{"case_id": "C-9", "start_date": "2026-03-02", "case_manager": "Jo \\ud83d"}'
    path = raw_export(tmp_path, HEAD + f'"cases": [{C1}, {bad}]}}')
    out_file = tmp_path / f"report.{fmt}"
    code, _, err = run(capsys, "check", str(path), *AS_OF, "--format", fmt, "-o", str(out_file))
    assert code == 2 and "internal error" not in err and out_file.stat().st_size > 0
    assert err.splitlines()[0] == (f"yos-audit: {path}: case C-9: case_manager: error: holds a lone surrogate (\\ud83d, "
                                   "at character 4), half of a character: not text any report can write "
                                   "(was the text cut inside an emoji?)")
    assert "C-1" in out_file.read_text(encoding="utf-8")  # the good case is reported


@pytest.mark.parametrize("case, field, label", [
    ('{"case_id": "C-\\udc00", "start_date": "2026-03-02"}', "cases[1].case_id", None),
    ('{"case_id": "C-9", "start_date": "2026-03-02", "child": {"diversity_needs": ["ok", "\\ud800"]}}',
     "child.diversity_needs[1]", "C-9"),
    ('{"case_id": "C-9", "start_date": "2026-03-02", "plans": [{"id": "P1", "kind": "INTERVENTION", "notes\\udfff": 1}]}',
     "plans[0].notes\\udfff", "C-9"),
], ids=["case_id", "a list of text", "a key"])
def test_a_lone_surrogate_anywhere_names_its_field(capsys, tmp_path, case, field, label):
    path = raw_export(tmp_path, HEAD + f'"cases": [{C1}, {case}]}}')
    code, out, err = run(capsys, "validate", str(path), "--format", "json")
    (problem,) = problems_of(out)
    assert code == 2 and (problem["field"], problem["case_id"]) == (field, label) and "lone surrogate" in problem["message"]
    assert "internal error" not in err


def test_a_pair_of_surrogates_is_one_character_and_reads_as_ever(tmp_path):
    from rules.load import load_paths

    path = raw_export(tmp_path, HEAD + f'"cases": [{C1[:-1]}, "case_manager": "Jo \\ud83d\\ude00"}}]}}')
    result = load_paths([path])
    assert result.problems == () and result.caseload.cases[0].case_manager == "Jo \U0001f600"


# -- item 11 (input half): MAPPA out of range, a case id of spaces ---------------------------------------------


@pytest.mark.parametrize("mappa, field, message", [
    ({"eligible": True, "category": 4, "level": 1}, "mappa.category", "MAPPA category 4 is out of range: 1 to 3"),
    ({"eligible": True, "category": 1, "level": 0}, "mappa.level", "MAPPA level 0 is out of range: 1 to 3"),
    ({"eligible": True, "category": 2, "level": 99}, "mappa.level", "MAPPA level 99 is out of range: 1 to 3"),
])
def test_mappa_out_of_range_is_an_input_error_naming_the_field(capsys, tmp_path, mappa, field, message):
    path = export(tmp_path / "e.json", [GOOD_CASE, {**GOOD_CASE, "case_id": "C-2", "mappa": mappa}])
    code, out, _ = run(capsys, "check", str(path), *AS_OF, "--format", "json")
    (problem,) = problems_of(out)
    assert code == 2 and (problem["case_id"], problem["field"], problem["message"]) == ("C-2", field, message)


def test_mappa_out_of_range_in_a_table_names_its_cell(capsys, tmp_path):
    folder = tables(tmp_path, EVENTS, "case_id,start_date,mappa.eligible,mappa.category,mappa.level\r\n"
                                      "C-1,2026-03-02,Y,1,1\r\nC-2,2026-03-02,Y,1,5\r\n")
    code, out, _ = run(capsys, "check", str(folder), *AS_OF, "--format", "json")
    problem = next(p for p in problems_of(out) if p["level"] == "error")
    assert code == 2 and (problem["file"], problem["row"], problem["column"]) == (str(folder / "cases.csv"), 3, "mappa.level")
    assert problem["message"] == "MAPPA level 5 is out of range: 1 to 3"


@pytest.mark.parametrize("case_id", ["   ", "\t", ""])
def test_a_case_id_of_spaces_is_an_input_error(capsys, tmp_path, case_id):
    path = export(tmp_path / "e.json", [GOOD_CASE, {**GOOD_CASE, "case_id": case_id}, {**GOOD_CASE, "case_id": case_id}])
    code, out, _ = run(capsys, "check", str(path), *AS_OF, "--format", "json")
    problems = problems_of(out)
    said = "empty" if not case_id else f"only spaces ({case_id!r})"
    assert code == 2 and [(p["field"], p["message"]) for p in problems] == [
        ("cases[1].case_id", f"case_id is {said}: a case needs an id"),
        ("cases[2].case_id", f"case_id is {said}: a case needs an id"),  # each told as such, not as a duplicate
    ]


def _emit(value, shape, target: int, seen: list[int], indent: str | None, sep: str, read: bool = True) -> str:
    """JSON of ``value``, the ``target``-th object (in the order written) with its first key given twice;
    ``seen`` gets the target if that key is one the loader reads. ``shape``: (known keys, tables inside:
    key -> their class) of the record class here, or None where anything goes (a value of the wrong kind)."""
    from rules.load.converter import _shape

    if isinstance(value, dict):
        names, nested = shape or (None, {})
        seen[0] += 1
        pairs = list(value.items())
        if seen[0] - 1 == target and pairs:
            pairs.insert(0, (pairs[0][0], "twice"))
            if read and (names is None or pairs[0][0] in names):
                seen.append(target)
        inner = []
        for k, v in pairs:
            known = names is None or k in names
            inner_shape = _shape(nested[k][0]) if k in nested else None
            inner.append(f"{json.dumps(k)}{sep}{_emit(v, inner_shape, target, seen, indent, sep, read and known)}")
        return "{" + (indent or "").join(("," if i else "") + part for i, part in enumerate(inner)) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_emit(v, shape, target, seen, indent, sep, read) for v in value) + "]"
    return json.dumps(value)


TOP_SHAPE = ({"format", "version", "service", "cases"}, {"service": (model.Service, False), "cases": (model.Case, True)})


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(case_dicts(), damaged_cases()), min_size=1, max_size=3), st.integers(0, 40),
       st.sampled_from([None, "\n  "]), st.sampled_from([":", ": ", " : "]))
def test_a_key_given_twice_anywhere_is_found_the_same_by_the_fast_path_and_a_whole_parse(tmp_path_factory, cases, target, indent, sep):
    from rules.load import jsonread, load_document, load_paths

    doc = document([c | {"case_id": f"C-{i}"} if isinstance(c, dict) else c for i, c in enumerate(cases)])
    seen = [0]
    text = _emit(doc, TOP_SHAPE, target, seen, indent, sep)
    twice = len(seen) > 1  # a key the loader reads is given twice (one it ignores is not looked at)
    path = tmp_path_factory.mktemp("d") / "d.json"
    path.write_text(text, encoding="utf-8")
    fast = load_paths([path])
    whole = load_document(jsonread.loads(text), str(path))
    assert fast.caseload.cases == tuple(whole[1])
    assert list(map(str, fast.problems)) == list(map(str, whole[3]))
    found = [p for p in fast.problems if "is given 2 times" in p.message]
    assert bool(found) == twice and all(p.level == "error" for p in found)


# -- item 10: a workbook with a sheet that cannot be read, formulas with no saved value -----------------------


def workbook(tmp_path: Path, team: str = "North", change=None) -> Path:
    """cases and events sheets under our own names; ``change(part, xml) -> xml | None`` rewrites (or
    drops) a part of the zip, as a damaged or hand-made workbook has it."""
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    cases = book.active
    cases.title = "cases"
    cases.append(["case_id", "start_date", "legal_outcome", "team"])
    for i in range(1, 4):
        cases.append([f"C-{i}", "2026-03-02", "REFERRAL_ORDER", team])
    events = book.create_sheet("events")
    events.append(["case_id", "id", "date", "kind"])
    events.append(["C-1", "E1", "2026-04-01", "OTHER"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    if change is not None:
        plain = path.with_suffix(".zip")
        path.rename(plain)
        with zipfile.ZipFile(plain) as old, zipfile.ZipFile(path, "w") as new:
            for name in old.namelist():
                data = change(name, old.read(name))
                if data is not None:
                    new.writestr(name, data)
    return path


@pytest.mark.parametrize("damage, reason", [
    (lambda xml: xml[: len(xml) // 2], "its XML is broken part way"),
    (lambda xml: b"not xml at all", "its XML (xl/worksheets/sheet2.xml) is broken: syntax error: line 1, column 0"),
    (lambda xml: None, "its part xl/worksheets/sheet2.xml is missing from the workbook"),
], ids=["truncated", "garbage", "missing"])
def test_a_sheet_that_cannot_be_read_is_an_error_for_that_sheet_and_the_others_are_read(capsys, tmp_path, damage, reason):
    path = workbook(tmp_path, change=lambda name, xml: damage(xml) if name == "xl/worksheets/sheet2.xml" else xml)
    code, out, err = run(capsys, "check", str(path), *AS_OF, "--format", "json")
    (problem,) = problems_of(out)
    assert code == 2 and "internal error" not in err and problem["level"] == "error"
    assert problem["file"] == f"{path} [sheet events]" and problem["message"].startswith("this sheet cannot be read: ")
    if reason.startswith("its XML is broken part way"):
        assert "ParseError" in problem["message"]
    else:
        assert problem["message"] == f"this sheet cannot be read: {reason}; the other sheets are read"
    assert json.loads(out)["summary"]["cases"] == 3  # the cases sheet is read


def test_a_formula_with_no_saved_value_is_a_warning_naming_the_cell(capsys, tmp_path):
    path = workbook(tmp_path, team='="No"&"rth"')  # openpyxl saves the formula, and no value: as Excel never opened it
    code, out, _ = run(capsys, "check", str(path), *AS_OF, "--format", "json")
    problems = problems_of(out)
    assert code in (0, 1) and [(p["level"], p["file"], p["row"], p["column"]) for p in problems] == [
        ("warning", f"{path} [sheet cases]", row, "team") for row in (2, 3, 4)]
    assert problems[0]["message"] == ("cell D2 holds a formula with no value saved: it reads as empty; open the workbook "
                                      "in Excel and save it, so that the values are saved with the formulas")
    assert json.loads(out)["summary"]["cases"] == 3


def test_a_formula_with_its_value_saved_reads_the_value(tmp_path):
    import re

    from rules.load import load_paths

    def saved(name, xml):  # as Excel saves it: the text result beside the formula, an empty one too
        if name != "xl/worksheets/sheet1.xml":
            return xml
        xml = re.sub(rb'<c r="D2"><f>(.*?)</f><v ?/>', rb'<c r="D2" t="str"><f>\1</f><v>North</v>', xml)
        return re.sub(rb'<c r="D3"><f>(.*?)</f><v ?/>', rb'<c r="D3" t="str"><f>\1</f><v></v>', xml)

    result = load_paths([workbook(tmp_path, team='="No"&"rth"', change=saved)])
    assert [p.row for p in result.problems] == [4]  # D2 and D3 have their values saved; D4 has none
    assert [c.team for c in result.caseload.cases] == ["North", None, None]


# -- --help and --version to a full or closed standard output -----------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["check", "--help"], ["score", "-h"]], ids=" ".join)
def test_help_to_a_full_or_closed_standard_output_is_one_line_and_exit_2(argv):
    """/dev/full is only a target of the shell's redirection here: never opened, changed or replaced."""
    command = " ".join(f"'{a}'" for a in [sys.executable, "-m", "rules.cli", *argv])
    for redirect, reason in (("> /dev/full", "No space left on device"), (">&-", "it is closed")):
        proc = subprocess.run(["/bin/sh", "-c", f"{command} {redirect}"], capture_output=True, text=True, cwd=ROOT,
                              check=False, timeout=120)
        assert (proc.returncode, proc.stderr) == (2, f"yos-audit: error: cannot write to standard output: {reason}\n")
    proc = subprocess.run([sys.executable, "-m", "rules.cli", *argv], capture_output=True, text=True, cwd=ROOT,
                          check=False, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith(("usage: yos-audit", "yos-audit ")) and proc.stderr == ""


def test_formulas_with_no_saved_value_outside_the_map_s_columns_are_not_told_and_many_are_counted(tmp_path):
    import openpyxl

    from rules.load import load_paths

    path = workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    cases = book["cases"]
    cases["E1"] = "notes"  # a column the built-in map does not read
    for row in range(2, 30):
        cases[f"A{row}"] = f'="C-"&{row}'
        cases[f"B{row}"] = "2026-03-02"
        cases[f"E{row}"] = "=1+1"
    book.save(path)
    warnings = [p for p in load_paths([path]).problems if p.level == "warning" and p.file.endswith("[sheet cases]")]
    assert [(p.row, p.column) for p in warnings[:20]] == [(row, "case_id") for row in range(2, 22)]
    assert [p.message for p in warnings[20:]] == ["8 more cells hold a formula with no value saved"]


def test_rows_of_the_wrong_width_are_judged_against_the_header_a_version_2_map_finds(tmp_path):
    from rules.load import load_paths

    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "cases.csv").write_text(
        "Case report\r\nRun today\r\n\r\n"  # a title block, rows of another width: not data
        "Case,Start,Outcome\r\nC-1,2026-03-02,REFERRAL_ORDER\r\nC-2,2026-03-02\r\n", encoding="utf-8")
    (tmp_path / "map.toml").write_text(
        'version = 2\n[cases]\ntable = "cases"\n[cases.columns]\ncase_id = "Case"\nstart_date = "Start"\n'
        'legal_outcome = "Outcome"\n', encoding="utf-8")
    result = load_paths([folder], map_path=tmp_path / "map.toml")
    assert [(p.level, p.row, p.message) for p in result.problems] == [
        ("warning", 6, "this row has 2 of the header's 3 cells; the missing cells read as empty")]
    assert [c.case_id for c in result.caseload.cases] == ["C-1", "C-2"]


def test_a_csv_decoded_to_a_lone_surrogate_is_refused(tmp_path):
    from rules.load import load_paths

    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "cases.csv").write_bytes(b"case_id,start_date\r\nC-1+2AA-,2026-03-02\r\n")  # UTF-7 for "C-1\ud800"
    (tmp_path / "map.toml").write_text('[read]\nencoding = "utf-7"\n[cases]\ntable = "cases"\n[cases.columns]\n'
                                       'case_id = "case_id"\nstart_date = "start_date"\n', encoding="utf-8")
    result = load_paths([folder], map_path=tmp_path / "map.toml")
    assert [(p.file, p.message) for p in result.problems] == [(str(folder / "cases.csv"), (
        "not text: a lone surrogate \\ud800 (character 24): check encoding under [read] in the map"))]
