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
