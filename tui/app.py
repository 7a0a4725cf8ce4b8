"""The terminal UI: ``yos-audit [PATH ...]`` self-audits a caseload on screen.

The app owns the session's settings (as-of date, rules switched on, "my cases") and one
:class:`~tui.session.AuditView`; a thread worker recomputes the view whenever a setting changes and
posts it back, so the screen never freezes. Screens only render the view.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from functools import partial
from importlib.resources import as_file, files
from pathlib import Path
from typing import ClassVar

from attrs import evolve
from textual import work
from textual.app import App
from textual.binding import BindingsMap
from textual.notifications import Notification, Notify, SeverityLevel
from textual.reactive import reactive
from textual.worker import Worker, WorkerState, get_current_worker

from rules.config import Config, load_config, nothing_selected
from rules.load import load_paths
from rules.registry import Rule
from rules.waivers import WAIVERS_NAME, Waiver, WaiverError, add_waiver
from rules.words import plural
from tui import bindings
from tui.commands import AuditCommands
from tui.messages import AuditReady, Busy, PipelineProgress
from tui.screens.base import AuditScreen
from tui.screens.case import CaseScreen
from tui.screens.cases import CasesScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.problems import ProblemsScreen, shown_path
from tui.screens.rules import RuleSelection, RulesScreen
from tui.session import AuditView, Cancelled, CaseFilter, Loader, Pipeline, Settings

#: seconds between two progress messages from the worker (the last one always goes)
PROGRESS_EVERY = 0.1
#: how many views back Escape remembers
BACK_STEPS = 20


def bundled_caseload():
    """The example caseload shipped inside the package (a Traversable; ``as_file`` gives a path)."""
    return files("rules") / "data" / "caseload.json"


class YosAuditApp(App[int]):
    TITLE = "yos-audit"
    CSS_PATH = "app.tcss"
    BINDINGS = bindings.APP
    MODES: ClassVar = {"dashboard": DashboardScreen, "cases": CasesScreen, "rules": RulesScreen, "problems": ProblemsScreen}
    DEFAULT_MODE = "dashboard"
    COMMANDS = App.COMMANDS | {AuditCommands}

    #: what is on screen; None until the first audit is done
    view: reactive[AuditView | None] = reactive(None)
    #: what the worker is doing; None when idle
    busy: reactive[Busy | None] = reactive(None)
    #: the cases table's filters (kept here so the dashboard, palette and rules can set them)
    case_filter: reactive[CaseFilter] = reactive(CaseFilter)
    #: the rules screen's selection (the rules behind a score bar); None: every rule
    rule_selection: reactive[RuleSelection | None] = reactive(None)

    def __init__(
        self,
        paths: Sequence[str | Path] = (),
        as_of: dt.date | None = None,
        config: Config | None = None,
        *,
        waivers_path: str | Path | None = None,
        catalogue: Mapping[str, Rule] | None = None,
        loader: Loader = load_paths,
        cursor_blink: bool = True,
        review_path: str | Path | None = None,
        reviewer: str | None = None,
    ) -> None:
        super().__init__()
        #: the review workbench's answers file (default yos-audit-review.toml here) and who is reviewing
        self.review_path, self.reviewer = review_path, reviewer
        config = config or Config()
        if waivers_path is None:
            waivers_path = config.waivers or WAIVERS_NAME
        self.pipeline = Pipeline(paths, config, waivers_path, catalogue, loader)
        self.settings = Settings(as_of, self.pipeline.default_rules())  # None: the exports' date, or today
        #: whether the as-of date was chosen (on the command line or with ``a``): a reload keeps it, else the
        #: reloaded exports' date is taken again
        self._as_of_chosen = as_of is not None
        #: a reload under way: every run until its view arrives reads the exports again
        self._reloading = False
        #: what was open on top when the reload began, opened again once it is done: (mode, how to open it)
        self._reopen: tuple[str, Callable[[], None]] | None = None
        self.cursor_blink = cursor_blink
        #: the folder the app was started in: file names show relative to it
        self.start_dir = os.getcwd()
        self._request = 0
        #: the views shown before this one, for Escape
        self._back: list[str] = []
        #: the notifications that said the inputs could not be read (a reload's) or that the audit stopped:
        #: withdrawn once a run reads the inputs cleanly, when they are no longer true
        self._input_notes: list[Notification] = []

    # -- notifications ----------------------------------------------------------------------------

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> Notification:
        """Textual's :meth:`App.notify` (the same two steps), made to return the notification so that one
        which is no longer true can be withdrawn (:meth:`withdraw`); Textual's returns nothing."""
        notification = Notification(message, title, severity, self.NOTIFICATION_TIMEOUT if timeout is None else timeout,
                                    markup=markup)
        self.post_message(Notify(notification))
        return notification

    def withdraw(self, notifications: Sequence[Notification]) -> None:
        """Take these notifications off the screen before their time; the others stay (a warning the user
        has not read yet). Textual 8 withdraws one only privately (what a toast clicked away calls):
        ``clear_notifications()`` would take every other one with it."""
        for notification in notifications:
            self._unnotify(notification)

    # -- the pipeline ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        keys = dict(self.pipeline.config.keys)
        if keys:  # [keys] of the config: bindings remapped by id
            known = {b.id for group in (bindings.APP, bindings.CASES, bindings.CASE, bindings.RULES, bindings.MODAL,
                                        bindings.REVIEW, bindings.REVIEW_BOARD) for b in group}
            unknown = sorted(set(keys) - known)
            if unknown:
                self.notify(f"[keys] in the config: no binding {', '.join(unknown)}", severity="warning", markup=False)
            keymap = {k: v for k, v in keys.items() if k in known}
            self.set_keymap(keymap)
            # the remap is the user's wish and stands; a key it takes from another binding is said once
            taken = bindings.keymap_clashes(self._normalize_keymap(keymap), keymap, self._keymap_scopes())
            if taken:
                self.notify("\n".join(taken), title="[keys] takes a key in use", severity="warning", timeout=30, markup=False)
        empty = nothing_selected(self.pipeline.config)
        if empty:  # as the CLI warns: a run that checks nothing must not pass for an all-clear
            self.notify(empty, title="Nothing is checked", severity="warning", timeout=30, markup=False)
        self.recompute()

    def _keymap_scopes(self) -> list[BindingsMap]:
        """The bindings of each scope a key is looked up in: the app's (with Textual's own: ctrl+q quits,
        ctrl+p opens the palette), then each screen's (with Textual's Screen ones), as Textual merges them
        (its ``_bindings`` and ``_merge_bindings``: Textual has no public way to ask)."""
        from textual.screen import Screen

        import tui.screens.review  # noqa: F401  (opened lazily: its screens must be known here)

        def subclasses(cls):
            for sub in cls.__subclasses__():
                yield sub
                yield from subclasses(sub)

        screens = sorted({c for c in subclasses(Screen) if c.__module__.startswith("tui.")}, key=lambda c: c.__qualname__)
        return [self._bindings, *(c._merge_bindings() for c in screens)]

    def recompute(self, **changes) -> None:
        """Apply setting changes and run the pipeline again in a worker (a newer run cancels an older)."""
        self.settings = evolve(self.settings, **changes)
        self._request += 1
        self.busy = Busy("Working")
        self._run_pipeline(self.settings, self._request, self._reloading)

    async def action_reload(self) -> None:
        """Read the exports and the waivers file from disk again (after a new export), keeping the settings:
        the as-of date if one was chosen, the rules switched on, "my cases", the filters.

        The old view is let go before the new load begins, so that the process never holds two caseloads:
        what holds it on top (a case, the review workbench, a dialog) is closed, the screens go back to
        their loading state as at startup, and the pipeline forgets its load and audit (in the worker: it
        waits there for a run still finishing). A case or the review open on top comes back when the new
        view is ready, if nothing else was opened meanwhile.

        The screens closed are awaited: until then they still hear of the app's view, and a closed
        screen lingers until the cyclic collector runs, which a load pauses (each lets go of what it
        held of the view as it closes)."""
        reopen = None
        for screen in reversed(self.screen_stack[1:]):  # the topmost screen that is not a dialog
            if isinstance(screen, CaseScreen):
                reopen = (self.current_mode, partial(self.open_case, screen.case_id))
            elif isinstance(screen, AuditScreen):  # the review workbench or its ratings
                reopen = (self.current_mode, self.action_review)
            else:
                continue
            break
        if reopen is not None or not self._reloading:  # pressed again while reloading: the first one's stands
            self._reopen = reopen
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        self._reloading = True
        self.busy = Busy("Working")
        self.view = None
        self.sub_title = "reloading the exports"
        self.recompute(**({} if self._as_of_chosen else {"as_of": None}))

    @work(thread=True, exclusive=True, group="pipeline", exit_on_error=False, description="load, audit and score")
    def _run_pipeline(self, settings: Settings, request: int, reload: bool = False) -> None:
        worker = get_current_worker()
        last = 0.0
        if reload:
            self.pipeline.forget()

        def progress(stage: str, done: int, total: int) -> None:
            nonlocal last
            if worker.is_cancelled:
                raise Cancelled
            now = time.monotonic()
            if done >= total or now - last >= PROGRESS_EVERY:
                last = now
                self.post_message(PipelineProgress(Busy(stage, done, total), request))

        try:
            view = self.pipeline.run(settings, progress)
        except Cancelled:
            return
        if not worker.is_cancelled:
            self.post_message(AuditReady(view, request))

    def on_pipeline_progress(self, message: PipelineProgress) -> None:
        if message.request == self._request:
            self.busy = message.busy

    def on_audit_ready(self, message: AuditReady) -> None:
        if message.request != self._request:
            return  # a newer run is under way
        view = message.view
        if self.settings.as_of is None:  # the default date, now that the exports are read
            self.settings = evolve(self.settings, as_of=view.as_of)
        # the date first: a narrow header cuts from the end
        self.sub_title = f"as of {view.as_of}" + (f" · my cases: {view.scope}" if view.scope else "") + f" · {view.service}"
        self.view = view
        self.busy = None
        if self._reloading:
            self._reloading = False
            self._reloaded(view)
        elif self._input_notes and view.counts()["files_unread"] == 0 and not view.waiver_error:
            # a run whose inputs are read cleanly (the waivers file, read on every run, fixed): what said
            # otherwise is no longer true
            self.withdraw(self._input_notes)
            self._input_notes.clear()

    def _reloaded(self, view: AuditView) -> None:
        """Say what the reload read, or why it read less than before; open again what was open on top."""
        n = view.counts()
        unread = [p for p in view.load.problems if p.level == "error" and p.case_id is None and p.row is None]
        # what an earlier reload (or a run that stopped) said of the inputs is replaced by what this one says
        self.withdraw(self._input_notes)
        self._input_notes.clear()
        if unread or view.waiver_error:
            said = [str(evolve(p, file=shown_path(p.file, self.start_dir))) for p in unread[:3]]
            said += [f"waivers not applied: {view.waiver_error}"] if view.waiver_error else []
            self._input_notes.append(self.notify(
                "\n".join(said) + "\n(p lists every input problem)", title=f"Reloaded: {plural(n['cases'], 'case')}",
                severity="error" if unread else "warning", timeout=30, markup=False))
        else:
            self.notify(f"{plural(n['cases'], 'case')} audited" + (f", {n['rejected']} rejected (p)" if n["rejected"] else ""),
                        title="Reloaded", markup=False)
        reopen, self._reopen = self._reopen, None
        if reopen is None or len(self.screen_stack) > 1 or self.current_mode != reopen[0]:
            return  # none, or the user went elsewhere meanwhile
        reopen[1]()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "pipeline" and event.state is WorkerState.ERROR:
            self.busy = None
            if self.view is None:  # nothing on screen (a reload, or the first load): say how to try again
                self.sub_title = "the audit stopped: ctrl+r reads the exports again"
            error = event.worker.error
            self._input_notes.append(self.notify(f"The audit stopped: {type(error).__name__}: {error}", title="Internal error",
                                                 severity="error", timeout=30, markup=False))

    # -- what the screens and the palette ask for --------------------------------------------------

    def action_show(self, mode: str) -> None:
        # leave the current view at its base screen: a case opened from it does not come back on top
        # when the view is shown again ('c' shows the cases table, not the last case)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if self.current_mode != mode:
            self._back.append(self.current_mode)
            del self._back[:-BACK_STEPS]
            self.switch_mode(mode)

    def action_back(self) -> None:
        """Escape: close the case (or dialog) on top, else go back to the view shown before."""
        if len(self.screen_stack) > 1:
            self.pop_screen()
        elif self._back:
            self.switch_mode(self._back.pop())

    def open_case(self, case_id: str) -> None:
        self.push_screen(CaseScreen(case_id))

    def show_cases(self, **filters) -> None:
        """The cases table with these filters (e.g. ``rule="ROH003"``: the cases that fail a rule)."""
        self.case_filter = CaseFilter(**filters)
        self.action_show("cases")

    def show_rules(self, selection: RuleSelection | None = None) -> None:
        """The rules screen, with only the rules of ``selection`` (those behind a score bar)."""
        self.rule_selection = selection
        self.action_show("rules")

    def clear_filters(self) -> None:
        self.case_filter = CaseFilter()

    def set_scope(self, case_manager: str | None) -> None:
        """My cases: everything narrows to one case manager's cases (None: every case)."""
        self.recompute(scope=case_manager or None)

    def toggle_rule(self, code: str) -> None:
        """Run or ignore a rule for this session, and audit again."""
        on = set(self.settings.rules) ^ {code}
        if not on:
            self.notify("every rule is switched off: the audit checks nothing", title="Nothing is checked",
                        severity="warning", markup=False)
        self.recompute(rules=tuple(c for c in self.pipeline.catalogue if c in on))

    def add_waiver(self, waiver: Waiver | None) -> None:
        """Write the waiver to the waivers file (headless runs honour it too), then apply it."""
        if waiver is None:
            return
        path = self.pipeline.waivers_path
        try:
            add_waiver(path, waiver)
        except (WaiverError, OSError) as exc:
            self.notify(f"Not waived: {exc}", severity="error", timeout=15, markup=False)
            return
        self.notify(f"{waiver.rule} on {waiver.case} waived until {waiver.until}; written to {path}", markup=False)
        self.recompute()

    def action_my_cases(self) -> None:
        from tui.screens.dialogs import CaseManagerScreen

        if self.view is not None:
            self.push_screen(CaseManagerScreen(self.view), lambda name: name is None or self.set_scope(name))

    def action_as_of(self) -> None:
        from tui.screens.dialogs import AsOfScreen

        def chosen(day: dt.date | None) -> None:
            if day is not None and day != self.settings.as_of:
                self._as_of_chosen = True
                self.recompute(as_of=day)

        self.push_screen(AsOfScreen(self.settings.as_of or dt.date.today()), chosen)

    def action_export(self, fmt: str = "markdown") -> None:
        from tui.screens.dialogs import ExportScreen

        view, screen = self.view, self.screen
        if view is None:
            return
        findings = screen.export_findings(view) if hasattr(screen, "export_findings") else view.findings
        cases = screen.export_cases(view) if hasattr(screen, "export_cases") else view.cases
        stem = f"yos-audit-{getattr(screen, 'export_name', 'report')}-{view.as_of}"
        what = cases[0].case_id if len(cases) == 1 else plural(len(cases), "case")

        def chosen(answer) -> None:
            if answer is not None:
                self.export(view, findings, *answer, cases=cases)

        self.push_screen(ExportScreen(stem, fmt, what), chosen)

    def export(self, view: AuditView, findings, fmt: str, path: Path, replace: bool = False,
               cases: Sequence | None = None) -> bool:
        """Write findings as a report; never over an input file; created readable by its owner only.

        ``cases``: the cases the export is about (one case, the cases table's rows), which the report
        counts; the view's cases by default (:func:`rules.pipeline.check_report`)."""
        from rules.output import OutputError, write_file
        from rules.pipeline import check_report
        from rules.report import render

        if path.exists() and not replace:
            self.notify(f"{path} exists: tick 'Replace' to write over it, or choose another name.", severity="warning", markup=False)
            return False
        cases = view.cases if cases is None else cases
        report = check_report(view.load, view.audit, view.waivers, view.as_of_source, findings, cases)
        try:
            write_file(path, render(report, fmt), self.pipeline.protected(view))
        except OutputError as exc:
            self.notify(f"Not exported: {exc}", severity="error", timeout=15, markup=False)
            return False
        self.notify(f"{plural(len(findings), 'finding')} of {plural(len(cases), 'case')} written to {path}", markup=False)
        return True

    def action_review(self) -> None:
        from tui.screens.review import open_review

        open_review(self)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"


def run(paths: Sequence[str] = (), as_of: dt.date | None = None, config: str | Path | Config | None = None,
        waivers: str | Path | None = None) -> int:
    """Open the UI on the exports (the bundled example caseload with no path). Returns the exit code once
    the UI is closed: 2 if the last audit shown had input errors (a file unreadable, a case rejected), else 0.

    ``waivers``: the waivers file (``--waivers``; default: the config's, else yos-audit-waivers.toml).
    A config that cannot be used raises :class:`rules.config.ConfigError` (the CLI prints it, exit 2).
    """
    cfg = config if isinstance(config, Config) else load_config(config)
    with ExitStack() as stack:
        if not paths:
            paths = [str(stack.enter_context(as_file(bundled_caseload())))]
        app = YosAuditApp(list(paths), as_of, cfg, waivers_path=waivers)
        app.run()
    return 2 if app.view is not None and not app.view.load.ok else 0  # as check: 2 for an input with errors
