"""Nothing lost, nothing leaked (issue 17, items 1-4 and 12): every file the tool writes is written by
:mod:`rules.output`, never over a file the run read, whole or not at all, with its mode kept; a
device, FIFO or terminal is written in place; a closed or full standard stream is one line and exit 2.

The machine's devices are shared: a fixture makes any attempt to chmod, replace or remove a file that
is not a regular file fail the test instead (as root, the old code made /dev/null 0600 for everyone,
and ``demo --force -o /dev/full`` replaced the device with a file).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.cli import main
from rules.output import OutputError, Protected, write_file

ROOT = Path(__file__).resolve().parent.parent
TABULAR = ROOT / "examples" / "tabular"
EXAMPLE = ROOT / "examples" / "caseload.json"
AS_OF = ["--as-of", "2026-11-20"]


def _regular_or_absent(path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode) or stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return True


@pytest.fixture(autouse=True)
def devices_untouched(monkeypatch):
    """Whatever the code under test does, no device's mode or name is touched."""
    fchmod, chmod, replace, rename, unlink = os.fchmod, os.chmod, os.replace, os.rename, os.unlink

    def guarded_fchmod(fd, mode):
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            pytest.fail(f"chmod {mode:o} of a file that is not a regular file")
        fchmod(fd, mode)

    def guarded_chmod(path, mode, *a, **k):
        if not _regular_or_absent(path) and not stat.S_ISDIR(os.stat(path).st_mode):
            pytest.fail(f"chmod of {path}")
        chmod(path, mode, *a, **k)

    def guarded(real, what):
        def move(src, dst, *a, **k):
            if not _regular_or_absent(dst) or str(dst).startswith("/dev/"):
                pytest.fail(f"{what} over {dst}")
            return real(src, dst, *a, **k)

        return move

    def guarded_unlink(path, *a, **k):
        if not _regular_or_absent(path) or str(path).startswith("/dev/"):
            pytest.fail(f"unlink of {path}")
        unlink(path, *a, **k)

    monkeypatch.setattr(os, "fchmod", guarded_fchmod)
    monkeypatch.setattr(os, "chmod", guarded_chmod)
    monkeypatch.setattr(os, "replace", guarded(replace, "replace"))
    monkeypatch.setattr(os, "rename", guarded(rename, "rename"))
    monkeypatch.setattr(os, "unlink", guarded_unlink)


def _id(argv) -> str:
    return " ".join(a for a in argv if "/" not in a and a not in AS_OF) or "-"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict[Path, bytes]:
    """Every file under ``folder`` with its bytes (temporary files show up as new names)."""
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def tabular(tmp_path, monkeypatch) -> Path:
    """A copy of examples/tabular (the csv folder, the workbook, the map found beside them); run from
    an empty folder, so no config or waivers of the repository is read."""
    copy = tmp_path / "tabular"
    shutil.copytree(TABULAR, copy)
    (tmp_path / "cwd").mkdir()
    monkeypatch.chdir(tmp_path / "cwd")
    return copy


# -- item 1: outputs never replace inputs ---------------------------------------------------------

CSV_CASES = [
    ("check", "csv", "-o", "csv/Case List.csv"),
    ("check", "csv", "--format", "csv", "-o", "csv/Victims.csv"),
    ("check", "csv", "--format", "json", "-o", "csv/Contacts.csv"),
    ("check", "csv", "--baseline", "csv/Reviews.csv"),
    ("score", "csv", "-o", "csv/Plans.csv"),
    ("score", "csv", "--format", "json", "-o", "csv/Events.csv"),
    ("check", "csv", "-o", "yos-audit-map.toml"),  # the map found beside the folder
    ("convert", "csv", "-o", "csv/Assessments.csv"),
    ("convert", "csv", "-o", "yos-audit-map.toml"),
]
XLSX_CASES = [
    ("check", "caseload.xlsx", "-o", "yos-audit-map.toml"),  # the map found beside the workbook
    ("check", "caseload.xlsx", "--map", "yos-audit-map.toml", "-o", "yos-audit-map.toml"),
    ("check", "caseload.xlsx", "-o", "caseload.xlsx"),
    ("score", "caseload.xlsx", "-o", "yos-audit-map.toml"),
    ("check", "caseload.xlsx", "--baseline", "yos-audit-map.toml"),
    ("convert", "caseload.xlsx", "-o", "yos-audit-map.toml"),
]


def _refused(capsys, folder: Path, argv) -> None:
    before = snapshot(folder)
    command, *rest = argv
    args = [command, *(a if a.startswith("-") or rest[i - 1] == "--format" else str(folder / a) for i, a in enumerate(rest))]
    if command != "convert":
        args += AS_OF
    code, out, err = run(capsys, *args)
    assert code == 2, err
    assert f"refusing to write over the input file {folder / rest[-1]}" in err
    assert snapshot(folder) == before  # the input's bytes, and no file added (no temporary file left)


