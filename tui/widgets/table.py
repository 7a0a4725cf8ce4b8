"""The app's tables: textual's DataTable, with one fix for the widths of its heading line, and rows whose
widths were measured before they came in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple, Self

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

#: a flexible column is never narrowed below this many cells
MIN_FLEXIBLE = 6

#: rows :meth:`Table.fill` puts into the table at a time: a large table fills over a few frames, the
#: screen drawn and answering keys between them (10,000 rows at once stood it still for over a second)
ROWS_AT_A_TIME = 500


class Cell(NamedTuple):
    """A table cell: its text, in a style. The table makes it a rich Text only to paint it (rows on
    screen). 10,000 rows of nine Text cells are 270,000 objects the cyclic collector tracks (a Text
    holds two lists), scanned by every full collection while they live: 0.1-0.2 s each, the screen
    standing still. A tuple of two strings it stops tracking at once."""

    text: str
    style: str = ""

    def __rich__(self) -> Text:
        # one line: a column narrowed to fit the screen (Table.flexible) ends its text with an ellipsis
        return Text(self.text, self.style, no_wrap=True, overflow="ellipsis")

    def __str__(self) -> str:
        return self.text

    @property
    def plain(self) -> str:
        return self.text


def width_of(cell: Text | Cell) -> int:
    """The width DataTable gives a cell (rich's measure of its Text: the widest line), without a
    console, so that a thread can measure rows before they reach the table."""
    return max(map(cell_len, cell.plain.splitlines()), default=0)


def widths(rows: Iterable[Sequence[Text | Cell]], columns: int) -> tuple[int, ...]:
    """The widest cell of each of ``columns`` columns."""
    widest = [0] * columns
    for row in rows:
        for i, cell in enumerate(row):
            w = width_of(cell)
            widest[i] = max(widest[i], w)
    return tuple(widest)


class Table(DataTable):
    """A DataTable whose heading always lines up with its rows, and which takes rows already measured.

    DataTable (textual 8.2) works out its column widths when it is next idle after rows are added,
    and keeps every line it painted before then: a heading painted in between (while the table was
    still one line high, so the rows were not painted yet) kept the widths of its titles, over rows
    drawn at their own widths. Seen in a dashboard snapshot, one run in twenty or so. Painted lines
    are forgotten once the widths are known.

    Measuring is the costly part of adding rows: 500 rows of nine cells took 60-80 ms of the screen's
    time, every batch, while a large table filled. :meth:`add_measured_rows` takes rows whose widths
    were measured elsewhere (:func:`widths`, in a worker thread)."""

    def __init__(self, *args, flexible: Sequence[str] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: keys of the columns narrowed (in this order, their text cut with an ellipsis) when the
        #: table is wider than the screen, so that the columns after them stay whole
        self.flexible = tuple(flexible)
        self._measured: set[RowKey] = set()
        #: which fill the table is being filled by: a newer one (or a clear) stops the filling of an older
        self._filling = 0

    def clear(self, columns: bool = False) -> Self:
        self._filling += 1
        return super().clear(columns)

    def fill(
        self,
        rows: Sequence[Sequence[Text | Cell]],
        widest: Sequence[int],
        added: Callable[[list[RowKey], int], None] | None = None,
    ) -> None:
        """Replace the table's rows with ``rows`` (one line high, measured: :func:`widths`),
        :data:`ROWS_AT_A_TIME` at a time, the screen drawn between; ``added(keys, start)`` after each
        batch, with the keys of its rows and where the batch starts in ``rows``."""
        self.clear()
        self._fill_from(self._filling, rows, widest, 0, added)

    def _fill_from(self, filling: int, rows: Sequence[Sequence[Text | Cell]], widest: Sequence[int], start: int,
                   added: Callable[[list[RowKey], int], None] | None) -> None:
        if filling != self._filling or not self.is_attached:  # filled again or cleared since, or gone
            return
        end = start + ROWS_AT_A_TIME
        keys = self.add_measured_rows(rows[start:end], widest)
        if added is not None:
            added(keys, start)
        if end < len(rows):
            self.call_after_refresh(self._fill_from, filling, rows, widest, end, added)

    def add_measured_rows(self, rows: Iterable[Iterable[Text | Cell]], widest: Sequence[int]) -> list[RowKey]:
        """:meth:`add_rows` for rows of one-line-high cells (Text or :class:`Cell`), no wider in each
        column than ``widest`` (from :func:`widths`), which the table then does not measure again."""
        keys = self.add_rows(rows)
        for column, width in zip(self.ordered_columns, widest):
            column.content_width = max(column.content_width, width)
        self._measured.update(keys)
        return keys

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        if self._measured:  # every row added since the last call is in new_rows: the set can be emptied
            measured, self._measured = self._measured, set()
            new_rows = [key for key in new_rows if key not in measured]
        super()._update_dimensions(new_rows)
        self._fit()
        self._clear_caches()

    def on_resize(self, event: events.Resize) -> None:
        if self._fit():
            self._clear_caches()
            self.refresh()

    def _fit(self) -> bool:
        """Narrow the flexible columns so that the table fits its width (or give them back their
        width when it does); True if a width changed."""
        columns = [self.columns[ColumnKey(k)] for k in self.flexible if ColumnKey(k) in self.columns]
        if not columns or not self.size.width:
            return False
        scrollbar = self.styles.scrollbar_size_vertical if self.virtual_size.height > self.size.height else 0
        room = self.size.width - scrollbar - self._row_label_column_width
        flexible = {id(c) for c in columns}
        fixed = sum(c.get_render_width(self) for c in self.ordered_columns if id(c) not in flexible)
        over = fixed + sum(2 * self.cell_padding + c.content_width for c in columns) - room
        changed = False
        for column in columns:
            natural = column.content_width
            cut = max(0, min(over, natural - MIN_FLEXIBLE))
            over -= cut
            if cut == 0:
                if not column.auto_width:
                    column.auto_width, changed = True, True
            elif column.auto_width or column.width != natural - cut:
                column.auto_width, column.width, changed = False, natural - cut, True
        if changed:
            width = sum(c.get_render_width(self) for c in self.ordered_columns) + self._row_label_column_width
            self.virtual_size = Size(width, self.virtual_size.height)
        return changed
