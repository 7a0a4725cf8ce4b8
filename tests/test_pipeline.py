"""One pipeline owns the run: the command line and the terminal UI reach the same findings the same way."""

import json

from tui_helpers import CASELOAD

from rules import pipeline
from rules.cli import main
from rules.config import Config
from rules.errors import UsageError
from rules.report import render
from tui.session import Pipeline, Settings


def test_the_ui_and_the_command_line_report_the_same_run(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no waivers file found by accident
    assert main(["check", str(CASELOAD), "--format", "json", "--fail-on", "never"]) == 2  # a case is rejected
    cli = json.loads(capsys.readouterr().out)

    session = Pipeline([CASELOAD], Config(), waivers_path=tmp_path / "none.toml")
    view = session.run(Settings(None, session.default_rules()))  # the default date, as the CLI takes it
    exported = pipeline.check_report(view.load, view.audit, view.waivers, view.as_of_source, view.findings, view.cases)
    ui = json.loads(render(exported, "json"))
    assert ui["as_of_source"] == cli["as_of_source"] == "extract"
    assert ui == cli


def test_a_run_names_every_file_it_read_as_protected(tmp_path):
    waivers = tmp_path / "w.toml"
    waivers.write_text("")
    run = pipeline.run(pipeline.Request(paths=(str(CASELOAD),), waivers=str(waivers)), Config())
    assert CASELOAD in run.protected and waivers in run.protected
    assert tmp_path / "report.json" not in run.protected


def test_a_team_that_matches_no_case_is_a_usage_error_listing_the_teams():
    try:
        pipeline.run(pipeline.Request(paths=(str(CASELOAD),), teams=("Nowhere",)), Config())
    except UsageError as exc:
        assert str(exc) == "--team 'Nowhere' matches no case; there are:" and exc.lines
    else:
        raise AssertionError("a team that matches no case must not read as an all-clear")


def test_a_sample_larger_than_the_caseload_is_a_warning_too(capsys):
    """Said on standard error as well as in the report: a script reading JSON must not miss it."""
    warned = []
    run = pipeline.run(pipeline.Request(paths=(str(CASELOAD),), sample=500), Config(), warned.append)
    assert run.sample is not None and len(run.load.caseload.cases) == run.sample.population < 500
    assert warned == [f"--sample 500 is more than the {run.sample.population} cases there are: every one is scored"]
    assert main(["score", str(CASELOAD), "--sample", "500", "--format", "json"]) in (0, 1, 2)
    assert "yos-audit: warning: --sample 500 is more than the" in capsys.readouterr().err
