"""The UI as people use it (issue 21): typing at speed, going back, drilling down, small terminals."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import DataTable, Input
from tui_helpers import make_app, settle, until

from tui.screens.cases import CasesScreen

SIZE = (120, 40)


def send_keys_at_once(app, keys) -> None:
    """Every key in the app's queue before any is handled: typing faster than the app can keep up."""
    for key in keys:
        char = key if len(key) == 1 else None
        name = {"-": "minus", " ": "space"}.get(key, key)
        event = events.Key(name, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def open_search(pilot):
    app = pilot.app
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(app.screen, CasesScreen)
    await pilot.press("slash")
    search = app.screen.query_one("#cases-search", Input)
    assert search.has_focus
    return search


def shown_ids(screen) -> list[str]:
    table = screen.query_one("#cases-table", DataTable)
    return [screen._case_of_row[table.coordinate_to_cell_key((i, 0)).row_key] for i in range(table.row_count)]


async def settle_search(pilot, search: Input) -> None:
    """The app idle, the filter caught up with the box and the table rebuilt for it."""
    app = pilot.app
    await until(pilot, lambda: app.case_filter.text == search.value, "the filter follows the box")
    await settle(pilot)


@pytest.mark.parametrize("how", ["at-once", "press", "small-pauses"])
async def test_the_search_box_shows_exactly_what_was_typed_at_any_speed(tmp_path, how):
    """Issue 21.1: a stale Input.Changed must never overwrite newer typing."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        search = await open_search(pilot)
        text = "C-0005"
        if how == "at-once":
            send_keys_at_once(app, text)
        elif how == "press":
            await pilot.press(*text)
        else:
            await pilot.press(*[k for ch in text for k in (ch, "wait:15")])
        await settle_search(pilot, search)
        assert search.value == text
        assert app.case_filter.text == text
        assert shown_ids(app.screen) == ["C-0005"]
        # Backspace: one character at a time, and all the way to empty
        send_keys_at_once(app, ["backspace"] * 2)
        await settle_search(pilot, search)
        assert search.value == "C-00" and app.case_filter.text == "C-00"
        await pilot.press(*["backspace"] * 4)
        await settle_search(pilot, search)
        assert search.value == "" and app.case_filter.text == ""
        assert len(shown_ids(app.screen)) == 8
        # typed again, fast, after the box was emptied
        send_keys_at_once(app, "south")
        await settle_search(pilot, search)
        assert search.value == "south" and len(shown_ids(app.screen)) == 4


async def test_a_fast_search_over_many_rows_ends_on_what_was_typed(tmp_path, monkeypatch):
    """The same with the pause that a large caseload's search waits for."""
    from tui.screens import cases

    monkeypatch.setattr(cases, "SEARCH_PAUSE_ROWS", 0)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        search = await open_search(pilot)
        send_keys_at_once(app, "C-0012")
        await pilot.press("backspace", "backspace", "5")
        await until(pilot, lambda: app.case_filter.text == "C-005", "the search applied after the pause")
        await settle(pilot)
        assert search.value == "C-005"


async def test_a_filter_set_elsewhere_shows_in_the_box_and_the_box_still_types(tmp_path):
    """The box is the source of truth while typing, but x (clear) and the dialog still reach it."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        search = await open_search(pilot)
        send_keys_at_once(app, "north")
        await settle_search(pilot, search)
        app.screen.query_one("#cases-table").focus()
        await pilot.press("x")
        await settle(pilot)
        assert search.value == "" and app.case_filter.text == ""
        from attrs import evolve

        app.case_filter = evolve(app.case_filter, text="south")  # as the filter dialog's search field does
        await settle(pilot)
        assert search.value == "south" and len(shown_ids(app.screen)) == 4
        await pilot.press("slash", "end", "backspace")
        await settle_search(pilot, search)
        assert search.value == "sout"


async def test_escape_goes_back_on_every_screen(tmp_path):
    """Issue 21.2: a drill-down has a way back; Escape in the search box leaves the box first."""
    from tui.screens.case import CaseScreen
    from tui.screens.dashboard import DashboardScreen
    from tui.screens.problems import ProblemsScreen
    from tui.screens.rules import RulesScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("enter")  # the cases failing the first rule
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen) and app.case_filter.rule is not None
        await pilot.press("enter")  # open the first of them
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, CasesScreen), "back to the cases")
        await pilot.press("slash", "n", "escape")  # out of the search box, still on the cases
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen) and app.screen.query_one("#cases-table").has_focus
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RulesScreen), "back to the rules")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, RulesScreen), "back to the rules again")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "back to the dashboard")
        # the dashboard's drill-down into a team's cases, and back
        teams = app.screen.query_one("#dash-teams", DataTable)
        teams.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen) and app.case_filter.team is not None
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "back from the team's cases")
        await pilot.press("escape")  # nowhere further back: the dashboard stays
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_the_dashboard_drills_down_from_every_score_and_worst_rule(tmp_path):
    """Issue 21.3: a worst rule opens the cases failing it; a score bar opens the rules behind it."""
    from textual.widgets import OptionList

    from tui.screens.dashboard import DashboardScreen
    from tui.screens.rules import RulesScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        worst = app.screen.query_one("#dash-worst", OptionList)
        worst.focus()
        worst.highlighted = 1  # the second worst rule
        await pilot.press("enter")
        await settle(pilot)
        second = app.view.scores.worst[1].rule
        assert isinstance(app.screen, CasesScreen) and app.case_filter.rule == second
        assert {r.case_id for r in app.screen.shown} == {
            f.case_id for f in app.view.findings if f.rule == second and f.status.value == "not_met"}
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "back on the dashboard")
        for bars_id, index in (("#dash-criteria", 2), ("#dash-headline", 0)):
            bars = app.screen.query_one(bars_id, OptionList)
            bars.focus()
            bars.highlighted = index
            score = list(bars.scores.values())[index]
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, RulesScreen)
            table = app.screen.query_one("#rules-table", DataTable)
            codes = [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]
            assert codes == [c for c in app.view.catalogue if c in score.rules] and codes
            assert score.title in str(app.screen.query_one("#rules-summary").content)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "back on the dashboard")
        await pilot.press("r", "x")  # every rule again
        await settle(pilot)
        assert app.screen.query_one("#rules-table", DataTable).row_count == len(app.view.catalogue)


async def test_a_rule_switched_off_shows_on_the_dashboard(tmp_path):
    """Issue 21.9: a rule off for the session must not pass unseen on the dashboard."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from tui_helpers import plain

        assert "switched off" not in plain(app.screen.query_one("#dash-counts"))
        app.toggle_rule("ASM002")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert "1 rule switched off" in plain(app.screen.query_one("#dash-counts"))
        assert "ASM002" in plain(app.screen.query_one("#dash-counts"))


@pytest.fixture
def demo_caseload(tmp_path):
    """A synthetic caseload of 68 cases: more rows than an 80x24 screen, its real names and dates."""
    import json

    from rules import demo

    path = tmp_path / "demo.json"
    path.write_text(json.dumps(demo.generate(68, seed=1345)))
    return path


async def test_at_80x24_the_header_footer_and_cases_table_keep_what_matters(tmp_path, demo_caseload):
    """Issue 21.5: the as-of date in the header, Export and Quit in the footer, Next due whole."""
    import re

    from textual.widgets import Footer
    from tui_helpers import screen_lines

    app = make_app(tmp_path, paths=(demo_caseload,))
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in ((), ("c",), ("r",), ("p",)):
            await pilot.press(*keys)
            await settle(pilot)
            lines = screen_lines(app)
            assert "as of 2026-11-20" in lines[0], lines[0]
            footer = app.screen.query_one(Footer)
            keys_shown = {k.description: k for k in footer.query("FooterKey")}
            for what in ("Export", "Quit"):
                assert what in keys_shown and keys_shown[what].region.right <= 80, (keys, what)
            assert re.search(r"e Export +q Quit", lines[-1]), lines[-1]
        await pilot.press("c")
        await settle(pilot)
        lines = screen_lines(app)
        heading = next(line for line in lines if "Case " in line and "Err" in line)
        assert "Next due" in heading
        table = app.screen.query_one("#cases-table", DataTable)
        dates = [str(table.get_row_at(i)[8]) for i in range(table.row_count)]
        on_screen = "\n".join(lines)
        visible = [d for d in dates[:12] if d]
        assert visible and all(d in on_screen for d in visible)
        # every date of the Next due column is whole on screen
        x = sum(c.get_render_width(table) for c in table.ordered_columns[:8])
        assert x + table.ordered_columns[8].get_render_width(table) <= table.scrollable_content_region.width


async def test_the_problems_screen_names_only_files_with_problems_and_keeps_the_message(
        tmp_path, demo_caseload, monkeypatch):
    """Issue 21.4: the header names the files that have problems, relative to where the app was
    started; at 80x24 the message column is never cut to nothing, and the highlighted problem shows
    in full."""
    from tui_helpers import CASELOAD, plain, screen_lines

    from tui.screens.problems import ProblemsScreen

    folder = tmp_path / "exports"
    folder.mkdir()
    broken = folder / "an-export-with-a-rather-long-name-that-is-broken.json"
    broken.write_text("{not json")
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path, paths=(demo_caseload, broken, CASELOAD))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        head = plain(app.screen.query_one("#problems-notes"))
        assert "exports/an-export-with-a-rather-long-name-that-is-broken.json" in head
        assert str(tmp_path) not in head  # relative to where the app was started
        assert "demo.json" not in head  # it loaded cleanly
        table = app.screen.query_one("#problems-table", DataTable)
        problem = table.ordered_columns[-1]
        assert problem.label.plain == "Problem"
        left = sum(c.get_render_width(table) for c in table.ordered_columns[:-1])
        assert table.scrollable_content_region.width - left >= 20  # room for the message
        assert any("not valid JSON" in line for line in screen_lines(app))
        at = next(i for i in range(table.row_count) if "not valid JSON" in str(table.get_row_at(i)[-1]))
        table.move_cursor(row=at)
        await pilot.pause()
        detail = plain(app.screen.query_one("#problems-detail"))
        assert detail.startswith("exports/an-export") and "not valid JSON" in detail


