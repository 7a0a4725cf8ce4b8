"""The cases table: one row a case, sortable, filtered by rebuilding (rows built in a thread worker)."""

from __future__ import annotations

from attrs import evolve
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, DataTable, Input, Static
from textual.widgets.data_table import ColumnKey
from textual.worker import get_current_worker

from rules.outcomes import Finding
from rules.words import plural
from tui import bindings
from tui.screens.base import AuditScreen
from tui.session import DISPOSAL, LEVEL, NO_LEVEL, SORT_KEYS, AuditView, CaseFilter, CaseRow, select_rows
from tui.widgets.table import Cell, Table, widths

#: (sort key, heading) in table order
COLUMNS = (
    ("case", "Case"), ("manager", "Manager"), ("team", "Team"), ("disposal", "Disposal"), ("rosh", "RoSH"),
    ("errors", "Err"), ("warnings", "Warn"), ("overdue", "Overdue"), ("next_due", "Next due"),
)
assert {k for k, _ in COLUMNS} == set(SORT_KEYS)

#: a search over more rows than this waits for a pause in the typing (seconds) before it rebuilds
SEARCH_PAUSE_ROWS, SEARCH_PAUSE = 2000, 0.3


def describe(f: CaseFilter) -> str:
    """The filters in the words the table shows (YRO, Medium, error), not the export's codes."""
    disposal = {x.value: name for x, name in DISPOSAL.items()}
    level = {x.value: name for x, name in LEVEL.items()} | {NO_LEVEL: "not assessed"}
    parts = []
    for label, value in (
        ("team", f.team), ("case manager", f.case_manager),
        ("disposal", disposal.get(f.disposal, f.disposal) if f.disposal else None),
        ("RoSH", level.get(f.rosh, f.rosh) if f.rosh else None),
        ("severity", f.severity.value if f.severity else None), ("failing", f.rule),
    ):
        if value is not None:
            parts.append(f"{label} {value}")
    if f.due_within is not None:
        parts.append(f"due within {f.due_within} days")
    if f.text:
        parts.append(f'"{f.text}"')
    return ", ".join(parts)


def cells(r: CaseRow) -> tuple[Cell, ...]:
    return (
        Cell(r.case_id), Cell(r.case_manager), Cell(r.team), Cell(r.disposal),
        Cell(LEVEL[r.rosh] if r.rosh else "—", "bold" if r.rosh and r.rosh.rank >= 2 else ""),
        Cell(str(r.errors), "bold red" if r.errors else "dim"),
        Cell(str(r.warnings), "yellow" if r.warnings else "dim"),
        Cell(str(r.overdue), "bold" if r.overdue else "dim"),
        Cell(str(r.next_due or "")),
    )


class RowsBuilt(Message):
    def __init__(self, rows: list[CaseRow], built: tuple, widest: tuple[int, ...], total: int) -> None:
        super().__init__()
        self.rows = rows
        self.built = built
        #: the widest cell of each column, measured here so that the table does not measure 500 rows at
        #: a time on the UI thread; its columns take their final widths with the first rows
        self.widest = widest
        self.total = total


