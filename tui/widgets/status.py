"""The status line above the footer: what is loaded, or a progress bar while the pipeline runs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from rules.words import plural
from tui.messages import Busy
from tui.session import AuditView


def summary(view: AuditView | None) -> str:
    if view is None:
        return "Starting…"
    n = view.counts()
    parts = [view.service, f"as of {view.as_of}", plural(n['cases'], "case")]
    if view.scope:
        parts.append(f"my cases: {view.scope}")
    if n["problems"] or view.waiver_error:
        parts.append(plural(n["problems"] + bool(view.waiver_error), "input problem") + " (p)")
    return " · ".join(parts)


class StatusBar(Horizontal):
    def compose(self) -> ComposeResult:
        yield Label("Starting…", id="status-text")
        yield ProgressBar(show_eta=False, id="status-progress")

    def on_mount(self) -> None:
        self.watch(self.app, "view", self._show_view)
        self.watch(self.app, "busy", self._show_busy)

    def _show_view(self, view: AuditView | None) -> None:
        if self.app.busy is None:
            self.query_one("#status-text", Label).update(summary(view))

    def _show_busy(self, busy: Busy | None) -> None:
        bar = self.query_one(ProgressBar)
        self.set_class(busy is not None, "-busy")
        if busy is None:
            self.query_one("#status-text", Label).update(summary(self.app.view))
            return
        self.query_one("#status-text", Label).update(f"{busy.stage}…")
        bar.update(total=busy.total or None, progress=busy.done)