@pytest.mark.parametrize("argv", CSV_CASES, ids=lambda a: " ".join(a))
def test_no_output_replaces_a_table_of_the_folder_or_its_map(capsys, tabular, argv):
    _refused(capsys, tabular, argv)


@pytest.mark.parametrize("argv", XLSX_CASES, ids=lambda a: " ".join(a))
def test_no_output_replaces_the_workbook_or_its_map(capsys, tabular, argv):
    pytest.importorskip("openpyxl")
    _refused(capsys, tabular, argv)


def test_a_link_to_a_table_is_refused_too(capsys, tabular, tmp_path):
    table = tabular / "csv" / "Reviews.csv"
    (tmp_path / "sym.txt").symlink_to(table)
    os.link(table, tmp_path / "hard.txt")
    before = snapshot(tabular)
    for target in ("sym.txt", "hard.txt"):
        code, _, err = run(capsys, "check", tabular / "csv", *AS_OF, "-o", tmp_path / target)
        assert code == 2 and "refusing to write over the input file" in err
        code, _, err = run(capsys, "check", tabular / "csv", *AS_OF, "--baseline", tmp_path / target)
        assert code == 2 and "refusing to write over the input file" in err
    assert snapshot(tabular) == before


def test_the_config_and_waivers_found_in_the_folder_are_inputs(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    export = tmp_path / "caseload.json"
    export.write_bytes(EXAMPLE.read_bytes())
    for name, text in (("pyproject.toml", "[project]\nname = 'x'\n"), ("yos-audit.toml", "fail_on = 'never'\n"),
                       ("yos-audit-waivers.toml", "# none yet\n")):
        (tmp_path / name).write_text(text)
        before = snapshot(tmp_path)
        code, _, err = run(capsys, "check", export, *AS_OF, "-o", name)
        assert code == 2 and f"refusing to write over the input file {name}" in err
        assert snapshot(tmp_path) == before


def test_a_baseline_may_be_updated_in_place(capsys, tmp_path):
    """``--since-baseline b --baseline b`` moves the baseline on: the one input that may be replaced."""
    base = tmp_path / "b.json"
    assert run(capsys, "check", EXAMPLE, *AS_OF, "--baseline", base)[0] == 1
    first = base.read_bytes()
    code, _, err = run(capsys, "check", EXAMPLE, "--as-of", "2026-12-20", "--since-baseline", base, "--baseline", base)
    assert code in (0, 1), err
    assert base.read_bytes() != first and json.loads(base.read_text())


def test_protected_compares_paths_and_files():
    guard = Protected([EXAMPLE, None, "-"])
    assert EXAMPLE in guard and Path(os.path.relpath(EXAMPLE)) in guard
    assert ROOT / "examples" / "." / "caseload.json" in guard and ROOT / "README.md" not in guard
    with pytest.raises(OutputError, match="refusing to write over the input file"):
        guard.check(EXAMPLE)


# -- item 2: whole or not at all ---------------------------------------------------------------------


def _failing(parts, at: int, error: BaseException):
    for i, part in enumerate(parts):
        if i == at:
            raise error
        yield part


@pytest.mark.parametrize("error", [KeyboardInterrupt(), RuntimeError("internal"), OSError(28, "No space left on device")])
def test_an_interrupted_write_leaves_the_earlier_file_whole_and_no_temporary_file(tmp_path, error):
    target = tmp_path / "report.json"
    target.write_text("the earlier report\n")
    with pytest.raises((type(error), OutputError)):
        write_file(target, _failing([b"{", b'"a": 1', b"}"], 2, error))
    assert target.read_text() == "the earlier report\n"
    assert os.listdir(tmp_path) == ["report.json"]
    with pytest.raises((type(error), OutputError)):  # nor is a new file left half written
        write_file(tmp_path / "new.json", _failing([b"{", b"}"], 1, error))
    assert os.listdir(tmp_path) == ["report.json"]


@settings(max_examples=60)
@given(st.lists(st.binary(max_size=50), max_size=8), st.integers(0, 9), st.binary(max_size=30))
def test_a_file_is_either_the_earlier_one_or_the_new_one_whole(parts, fail_at, earlier):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "out"
        target.write_bytes(earlier)
        try:
            write_file(target, _failing(parts, fail_at, RuntimeError("stop")))
        except RuntimeError:
            assert fail_at < len(parts) and target.read_bytes() == earlier
        else:
            assert fail_at >= len(parts) and target.read_bytes() == b"".join(parts)
        assert os.listdir(folder) == ["out"]


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_a_report_cut_short_leaves_the_earlier_report(capsys, tmp_path, monkeypatch, error):
    """Ctrl-C, or an internal error, while the report is written: the earlier report stays whole (the
    old code left a truncated report, or 0 bytes)."""
    import rules.report

    out = tmp_path / "report.json"
    assert run(capsys, "check", EXAMPLE, *AS_OF, "--format", "json", "-o", out)[0] == 1
    earlier = out.read_bytes()
    real = rules.report.output

    def cut(report, fmt):
        parts = real(report, fmt)
        yield next(iter(parts)) if not isinstance(parts, str) else parts[:100].encode()
        raise error()

    monkeypatch.setattr(rules.report, "output", cut)
    code, _, err = run(capsys, "check", EXAMPLE, "--as-of", "2026-12-01", "--format", "json", "-o", out)
    assert code == 2 and ("interrupted" in err or "internal error" in err)
    assert out.read_bytes() == earlier and os.listdir(tmp_path) == ["report.json"]


# -- item 3: modes ------------------------------------------------------------------------------------


def test_new_files_are_owner_only_and_replaced_files_keep_their_mode(capsys, tmp_path):
    old = os.umask(0)
    try:
        news = {
            "report.txt": ["check", EXAMPLE, *AS_OF, "-o", tmp_path / "report.txt"],
            "base.json": ["check", EXAMPLE, *AS_OF, "--baseline", tmp_path / "base.json"],
            "scores.json": ["score", EXAMPLE, *AS_OF, "--format", "json", "-o", tmp_path / "scores.json"],
            "export.json": ["convert", EXAMPLE, "-o", tmp_path / "export.json"],
            "demo.json": ["demo", "--cases", "3", "-o", tmp_path / "demo.json"],
            "config.toml": ["init", "-o", tmp_path / "config.toml"],
            "map.toml": ["init", "--map", tmp_path / "map.toml"],
        }
        for name, argv in news.items():
            assert run(capsys, *argv)[0] in (0, 1), name
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
        for name, argv in news.items():
            (tmp_path / name).chmod(0o644)
            assert run(capsys, *argv, *(["--force"] if argv[0] in ("demo", "init") else []))[0] in (0, 1), name
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name
    finally:
        os.umask(old)
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


@pytest.mark.parametrize("command", [
    ["check", str(EXAMPLE), *AS_OF, "--format", "json"],
    ["check", str(EXAMPLE), *AS_OF, "--baseline"],
    ["score", str(EXAMPLE), *AS_OF],
    ["convert", str(EXAMPLE)],
    ["demo", "--force", "--cases", "2"],
    ["init", "--force"],
], ids=lambda c: _id(c))
def test_dev_null_is_written_and_its_mode_left_alone(capsys, command):
    before = os.stat(os.devnull)
    argv = [*command, os.devnull] if command[-1] == "--baseline" else [*command, "-o", os.devnull]
    code, out, err = run(capsys, *argv)
    assert code in (0, 1), err
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and after.st_mode == before.st_mode and after.st_ino == before.st_ino


def test_a_fifo_is_written_in_place(capsys, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o640)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run(capsys, "check", EXAMPLE, *AS_OF, "--format", "json", "-o", fifo)
    reader.join(60)
    assert code == 1, err
    assert json.loads(got[0])["summary"]["cases"] > 0
    assert stat.S_ISFIFO(fifo.stat().st_mode) and stat.S_IMODE(fifo.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["pipe"]


# -- item 4: the waivers file the UI appends to ----------------------------------------------------


def _waiver(n: int):
    from rules.waivers import Waiver

    return Waiver("ROH003", f"C-{n:04d}", "on the paper file", "TM North", dt.date(2027, 1, 31))


def test_adding_a_waiver_keeps_the_files_comments(tmp_path):
    from rules.waivers import add_waiver, load_waivers

    path = tmp_path / "w.toml"
    path.write_text(
        "# Reviewed by the management board, 3 March.\n"
        "[[waiver]]\n"
        "rule = \"roh003\"  # lower case is read too\n"
        "case = \"C-0001\"\nreason = \"on the paper file\"\nwho = \"TM North\"\nuntil = \"2027-01-31\"\n"
    )
    path.chmod(0o640)
    add_waiver(path, _waiver(2))
    text = path.read_text()
    assert "# Reviewed by the management board, 3 March." in text and "# lower case is read too" in text
    assert [w.case for w in load_waivers(path)] == ["C-0001", "C-0002"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["w.toml"]


def test_a_waivers_file_written_as_an_inline_array_is_rewritten_whole(tmp_path):
    from rules.waivers import add_waiver, load_waivers

    path = tmp_path / "w.toml"
    path.write_text(
        'waiver = [{rule = "ROH003", case = "C-0001", reason = "r", who = "w", until = 2027-01-31}]\n'
    )
    add_waiver(path, _waiver(2))
    assert [w.case for w in load_waivers(path)] == ["C-0001", "C-0002"]


def test_a_symlinked_waivers_file_is_written_through_to_its_target(tmp_path):
    from rules.waivers import add_waiver, load_waivers

    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "waivers.toml"
    target.write_text("# the team's waivers\n")
    link = tmp_path / "yos-audit-waivers.toml"
    link.symlink_to(target)
    add_waiver(link, _waiver(1))
    add_waiver(link, _waiver(2))
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().startswith("# the team's waivers\n")
    assert [w.case for w in load_waivers(target)] == ["C-0001", "C-0002"]
    assert sorted(os.listdir(shared)) == ["waivers.toml"]


def test_the_ui_export_never_replaces_a_table_of_the_folder_it_shows(tmp_path):
    """The UI protects the same files as the CLI: the load's, not only the paths it was given."""
    import asyncio

    from tui_helpers import AS_OF as UI_AS_OF

    from tui.app import YosAuditApp

    folder = tmp_path / "tabular"
    shutil.copytree(TABULAR, folder)
    before = snapshot(folder)
    app = YosAuditApp([str(folder / "csv")], UI_AS_OF, waivers_path=tmp_path / "w.toml")

    async def go():
        async with app.run_test() as pilot:
            await app.workers.wait_for_complete()
            for _ in range(200):
                if app.view is not None:
                    break
                await pilot.pause()
            assert app.view is not None and app.view.cases
            for name in ("csv/Case List.csv", "yos-audit-map.toml"):
                assert not app.export(app.view, app.view.findings, "csv", folder / name, replace=True)
            assert app.export(app.view, app.view.findings, "csv", tmp_path / "out.csv")

    asyncio.run(go())
    assert snapshot(folder) == before
    assert stat.S_IMODE((tmp_path / "out.csv").stat().st_mode) == 0o600


# -- item 12: closed and full standard streams -----------------------------------------------------


def _shell(redirect: str, *argv: str) -> subprocess.CompletedProcess:
    """``yos-audit ARGV REDIRECT`` by a shell (a closed descriptor cannot be asked of subprocess)."""
    command = " ".join(f"'{a}'" for a in [sys.executable, "-m", "rules.cli", *argv]) + " " + redirect
    return subprocess.run(["/bin/sh", "-c", command], capture_output=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize("argv", [["check", str(EXAMPLE), *AS_OF], ["check", str(EXAMPLE), *AS_OF, "--format", "json"],
                                  ["score", str(EXAMPLE), *AS_OF], ["rules"], ["validate", str(EXAMPLE)]],
                         ids=lambda a: _id(a))
def test_a_closed_standard_output_is_one_line_and_exit_2(argv):
    proc = _shell(">&-", *argv)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err
    assert err == "yos-audit: error: cannot write to standard output: it is closed\n"


def test_a_closed_standard_output_is_no_matter_when_the_report_goes_to_a_file(tmp_path):
    proc = _shell(">&-", "check", str(EXAMPLE), *AS_OF, "-o", str(tmp_path / "r.txt"))
    assert proc.returncode == 1 and proc.stderr == b""
    assert (tmp_path / "r.txt").read_text().strip()


def test_a_closed_standard_error_keeps_exit_2_and_the_report_clean(tmp_path):
    missing = tmp_path / "missing.json"
    proc = _shell("2>&-", "check", str(EXAMPLE), str(missing), *AS_OF, "--format", "json")
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)  # the problem is in the report, not printed into it as well
    assert any("no such file" in p["message"] for p in doc["input_problems"])


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("command", [
    ["check", str(EXAMPLE), *AS_OF], ["check", str(EXAMPLE), *AS_OF, "--format", "json"],
    ["score", str(EXAMPLE), *AS_OF], ["convert", str(EXAMPLE)], ["demo", "--force"], ["init", "--force"],
], ids=lambda c: _id(c))
def test_dev_full_is_a_clear_error(capsys, command):
    before = os.stat("/dev/full")
    code, _, err = run(capsys, *command, "-o", "/dev/full")
    assert code == 2 and "yos-audit: error: cannot write /dev/full: No space left on device\n" in err
    assert "internal error" not in err
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and (after.st_mode, after.st_rdev) == (before.st_mode, before.st_rdev)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("argv", [["check", str(EXAMPLE), *AS_OF], ["rules"], ["explain", "ROH003"], ["validate", str(EXAMPLE)]],
                         ids=lambda a: _id(a))
def test_a_full_standard_output_is_a_clear_error(argv):
    proc = _shell("> /dev/full", *argv)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err and "internal error" not in err
    assert err == "yos-audit: error: cannot write to standard output: No space left on device\n"
