"""Modal dialogs: filters, waive a finding, export, as-of date, my cases. Each returns its answer (or None)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, RadioButton, RadioSet, Select, Static
from textual.widgets.option_list import Option

from rules.calendar import add_months
from rules.model import LegalOutcome, Level
from rules.outcomes import Finding, Severity
from rules.waivers import Waiver
from rules.words import plural
from tui import bindings
from tui.screens.base import steady_cursors
from tui.session import DISPOSAL, LEVEL, NO_LEVEL, AuditView, CaseFilter

#: how long a new waiver lasts unless the user says otherwise
WAIVER_MONTHS = 3
#: export formats: (key for rules.report, label, file extension)
FORMATS = (("markdown", "Markdown report", "md"), ("csv", "CSV (one row a finding)", "csv"), ("json", "JSON (as `check --format json`)", "json"))


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


class Dialog(ModalScreen):
    BINDINGS = bindings.MODAL

    def on_mount(self) -> None:
        steady_cursors(self)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def error(self, message: str) -> None:
        self.query_one(".dialog-error", Static).update(message)

    def buttons(self, ok: str) -> ComposeResult:
        yield Static(classes="dialog-error")
        with Horizontal(classes="dialog-buttons"):
            yield Button(ok, variant="primary", id="ok")
            yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#ok")
    @on(Input.Submitted)
    def _ok(self) -> None:
        self.submit()

    def submit(self) -> None:
        raise NotImplementedError


class FilterScreen(Dialog):
    """Filters of the cases table."""

    def __init__(self, view: AuditView, current: CaseFilter) -> None:
        super().__init__()
        self.view = view
        self.current = current

    def on_unmount(self) -> None:
        self.view = None  # closed (a reload closes it): the view goes now, not when the collector next runs

    def compose(self) -> ComposeResult:
        v, f = self.view, self.current

        def select(id_: str, options, value) -> Select:
            return Select(options, id=id_, prompt="any", value=value if value is not None else Select.NULL, compact=True)

        with Vertical(classes="dialog", id="filter-dialog") as box:
            box.border_title = "Filter the cases"
            with Grid(id="filter-grid"):
                yield Label("Team")
                yield select("f-team", [(Text(t), t) for t in v.teams], f.team)  # names as written, not markup
                yield Label("Case manager")
                yield select("f-manager", self._managers(f.team), f.case_manager)
                yield Label("Disposal")
                present = {c.legal_outcome for c in v.cases if c.legal_outcome}
                yield select("f-disposal", [(DISPOSAL[x], x.value) for x in LegalOutcome if x in present], f.disposal)
                yield Label("RoSH level")
                yield select("f-rosh", [(LEVEL[x], x.value) for x in Level] + [("not assessed", NO_LEVEL)], f.rosh)
                yield Label("Severity")
                yield select("f-severity", [(s.value, s) for s in Severity], f.severity)
                yield Label("Failing rule")
                yield select("f-rule", [(f"{c} {r.name}", c) for c, r in v.catalogue.items()], f.rule)
                yield Label("Due within (days)")
                yield Input(str(f.due_within) if f.due_within is not None else "", placeholder="e.g. 7 (overdue included)",
                            id="f-due", compact=True, restrict=r"\d*")
                yield Label("Search")
                yield Input(f.text, id="f-text", compact=True)
            yield from self.buttons("Apply")

    def _managers(self, team: str | None) -> list[tuple[Text, str]]:
        """The case managers to choose from: those with a case in the team, when a team is chosen."""
        names = [m for m, _ in self.view.case_managers]
        if team is not None:
            in_team = {r.case_manager for r in self.view.rows if r.team == team}
            names = [m for m in names if m in in_team]
        return [(Text(m), m) for m in names]  # names as written, not markup

    @on(Select.Changed, "#f-team")
    def _team_chosen(self, event: Select.Changed) -> None:
        team = None if event.value is Select.NULL else event.value
        managers = self.query_one("#f-manager", Select)
        chosen = managers.value
        options = self._managers(team)
        managers.set_options(options)
        if chosen is not Select.NULL and chosen in {m for _, m in options}:
            managers.value = chosen  # still one of the team's

    def submit(self) -> None:
        def value(id_: str):
            v = self.query_one(f"#{id_}", Select).value
            return None if v is Select.NULL else v

        due = self.query_one("#f-due", Input).value.strip()
        self.dismiss(CaseFilter(
            team=value("f-team"), case_manager=value("f-manager"), disposal=value("f-disposal"), rosh=value("f-rosh"),
            severity=value("f-severity"), rule=value("f-rule"), due_within=int(due) if due else None,
            text=self.query_one("#f-text", Input).value,
        ))


class WaiveScreen(Dialog):
    """Accept a finding: a reason, who accepts it, until when. Returns a :class:`Waiver`."""

    def __init__(self, finding: Finding, as_of: dt.date) -> None:
        super().__init__()
        self.finding = finding
        self.as_of = as_of

    def compose(self) -> ComposeResult:
        f = self.finding
        with Vertical(classes="dialog", id="waive-dialog") as box:
            box.border_title = Text(f"Waive {f.rule} on {f.case_id}")  # a Text: the case id is not markup
            yield Static(f"{f.rule} {f.name}" + (f" (record {f.record})" if f.record else "") + f"\n{f.message}", classes="dialog-text", markup=False)
            yield Label("Reason (why the finding is accepted)")
            yield Input(id="w-reason", placeholder="e.g. RMP held on the paper file; being scanned", compact=True)
            yield Label("Who accepts it")
            yield Input(id="w-who", placeholder="e.g. Team manager North", compact=True)
            yield Label("Until (the waiver stops waiving after this date)")
            yield Input(str(add_months(self.as_of, WAIVER_MONTHS)), id="w-until", compact=True)
            yield from self.buttons("Waive")

    def submit(self) -> None:
        reason = self.query_one("#w-reason", Input).value.strip()
        who = self.query_one("#w-who", Input).value.strip()
        until = parse_date(self.query_one("#w-until", Input).value)
        if not reason:
            return self.error("Say why the finding is accepted.")
        if not who:
            return self.error("Say who accepts it.")
        if until is None:
            return self.error("Until must be a date like 2027-01-31.")
        if until < self.as_of:
            return self.error(f"Until must be on or after the as-of date ({self.as_of}).")
        f = self.finding
        self.dismiss(Waiver(f.rule, f.case_id, reason, who, until, f.record))


class Choice(RadioButton):
    """A radio button whose mark says whether it is chosen without colour: ● chosen, blank not."""

    @property
    def BUTTON_INNER(self) -> str:
        return "●" if self.value else " "


class Tick(Checkbox):
    """A checkbox ticked with an X, empty when not: readable without colour."""

    @property
    def BUTTON_INNER(self) -> str:
        return "X" if self.value else " "


class ExportScreen(Dialog):
    """Where and how to write the current view. Returns (format, path, replace).

    ``what`` says what will be written ("C-0005", "12 cases"); a file that exists is said here, in the
    dialog, which stays open until Replace is ticked or another name given."""

    def __init__(self, stem: str, fmt: str = "markdown", what: str = "") -> None:
        super().__init__()
        self.stem = stem
        self.fmt = fmt
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-dialog") as box:
            box.border_title = "Export this view"
            if self.what:
                yield Static(Text(f"The findings of {self.what}."), classes="dialog-text")
            with RadioSet(id="x-format"):
                for key, label, _ in FORMATS:
                    yield Choice(label, value=key == self.fmt, id=f"x-{key}")
            yield Label("File")
            yield Input(self._suggested(self.fmt), id="x-path", compact=True)
            yield Tick("Replace the file if it exists", id="x-replace")
            yield from self.buttons("Export")

    def _suggested(self, fmt: str) -> str:
        ext = next(e for k, _, e in FORMATS if k == fmt)
        return f"{self.stem}.{ext}"

    @on(RadioSet.Changed)
    def _format(self, event: RadioSet.Changed) -> None:
        path = self.query_one("#x-path", Input)
        new = FORMATS[event.index][0]
        if path.value == self._suggested(self.fmt):  # the user kept the suggested name: follow the format
            path.value = self._suggested(new)
        self.fmt = new

    def submit(self) -> None:
        path = self.query_one("#x-path", Input).value.strip()
        if not path or path == "-":
            return self.error("Name a file to write.")
        replace = self.query_one("#x-replace", Checkbox)
        if Path(path).exists() and not replace.value:
            replace.focus()
            return self.error(f"{path} exists: tick 'Replace' to write over it, or choose another name.")
        self.dismiss((self.fmt, Path(path), replace.value))


class AsOfScreen(Dialog):
    def __init__(self, as_of: dt.date) -> None:
        super().__init__()
        self.as_of = as_of

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="asof-dialog") as box:
            box.border_title = "Audit date"
            yield Static("Every duty is judged as of this date; nothing dated after it exists.", classes="dialog-text")
            yield Input(str(self.as_of), id="asof-input", placeholder="YYYY-MM-DD", compact=True)
            yield from self.buttons("Audit")

    def submit(self) -> None:
        text = self.query_one("#asof-input", Input).value.strip()
        day = dt.date.today() if text.lower() == "today" else parse_date(text)
        if day is None:
            return self.error("A date like 2026-11-20 (or 'today').")
        self.dismiss(day)


ALL = "*all*"


class CaseManagerScreen(Dialog):
    """My cases: pick a case manager. Returns their name, or "" for every case.

    Typing in the box narrows the list (every word of it, in any order, anywhere in the name): a
    caseload of 10,000 cases has hundreds of case managers. Up and down move in the list, Enter picks."""

    BINDINGS: ClassVar = [
        Binding("down", "move(1)", show=False), Binding("up", "move(-1)", show=False),
        Binding("pagedown", "move(10)", show=False), Binding("pageup", "move(-10)", show=False),
    ]

    def __init__(self, view: AuditView) -> None:
        super().__init__()
        self.view = view

    def on_unmount(self) -> None:
        self.view = None  # as FilterScreen's

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="manager-dialog") as box:
            box.border_title = "My cases"
            yield Input(placeholder=f"Type to find one of {len(self.view.case_managers)} case managers",
                        id="manager-find", compact=True)
            yield OptionList(*self._options(""), id="manager-list")

    def _options(self, text: str) -> list[Option]:
        words = text.casefold().split()
        found = [(m, n) for m, n in self.view.case_managers if all(w in m.casefold() for w in words)]
        options = [] if words else [Option(f"All case managers ({plural(len(self.view.audit.cases), 'case')})", id=ALL)]
        options += [Option(Text(f"{m} ({plural(n, 'case')})"), id=m) for m, n in found]
        if not options:
            options = [Option(Text(f"No case manager matches {text!r}", "italic"), disabled=True)]
        return options

    def on_mount(self) -> None:
        super().on_mount()
        chooser = self.query_one(OptionList)
        ids = [m for m, _ in self.view.case_managers]
        chooser.highlighted = ids.index(self.view.scope) + 1 if self.view.scope in ids else 0
        self.query_one("#manager-find", Input).focus()

    @on(Input.Changed, "#manager-find")
    def _find(self) -> None:
        text = self.query_one("#manager-find", Input).value  # the box's value: the event may be stale
        chooser = self.query_one(OptionList)
        chooser.clear_options()
        chooser.add_options(self._options(text))
        chooser.highlighted = 0 if chooser.option_count and not chooser.get_option_at_index(0).disabled else None

    def action_move(self, step: int) -> None:
        chooser = self.query_one(OptionList)
        if chooser.option_count:
            now = chooser.highlighted if chooser.highlighted is not None else -1
            chooser.highlighted = max(0, min(chooser.option_count - 1, now + step))

    def submit(self) -> None:  # Enter in the box: the highlighted case manager
        chooser = self.query_one(OptionList)
        option = chooser.highlighted_option
        if option is not None and not option.disabled:
            self.dismiss("" if option.id == ALL else option.id)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss("" if event.option.id == ALL else event.option.id)
