"""What a new user meets first in a fresh clone: a mistyped folder for ``init --map``, an empty folder
given to ``check``, the UI's exit code on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import run

from rules.cli import main

AS_OF = ["--as-of", "2026-11-20"]
ROOT = Path(__file__).resolve().parent.parent


# -- a folder with nothing to read --------------------------------------------------------------


@pytest.mark.parametrize("files", [(), ("notes.txt",), ("README.md", "notes.txt")])
def test_a_folder_with_no_export_and_no_table_says_so_first(capsys, tmp_path, monkeypatch, files):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e1").mkdir()
    for name in files:
        (tmp_path / "e1" / name).write_text("phone the court on Monday\n")
    for argv in (["check", "e1/", *AS_OF], ["validate", "e1/"]):
        code, out, err = run(capsys, *argv)
        said = out + err
        assert code == 2
        assert "e1: error: no case exports (*.json) and no tables (*.csv) in this folder" in said
        assert "no table 'cases'" not in said and "its tables" not in said and "notes.txt" not in said


def test_a_folder_holding_only_a_workbook_says_to_give_the_workbook(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e1").mkdir()
    (tmp_path / "e1" / "cases.xlsx").write_bytes(b"")
    code, out, _ = run(capsys, "validate", "e1")
    assert code == 2
    assert "e1: error: no case exports (*.json) and no tables (*.csv) in this folder; a workbook is given by its own " \
           "path (e1/cases.xlsx)" in out.replace("\\", "/")


def test_a_folder_of_tables_the_map_does_not_name_keeps_the_column_map_message(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e1").mkdir()
    (tmp_path / "e1" / "case_list.csv").write_text("Case Ref,Worker\nC1,A\n")
    code, out, _ = run(capsys, "validate", "e1")
    assert code == 2 and "no case exports" not in out
    assert "e1: error: no table 'cases' in e1 (looked for cases.csv); its tables: case_list.csv; no column map" in out


def test_txt_tables_the_map_names_are_still_read(capsys, tmp_path, monkeypatch):
    """'Case List.txt' is a table by its name (a .txt is read as CSV): the folder holds tables."""
    tabular = ROOT / "examples" / "tabular"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e1").mkdir()
    for table in (tabular / "csv").glob("*.csv"):
        (tmp_path / "e1" / f"{table.stem}.txt").write_bytes(table.read_bytes())
    code, out, _ = run(capsys, "validate", "e1", "--map", str(tabular / "yos-audit-map.toml"))
    assert code == 0 and out == "68 cases loaded, 0 rejected for input errors.\n"


# -- init --map: a folder of tables to draft from, or a .toml file to write -------------------------


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("nonexist_dir/", "nonexist_dir/: no such folder (init --map FOLDER drafts a map from the tables of a folder"),
        ("nonexist_dir", "nonexist_dir: no such folder (init --map FOLDER"),
        ("extracts.json", "extracts.json: no such folder or workbook (init --map FOLDER"),
        ("notes.md", "notes.md: not a folder or workbook of tables (init --map FOLDER"),  # an existing file: not written over
        ("nope.xlsx", "nope.xlsx: no such file"),
        ("cases.csv", "cases.csv: a single table: give the folder that holds the tables"),
    ],
)
def test_init_map_with_a_mistyped_folder_is_a_usage_error_naming_it_and_writes_nothing(
        capsys, tmp_path, monkeypatch, given, said):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.md").write_text("mine")
    code, out, err = run(capsys, "init", "--map", given, "--force")
    assert code == 2 and out == "" and err.startswith(f"yos-audit: error: {said}") and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.md"] and (tmp_path / "notes.md").read_text() == "mine"


@pytest.mark.parametrize("files", [(), ("notes.txt",)])  # an empty notes.txt: no header, no table
def test_init_map_on_a_folder_with_no_table_is_an_error_not_a_draft_of_nothing(capsys, tmp_path, monkeypatch, files):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e1").mkdir()
    for name in files:
        (tmp_path / "e1" / name).write_text("")
    code, _, err = run(capsys, "init", "--map", "e1/")
    assert (code, err) == (2, "yos-audit: error: e1/: no tables (*.csv) in this folder: nothing to draft a map from\n")
    assert not (tmp_path / "yos-audit-map.toml").exists()


def test_init_map_on_a_workbook_with_no_table_is_an_error(capsys, tmp_path, monkeypatch):
    import openpyxl

    monkeypatch.chdir(tmp_path)
    openpyxl.Workbook().save(tmp_path / "empty.xlsx")
    code, _, err = run(capsys, "init", "--map", "empty.xlsx")
    assert (code, err) == (2, "yos-audit: error: empty.xlsx: no sheet of this workbook holds a table: nothing to draft "
                              "a map from\n")
    assert not (tmp_path / "yos-audit-map.toml").exists()


def test_init_map_on_tables_none_of_which_is_a_case_list_warns(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e1").mkdir()
    (tmp_path / "e1" / "notes.txt").write_text("phone the court on Monday\n")
    code, _, err = run(capsys, "init", "--map", "e1")
    assert code == 0 and (tmp_path / "yos-audit-map.toml").is_file()
    assert err.splitlines()[-1] == ('yos-audit: warning: no table of e1 looks like the case list (its tables: "notes"): '
                                    "the draft leaves the cases to map by hand")


def test_init_map_still_drafts_from_a_folder_and_writes_a_starting_map(capsys, tmp_path, monkeypatch):
    """What the README shows keeps working: init --map extracts/, init --map, init --map FILE.toml."""
    import shutil

    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "examples" / "tabular" / "csv", tmp_path / "extracts")
    code, _, err = run(capsys, "init", "--map", "extracts/")
    assert code == 0 and err.startswith("wrote yos-audit-map.toml: a draft from extracts/;") and "warning" not in err
    assert "[cases]" in (tmp_path / "yos-audit-map.toml").read_text(encoding="utf-8")
    (tmp_path / "yos-audit-map.toml").unlink()
    assert run(capsys, "init", "--map") == (0, "", "wrote yos-audit-map.toml\n")
    assert run(capsys, "init", "--map", "ours.toml") == (0, "", "wrote ours.toml\n")
    assert run(capsys, "init", "--map", "-o", "theirs") == (0, "", "wrote theirs\n")  # -o names any file


# -- the UI's exit code ---------------------------------------------------------------------------


def _run_headless_then_quit(monkeypatch):
    """``YosAuditApp.run`` as a user runs it: the audit shown, then ``q``; in a headless terminal."""
    import asyncio

    from tui_helpers import settle

    import tui.app

    def run_and_quit(self):
        async def use():
            async with self.run_test() as pilot:
                await settle(pilot)
                await pilot.press("q")
        asyncio.run(use())

    monkeypatch.setattr(tui.app.YosAuditApp, "run", run_and_quit)


def test_the_ui_on_a_missing_file_exits_2_once_closed_as_check_does(capsys, tmp_path, monkeypatch, fixtures):
    monkeypatch.chdir(tmp_path)
    _run_headless_then_quit(monkeypatch)
    assert run(capsys, "check", "nosuch.json", *AS_OF)[0] == 2
    assert run(capsys, "nosuch.json", *AS_OF)[0] == 2
    assert run(capsys, str(fixtures / "small.json"), "nosuch.json", *AS_OF)[0] == 2  # the cases read are shown
    assert run(capsys, str(fixtures / "small.json"), *AS_OF)[0] == 0  # findings never decide it


def test_the_ui_on_a_rejected_case_exits_2_once_closed(capsys, tmp_path, monkeypatch, fixtures):
    import json

    monkeypatch.chdir(tmp_path)
    _run_headless_then_quit(monkeypatch)
    doc = json.loads((fixtures / "small.json").read_text(encoding="utf-8"))
    doc["cases"][0]["start_date"] = "31/02/2026"
    (tmp_path / "bad.json").write_text(json.dumps(doc), encoding="utf-8")
    assert run(capsys, "check", "bad.json", *AS_OF)[0] == 2
    assert run(capsys, "bad.json", *AS_OF)[0] == 2


def test_the_help_says_the_uis_exit_codes(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "once the UI is closed: exit 2 if an input had an error" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit):
        main(["x.json", "--help"])  # the UI's own help: it never exits 1 for findings
    out = capsys.readouterr().out
    assert "exit codes, once the UI is closed" in out and "1  at least one such finding" not in out
