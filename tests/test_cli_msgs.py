"""What a new user meets first in a fresh clone: a mistyped folder for ``init --map``, an empty folder
given to ``check``, the UI's exit code on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.cli import main

AS_OF = ["--as-of", "2026-11-20"]
ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv):
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors end the process: exit 2
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


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
