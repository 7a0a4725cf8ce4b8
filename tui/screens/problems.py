"""Input problems, in a panel of their own: what was wrong with the exports (and the waivers file)."""

from __future__ import annotations

import os

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from rules.words import plural
from tui.screens.base import AuditScreen
from tui.session import AuditView
from tui.widgets.table import Cell, Table, widths


def shown_path(path: str) -> str:
    """A file as the user would name it: relative to the current folder when it is inside it."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else path
    except ValueError:  # another drive on Windows
        return path


def notes(view: AuditView) -> Text:
    text = Text()
    n = len(view.load.problems)
    if n:
        text.append(plural(n, "input problem"), "bold")
        text.append(f" in {', '.join(map(shown_path, view.paths)) or 'the input'}: {plural(view.load.rejected, 'case')} "
                    "rejected (not audited); after a warning the case is still audited.")
    else:
        text.append("No input problems: every case loaded.", "bold")
    if view.waiver_error:
        text.append("\nWaivers not applied: ", "bold yellow")
        text.append(view.waiver_error)
    for label, waivers in (("Expired waivers (no longer waiving)", view.waivers.expired),
                           ("Unused waivers (match no finding)", view.waivers.unused)):
        if waivers:
            text.append(f"\n{label}: ", "bold")
            text.append(", ".join(f"{w.rule} {w.case}" + (f" {w.record}" if w.record else "") + f" (until {w.until})" for w in waivers))
    return text


class ProblemsScreen(AuditScreen):
    export_name = "problems"

    def compose_body(self) -> ComposeResult:
        yield Static(id="problems-notes")
        yield Table(id="problems-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Level", "File", "Case", "Field", "Problem")
        super().on_mount()
        self.query_one(DataTable).focus()

    def show_view(self, view: AuditView) -> None:
        self.query_one("#problems-notes", Static).update(notes(view))
        rows = [
            (Cell(p.level.value, "bold red" if p.level.value == "error" else "yellow"), Cell(shown_path(p.file)),
             Cell(p.case_id or ""), Cell(p.field or ""), Cell(p.message))
            for p in view.load.problems
        ]
        # measured here, far cheaper than the table's own measuring, and put in a batch at a time (an
        # export with an error in every case stood the screen still as it opened)
        self.query_one(Table).fill(rows, widths(rows, 5))
