"""The app's tables (tui.widgets.table): the heading in line with the rows, rows measured beforehand, filled a
batch at a time."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.render import measure
from textual.widgets import DataTable

from tui.widgets.table import Table, width_of, widths


def _app(cls: type[DataTable]) -> App:
    class One(App):
        def compose(self):
            yield cls(id="t")

    return One()


async def _heading_after_rows(cls: type[DataTable]) -> tuple[str, str]:
    """(heading, first row) once the table is idle, the heading having been painted before."""
    app = _app(cls)
    async with app.run_test(size=(60, 8)) as pilot:
        table = app.query_one("#t", DataTable)
        table.add_columns("Case", "Manager")
        await pilot.pause()
        table.add_row("C-0005-long-id", "CM-South-01-long")
        table.render_line(0)  # a paint between the rows coming in and the table's idle ...
        await table._on_idle(None)  # ... which comes now (what textual runs when the table is idle)
        return table.render_line(0).text, table.render_line(1).text


@pytest.mark.asyncio
async def test_the_heading_lines_up_with_rows_added_after_it_was_painted():
    heading, row = await _heading_after_rows(Table)
    assert heading.index("Manager") == row.index("CM-South")


@pytest.mark.asyncio
async def test_textual_s_own_table_still_needs_the_fix():
    """When textual's DataTable lines its heading up by itself, Table can go (this test then fails)."""
    heading, row = await _heading_after_rows(DataTable)
    assert heading.index("Manager") != row.index("CM-South")


# -- rows measured before they come in ------------------------------------------------------------


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("ab Z9\n\r\t\u00e9\u4e2d\u0301\U0001f600-\x0b"), max_size=12))
def test_a_cell_s_width_is_what_the_table_would_measure(s):
    cell = Text(s, style="bold")
    assert width_of(cell) == measure(Console(width=200), cell, 1)


def test_widths_are_each_column_s_widest_cell():
    rows = [(Text("C-1"), Text("a")), (Text("C-10000"), Text("")), (Text("C"), Text("中文"))]
    assert widths(rows, 2) == (7, 4)
    assert widths([], 3) == (0, 0, 0)


ROWS = [
    ("C-0001", "CM-North-01", "North"),
    ("C-0002-a-much-longer-id", "CM-S", ""),
    ("C-0003", "中文 name", "A team with a long name"),
]


async def _filled(measured: bool) -> tuple[list[int], object, list[str]]:
    """Column widths, virtual size and painted lines of a Table given ROWS one way or the other."""
    app = _app(Table)
    async with app.run_test(size=(80, 8)) as pilot:
        table = app.query_one("#t", Table)
        table.add_columns("Case", "Manager", "Team")
        rows = [tuple(Text(c) for c in r) for r in ROWS]
        if measured:
            table.add_measured_rows(rows[:2], widths(rows, 3))  # the widest row comes later ...
            await pilot.pause()
            table.add_measured_rows(rows[2:], widths(rows, 3))
        else:
            table.add_rows(rows[:2])
            await pilot.pause()
            table.add_rows(rows[2:])
        await pilot.pause()
        return (
            [c.get_render_width(table) for c in table.ordered_columns],
            table.virtual_size,
            [table.render_line(y).text for y in range(4)],
        )


@pytest.mark.asyncio
async def test_measured_rows_are_laid_out_as_rows_the_table_measures_itself():
    assert await _filled(measured=True) == await _filled(measured=False)


@pytest.mark.asyncio
async def test_rows_added_without_widths_are_still_measured():
    app = _app(Table)
    async with app.run_test(size=(80, 8)) as pilot:
        table = app.query_one("#t", Table)
        table.add_columns("Case", "Manager")
        table.add_measured_rows([(Text("C-1"), Text("M"))], (3, 1))
        table.add_rows([(Text("C-2-longer"), Text("Manager-longer"))])
        await pilot.pause()
        assert [c.content_width for c in table.ordered_columns] == [len("C-2-longer"), len("Manager-longer")]


# -- filling a batch at a time ---------------------------------------------------------------------


def _rows(prefix: str, n: int) -> list[tuple[Text, Text]]:
    return [(Text(f"{prefix}-{i}"), Text("x" * i)) for i in range(n)]


async def _settled(pilot) -> None:
    for _ in range(10):
        await pilot.pause()


@contextlib.asynccontextmanager
async def _two_at_a_time(monkeypatch):
    """(pilot, a two-column Table filling two rows at a time)."""
    from tui.widgets import table as tables

    monkeypatch.setattr(tables, "ROWS_AT_A_TIME", 2)
    app = _app(Table)
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one("#t", Table)
        table.add_columns("Case", "Xs")
        yield pilot, table


@pytest.mark.asyncio
async def test_fill_puts_rows_in_a_batch_at_a_time_and_says_which(monkeypatch):
    async with _two_at_a_time(monkeypatch) as (pilot, table):
        rows = _rows("C", 5)
        batches = []
        table.fill(rows, widths(rows, 2), lambda keys, start: batches.append((start, len(keys), table.row_count)))
        assert batches == [(0, 2, 2)]  # the first batch at once, the rest after the screen is drawn
        await _settled(pilot)
        assert batches == [(0, 2, 2), (2, 2, 4), (4, 1, 5)]
        assert [table.get_row_at(i)[0].plain for i in range(5)] == [f"C-{i}" for i in range(5)]


@pytest.mark.asyncio
async def test_a_new_fill_or_a_clear_stops_the_rest_of_an_earlier_fill(monkeypatch):
    async with _two_at_a_time(monkeypatch) as (pilot, table):
        old, new = _rows("old", 6), _rows("new", 3)
        table.fill(old, widths(old, 2))
        table.fill(new, widths(new, 2))
        await _settled(pilot)
        assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == ["new-0", "new-1", "new-2"]
        table.fill(old, widths(old, 2))
        table.clear()
        await _settled(pilot)
        assert table.row_count == 0
