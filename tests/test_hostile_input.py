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
from strategies import document

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
    link = tmp_path / "zero.json"
    link.symlink_to(DEVICES[0] if DEVICES else fifo)
    folder = tmp_path / "tables"
    folder.mkdir()
    os.mkfifo(folder / "cases.csv")  # the cases table of a folder read with the built-in map
    book = tmp_path / "book.xlsx"
    os.mkfifo(book)
    paths = [*DEVICES, str(fifo), str(link), str(folder), str(book), str(good)]
    proc = cli(tmp_path, "check", *paths, *AS_OF, "--format", "json")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    doc = json.loads(proc.stdout)
    said = {p["file"]: p["message"] for p in doc["input_problems"]}
    for device in DEVICES:
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
