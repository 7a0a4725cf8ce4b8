"""What every main view shares: header, body, status line and footer, and a redraw on each new view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Input

from rules.outcomes import Finding
from tui.session import AuditView
from tui.widgets.status import StatusBar

#: the narrowest screen whose footer still shows "^p palette"
PALETTE_HINT_WIDTH = 100


def steady_cursors(screen: Screen) -> None:
    """Inputs blink unless the app says not to (stable snapshot pictures)."""
    for field in screen.query(Input):
        field.cursor_blink = getattr(screen.app, "cursor_blink", True)


class AuditScreen(Screen):
    #: a word for the export file name (``yos-audit-cases-2026-11-20.md``)
    export_name = "report"

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_body()
        yield StatusBar()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_resize(self) -> None:
        # "^p palette" only where there is room: at 80 columns the footer keeps the keys (ctrl+p works)
        self.query_one(Footer).show_command_palette = self.size.width >= PALETTE_HINT_WIDTH

    def on_mount(self) -> None:
        steady_cursors(self)
        self.watch(self.app, "view", self._view_changed)

    #: the view this screen last rendered (the app's may be newer: the screen hears of it in turn)
    view_shown: AuditView | None = None

    def _view_changed(self, view: AuditView | None) -> None:
        if view is not None:
            self.show_view(view)
            self.view_shown = view
        elif self.view_shown is not None:  # a reload: the old view goes before the new one is built
            self.view_shown = None
            self.clear_view()

    def on_unmount(self) -> None:
        # a closed screen (a case, the review) lingers until the cyclic collector runs, and a load pauses
        # the collector: what it holds of a view goes as it closes, not after the next load
        self.view_shown = None
        self.let_go()

    def let_go(self) -> None:
        """Drop what the screen holds of a view besides its widgets (it is closing: no widget is queried)."""

    def show_view(self, view: AuditView) -> None:
        """Render the view (called on mount and whenever the app has a new one)."""

    def clear_view(self) -> None:
        """Let go of everything shown of the last view, back to the screen as it was before the first (the
        app's view went back to None: a reload). Nothing of the old view may stay alive here."""

    def export_findings(self, view: AuditView) -> tuple[Finding, ...]:
        """The findings this screen shows, for "export the current view"."""
        return view.findings
