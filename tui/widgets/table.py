"""The app's tables: textual's DataTable, with one fix for the widths of its heading line."""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import DataTable


class Table(DataTable):
    """A DataTable whose heading always lines up with its rows.

    DataTable (textual 8.2) works out its column widths when it is next idle after rows are added,
    and keeps every line it painted before then: a heading painted in between (while the table was
    still one line high, so the rows were not painted yet) kept the widths of its titles, over rows
    drawn at their own widths. Seen in a dashboard snapshot, one run in twenty or so. Painted lines
    are forgotten once the widths are known."""

    def _update_dimensions(self, new_rows: Iterable) -> None:
        super()._update_dimensions(new_rows)
        self._clear_caches()
