"""Input problems, in a panel of their own: what was wrong with the exports (and the waivers file)."""

from __future__ import annotations

import os

from attrs import evolve
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from rules.load.problems import InputProblem
from rules.words import plural
from tui.screens.base import AuditScreen
from tui.session import AuditView
from tui.widgets.table import Cell, Table, widths

#: the header names the files with problems up to this many, else counts them
FILES_NAMED = 3


def shown_path(path: str, start: str | None = None) -> str:
    """A file as the user would name it: relative to ``start`` (the folder the app was started in)
    when it is inside it, else as given."""
    try:
        relative = os.path.relpath(path, start)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative


def notes(view: AuditView, start: str | None = None) -> Text:
    text = Text()
    problems = view.load.problems
    if problems:
        files = list(dict.fromkeys(shown_path(p.file, start) for p in problems))  # only those with problems
        where = ", ".join(files) if len(files) <= FILES_NAMED else plural(len(files), "file")
        text.append(plural(len(problems), "input problem"), "bold")
        text.append(f" in {where}: {plural(view.load.rejected, 'case')} "
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


#: (key, heading); File, Field and then Problem give way, in that order, on a narrow screen
COLUMNS = (("level", "Level"), ("file", "File"), ("case", "Case"), ("field", "Field"), ("problem", "Problem"))


class ProblemsScreen(AuditScreen):
    export_name = "problems"

    def __init__(self) -> None:
        super().__init__()
        self._problems: list[InputProblem] = []

    def compose_body(self) -> ComposeResult:
        yield Static(id="problems-notes")
        yield Table(id="problems-table", cursor_type="row", zebra_stripes=True, flexible=("file", "field", "problem"))
        # the highlighted problem in full, wrapped: a long message is never cut to nothing
        yield Static(id="problems-detail", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        super().on_mount()
        table.focus()

    def show_view(self, view: AuditView) -> None:
        start = getattr(self.app, "start_dir", None)
        self.query_one("#problems-notes", Static).update(notes(view, start))
        self._problems = [evolve(p, file=shown_path(p.file, start)) for p in view.load.problems]
        rows = [
            (Cell(p.level.value, "bold red" if p.level.value == "error" else "yellow"), Cell(p.file),
             Cell(p.case_id or ""), Cell(p.field or ""), Cell(p.message))
            for p in self._problems
        ]
        # measured here, far cheaper than the table's own measuring, and put in a batch at a time (an
        # export with an error in every case stood the screen still as it opened)
        self.query_one(Table).fill(rows, widths(rows, len(COLUMNS)))
        self._detail(0)

    def clear_view(self) -> None:
        self._problems = []
        self.query_one("#problems-notes", Static).update("")
        self.query_one(Table).clear()
        self._detail(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, index: int) -> None:
        detail = self.query_one("#problems-detail", Static)
        detail.display = bool(self._problems)
        if self._problems:
            detail.update(str(self._problems[min(index, len(self._problems) - 1)]))
