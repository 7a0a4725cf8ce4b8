"""`yos-audit demo`: a reproducible synthetic caseload, never over an existing file without --force."""

from __future__ import annotations

import datetime as dt
import json

from rules.cli import main
from rules.demo import generate
from rules.load import load_paths


def test_demo_writes_a_caseload_that_loads(tmp_path, capsys):
    out = tmp_path / "demo.json"
    assert main(["demo", "--cases", "12", "--seed", "5", "-o", str(out)]) == 0
    assert "12" in capsys.readouterr().err
    result = load_paths([out])
    assert result.problems == () and len(result.caseload.cases) == 12
    assert json.loads(out.read_text()) == generate(12, 5)


def test_demo_is_reproducible_for_a_seed(tmp_path):
    a, b, c = (tmp_path / n for n in ("a.json", "b.json", "c.json"))
    assert main(["demo", "--cases", "8", "--seed", "9", "-o", str(a)]) == 0
    assert main(["demo", "--cases", "8", "--seed", "9", "-o", str(b)]) == 0
    assert main(["demo", "--cases", "8", "--seed", "10", "-o", str(c)]) == 0
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()


def test_demo_as_of(tmp_path):
    out = tmp_path / "demo.json"
    assert main(["demo", "--cases", "3", "--as-of", "2025-01-31", "-o", str(out)]) == 0
    assert json.loads(out.read_text()) == generate(3, 0, dt.date(2025, 1, 31))


def test_demo_refuses_to_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / "mine.json"
    out.write_text("keep me")
    assert main(["demo", "--cases", "2", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "exists already" in err and "--force" in err
    assert out.read_text() == "keep me"
    assert main(["demo", "--cases", "2", "--force", "-o", str(out)]) == 0
    assert len(json.loads(out.read_text())["cases"]) == 2


def test_demo_usage_errors_are_one_line_and_exit_2(tmp_path, capsys):
    assert main(["demo", "--cases", "-3", "-o", str(tmp_path / "x.json")]) == 2
    assert capsys.readouterr().err == "yos-audit: error: --cases must be 0 or more, not -3\n"
    assert main(["demo", "--cases", "2", "-o", str(tmp_path / "no" / "such" / "x.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("yos-audit: error: cannot write") and err.count("\n") == 1
    assert main(["demo", "--cases", "2", "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # nothing half-written anywhere


def test_demo_needs_an_output_file(capsys):
    try:
        code = main(["demo", "--cases", "2"])
    except SystemExit as exc:  # argparse's own usage error
        code = exc.code
    assert code == 2
    assert "-o" in capsys.readouterr().err
