"""Pictures of every screen at 80x24 and 120x40: a fixed as-of date, the small fixture caseload, the
assessment rules only (so the pictures do not change as the catalogue grows), no clock, no blinking."""

import pytest
from tui_helpers import ROOT, asm_rules, make_app, settle

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _in_the_checkout(monkeypatch):
    """File names show relative to the current folder: the same picture in any clone."""
    monkeypatch.chdir(ROOT)


def snapshot_app(tmp_path, theme: str | None = None):
    app = make_app(tmp_path, catalogue=asm_rules())
    if theme:
        app.theme = theme
    return app


def after(*keys: str, case: str | None = None):
    """A run_before that waits for the audit, opens a case or presses keys, then waits again."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        if case:
            pilot.app.open_case(case)
            await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dashboard(snap_compare, tmp_path, size):
    assert snap_compare(snapshot_app(tmp_path), terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_cases(snap_compare, tmp_path, size):
    assert snap_compare(snapshot_app(tmp_path), terminal_size=size, run_before=after("c"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_case(snap_compare, tmp_path, size):
    assert snap_compare(snapshot_app(tmp_path), terminal_size=size, run_before=after(case="C-0005"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_rules(snap_compare, tmp_path, size):
    assert snap_compare(snapshot_app(tmp_path), terminal_size=size, run_before=after("r", "down"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_problems(snap_compare, tmp_path, size):
    assert snap_compare(snapshot_app(tmp_path), terminal_size=size, run_before=after("p"))


def test_waive_dialog(snap_compare, tmp_path):
    assert snap_compare(snapshot_app(tmp_path), terminal_size=(80, 24), run_before=after("w", case="C-0005"))


def test_dashboard_light(snap_compare, tmp_path):
    assert snap_compare(snapshot_app(tmp_path, theme="textual-light"), terminal_size=(80, 24), run_before=after())


def review_app(tmp_path):
    """The workbench on a sample already drawn, one answer given: no notice, no clock on screen."""
    path = tmp_path / "answers.toml"
    path.write_text(
        'framework = "hmip-2018"\n[sample]\nsize = 3\nseed = 0\nstrata = "court-team"\ncases = ["C-0005", "C-0004", "C-0001"]\n'
        '[[review]]\ncase = "C-0005"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\nanswers = { "2.1.1" = "yes" }\n',
        encoding="utf-8",
    )
    return make_app(tmp_path, catalogue=asm_rules(), review_path=path, reviewer="Ann")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review(snap_compare, tmp_path, size):
    assert snap_compare(review_app(tmp_path), terminal_size=size, run_before=after("v"))
