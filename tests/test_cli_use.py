"""The command line as people use it (issue 21, items 10 and 12-18)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os

import pytest

from rules.cli import build_parser, main, ui_parser

AS_OF = ["--as-of", "2026-11-20"]


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_ui_takes_waivers_and_passes_them_to_the_app(monkeypatch, tmp_path, fixtures):
    """Issue 21.10: ``yos-audit --waivers FILE`` as ``check`` takes it."""
    import tui.app

    seen = {}

    def fake_run(self):
        seen["waivers"] = self.pipeline.waivers_path

    monkeypatch.setattr(tui.app.YosAuditApp, "run", fake_run)
    waivers = tmp_path / "accepted.toml"
    assert main([str(fixtures / "small.json"), "--waivers", str(waivers)]) == 0
    assert seen["waivers"] == waivers


def test_help_shows_the_ui_options_and_the_exit_codes(capsys):
    """Issue 21.10 and 21.18: ``yos-audit --help`` tells how to open the UI and what the exit codes mean."""
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "yos-audit [PATH ...]" in out
    for option in ("--as-of DATE", "--config FILE", "--waivers FILE"):
        assert option in out
    assert "exit codes:" in out and "2  usage, config or input error" in out
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert "exit codes:" in capsys.readouterr().out


def _actions(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from ((f"{name} {a.dest}", a) for a in sub._actions)
        else:
            yield action.dest, action


def test_every_argument_and_option_has_help_and_redact_is_said_one_way():
    """Issue 21.18."""
    redact = set()
    for parser in (build_parser(), ui_parser()):
        for name, action in _actions(parser):
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help, f"{name} has no help"
            if action.dest == "redact":
                redact.add(action.help)
    assert len(redact) == 1


def test_explain_suggests_the_nearest_codes(capsys):
    code, _, err = run(capsys, "explain", "ROH033")
    assert code == 2 and "did you mean ROH003" in err
    code, _, err = run(capsys, "explain", "rmp-requird")
    assert code == 2 and "rmp-required" in err


def test_as_of_today(capsys, fixtures):
    """Issue 21.12: ``--as-of today`` works, as the UI's dialog takes it."""
    code, out, err = run(capsys, "check", str(fixtures / "small.json"), "--as-of", "today", "--format", "json")
    assert code in (0, 1), err
    assert json.loads(out)["as_of"] == dt.date.today().isoformat()


def test_an_option_before_the_command_says_so(capsys, tmp_path, monkeypatch):
    """Issue 21.13: not "unknown command 'check'; did you mean 'check'?"."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--as-of", "2026-11-20", "check", "x.json")
    assert code == 2
    assert "did you mean" not in err
    assert "'--as-of 2026-11-20' comes before the command 'check'" in err
    assert "yos-audit check x.json --as-of 2026-11-20" in err


def _demo(tmp_path, n: int, seed: int = 2):
    from rules import demo

    path = tmp_path / f"demo-{n}.json"
    path.write_text(json.dumps(demo.generate(n, seed=seed)))
    return path


def _breakdown_lines(out: str) -> list[str]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("By "))
    end = next(i for i, line in enumerate(lines) if line.startswith("Worst gaps"))
    return lines[start:end]


def test_score_by_case_manager_stays_readable_at_any_size_weakest_first(capsys, tmp_path):
    """Issue 21.14: a breakdown's lines do not grow with the number of groups; weakest first."""
    from rules.report.score_text import PAGE_WIDTH

    code, out, err = run(capsys, "score", str(_demo(tmp_path, 600)), *AS_OF, "--by", "case-manager")
    assert code in (0, 1), err
    lines = _breakdown_lines(out)
    assert max(map(len, lines)) <= PAGE_WIDTH
    summary = []
    for line in lines[2:]:
        if not line.strip():
            break
        summary.append(line.split())
    assert summary[0][0] == "All" and len(summary) > 20
    shares = [float(row[-4].rstrip("%")) for row in summary[1:] if row[-4] != "-"]
    assert shares == sorted(shares)  # weakest first
    assert any("side by side (2 of" in line for line in lines)


