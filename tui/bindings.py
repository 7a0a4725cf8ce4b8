"""Every key binding of the UI, each with an id (remap it with ``App.set_keymap``) and a tooltip."""

from __future__ import annotations

from textual.binding import Binding

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