class CasesScreen(AuditScreen):
    export_name = "cases"
    BINDINGS = bindings.CASES

    def __init__(self) -> None:
        super().__init__()
        self.sort = "case"
        self.reverse = False
        self.shown: list[CaseRow] = []
        self._case_of_row: dict = {}
        self._search_timer: Timer | None = None
        #: the text the search box last gave the filter
        self._from_box = ""
        #: the case the cursor was on when the table was last cleared (a reload): it goes back there
        self._keep: str | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="cases-bar"):
            yield Input(placeholder="Search cases, case managers, findings, rules…", id="cases-search", compact=True)
            yield Button("Filters", id="cases-filters", compact=True)
        yield Static(id="cases-summary")
        # at 80 columns the names give way (cut with an ellipsis), so that the dates stay whole
        yield Table(id="cases-table", cursor_type="row", zebra_stripes=True, flexible=("manager", "team", "disposal"))

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        self._from_box = self.app.case_filter.text  # set before this screen was made
        self.query_one("#cases-search", Input).value = self._from_box
        super().on_mount()
        self.watch(self.app, "case_filter", self._filter_changed, init=False)
        table.focus()

    def show_view(self, view: AuditView) -> None:
        self.rebuild()

    def clear_view(self) -> None:
        # the rows and the cells go with the view: a list of the old rows kept here would keep it all alive
        self.workers.cancel_group(self, "cases-rows")
        self._keep = self.current_case() or self._keep
        self.shown = []
        self._case_of_row = {}
        self.query_one(Table).clear()
        self.query_one("#cases-summary", Static).update("")

    def _filter_changed(self, f: CaseFilter) -> None:
        # The search box is the source of truth for the text: a filter set from the box is never
        # written back into it (a stale Input.Changed would overwrite newer typing). Only a text set
        # elsewhere (x, the filter dialog, the dashboard's drill-downs) is put in the box.
        search = self.query_one("#cases-search", Input)
        if f.text != search.value and f.text != self._from_box:
            self._from_box = f.text  # the Input.Changed this causes is not news
            search.value = f.text
            search.cursor_position = len(f.text)
        self.rebuild()

    def rebuild(self) -> None:
        view = self.app.view
        if view is not None:
            self._build([view], self.app.case_filter, self.sort, self.reverse)

    # a description of our own: textual's default is the repr of the arguments, which for a large
    # caseload's view is every case written out, on the UI thread
    @work(thread=True, exclusive=True, group="cases-rows", description="build the cases table")
    def _build(self, job: list[AuditView], f: CaseFilter, sort: str, reverse: bool) -> None:
        # the view comes in a list the worker empties: textual's thread keeps the last worker it ran (in
        # its context, until it runs another), and with it the worker's arguments; a view among them
        # would stay alive through a reload, beside the new one
        view = job.pop()
        rows = select_rows(view.rows, f, view.as_of, sort, reverse)
        built = tuple(cells(r) for r in rows)
        widest = widths(built, len(COLUMNS))
        if not get_current_worker().is_cancelled:
            self.post_message(RowsBuilt(rows, built, widest, len(view.rows)))

    def on_rows_built(self, message: RowsBuilt) -> None:
        if self.app.view is None:  # built from a view let go since (a reload): not shown
            return
        table = self.query_one(Table)
        current = self.current_case() or self._keep
        self._keep = None
        case_of_row = self._case_of_row = {}
        self.shown = message.rows

        def added(keys: list, start: int) -> None:  # each batch of rows as it goes in
            nonlocal current
            rows = message.rows[start:start + len(keys)]
            case_of_row.update(zip(keys, (r.case_id for r in rows)))
            if current is not None:  # the cursor stays on the case it was on
                at = next((i for i, r in enumerate(rows, start) if r.case_id == current), None)
                if at is not None:
                    table.move_cursor(row=at, animate=False)
                    current = None

        table.fill(message.built, message.widest, added)
        self._mark_sorted(table)
        f = self.app.case_filter
        arrow = "▼ descending" if self.reverse else "▲ ascending"
        sort = dict(COLUMNS)[self.sort]
        what = f"{len(message.rows)} of {plural(message.total, 'case')}" if f.active else plural(message.total, "case")
        filters = f"{describe(f)} (x clears)" if f.active else "none (f to filter)"
        self.query_one("#cases-summary", Static).update(Text.assemble(
            (what, "bold"), f" · sorted by {sort} {arrow} · filters: ", (filters, "italic")))

    def _mark_sorted(self, table: Table) -> None:
        """The sorted column's heading starts with its direction (▲ ascending, ▼ descending): seen even when the
        column is narrowed."""
        from rich.cells import cell_len

        for key, label in COLUMNS:
            column = table.columns[ColumnKey(key)]
            text = f"{'▼' if self.reverse else '▲'}{label}" if key == self.sort else label
            if column.label.plain != text:
                column.label = Text(text, "bold" if key == self.sort else "")
                column.content_width = max(column.content_width, cell_len(text))
        table._clear_caches()
        table.refresh()

    def current_case(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key
        return self._case_of_row.get(key)

    def export_findings(self, view: AuditView) -> tuple[Finding, ...]:
        f = self.app.case_filter
        ids = {r.case_id for r in self.shown}
        return tuple(
            x for x in view.findings
            if x.case_id in ids and (f.rule is None or x.rule == f.rule) and (f.severity is None or x.severity is f.severity)
        )

    def export_cases(self, view: AuditView) -> tuple:
        ids = {r.case_id for r in self.shown}
        return tuple(c for c in view.cases if c.case_id in ids)

    # -- events and actions ---------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        case_id = self._case_of_row.get(event.row_key)
        if case_id:
            self.app.open_case(case_id)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key == self.sort:
            self.reverse = not self.reverse
        else:
            self.sort, self.reverse = key, False
        self.rebuild()

    @on(Input.Changed, "#cases-search")
    def _search(self, event: Input.Changed) -> None:
        # the event may be stale (typing runs ahead of the messages): the box's value, not the
        # event's, is what the filter takes
        if self._search_timer is not None:
            self._search_timer.stop()
            self._search_timer = None
        view = self.app.view
        if view is not None and len(view.rows) > SEARCH_PAUSE_ROWS:  # rebuild once the typing pauses
            self._search_timer = self.set_timer(SEARCH_PAUSE, self._apply_search)
        else:
            self._apply_search()

    def _apply_search(self) -> None:
        self._search_timer = None
        text = self.query_one("#cases-search", Input).value
        self._from_box = text
        if text != self.app.case_filter.text:
            self.app.case_filter = evolve(self.app.case_filter, text=text)

    @on(Input.Submitted, "#cases-search")
    def _search_done(self) -> None:
        if self._search_timer is not None:  # enter: no need to wait for the pause
            self._search_timer.stop()
            self._apply_search()
        self.query_one(DataTable).focus()

    @on(Button.Pressed, "#cases-filters")
    def _filters_button(self) -> None:
        self.action_filters()

    def action_search(self) -> None:
        self.query_one("#cases-search", Input).focus()

    def action_back(self) -> None:
        search = self.query_one("#cases-search", Input)
        if search.has_focus:  # out of the box, the text kept
            self.query_one(DataTable).focus()
        else:
            self.app.action_back()

    def action_filters(self) -> None:
        from tui.screens.dialogs import FilterScreen

        def chosen(f: CaseFilter | None) -> None:
            if f is not None:
                self.app.case_filter = f

        view = self.app.view
        if view is not None:
            self.app.push_screen(FilterScreen(view, self.app.case_filter), chosen)

    def action_clear_filters(self) -> None:
        self.app.case_filter = CaseFilter()

    def action_sort(self) -> None:
        keys = [k for k, _ in COLUMNS]
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)]
        self.reverse = False
        self.rebuild()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.rebuild()