async def test_the_filter_dialog_narrows_case_managers_to_the_team_and_speaks_the_tables_words(tmp_path):
    """Issue 21.6: choosing a team narrows the case managers; the summary says YRO and Medium."""
    from textual.widgets import Select
    from tui_helpers import plain

    from rules.model import LegalOutcome, Level

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        managers = dialog.query_one("#f-manager", Select)
        assert len(managers._options) - 1 == 4  # every case manager (and "any")
        dialog.query_one("#f-team", Select).value = "South"
        await until(pilot, lambda: len(managers._options) - 1 == 2, "the case managers narrow to the team")
        assert {value for _, value in managers._options[1:]} == {"CM-South-01", "CM-South-02"}
        dialog.query_one("#f-disposal", Select).value = LegalOutcome.YOUTH_REHABILITATION_ORDER.value
        dialog.query_one("#f-rosh", Select).value = Level.MEDIUM.value
        await pilot.click("#ok")
        await settle(pilot)
        summary = plain(app.screen.query_one("#cases-summary"))
        assert "disposal YRO" in summary and "RoSH Medium" in summary, summary
        assert "youth_rehabilitation_order" not in summary.lower() and "MEDIUM" not in summary


async def test_my_cases_finds_a_case_manager_as_you_type(tmp_path):
    """Issue 21.7: with hundreds of case managers the picker narrows to what is typed."""
    from textual.widgets import OptionList

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await pilot.pause()
        chooser = app.screen.query_one("#manager-list", OptionList)
        assert chooser.option_count == 5  # all, and four case managers
        send_keys_at_once(app, "south 02")
        find = app.screen.query_one("#manager-find", Input)
        await until(pilot, lambda: chooser.option_count == 1, "the list narrows to one")
        assert find.value == "south 02" and chooser.get_option_at_index(0).id == "CM-South-02"
        await pilot.press("enter")
        await settle(pilot)
        assert app.view.scope == "CM-South-02"
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"nobody")
        chooser = app.screen.query_one("#manager-list", OptionList)
        await until(pilot, lambda: "No case manager" in str(chooser.get_option_at_index(0).prompt), "says none")
        await pilot.press("enter")  # nothing to pick: the dialog stays
        await pilot.pause()
        assert app.screen.query("#manager-list")
        await pilot.press("escape")
        await settle(pilot)
        assert app.view.scope == "CM-South-02"


