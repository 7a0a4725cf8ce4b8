"""The review workbench: read a case of the sample beside the key questions that cover it, answer each
with one key, and see the ratings so far.

The case's timeline and findings are on the left; on the right its questions, each with the reviewer's
answer (never pre-filled), what the records indicate, and under them the evidence of the highlighted
question. ``y`` yes, ``n`` no, ``a`` not applicable, ``t`` a note: each is written to the answers file
before the next key is read, and the next unanswered question comes up. ``b`` shows the ratings so far.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from rules.frameworks import Question
from rules.outcomes import Status
from rules.review import ReviewWriteError
from rules.words import plural
from tui import bindings
from tui.reviewing import ANSWER_WORDS, Workbench, default_reviewer
from tui.screens.base import AuditScreen
from tui.screens.case import entry_prompt, finding_prompt
from tui.screens.dialogs import Dialog
from tui.session import DISPOSAL, AuditView
from tui.timeline import timeline

ANSWER_STYLE = {"yes": "bold green", "no": "bold red", "na": "bold"}
MARK = {"yes": "✓", "no": "✗", None: "·"}


class ReviewerScreen(Dialog):
    """Who is reviewing: their answers are kept under this name. Returns the name, or None."""

    def __init__(self, suggested: str = "") -> None:
        super().__init__()
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="reviewer-dialog") as box:
            box.border_title = "Review the sample"
            yield Static("Your answers are kept under your name in the answers file; other reviewers' are left "
                         "as they are.", classes="dialog-text")
            yield Label("Reviewer")
            yield Input(self.suggested, id="reviewer-name", placeholder="e.g. Team manager, North", compact=True)
            yield from self.buttons("Start")

    def submit(self) -> None:
        name = self.query_one("#reviewer-name", Input).value.strip()
        if not name:
            self.error("Say who is reviewing.")
            return
        self.dismiss(name)


class NoteScreen(Dialog):
    """A note on one answer (empty clears it). Returns the text, or None."""

    def __init__(self, question: Question, case_id: str, note: str) -> None:
        super().__init__()
        self.question = question
        self.case_id = case_id
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-dialog") as box:
            box.border_title = Text(f"Note on {self.question.id}, {self.case_id}")
            yield Static(Text(self.question.text), classes="dialog-text")
            yield Input(self.note, id="note-text", placeholder="e.g. No safety plan after the move in October", compact=True)
            yield from self.buttons("Keep")

    def submit(self) -> None:
        self.dismiss(self.query_one("#note-text", Input).value)


def question_prompt(wb: Workbench, case_id: str, q: Question) -> Text:
    answer = wb.answer_of(case_id, q.id)
    said = wb.indication(case_id, q.id)
    text = Text.assemble((f"{q.id} ", "bold"), (f"[{q.lens}] ", "dim"), q.text, "\n  ")
    if answer:
        text.append("Your answer: ")
        text.append(ANSWER_WORDS[answer], ANSWER_STYLE[answer])
    else:
        text.append("Your answer: —", "italic")
    text.append("   records indicate: ", "dim")
    text.append(said or "nothing", "dim" if said is None else ("green" if said == "yes" else "red"))
    note = wb.note_of(case_id, q.id)
    if note:
        text.append("\n  Note: ", "italic")
        text.append(note, "italic")
    return text


def evidence_text(wb: Workbench, case_id: str, q: Question | None) -> Text:
    if q is None:
        return Text("No key question covers this case (no outcome group).", "italic")
    items = wb.evidence(case_id, q)
    text = Text.assemble((f"Evidence for {q.id}", "bold"), f" (indicated by {', '.join(q.indicators) or 'no rule'})\n")
    if not items:
        text.append("No indicator rule applied to this case: read the file.\n", "italic")
    for e in items:
        mark = MARK[e.counts]
        style = {"yes": "green", "no": "red", None: "dim"}[e.counts]
        state = e.status.value.replace("_", " ") + (" (waived)" if e.waived else "")
        if e.status is Status.NOT_MET and e.severity is not None and not e.waived:
            state += f", {e.severity.value}"
        text.append(f"{mark} {e.rule} ", style)
        text.append(f"{state}: ", "dim")
        text.append(f"{e.message}\n")
    text.append("The indication is the records' view; the answer is yours.", "italic dim")
    return text


class ReviewScreen(AuditScreen):
    """One case of the sample at a time, its questions answered with one key each."""

    BINDINGS = bindings.REVIEW
    export_name = "review"

    def __init__(self, workbench: Workbench) -> None:
        super().__init__()
        self.wb = workbench
        start = workbench.resume()
        self.case_id = start.case if start else None
        self.question_id = start.question if start else None

    def compose_body(self) -> ComposeResult:
        yield Static(id="review-head")
        with Horizontal(id="review-body"):
            with Vertical(id="review-left"):
                yield Static(id="review-case-head")
                yield OptionList(id="review-timeline")
            with Vertical(id="review-right"):
                yield OptionList(id="review-questions")
                yield VerticalScroll(Static(id="review-evidence"), id="review-evidence-box")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#review-questions").focus()
        if self.wb.notice:
            self.notify(self.wb.notice, markup=False, timeout=10)
            self.wb.notice = None

    def show_view(self, view: AuditView) -> None:
        self.render_case()

    def let_go(self) -> None:
        self.wb = None  # it holds the view it was opened on, and the sample's cases, findings and outcomes

    # -- drawing --------------------------------------------------------------------------------

    def head_text(self) -> Text:
        wb = self.wb
        fw = wb.framework
        text = Text.assemble(("Review ", "bold"), (fw.label, "bold"), f" · sample {wb.progress()}", f" · {wb.reviewer}")
        if fw.provisional:
            text.append(" · PROVISIONAL framework", "bold yellow")
        if self.case_id:
            order = list(wb.sample_ids)
            i = order.index(self.case_id) + 1 if self.case_id in order else 0
            text.append(f"\nCase {i} of {len(order)}: ", "bold")
            text.append(self.case_id, "bold")
            qs = wb.questions(self.case_id)
            text.append(f" · {wb.answered(self.case_id)} of {plural(len(qs), 'question')} answered")
        if wb.missing:
            text.append(f"\n{plural(len(wb.missing), 'sampled case')} not in these exports", "yellow")
        return text

    def render_case(self) -> None:
        wb, view = self.wb, self.app.view
        self.query_one("#review-head", Static).update(self.head_text())
        questions = self.query_one("#review-questions", OptionList)
        timeline_list = self.query_one("#review-timeline", OptionList)
        questions.clear_options()
        timeline_list.clear_options()
        case = wb.cases.get(self.case_id) if self.case_id else None
        if case is None or view is None:
            self.query_one("#review-case-head", Static).update(Text("The sample is empty.", "italic"))
            return
        disposal = DISPOSAL.get(case.legal_outcome, "") if case.legal_outcome else "no disposal"
        self.query_one("#review-case-head", Static).update(Text.assemble(
            (case.case_id, "bold"), f"  {case.case_manager or 'no case manager'} · {case.team or 'no team'} · {disposal}"
            f" · {case.group.value if case.group else 'no outcome group'}",
        ))
        fs = wb.findings(case.case_id)
        entries, hidden = timeline(case, fs, view.as_of)
        options: list[Option] = []
        for i, e in enumerate(entries):
            options.append(Option(entry_prompt(e), id=f"rec-{i}"))
            for j, f in enumerate(e.findings):
                options.append(Option(finding_prompt(f, view), id=f"find-{i}-{j}"))
        if hidden:
            options.append(Option(Text(f"{hidden} records dated after {view.as_of} are not shown.", "italic"), disabled=True))
        timeline_list.add_options(options)
        qs = wb.questions(case.case_id)
        questions.add_options([Option(question_prompt(wb, case.case_id, q), id=f"q-{q.id}") for q in qs])
        if not qs:
            self.query_one("#review-evidence", Static).update(evidence_text(wb, case.case_id, None))
            return
        ids = [q.id for q in qs]
        if self.question_id not in ids:
            self.question_id = ids[0]
        questions.highlighted = ids.index(self.question_id)
        self.show_evidence()

    def current_question(self) -> Question | None:
        if self.case_id is None or self.question_id is None:
            return None
        return next((q for q in self.wb.questions(self.case_id) if q.id == self.question_id), None)

    def show_evidence(self) -> None:
        self.query_one("#review-evidence", Static).update(evidence_text(self.wb, self.case_id, self.current_question()))

    @on(OptionList.OptionHighlighted, "#review-questions")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id.startswith("q-"):
            self.question_id = event.option.id[2:]
            self.show_evidence()

    # -- answering ------------------------------------------------------------------------------

    def action_answer(self, value: str) -> None:
        q = self.current_question()
        if q is None:
            self.notify("No question to answer here.", severity="warning")
            return
        try:
            self.wb.answer(self.case_id, q.id, value)  # on disk before the next key is read
        except ReviewWriteError as exc:
            self.notify(f"Not saved: {exc}", severity="error", timeout=15, markup=False)
            return
        nxt = self.wb.next_unanswered(self.case_id, q.id)
        if nxt is None:
            self.notify("Every question of the sample is answered: b shows the ratings.", timeout=8)
        else:
            if nxt.case != self.case_id:
                self.notify(f"{self.case_id} done; next: {nxt.case}", markup=False)
            self.case_id, self.question_id = nxt.case, nxt.question
        self.render_case()

    def action_note(self) -> None:
        q = self.current_question()
        if q is None:
            return
        case_id = self.case_id

        def chosen(text: str | None) -> None:
            if text is None:
                return
            try:
                self.wb.note(case_id, q.id, text)
            except ReviewWriteError as exc:
                self.notify(f"Not saved: {exc}", severity="error", timeout=15, markup=False)
                return
            self.render_case()

        self.app.push_screen(NoteScreen(q, case_id, self.wb.note_of(case_id, q.id)), chosen)

    def action_step_case(self, step: int) -> None:
        if self.case_id is None:
            return
        self.case_id = self.wb.step_case(self.case_id, step)
        pos = self.wb.next_unanswered(self.case_id, None)
        self.question_id = pos.question if pos is not None and pos.case == self.case_id else None
        self.render_case()

    def action_board(self) -> None:
        self.app.push_screen(ReviewBoardScreen(self.wb))

    def action_back(self) -> None:
        self.app.action_show("dashboard")


class ReviewBoardScreen(AuditScreen):
    """The ratings so far: each standard with its range, and where reviewers and the records disagree."""

    BINDINGS = bindings.REVIEW_BOARD

    def __init__(self, workbench: Workbench) -> None:
        super().__init__()
        self.wb = workbench

    def compose_body(self) -> ComposeResult:
        yield VerticalScroll(Static(id="board-text"), id="review-board")

    def show_view(self, view: AuditView) -> None:
        pipeline = getattr(self.app, "pipeline", None)  # the config as it is now: the service's own ratings
        self.query_one("#board-text", Static).update(board_text(self.wb, getattr(pipeline, "config", None)))

    def let_go(self) -> None:
        self.wb = None

    def action_back(self) -> None:
        self.app.pop_screen()


def board_text(wb: Workbench, config=None) -> Text:
    """The board; with ``config`` (a :class:`rules.config.Config`), the overall line of the service's own
    organisational ratings when it enters them, as ``yos-audit review`` shows it."""
    from rules.errors import ConfigError
    from rules.report.review_common import (
        DISAGREE_SHOWN,
        disagreements,
        indicated_text,
        interval,
        overall_lines,
        pct,
        rating_text,
    )

    config_error = None
    try:
        result = wb.result(config=config)
    except ConfigError as exc:  # the service's own ratings are not this framework's: say so, show the rest
        config_error = str(exc)
        result = wb.result()
    roll = result.rollup
    text = Text.assemble(("Ratings so far", "bold"), f" ({wb.framework.label}; sample {wb.progress()}; "
                         f"{plural(result.reviewed, 'case')} with answers from every reviewer in {Path(wb.path).name})\n\n")
    width = max(len(f"{s.id} {s.standard.title}") for s in roll.standards)
    for s in roll.standards:
        style = {0: "bold green", 1: "green", 2: "yellow", 3: "bold red"}.get(roll.ratings.rank(s.rating) or 0, "")
        text.append(f"{s.id} {s.standard.title}".ljust(width + 2))
        text.append(f"{pct(s.shown):>7}  ")
        text.append(rating_text(s), style if s.rating else "dim")
        text.append(f"   indicated {indicated_text(s)}\n", "dim")
    text.append(f"\nCase-level points: {roll.points} of {roll.max_points}\n")
    overall = overall_lines(result)
    if overall:
        text.append(overall[0] + "\n", "bold")
        for line in overall[1:]:
            text.append(f"  {line}\n", "dim")
    if config_error:
        text.append(f"Overall: not shown: {config_error}\n", "yellow")
    text.append("\n")
    text.append("Key questions", "bold")
    text.append("  (yes/no · percent · 95% range · agreement with the records)\n")
    for q in roll.questions:
        if q.yes + q.no + q.na:
            text.append(f"  {q.id} {q.yes}/{q.no}  {pct(q.shown)}  ({interval(q)})  agree {q.agreement_same} of {q.agreement_cases}\n")
    worst = disagreements(result)
    text.append("\nWhere reviewers and the records disagree most\n", "bold")
    if not worst:
        text.append("  nowhere yet\n", "dim")
    for q in worst[:DISAGREE_SHOWN]:
        text.append(f"  {q.id} ", "bold")
        text.append(f"{q.question.text}: agree in {q.agreement_same} of {q.agreement_cases}\n")
    if result.problems:
        text.append(f"\n{plural(len(result.problems), 'problem')} in the answers file: `yos-audit review` lists them.\n", "yellow")
    return text


def open_review(app) -> None:
    """``v``: ask who is reviewing (once a session), then open the workbench on the answers file."""
    from rules.review import ANSWERS_NAME

    if app.view is None:
        app.notify("The audit is still running.", severity="warning")
        return
    path = Path(getattr(app, "review_path", None) or ANSWERS_NAME)

    def start(name: str | None) -> None:
        if not name:
            return
        app.reviewer = name
        try:
            from rules.output import run_inputs

            protected = run_inputs(app.view.load, app.pipeline.config, app.pipeline.waivers_path)
            wb = Workbench(path, name, app.view, protected=protected)
        except (ValueError, ReviewWriteError, OSError) as exc:
            app.notify(f"The review cannot open: {exc}", severity="error", timeout=20, markup=False)
            return
        while len(app.screen_stack) > 1:
            app.pop_screen()
        app.push_screen(ReviewScreen(wb))

    reviewer = getattr(app, "reviewer", None)
    if reviewer:
        start(reviewer)
    else:
        app.push_screen(ReviewerScreen(default_reviewer(path)), start)
