"""One case: its records in date order, each finding beside the record it is about, what to do and by when."""

from __future__ import annotations

from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from rules.outcomes import Finding, Severity
from rules.words import plural
from tui import bindings
from tui.screens.base import AuditScreen
from tui.session import DISPOSAL, LEVEL, AuditView, action, todo
from tui.timeline import Entry, timeline

MARK = {Severity.ERROR: ("✗ error", "bold red"), Severity.WARNING: ("! warning", "yellow"), Severity.INFO: ("○ due soon", "cyan")}
#: findings hang under the record they are about, past its date column
INDENT = 13


def finding_prompt(f: Finding, view: AuditView) -> Padding:
    mark, style = ("≈ waived", "dim") if f.waived else MARK[f.severity]
    text = Text.assemble((mark, style), " ", (f"{f.rule} {f.name}", "bold"), "\n", f.message)
    if f.waived:
        text.append(f"\n{todo(f, view)}", "italic dim")
    else:
        text.append("\nDo: ", "bold")
        text.append(action(view.catalogue.get(f.rule)))
        text.append(f" ({todo(f, view)})", "italic")
    return Padding(text, (0, 0, 0, INDENT))


def todo_prompt(f: Finding, view: AuditView) -> Padding:
    """One line of the to-do list: what, and by when."""
    mark, style = MARK[f.severity]
    return Padding(Text.assemble((mark, style), " ", (f"{f.rule} {f.name}", "bold"), "  ", (todo(f, view), "italic")), (0, 0, 0, 2))


def entry_prompt(e: Entry) -> Table:
    grid = Table.grid(padding=(0, 3))
    grid.add_column(width=INDENT - 3, style="cyan")
    grid.add_column()
    title = Text(e.title, "dim" if e.kind == "due" else "bold")
    if e.detail:
        title.append("\n" + e.detail, "dim")
    grid.add_row(str(e.date) if e.date else "undated", title)
    return grid


def head(view: AuditView, case_id: str) -> Content:
    c = view.case(case_id)
    if c is None:
        return Content.assemble((case_id, "bold"), " is not in this view (another case manager's, or not loaded).")
    fs = view.findings_of(case_id)
    live = [f for f in fs if not f.waived]
    row = next((r for r in view.rows if r.case_id == case_id), None)
    return Content.assemble(
        (c.case_id, "bold"), f"  {c.ypid or ''}  ", (c.case_manager or "no case manager", "bold"), f" · {c.team or 'no team'}",
        f" · {DISPOSAL.get(c.legal_outcome, '') if c.legal_outcome else 'no disposal'}",
        f" · RoSH {LEVEL[row.rosh] if row and row.rosh else 'not assessed'}", "\n",
        (plural(sum(f.severity is Severity.ERROR for f in live), "error"), "bold $error"), ", ",
        (plural(sum(f.severity is Severity.WARNING for f in live), "warning"), "$warning"), ", ",
        f"{row.overdue if row else 0} overdue, {len(fs) - len(live)} waived",
        f" · next due {row.next_due}" if row and row.next_due else "",
    )


class CaseScreen(AuditScreen):
    BINDINGS = bindings.CASE
    export_name = "case"

    def __init__(self, case_id: str) -> None:
        super().__init__()
        self.case_id = case_id
        self.export_name = f"case-{case_id}"
        self._findings: dict[str, Finding] = {}

    def compose_body(self) -> ComposeResult:
        yield Static(id="case-head")
        yield OptionList(id="timeline")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#timeline").focus()

    def show_view(self, view: AuditView) -> None:
        self.sub_title = f"{self.case_id} · as of {view.as_of}"
        self.query_one("#case-head", Static).update(head(view, self.case_id))
        timeline_list = self.query_one("#timeline", OptionList)
        keep = timeline_list.highlighted
        timeline_list.clear_options()
        self._findings = {}
        case = view.case(self.case_id)
        if case is None:
            return
        fs = view.findings_of(self.case_id)
        options: list[Option] = []
        heading = lambda text: Option(Text(text, "bold underline"), disabled=True)
        todo_now = [f for f in fs if not f.waived]
        if todo_now:
            options.append(heading("To do, most urgent first"))
            for f in todo_now:
                options.append(self._finding_option(f, todo_prompt(f, view), f"todo-{len(options)}"))
        entries, hidden = timeline(case, fs, view.as_of)
        options.append(heading("Case file, in date order"))
        for i, e in enumerate(entries):
            options.append(Option(entry_prompt(e), id=f"rec-{i}"))
            for f in e.findings:
                options.append(self._finding_option(f, finding_prompt(f, view), f"find-{len(options)}"))
        if hidden:
            options.append(Option(Text(f"{hidden} records dated after {view.as_of} are not shown.", "italic"), disabled=True))
        timeline_list.add_options(options)
        if keep is not None and keep < timeline_list.option_count:
            timeline_list.highlighted = keep
        elif timeline_list.option_count:
            timeline_list.action_first()

    def let_go(self) -> None:
        self._findings = {}

    def clear_view(self) -> None:
        self._findings = {}
        self.query_one("#case-head", Static).update(Content.assemble((self.case_id, "bold"), ": reading the exports again…"))
        self.query_one("#timeline", OptionList).clear_options()

    def _finding_option(self, f: Finding, prompt, option_id: str) -> Option:
        self._findings[option_id] = f
        return Option(prompt, id=option_id)

    def highlighted_finding(self) -> Finding | None:
        timeline_list = self.query_one("#timeline", OptionList)
        option = timeline_list.highlighted_option
        return self._findings.get(option.id) if option is not None else None

    def export_findings(self, view: AuditView) -> tuple[Finding, ...]:
        return view.findings_of(self.case_id)

    def export_cases(self, view: AuditView) -> tuple:
        case = view.case(self.case_id)
        return (case,) if case is not None else ()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_waive(self) -> None:
        from tui.screens.dialogs import WaiveScreen

        f = self.highlighted_finding()
        view = self.app.view
        if f is None or view is None:
            self.notify("Highlight a finding to waive it.", severity="warning")
            return
        if f.waived:
            self.notify(f"{f.rule} on {f.case_id} is already waived: {f.waiver_reason}", severity="warning", markup=False)
            return
        self.app.push_screen(WaiveScreen(f, view.as_of), self.app.add_waiver)