def test_score_by_team_lines_up_its_columns(capsys, tmp_path):
    """Issue 21.14: every cell of a column has its percent, band and count in the same place."""
    import re

    _, out, _ = run(capsys, "score", str(_demo(tmp_path, 120)), *AS_OF, "--by", "team")
    lines = _breakdown_lines(out)
    page = []
    for line in lines[lines.index(next(x for x in lines if "scores side by side" in x)) + 2:]:
        if not line.strip():
            break
        if "%" in line:
            page.append(line)
    assert len(page) > 10
    positions = {tuple(m.end() for m in re.finditer(r"\d%", line)) for line in page}
    assert len(positions) == 1, "\n".join(page)  # every percent sign of a column at one place
    counts = {tuple(m.end() for m in re.finditer(r"\d+/\d+\)", line)) for line in page}
    assert len(counts) == 1, counts


@pytest.mark.parametrize("command,fmt", [("check", "text"), ("check", "markdown"),
                                         ("score", "text"), ("score", "markdown"), ("score", "html")])
def test_reports_name_the_service(capsys, fixtures, command, fmt):
    """Issue 21.15: a report handed on says whose it is; the HTML page's title too (fit for a board)."""
    import re

    code, out, err = run(capsys, command, str(fixtures / "small.json"), *AS_OF, "--format", fmt)
    assert code in (0, 1), err
    assert "Fixture YJS" in out
    if fmt == "html":
        title = re.search(r"<title>([^<]*)</title>", out).group(1)
        assert title == "Fixture YJS: inspection-style scores as of 2026-11-20"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_score_sample_lists_the_sampled_cases_in_every_format(capsys, tmp_path, fmt):
    """Issue 21.16: the cases drawn are named, whatever the format."""
    code, out, err = run(capsys, "score", str(_demo(tmp_path, 60)), *AS_OF, "--sample", "12", "--seed", "3",
                         "--format", fmt)
    assert code in (0, 1), err
    _, doc, _ = run(capsys, "score", str(_demo(tmp_path, 60)), *AS_OF, "--sample", "12", "--seed", "3",
                    "--format", "json")
    ids = json.loads(doc)["sample"]["case_ids"]
    assert len(ids) == 12
    if fmt != "json":  # named together, not only here and there among the failing cases
        listed = out[out.index("Sampled cases (12): "):][:200]
        assert all(case_id in listed for case_id in ids), listed


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_score_sample_says_when_more_were_asked_for_than_there_are(capsys, fixtures, fmt):
    _, out, _ = run(capsys, "score", str(fixtures / "small.json"), *AS_OF, "--sample", "40", "--format", fmt)
    assert "40 were asked for, but there are only 4 cases" in out
    _, doc, _ = run(capsys, "score", str(fixtures / "small.json"), *AS_OF, "--sample", "40", "--format", "json")
    sample = json.loads(doc)["sample"]
    assert sample["requested"] == 40 and sample["size"] == sample["population"] == 4


def _export(cases):
    return {"format": "yos-case-export", "version": 1, "service": {"name": "Split YJS"}, "cases": cases}


def test_a_folder_of_json_exports_is_read_as_exports_and_a_file_named_twice_once(capsys, tmp_path, fixtures):
    """Issue 21.17: no column map is asked for; the same file twice (or by another name) is read once."""
    from rules.load import load_paths

    whole = json.loads((fixtures / "small.json").read_text())
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.json").write_text(json.dumps(_export(whole["cases"][:2])))
    (folder / "b.json").write_text(json.dumps(_export(whole["cases"][2:])))
    (folder / "notes.txt").write_text("not an export")
    result = load_paths([folder])
    assert not result.problems, result.problems
    assert [c.case_id for c in result.caseload.cases] == [c["case_id"] for c in whole["cases"]]
    assert result.sources[whole["cases"][3]["case_id"]] == str(folder / "b.json")
    _, out, err = run(capsys, "check", str(folder), *AS_OF, "--format", "json")
    assert "map" not in err and json.loads(out)["summary"]["cases"] == len(whole["cases"]), err

    one = folder / "a.json"
    link = tmp_path / "link.json"
    link.symlink_to(one)
    hard = tmp_path / "hard.json"
    os.link(one, hard)
    result = load_paths([one, str(folder / "." / "a.json"), link, hard])
    assert not result.problems and len(result.caseload.cases) == 2 and result.rejected == 0
