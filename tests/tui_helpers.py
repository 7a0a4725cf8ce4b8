"""Shared by the terminal UI tests: the fixture caseload, a fixed as-of date, and waiting for the workers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rules.catalogue import all_rules
from tui.app import YosAuditApp

ROOT = Path(__file__).resolve().parent.parent
CASELOAD = ROOT / "fixtures" / "tui" / "caseload.json"
AS_OF = dt.date(2026, 11, 20)


def asm_rules():
    """Only the assessment rules: snapshot pictures that do not change when the catalogue grows."""
    return {code: r for code, r in all_rules().items() if code.startswith("ASM")}


def make_app(tmp_path: Path, paths=(CASELOAD,), **kwargs) -> YosAuditApp:
    kwargs.setdefault("waivers_path", tmp_path / "waivers.toml")
    return YosAuditApp(list(paths), AS_OF, cursor_blink=False, **kwargs)


async def settle(pilot) -> None:
    """Wait until no worker runs and the last audit is on screen (workers may start more workers): the
    app has it, and so has the screen on top (which hears of it a turn later: on a busy machine a
    picture taken between the two showed the dashboard's tables still empty)."""
    from textual.worker import WorkerCancelled

    app = pilot.app
    for _ in range(100):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # a newer rebuild replaced an older (typing): wait for the newer
            continue
        await pilot.pause()
        shown = getattr(app.screen, "view_shown", app.view)
        if app.busy is None and app.view is not None and shown is app.view and not any(w.is_running for w in app.workers):
            await pilot.pause()
            return
    raise AssertionError("the app never settled")


async def until(pilot, condition, what: str = "the condition") -> None:
    """Let the app run until ``condition()`` holds (bounded by a number of turns, not by a clock)."""
    for _ in range(500):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


async def run_command(pilot, text: str) -> None:
    """Open the command palette, type ``text`` and run the first command it offers."""
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.press(*text)
    palette = pilot.app.screen

    def offered() -> bool:
        found = palette.query(CommandList)
        return bool(found) and found.first().option_count > 0 and text in str(found.first().get_option_at_index(0).prompt)

    await until(pilot, offered, f"the palette offers {text!r}")
    await pilot.press("enter")


def plain(widget) -> str:
    """The text a Static shows, or the options of an OptionList, one a line."""
    from textual.widgets import OptionList

    if isinstance(widget, OptionList):
        prompts = (widget.get_option_at_index(i).prompt for i in range(widget.option_count))
        return "\n".join(getattr(p, "plain", str(p)) for p in prompts)
    content = widget.content
    return getattr(content, "plain", str(content))


def screen_lines(app) -> list[str]:
    """The screen as text, one string a line (what a person sees, cut where the screen cuts it)."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]
