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
                          timeout=timeout, preexec_fn=_bounded, env=env)


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
