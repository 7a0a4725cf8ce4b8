"""Reloading the exports (ctrl+r, issue 18): the files read again from disk, the settings kept, and the
old view let go before the new load begins (the process never holds two caseloads)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import shutil
import threading
import weakref

import pytest
from textual.widgets import DataTable, Input
from tui_helpers import CASELOAD, make_app, plain, run_command, settle, until

from rules.load import load_paths
from tui.app import YosAuditApp
from tui.screens.base import AuditScreen
from tui.screens.case import CaseScreen
from tui.screens.cases import CasesScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.review import ReviewScreen

SIZE = (120, 40)


def export_copy(tmp_path):
    """A copy of the fixture export that the test may change, as a manager re-exporting would."""
    path = tmp_path / "export.json"
    shutil.copy(CASELOAD, path)
    return path


def edit(path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def case(data, case_id):
    return next(c for c in data["cases"] if c["case_id"] == case_id)


def record_notifications(app) -> list[tuple[str, str, str]]:
    """Every notification as (title, message, severity), whether or not it is still on screen."""
    said = []
    notify = app.notify

    def recorded(message, *args, **kwargs):
        said.append((kwargs.get("title", ""), str(message), kwargs.get("severity", "information")))
        return notify(message, *args, **kwargs)

    app.notify = recorded
    return said


async def choose_as_of(pilot, day: str) -> None:
    await pilot.press("a")
    await pilot.pause()
    pilot.app.screen.query_one("#asof-input", Input).value = day
    await pilot.press("enter")
    await settle(pilot)


class Gate:
    """A loader that reads as the app's does, except that every load after the first waits, in the
    worker thread, until the test lets it go: the test looks at the app in the middle of a reload."""

    def __init__(self) -> None:
        self.loads = 0
        self.reached = threading.Event()
        self.release = threading.Event()

    def __call__(self, paths, progress=None):
        self.loads += 1
        if self.loads > 1:
            self.reached.set()
            self.release.wait(30)
        return load_paths(paths, progress=progress)


def test_the_pipeline_keeps_its_load_until_told_to_forget_it(tmp_path):
    from tui.session import Pipeline, Settings

    path = export_copy(tmp_path)
    pipeline = Pipeline([path], waivers_path=tmp_path / "waivers.toml")
    settings = Settings(dt.date(2026, 11, 20), pipeline.default_rules())
    assert pipeline.run(settings).case("C-0001").team == "North"
    edit(path, lambda d: case(d, "C-0001").update(team="East"))
    assert pipeline.run(settings).case("C-0001").team == "North"  # a setting changed: the load is kept
    pipeline.forget()
    assert pipeline.run(settings).case("C-0001").team == "East"


async def test_reload_reads_the_changed_export_again(tmp_path):
    path = export_copy(tmp_path)
    app = make_app(tmp_path, paths=(path,))
    said = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.view.case("C-0001").case_manager == "CM-North-01" and len(app.view.cases) == 8
        # the manager fixes a case and re-exports: C-0001 moves to a new case manager, C-0008 has closed
        edit(path, lambda d: (case(d, "C-0001").update(case_manager="CM-East-01"),
                              d["cases"].remove(case(d, "C-0008"))))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.view.case("C-0001").case_manager == "CM-East-01"
        assert app.view.case("C-0008") is None and len(app.view.cases) == 7
        assert "CM-East-01" in dict(app.view.case_managers)
        assert isinstance(app.screen, DashboardScreen)
        assert "7 cases audited" in plain(app.screen.query_one("#dash-counts"))
        assert ("Reloaded", "7 cases audited, 1 rejected (p)", "information") in said
        # the command palette has it too
        edit(path, lambda d: case(d, "C-0001").update(case_manager="CM-West-01"))
        await run_command(pilot, "audit: reload the exports")
        await settle(pilot)
        assert app.view.case("C-0001").case_manager == "CM-West-01"


async def test_during_a_reload_the_old_view_is_gone_and_the_screens_wait_for_the_new(tmp_path, monkeypatch):
    # textual's pool threads keep the last worker each ran (in their context), and with it its arguments;
    # which thread runs what is up to the pool: the test keeps every cases-table worker, the worst case
    kept = []
    build = CasesScreen._build

    def keep(self, *args):
        kept.append(build(self, *args))
        return kept[-1]

    monkeypatch.setattr(CasesScreen, "_build", keep)
    path = export_copy(tmp_path)
    gate = Gate()
    app = make_app(tmp_path, paths=(path,), loader=gate)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screens = [app.screen]
        for key in ("r", "p", "c"):  # every main screen has shown the view
            await pilot.press(key)
            await settle(pilot)
            screens.append(app.screen)
        cases = app.screen
        assert isinstance(cases, CasesScreen) and len(cases.shown) == 8
        app.open_case("C-0003")
        await settle(pilot)
        old = weakref.ref(app.view)
        old_load = weakref.ref(app.view.load)
        await pilot.press("ctrl+r")
        assert await asyncio.to_thread(gate.reached.wait, 30)
        await pilot.pause()
        # in the middle of the reload: nothing on screen, the progress bar up, the case closed
        assert app.view is None and app.busy is not None
        assert app.screen is cases and len(app.screen_stack) == 1
        assert plain(cases.query_one("#status-text")) == f"{app.busy.stage}…"
        assert cases.shown == [] and cases.query_one("#cases-table", DataTable).row_count == 0
        assert "cases" not in plain(cases.query_one("#cases-summary"))
        for screen in screens:  # dashboard, rules, problems, cases: each back to its state before the first view
            assert isinstance(screen, AuditScreen) and screen.view_shown is None
        assert screens[0].query_one("#dash-urgent", DataTable).row_count == 0
        assert screens[1].query_one("#rules-table", DataTable).row_count == 0
        assert screens[2].query_one("#problems-table", DataTable).row_count == 0
        # and nothing keeps the old view or its caseload alive while the new one is read; the collector
        # is paused while a load runs, so a reference cycle holding the view would keep it: none is collected
        assert kept and old() is None and old_load() is None
        gate.release.set()
        await settle(pilot)
        assert len(app.view.cases) == 8 and len(cases.shown) == 8
        # the case that was open comes back, with the new data
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), "the case opened again")
        await settle(pilot)
        assert app.screen.case_id == "C-0003" and "C-0003" in plain(app.screen.query_one("#case-head"))


async def test_a_reload_closes_the_review_then_opens_it_again(tmp_path):
    path = export_copy(tmp_path)
    gate = Gate()
    app = make_app(tmp_path, paths=(path,), loader=gate, review_path=tmp_path / "answers.toml", reviewer="Ann")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the workbench")
        await pilot.press("b")  # the ratings on top of it (both hold the workbench)
        await pilot.pause()
        assert [type(s).__name__ for s in app.screen_stack] == ["DashboardScreen", "ReviewScreen", "ReviewBoardScreen"]
        old = weakref.ref(app.view)
        await pilot.press("ctrl+r")
        assert await asyncio.to_thread(gate.reached.wait, 30)
        await pilot.pause()
        assert len(app.screen_stack) == 1 and app.view is None
        assert old() is None  # the workbench held it: it went with the screen (no collection: see above)
        gate.release.set()
        await settle(pilot)
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the workbench opened again")
        assert app.screen.wb.view is app.view


@pytest.mark.parametrize("damage", ["broken", "gone"])
async def test_a_reload_of_an_export_gone_bad_says_so_and_goes_on(tmp_path, damage):
    path = export_copy(tmp_path)
    app = make_app(tmp_path, paths=(path,))
    said = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if damage == "broken":
            path.write_text("{not json")
        else:
            path.unlink()
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(app.view.cases) == 0 and app.view.counts()["files_unread"] == 1
        title, message, severity = said[-1]
        assert title == "Reloaded: 0 cases" and severity == "error"
        assert "export.json" in message and ("not valid JSON" if damage == "broken" else "no such file") in message
        assert "1 file could not be read (p)" in plain(app.screen.query_one("#dash-counts"))
        # fixed and re-exported: the next reload reads it
        shutil.copy(CASELOAD, path)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(app.view.cases) == 8


async def test_a_reload_keeps_the_settings(tmp_path):
    path = export_copy(tmp_path)
    app = make_app(tmp_path, paths=(path,))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose_as_of(pilot, "2026-12-31")
        app.set_scope("CM-South-01")
        await settle(pilot)
        app.toggle_rule("ASM002")
        await settle(pilot)
        app.show_cases(text="yro")
        await settle(pilot)
        before = app.settings
        edit(path, lambda d: (d["service"].update(extracted_on="2026-11-27"), case(d, "C-0005").update(team="South-East")))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.view.case("C-0005").team == "South-East"  # read again
        assert app.settings == before
        assert app.view.as_of == dt.date(2026, 12, 31) and app.view.scope == "CM-South-01"
        assert "ASM002" not in app.view.settings.rules and not any(f.rule == "ASM002" for f in app.view.findings)
        assert {c.case_manager for c in app.view.cases} == {"CM-South-01"}
        assert app.case_filter.text == "yro" and isinstance(app.screen, CasesScreen)
        assert "as of 2026-12-31 · my cases: CM-South-01" in app.sub_title


async def test_a_reload_takes_the_new_exports_date_unless_one_was_chosen(tmp_path):
    path = export_copy(tmp_path)
    app = YosAuditApp([path], None, waivers_path=tmp_path / "waivers.toml", cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.view.as_of == dt.date(2026, 11, 20)  # the export's extract date
        edit(path, lambda d: d["service"].update(extracted_on="2026-11-27"))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.view.as_of == app.settings.as_of == dt.date(2026, 11, 27)  # a new export, its own date
        await choose_as_of(pilot, "2026-12-01")
        edit(path, lambda d: d["service"].update(extracted_on="2026-12-04"))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.view.as_of == dt.date(2026, 12, 1)  # the date the user chose stays


async def test_a_reload_that_stops_with_an_error_leaves_a_message_and_another_reload_works(tmp_path):
    """The loader turns bad input into input problems; anything else it raises (here a disk error) stops
    the run with a message, not a traceback, and the next reload starts afresh."""
    loads = []

    def loader(paths, progress=None):
        loads.append(paths)
        if len(loads) == 2:  # the first reload
            raise OSError("Input/output error")
        return load_paths(paths, progress=progress)

    app = make_app(tmp_path, loader=loader)
    said = record_notifications(app)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: app.busy is None, "the run stopped")
        assert app.view is None and "ctrl+r" in app.sub_title
        assert said[-1][0] == "Internal error" and "Input/output error" in said[-1][1]
        await until(pilot, lambda: any("Input/output error" in t for t in toasts(app)), "the error on screen")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(app.view.cases) == 8 and app.sub_title.startswith("as of 2026-11-20")
        # "the audit stopped" is no longer true: it goes with the run that worked
        await until(pilot, lambda: not any("Input/output error" in t for t in toasts(app)), "the error withdrawn")


def toasts(app) -> list[str]:
    """The notifications on screen (a test run with ``notifications=True``), each as its title and message."""
    return [toast.render().plain for toast in app.screen.query("Toast")]


async def test_a_good_reload_takes_the_broken_inputs_message_away_and_leaves_the_others(tmp_path):
    path = export_copy(tmp_path)
    app = make_app(tmp_path, paths=(path,))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        # a warning of something else, not read yet: stays on screen as long as it was meant to
        app.notify("Not exported: the disk is full", severity="warning", timeout=600, markup=False)
        path.write_text("{not json")
        await pilot.press("ctrl+r")
        await settle(pilot)
        await until(pilot, lambda: any("not valid JSON" in t for t in toasts(app)), "the error on screen")
        path.write_text("{still not json")  # a second broken reload: its message replaces the first's
        await pilot.press("ctrl+r")
        await settle(pilot)
        await until(pilot, lambda: sum("Reloaded: 0 cases" in t for t in toasts(app)) == 1, "one error on screen")
        shutil.copy(CASELOAD, path)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await until(pilot, lambda: not any("Reloaded: 0 cases" in t for t in toasts(app)), "the error withdrawn")
        assert len(app.view.cases) == 8
        assert any("the disk is full" in t for t in toasts(app))


async def test_a_run_with_the_waivers_file_fixed_takes_its_warning_away(tmp_path):
    """The waivers file is read on every run: once fixed, the next run (here a rule switched off) reads it
    cleanly and the reload's "waivers not applied" goes."""
    waivers = tmp_path / "waivers.toml"
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        waivers.write_text("[[waiver]\n")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.view.waiver_error
        await until(pilot, lambda: any("waivers not applied" in t for t in toasts(app)), "the warning on screen")
        app.toggle_rule("ASM002")  # still broken: the warning stays
        await settle(pilot)
        assert any("waivers not applied" in t for t in toasts(app))
        waivers.write_text("")
        app.toggle_rule("ASM002")
        await settle(pilot)
        assert app.view.waiver_error is None
        await until(pilot, lambda: not any("waivers not applied" in t for t in toasts(app)), "the warning withdrawn")
