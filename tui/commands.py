"""The command palette: commands titled "category: action" that follow what is loaded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from rules.words import plural
from tui.screens.dialogs import FORMATS


class AuditCommands(Provider):
    def commands(self) -> Iterator[tuple[str, Callable[[], object], str]]:
        app = self.app
        view = app.view
        yield "filter: my cases", app.action_my_cases, "Pick a case manager: everything narrows to their cases"
        yield "filter: all cases", partial(app.set_scope, None), "Every case manager's cases"
        yield "filter: clear case filters", app.clear_filters, "Show every case in the cases table"
        for key, label, _ in FORMATS:
            title = "export: markdown report" if key == "markdown" else f"export: {key}"
            yield title, partial(app.action_export, key), f"Write this view's findings: {label}"
        for mode, what in (("dashboard", "scores and counts"), ("cases", "the cases table"),
                           ("rules", "every rule and what it means"), ("problems", "input problems")):
            yield f"view: {mode}", partial(app.action_show, mode), f"Show {what}"
        yield "audit: change as-of date", app.action_as_of, "Judge every duty as of another date"
        yield "audit: reload the exports", app.action_reload, "Read the exports and waivers again; the settings stay (ctrl+r)"
        yield "review: answer the key questions of the sample", app.action_review, "The review workbench (v)"
        yield "theme: toggle light and dark", app.action_toggle_theme, "Switch between the light and dark themes"
        if view is None:
            return
        for name, n in view.case_managers:
            yield f"filter: my cases {name}", partial(app.set_scope, name), plural(n, "case")
        for team in view.teams:
            yield f"filter: team {team}", partial(app.show_cases, team=team), "Cases of one team"
        for code, rule in view.catalogue.items():
            yield f"rule: failing cases {code} {rule.name}", partial(app.show_cases, rule=code), rule.summary
        for c in view.cases:
            yield f"case: open {c.case_id}", partial(app.open_case, c.case_id), " · ".join(x for x in (c.case_manager, c.team) if x)

    async def discover(self) -> Hits:
        for title, command, help in self.commands():
            if not title.startswith(("case:", "rule:", "filter: team", "filter: my cases ")):
                yield DiscoveryHit(title, command, help=help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, command, help in self.commands():
            found = matcher.match(title)
            if found > 0:
                yield Hit(found, matcher.highlight(title), command, text=title, help=help)
