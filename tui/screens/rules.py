"""Every rule with its met / applicable count, the highlighted rule's explanation, on/off for the session."""

from __future__ import annotations

from attrs import frozen
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Markdown, Static

from rules.outcomes import Severity
from rules.scoring import display_percent
from tui import bindings
from tui.screens.base import AuditScreen
from tui.session import AuditView
from tui.widgets.explanation import rule_markdown
from tui.widgets.table import Table

SEVERITY = {Severity.ERROR: "err", Severity.WARNING: "warn", Severity.INFO: "info"}


@frozen
class RuleSelection:
    """Some of the rules, shown alone: those behind a score bar of the dashboard."""

    title: str
    codes: tuple[str, ...]


class RulesScreen(AuditScreen):
    BINDINGS = bindings.RULES
    export_name = "rules"

    def __init__(self) -> None:
        super().__init__()
        self._shown: str | None = None
        #: the rule the cursor was on when the screen was last cleared (a reload): it goes back there
        self._keep: str | None = None

    def compose_body(self) -> ComposeResult:
        yield Static(id="rules-summary")
        yield Table(id="rules-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="rules-explain"):
            yield Markdown(id="rules-text")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("On", "Rule", "Name", "Sev", "Crit", "Met", "%", "Failing")
        super().on_mount()
        self.watch(self.app, "rule_selection", self._selection_changed, init=False)
        self.query_one(DataTable).focus()

    def _selection_changed(self, selection: RuleSelection | None) -> None:
        view = self.app.view
        if view is not None:
            self.show_view(view)

    def shown_codes(self, view: AuditView) -> list[str]:
        selection = self.app.rule_selection
        if selection is None:
            return list(view.catalogue)
        return [code for code in view.catalogue if code in selection.codes]

    def show_view(self, view: AuditView) -> None:
        table = self.query_one(DataTable)
        current = self.current_rule() or self._keep
        self._keep = None
        table.clear()
        scored = {r.rule: r for r in view.scores.rules}
        on = set(view.settings.rules)
        codes = self.shown_codes(view)
        selection = self.app.rule_selection
        off = len(view.catalogue) - len(on & set(view.catalogue))
        summary = Text()
        if selection is not None:
            summary.append(f"{len(codes)} rules behind {selection.title}", "bold")
            summary.append(" · x: every rule")
        else:
            summary.append(f"{len(codes)} rules", "bold")
        summary.append(f" · {off} switched off (space)" if off else " · space switches a rule off")
        self.query_one("#rules-summary", Static).update(summary)
        for code in codes:
            rule = view.catalogue[code]
            s = scored.get(code)
            shown = display_percent(s.tally.share) if s else None
            table.add_row(
                Text("●" if code in on else "○", "green" if code in on else "dim"),
                Text(code, "bold" if code in on else "dim"), Text(rule.name, "" if code in on else "dim"),
                SEVERITY[rule.severity], rule.criterion,
                f"{s.met}/{s.applicable}" if s else "—",
                "" if shown is None else f"{shown:.0f}%",
                Text(str(len(s.failing)), "red") if s and s.failing else "",
                key=code,
            )
        if current in codes:
            table.move_cursor(row=codes.index(current), animate=False)
        self._explain(self.current_rule(), force=True)

    def clear_view(self) -> None:
        self._keep = self.current_rule()
        self._shown = None
        self.query_one(DataTable).clear()
        self.query_one("#rules-summary", Static).update("")
        self.query_one("#rules-text", Markdown).update("")

    def current_rule(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._explain(event.row_key.value)

    def _explain(self, code: str | None, force: bool = False) -> None:
        view = self.app.view
        if view is None or code is None or (code == self._shown and not force):
            return
        self._shown = code
        rule = view.catalogue[code]
        s = next((r for r in view.scores.rules if r.rule == code), None)
        text = rule_markdown(rule, s.met if s else None, s.applicable if s else None, code in view.settings.rules)
        self.query_one("#rules-text", Markdown).update(text)
        self.query_one("#rules-explain").scroll_home(animate=False)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_failing_cases()

    def action_toggle_rule(self) -> None:
        code = self.current_rule()
        if code is not None:
            self.app.toggle_rule(code)

    def action_all_rules(self) -> None:
        self.app.rule_selection = None

    def action_failing_cases(self) -> None:
        code = self.current_rule()
        if code is not None:
            self.app.show_cases(rule=code)
