"""The dashboard: headline scores, criteria bars with bands, counts, worst rules, teams and case managers."""

from __future__ import annotations

from collections import defaultdict
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from rules.scoring import Scores, Slice, Tally, display_percent
from rules.words import plural
from tui.screens.base import AuditScreen
from tui.screens.rules import RuleSelection
from tui.session import AuditView, CaseRow, urgent
from tui.widgets.scores import ScoreBars
from tui.widgets.table import Table

URGENT_ROWS = 8


def total(s: Slice) -> Tally:
    t = Tally()
    for r in s.rules:
        t = t + r.tally
    return t


def percent(t: Tally) -> str:
    shown = display_percent(t.share)
    return "—" if shown is None else f"{shown:.1f}%"


def counts_text(view: AuditView) -> Text:
    n = view.counts()
    text = Text()
    text.append(f"{plural(n['cases'], 'case')} audited", "bold")
    unread = n["files_unread"]
    if n["rejected"]:
        text.append(f" · {n['rejected']} rejected for input errors (p)", "yellow")
    if unread:
        text.append(f" · {plural(unread, 'file')} could not be read (p)", "bold red")
    text.append("\n")
    for value, label, style in (
        (n["errors"], "errors", "bold red"), (n["warnings"], "warnings", "yellow"),
        (n["overdue"], "overdue", "bold"), (n["due_soon"], "due this week", "cyan"),
        (n["waived"], "waived", "dim"),
    ):
        text.append(f"{value} ", style)
        text.append(f"{label}   ")
    off = rules_off(view)
    if off is not None:
        text.append_text(off)
    return text


def worst_options(scores: Scores, n: int = 5) -> list[Option]:
    """The rules met least often, two lines each; Enter on one lists the cases that fail it."""
    if not scores.worst:
        return [Option(Text("No rule is failing.", "dim"), disabled=True)]
    options = []
    for r in scores.worst[:n]:
        text = Text()
        text.append(f"{r.rule} ", "bold")
        text.append(f"{r.name}\n")
        text.append(f"  {r.not_met}/{r.applicable} {r.counts} not met · {percent(r.tally)} met", "dim")
        options.append(Option(text, id=r.rule))
    return options


def rules_off(view: AuditView) -> Text | None:
    """The rules switched off for this session (on the rules screen), for the counts card."""
    on = set(view.settings.rules)
    off = [code for code in view.catalogue if code not in on]
    if not off:
        return None
    shown = ", ".join(off[:6]) + (" …" if len(off) > 6 else "")
    return Text.assemble(("\n" + plural(len(off), "rule") + " switched off", "bold yellow"), f" (r to turn on): {shown}")


class DashboardScreen(AuditScreen):
    export_name = "dashboard"
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (110, "-wide")]

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="dashboard"):
            yield Static(id="dash-counts", classes="card")
            with Horizontal(classes="pair"):
                with Vertical(id="dash-left"):
                    with Vertical(classes="card") as card:
                        card.border_title = "Headline (enter: its rules)"
                        yield ScoreBars(id="dash-headline")
                    with Vertical(classes="card") as card:
                        card.border_title = "Criteria, 2012 (enter: its rules)"
                        yield ScoreBars(id="dash-criteria")
                with Vertical(classes="card", id="dash-right") as card:
                    card.border_title = "Worst rules (enter: failing cases)"
                    yield OptionList(id="dash-worst", compact=True, classes="bars")
            with Vertical(classes="card") as card:
                card.border_title = "Cases to look at first (enter opens)"
                yield Table(id="dash-urgent", cursor_type="row", zebra_stripes=True)
            with Horizontal(classes="pair"):
                with Vertical(classes="card") as card:
                    card.border_title = "Teams (enter: their cases)"
                    yield Table(id="dash-teams", cursor_type="row")
                with Vertical(classes="card") as card:
                    card.border_title = "Case managers (enter: my cases)"
                    yield Table(id="dash-managers", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#dash-urgent", DataTable).add_columns("Case", "Manager", "Overdue", "Errors", "Warnings", "First owed")
        for table_id, first in (("#dash-teams", "Team"), ("#dash-managers", "Case manager")):
            self.query_one(table_id, DataTable).add_columns(first, "Cases", "Met", "Errors", "Overdue")
        super().on_mount()
        self.query_one("#dash-urgent").focus(scroll_visible=False)

    def show_view(self, view: AuditView) -> None:
        self.query_one("#dash-counts", Static).update(counts_text(view))
        self.query_one("#dash-headline", ScoreBars).show(view.scores.headline, label=lambda s: s.title)
        worst = self.query_one("#dash-worst", OptionList)
        keep = worst.highlighted
        worst.clear_options()
        worst.add_options(worst_options(view.scores))
        if keep is not None and keep < worst.option_count:
            worst.highlighted = keep
        self.query_one("#dash-criteria", ScoreBars).show(view.scores.criteria)
        table = self.query_one("#dash-urgent", DataTable)
        table.clear()
        for r in urgent(view.rows, URGENT_ROWS):
            table.add_row(
                Text(r.case_id), Text(r.case_manager), Text(str(r.overdue), "bold" if r.overdue else ""),
                Text(str(r.errors), "red" if r.errors else ""), str(r.warnings), str(r.todo_by or ""), key=r.case_id,
            )
        self._breakdown("#dash-teams", view.by_team, view.rows, lambda r: r.team)
        self._breakdown("#dash-managers", view.by_case_manager, view.rows, lambda r: r.case_manager)

    def clear_view(self) -> None:
        self.query_one("#dash-counts", Static).update("")
        for bars in self.query(ScoreBars):
            bars.show(())
        self.query_one("#dash-worst", OptionList).clear_options()
        for table in self.query(DataTable):
            table.clear()

    def _breakdown(self, table_id: str, scores: Scores, rows: tuple[CaseRow, ...], key) -> None:
        errors: dict[str, int] = defaultdict(int)
        overdue: dict[str, int] = defaultdict(int)
        for r in rows:
            errors[key(r)] += r.errors
            overdue[key(r)] += r.overdue
        table = self.query_one(table_id, DataTable)
        table.clear()
        for s in scores.breakdown:
            k = s.key or ""
            table.add_row(Text(s.label), str(s.cases), percent(total(s)), str(errors[k]), str(overdue[k]), key=s.key or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A score bar opens the rules behind it; a worst rule, the cases that fail it."""
        key = event.option.id
        if key is None:
            return
        if event.option_list.id == "dash-worst":
            self.app.show_cases(rule=key)
        elif isinstance(event.option_list, ScoreBars):
            s = event.option_list.scores[key]
            title = s.title if event.option_list.id == "dash-headline" else f"{s.id} {s.title}"
            self.app.show_rules(RuleSelection(title, s.rules))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if event.data_table.id == "dash-urgent":
            self.app.open_case(key)
        elif event.data_table.id == "dash-managers" and key:
            self.app.set_scope(key)
        elif event.data_table.id == "dash-teams" and key:
            self.app.show_cases(team=key)
