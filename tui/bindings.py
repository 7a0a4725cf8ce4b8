"""Every key binding of the UI, each with an id (remap it with ``App.set_keymap``) and a tooltip."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding, BindingsMap

#: the four views share one place in the footer ("d c r p views"): at 80 columns the footer keeps
#: Export and Quit whole (each key's tooltip names its view)
VIEWS = Binding.Group("views", compact=False)

APP = [
    Binding("d", "show('dashboard')", "Dashboard", id="view.dashboard", group=VIEWS, tooltip="Scores, counts and the cases to look at first"),
    Binding("c", "show('cases')", "Cases", id="view.cases", group=VIEWS, tooltip="Every case, one a row: filter, sort, open"),
    Binding("r", "show('rules')", "Rules", id="view.rules", group=VIEWS, tooltip="Every rule with its met / applicable count and what it means"),
    Binding("p", "show('problems')", "Problems", id="view.problems", group=VIEWS, tooltip="What was wrong with the input exports"),
    Binding("v", "review", "Review", id="view.review", group=VIEWS, tooltip="Review the sample: answer the key questions case by case"),
    Binding("m", "my_cases", "My cases", id="filter.my_cases", tooltip="Pick a case manager: everything narrows to their cases"),
    Binding("a", "as_of", "As of", id="audit.as_of", tooltip="Change the audit date; everything is judged again"),
    Binding("e", "export", "Export", id="export.view", tooltip="Write the findings of this view to a CSV, Markdown or JSON file"),
    Binding("escape", "back", "Back", id="app.back", show=False, tooltip="Back to the screen you came from"),
    Binding("ctrl+r", "reload", "Reload", id="app.reload", show=False,
            tooltip="Read the exports and the waivers file again (after a new export); the settings stay"),
    Binding("ctrl+t", "toggle_theme", "Light/dark", id="app.theme", show=False, tooltip="Switch between the light and the dark theme"),
    Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave yos-audit"),
]

#: s and S side by side in the footer
SORT = Binding.Group("sort", compact=False)

CASES = [
    Binding("slash", "search", "Search", id="cases.search", tooltip="Type to search cases, case managers, findings and rules"),
    Binding("f", "filters", "Filters", id="cases.filters", tooltip="Filter by team, case manager, disposal, RoSH, severity, rule, due date"),
    Binding("x", "clear_filters", "Clear", id="cases.clear", show=False, tooltip="Clear every filter of the cases table"),
    Binding("s", "sort", "Sort", id="cases.sort", group=SORT, tooltip="Sort by the next column (or click a column heading)"),
    Binding("S", "reverse", "Reverse", id="cases.reverse", group=SORT,
            tooltip="Reverse the sort order: descending, then ascending again"),
    Binding("escape", "back", "Back", id="cases.back", show=False,
            tooltip="Leave the search box; from the table, back to the screen you came from"),
]

CASE = [
    Binding("escape", "back", "Back", id="case.back", tooltip="Back to where you opened the case from"),
    Binding("w", "waive", "Waive", id="case.waive", tooltip="Accept the highlighted finding, with a reason and an expiry date"),
]

RULES = [
    Binding("space", "toggle_rule", "On/off", id="rules.toggle", tooltip="Run or ignore the highlighted rule for this session"),
    Binding("enter", "failing_cases", "Failing cases", id="rules.failing", tooltip="The cases that fail the highlighted rule"),
    Binding("x", "all_rules", "All rules", id="rules.all", tooltip="Every rule again, after a score bar showed some of them"),
]

MODAL = [
    Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without changing anything"),
]

REVIEW = [
    Binding("y", "answer('yes')", "Yes", id="review.yes", tooltip="Answer the highlighted question yes (written at once)"),
    Binding("n", "answer('no')", "No", id="review.no", tooltip="Answer the highlighted question no (written at once)"),
    Binding("a", "answer('na')", "N/A", id="review.na", tooltip="Not applicable to this case (written at once)"),
    Binding("u", "answer('')", "Undo", id="review.clear", show=False, tooltip="Clear your answer to the highlighted question"),
    Binding("t", "note", "Note", id="review.note", tooltip="A note on the highlighted question"),
    Binding("right_square_bracket", "step_case(1)", "Next case", id="review.next", tooltip="The next case of the sample"),
    Binding("left_square_bracket", "step_case(-1)", "Prev case", id="review.previous", tooltip="The previous case of the sample"),
    Binding("b", "board", "Ratings", id="review.board", tooltip="The ratings so far, with their ranges, and the disagreements"),
    Binding("escape", "back", "Back", id="review.back", tooltip="Back to the dashboard (the answers are saved)"),
]

REVIEW_BOARD = [
    Binding("escape", "back", "Back", id="board.back", tooltip="Back to the case being reviewed"),
]


# -- [keys] remaps that take a key from another binding ---------------------------------------------


def _does(bindings: list[Binding]) -> Binding:
    """The binding a key runs of those a scope puts on it: a priority one first, else the first."""
    return next((b for b in bindings if b.priority), bindings[0])


def _what(b: Binding) -> str:
    return b.description or b.action


def keymap_clashes(keymap: Mapping[str, str], written: Mapping[str, str], scopes: Iterable[BindingsMap]) -> list[str]:
    """What a ``[keys]`` remap takes from another binding of the same scope (the app's bindings, or one
    screen's), one line each, saying where the binding that lost its key is still, if anywhere.

    ``keymap``: binding id to keys as Textual reads them (normalised: ``slash``, not ``/``); ``written``:
    the same as the config wrote them, for the message; ``scopes``: each scope's bindings before the
    remap. The remap is applied as Textual applies it (``BindingsMap.apply_keymap``: a remapped key is
    taken from every binding on it); what it took is read from before and after, not from the clashes
    Textual reports, which leave out a binding with an id that is not remapped (Quit, ``app.quit``)."""
    said: list[str] = []
    for before in scopes:
        after = before.copy()
        after.apply_keymap(keymap)
        for key, on_key in after.key_to_bindings.items():
            if not on_key or (winner := _does(on_key)).id not in keymap:
                continue
            losers = [b for b in before.key_to_bindings.get(key, []) if b.id != winner.id and b.id not in keymap]
            losers += [b for b in on_key if b.id != winner.id]  # another remap to the same key
            for lost in {(b.id, b.action): b for b in losers}.values():
                if lost.id in keymap:
                    line = (f'[keys] {lost.id} = "{written[lost.id]}" and {winner.id} = "{written[winner.id]}": '
                            f"{key} does {_what(winner)} ({winner.id})")
                else:
                    line = f'[keys] {winner.id} = "{written[winner.id]}" takes {key} from {_what(lost)} ({lost.id or lost.action})'
                still = [k for k, bs in after.key_to_bindings.items() if bs and _does(bs).action == lost.action]
                if still:
                    line += f": {_what(lost)} stays on {', '.join(still)}"
                else:
                    line += f": {_what(lost)} is left on no key"
                    if lost.action in ("quit", "app.quit") and any(
                            _does(bs).action == "command_palette" for bs in after.key_to_bindings.values() if bs):
                        line += " (Quit in the command palette still quits)"
                if line not in said:
                    said.append(line)
    return said