async def test_export_of_one_case_says_one_case_and_an_existing_file_is_asked_about_in_the_dialog(tmp_path):
    """Issue 21.8: one case's report counts one case; a file that exists keeps the dialog open with
    the question; the chosen format shows without colour."""
    from textual.widgets import Checkbox, RadioButton
    from tui_helpers import plain

    from tui.screens.dialogs import ExportScreen

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_case("C-0006")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen) and "C-0006" in plain(dialog.query_one(".dialog-text"))
        # the chosen format and the others look different with no colour at all
        marks = {b.id: b.render().plain[:3] for b in dialog.query(RadioButton)}
        assert marks["x-markdown"] != marks["x-csv"] and marks["x-csv"] == marks["x-json"]
        assert "●" in marks["x-markdown"] and "●" not in marks["x-csv"]
        tick = dialog.query_one("#x-replace", Checkbox)
        assert "X" not in tick.render().plain[:3]
        target = tmp_path / "c6.md"
        target.write_text("keep me")
        dialog.query_one("#x-path", Input).value = str(target)
        await pilot.click("#ok")
        await pilot.pause()
        assert app.screen is dialog  # still open, asking
        assert "exists" in plain(dialog.query_one(".dialog-error")) and target.read_text() == "keep me"
        await pilot.click("#x-replace")
        await pilot.pause()
        assert tick.value and "X" in tick.render().plain[:3]
        await pilot.click("#ok")
        await until(pilot, lambda: target.read_text() != "keep me", "the report written")
        text = target.read_text()
        assert "1 case audited, 0 rejected" in text and "C-0006" in text


async def test_sorting_shows_its_direction_and_S_is_in_the_footer(tmp_path):
    """Issue 21.9: the sorted column's heading says ▲ or ▼; S (reverse) is offered in the footer."""
    from textual.widgets import Footer
    from tui_helpers import plain

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        table = app.screen.query_one("#cases-table", DataTable)
        headings = lambda: [c.label.plain for c in table.ordered_columns]
        assert headings()[0] == "▲Case" and "Manager" in headings()
        keys = {k.key for k in app.screen.query_one(Footer).query("FooterKey")}
        assert {"s", "S"} <= keys
        await pilot.press("s")
        await settle(pilot)
        assert headings()[:2] == ["Case", "▲Manager"]
        await pilot.press("S")
        await settle(pilot)
        assert headings()[1] == "▼Manager" and "descending" in plain(app.screen.query_one("#cases-summary"))
        names = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert names == sorted(names, reverse=True)
