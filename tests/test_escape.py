"""Control characters and markup from the data are shown, never obeyed.

A case id, a name or a record id may hold anything: ESC sequences (clear the screen, retitle the
terminal), BEL, NUL, a new line followed by ``::error file=...::`` (a forged workflow command in a CI
log), a right-to-left override, HTML or a Markdown link. Text, Markdown and standard error show them
as visible escapes (``\\x1b``, ``\\n``, ``\\u202e``) and Markdown makes HTML and link syntax inert;
the structured formats (JSON, CSV, SARIF, JUnit, GitHub, HTML) keep the value, escaped their own way.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from rules.cli import main
from rules.engine import audit
from rules.load import InputProblem, ProblemLevel, load_paths
from rules.outcomes import Finding, Severity, Status
from rules.report import CheckReport, render
from rules.waivers import Waiver
from rules.words import visible, visible_lines

AS_OF = dt.date(2026, 11, 20)
ESC_CLEAR = "\x1b[2J"
FORGED = "\n::error file=x::forged"
#: a case id holding every kind of trouble at once
HOSTILE = f"C-1{ESC_CLEAR}\x07\x00{FORGED}\u202e<script>alert(1)</script>[x](javascript:alert(1))"
HOSTILE_MANAGER = "Ann\x1b]0;pwned\x07\r\n::warning::manager"
HOSTILE_TEAM = "North\u2028::notice::team\u2066"
HOSTILE_RECORD = "A2\x1b[31m\x85::error::record"
#: what must never reach a terminal, a log or a Markdown file raw (a new line is checked line by line)
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def hostile_export(fixtures, tmp_path):
    """small.json with hostile text in a case id, a case manager, a team and a record id, and a case
    rejected for a bad date whose id is hostile too (an input problem)."""
    doc = json.loads((fixtures / "small.json").read_text())
    c1 = doc["cases"][0]
    c1["case_id"], c1["case_manager"], c1["team"] = HOSTILE, HOSTILE_MANAGER, HOSTILE_TEAM
    c1["assessments"][1]["id"] = HOSTILE_RECORD
    doc["cases"].append({"case_id": f"C-9{ESC_CLEAR}{FORGED}", "start_date": "not a date\x1b[2J"})
    path = tmp_path / "caseload.json"
    path.write_text(json.dumps(doc))
    return path


def assert_inert(text: str) -> None:
    """No raw control, override or separator, and no line that a CI runner would read as a command."""
    assert RAW.search(text) is None, repr(RAW.search(text))
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::")]


def assert_inert_markdown(text: str) -> None:
    assert_inert(text)
    # every <, >, [, ], ` and & from the data backslash-escaped: no HTML, no link, no code span, no entity
    assert not re.search(r"(?<!\\)(?:\\\\)*[<>`&]", text)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("|---"))
    assert not re.search(r"(?<!\\)(?:\\\\)*[\[\]]", body)


# -- text, Markdown and standard error -----------------------------------------------------------


def test_the_text_report_shows_controls_as_escapes(capsys, hostile_export):
    code, out, _ = run(capsys, "check", str(hostile_export), "--as-of", "2026-11-20")
    assert code == 2
    assert_inert(out)
    assert visible(HOSTILE) in out and visible(HOSTILE_MANAGER) in out and visible(HOSTILE_RECORD) in out
    assert "\\x1b[2J" in out and "\\n::error file=x::forged" in out and "\\u202e" in out
    # the rejected case's problem, in the report's own list of input problems
    assert "case C-9\\x1b[2J\\n::error file=x::forged: start_date" in out


def test_the_markdown_report_shows_controls_and_neutralises_html_and_links(capsys, hostile_export):
    _, out, _ = run(capsys, "check", str(hostile_export), "--as-of", "2026-11-20", "--format", "markdown")
    assert_inert_markdown(out)
    assert "\\<script\\>alert(1)\\</script\\>\\[x\\](javascript:alert(1))" in out
    assert "\\\\x1b\\[2J" in out  # shown as \x1b[2J once rendered


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "csv", "github", "markdown"])
def test_standard_error_shows_the_input_problems_as_escapes(capsys, hostile_export, fmt):
    _, _, err = run(capsys, "check", str(hostile_export), "--as-of", "2026-11-20", "--format", fmt)
    assert_inert(err)
    assert "case C-9\\x1b[2J\\n::error file=x::forged: start_date: error:" in err


def test_validate_and_score_print_problems_as_escapes(capsys, hostile_export):
    _, out, _ = run(capsys, "validate", str(hostile_export))
    assert_inert(out) and "C-9\\x1b[2J" in out
    _, out, err = run(capsys, "score", str(hostile_export), "--as-of", "2026-11-20")
    assert_inert(out)
    assert_inert(err)
    assert "C-9\\x1b[2J" in err


def test_an_error_message_quoting_the_data_is_shown_as_escapes(capsys, hostile_export):
    """``--case-manager`` with no match lists the names there are: from the data."""
    code, _, err = run(capsys, "check", str(hostile_export), "--case-manager", "nobody")
    assert code == 2 and "matches no case" in err
    assert_inert(err)
    assert "Ann\\x1b]0;pwned\\x07\\r\\n::warning::manager" in err


def test_the_score_reports_show_controls_and_neutralise_markup(capsys, hostile_export):
    for fmt in ("text", "markdown"):
        _, out, _ = run(capsys, "score", str(hostile_export), "--as-of", "2026-11-20", "--format", fmt, "--by", "team")
        assert_inert(out)
        assert ("North\\u2028::notice::team\\u2066" if fmt == "text" else "North\\\\u2028::notice::team\\\\u2066") in out
    _, out, _ = run(capsys, "score", str(hostile_export), "--as-of", "2026-11-20", "--format", "markdown")
    assert "\\<script\\>alert(1)\\</script\\>\\[x\\](javascript:alert(1))" in out  # a failing case
    assert not re.search(r"(?<!\\)<script|(?<!\\)\]\(javascript", out)


def test_the_score_html_escapes_markup_from_the_data(capsys, fixtures, tmp_path):
    doc = json.loads((fixtures / "small.json").read_text())
    doc["cases"][0]["case_id"] = "C-1<script>alert(1)</script>&amp;\"'"
    doc["cases"][0]["team"] = "<b>North</b>"
    path = tmp_path / "caseload.json"
    path.write_text(json.dumps(doc))
    _, out, _ = run(capsys, "score", str(path), "--as-of", "2026-11-20", "--format", "html", "--by", "team")
    assert "<script>alert" not in out and "<b>North" not in out
    assert "C-1&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;" in out
    assert "<b>North</b>" in html.unescape(out)


# -- the structured formats keep the value ---------------------------------------------------------


@pytest.fixture
def report(fixtures) -> CheckReport:
    """The audit of small.json with C-0001 renamed HOSTILE (case id, manager, team, evidence, record),
    plus a hostile input problem and waiver: built past the loader, whatever it accepts."""
    loaded = load_paths([fixtures / "small.json"])
    result = audit(loaded.caseload, AS_OF)

    def cid(value: str) -> str:
        return HOSTILE if value == "C-0001" else value

    def finding(f: Finding) -> Finding:
        if f.case_id != "C-0001":
            return f
        return f._replace(case_id=HOSTILE, case_manager=HOSTILE_MANAGER, team=HOSTILE_TEAM,
                          message=f.message.replace("A2", HOSTILE_RECORD),
                          evidence=tuple(HOSTILE_RECORD if e == "A2" else e for e in f.evidence),
                          record=HOSTILE_RECORD if f.record == "A2" else f.record)

    cases = {cid(c.case_id): evolve(c, case_id=cid(c.case_id)) if c.case_id == "C-0001" else c for c in loaded.caseload.cases}
    problem = InputProblem(ProblemLevel.ERROR, "caseload.json", f"not a date: {HOSTILE!r}", HOSTILE, "start_date")
    waiver = Waiver("ROH001", HOSTILE, f"reason{FORGED}", HOSTILE_MANAGER, dt.date(2027, 1, 1))
    return CheckReport(
        as_of=AS_OF, findings=tuple(finding(f) for f in result.findings), problems=(problem,), rules=result.rules,
        cases=cases, outcomes=tuple(o._replace(case_id=cid(o.case_id)) for o in result.outcomes),
        sources={cid(k): v for k, v in loaded.sources.items()}, unused_waivers=(waiver,), rejected=1,
    )


def test_json_round_trips_the_value(report):
    doc = json.loads(render(report, "json"))
    mine = [f for f in doc["findings"] if f["case_id"] == HOSTILE]
    assert mine and {f["case_manager"] for f in mine} == {HOSTILE_MANAGER} and {f["team"] for f in mine} == {HOSTILE_TEAM}
    assert any(HOSTILE_RECORD in f["evidence"] and HOSTILE_RECORD in f["message"] for f in mine)
    assert doc["input_problems"][0]["case_id"] == HOSTILE
    assert doc["waivers"]["unused"][0]["reason"] == f"reason{FORGED}"
    jsonl = [json.loads(line) for line in render(report, "jsonl").split("\n") if line]
    assert any(rec.get("case_id") == HOSTILE for rec in jsonl)


def test_csv_round_trips_the_value(report):
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    mine = [r for r in rows if r["case_id"] == HOSTILE]
    assert mine and all(r["case_manager"] == HOSTILE_MANAGER and r["team"] == HOSTILE_TEAM for r in mine)
    assert any(HOSTILE_RECORD in r["evidence"].split(" ") for r in mine)
    assert len(rows) == len(report.findings)  # a new line inside a value made no row of its own


def test_sarif_round_trips_the_value(report):
    run_ = json.loads(render(report, "sarif"))["runs"][0]
    mine = [r for r in run_["results"] if r["properties"]["caseId"] == HOSTILE]
    assert mine and mine[0]["locations"][0]["logicalLocations"][0]["name"] == HOSTILE
    assert any(r["properties"]["record"] == HOSTILE_RECORD for r in mine)
    note = run_["invocations"][0]["toolExecutionNotifications"][0]
    assert note["properties"]["caseId"] == HOSTILE
    assert RAW.search(note["message"]["text"]) is None  # the problem's one line, as standard error shows it


def test_junit_is_well_formed_xml_keeping_what_xml_can_hold(report):
    root = ET.fromstring(render(report, "junit"))
    names = {s.get("name") for s in root.iter("testsuite")}
    # XML 1.0 cannot hold ESC, BEL or NUL even escaped: each is U+FFFD; the rest is kept
    expected = HOSTILE.replace("\x1b", "\ufffd").replace("\x07", "\ufffd").replace("\x00", "\ufffd")
    assert expected in names
    assert "<script>alert(1)</script>" in expected


def _unescape_property(text: str) -> str:
    return text.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def test_github_annotations_cannot_be_forged(report):
    out = render(report, "github")
    lines = out.split("\n")[:-1]  # as the runner reads them: it splits on CR and LF only
    commands = len(report.findings) + len(report.problems) + len(report.unused_waivers)
    assert len(lines) == commands and out.count("\n") == commands  # no line of the data's own
    assert all(re.match(r"::(error|warning|notice) ", line) for line in lines)
    assert not any(line.startswith("::error file=x") for line in lines)
    assert "%0A::error file=x::forged" in out
    titles = [m.group(1) for m in map(re.compile(r"title=([^:]*)::").search, lines) if m]
    assert any(_unescape_property(t).endswith(f"({HOSTILE})") for t in titles)


# -- any text at all ------------------------------------------------------------------------------------


def _one_finding_report(case_id: str, manager: str) -> CheckReport:
    f = Finding("ROH003", "rmp-required", Severity.ERROR, case_id, f"no plan for {case_id}", (case_id,),
                AS_OF, "2.1", Status.NOT_MET, case_manager=manager)
    problem = InputProblem(ProblemLevel.WARNING, f"{case_id}.json", f"odd {case_id}", case_id, "team")
    return CheckReport(as_of=AS_OF, findings=(f,), problems=(problem,))


@given(case_id=st.text(min_size=1, max_size=40), manager=st.text(max_size=20))
def test_any_text_in_a_case_id_gives_no_raw_control_and_no_line_of_its_own(case_id, manager):
    shape = {fmt: render(_one_finding_report("C-1", "M"), fmt).count("\n") for fmt in ("text", "markdown")}
    for fmt in ("text", "markdown"):
        out = render(_one_finding_report(case_id, manager), fmt)
        assert RAW.search(out) is None
        assert out.count("\n") == shape[fmt]
    assert "\n" not in str(_one_finding_report(case_id, manager).problems[0])


@given(st.text())
def test_visible_leaves_ordinary_text_alone_and_shows_the_rest(text):
    shown = visible(text)
    assert RAW.search(shown) is None and "\n" not in shown
    if RAW.search(text) is None and "\n" not in text:
        assert shown is text
    assert visible_lines([text, "x"]).count("\n") == 1


# -- the terminal UI: Rich markup from the data is text, never markup ---------------------------------


async def test_markup_in_the_data_is_shown_as_written_in_the_ui(tmp_path):
    """A case manager ``[/bold]Ann`` (a closing tag with no opening one) crashed the app when the
    My-cases or the filter dialog listed the names, and a case id ``[@click=app.quit]...`` became a
    link in the waive dialog's title and in the notices."""
    from textual.widgets import OptionList, Select
    from tui_helpers import CASELOAD, make_app, settle

    doc = json.loads(CASELOAD.read_text())
    case = next(c for c in doc["cases"] if c["case_id"] == "C-0005")
    case["case_id"], case["case_manager"], case["team"] = "C-0005[@click=app.quit]x[/]", "[/bold]Ann", "[/i]South"
    path = tmp_path / "caseload.json"
    path.write_text(json.dumps(doc))
    app = make_app(tmp_path, paths=(path,))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        prompts = [str(o.prompt) for o in app.screen.query_one(OptionList).options]
        assert "[/bold]Ann (1 case)" in prompts
        await pilot.press("escape")
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        for select in app.screen.query(Select):
            select.action_show_overlay()  # every name listed, rendered
            await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
        app.open_case(case["case_id"])
        await settle(pilot)
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.query_one(".dialog")._border_title.plain.endswith("on C-0005[@click=app.quit]x[/]")
        app.screen.query_one("#w-reason").value = "[/b] on paper"
        app.screen.query_one("#w-who").value = "TM"
        app.screen.query_one("#w-until").value = "2027-01-31"
        await pilot.click("#ok")
        await settle(pilot)
        timeline = app.screen.query_one("#timeline", OptionList)
        timeline.highlighted = next(i for i in range(timeline.option_count)
                                    if getattr(app.screen._findings.get(timeline.get_option_at_index(i).id), "waived", False))
        await pilot.press("w")  # the finding now waived: a notice quoting the case and the reason
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("on C-0005[@click=app.quit]x[/] waived until" in m for m in shown)
        assert any(m.endswith("is already waived: [/b] on paper") for m in shown)
        assert all(not n.markup for n in app._notifications)
        await pilot.pause()
