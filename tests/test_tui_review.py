"""The review workbench driven by a pilot (issue 19): answering with one key, a note, the answers on disk
before the next key, resuming after a restart and after a crash between two answers, and the ratings."""

from __future__ import annotations

import datetime as dt
import stat

from textual.widgets import Input, OptionList
from tui_helpers import make_app, plain, run_command, settle, until

import rules.output
from rules.review import read_answers
from tui.screens.review import ReviewBoardScreen, ReviewerScreen, ReviewScreen

SIZE = (120, 40)


def _answers(path):
    f = read_answers(path)
    return {(r.case, r.reviewer): (dict(r.answers), dict(r.notes)) for r in f.reviews}


async def _open(pilot):
    await settle(pilot)
    await pilot.press("v")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "the workbench")
    await pilot.pause()
    return pilot.app.screen


async def test_answer_with_one_key_then_the_next_question_comes_up(tmp_path):
    path = tmp_path / "answers.toml"
    app = make_app(tmp_path, review_path=path, reviewer="Ann")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        wb = screen.wb
        assert wb.sample.strata == "court-team" and len(wb.sample_ids) == 8  # every case: fewer than 30
        assert read_answers(path).sample.cases == wb.sample.cases  # the draw is kept in the file
        first, q1 = screen.case_id, screen.question_id
        assert "Your answer: —" in str(screen.query_one("#review-questions", OptionList).get_option_at_index(0).prompt)
        assert "0 of 8 reviewed" in plain(screen.query_one("#review-head"))
        await pilot.press("y")
        # on disk before the next key is read
        assert _answers(path)[(first, "Ann")][0] == {q1: "yes"}
        assert screen.case_id == first and screen.question_id != q1
        q2 = screen.question_id
        await pilot.press("n")
        assert _answers(path)[(first, "Ann")][0] == {q1: "yes", q2: "no"}
        await pilot.press("a")
        assert len(_answers(path)[(first, "Ann")][0]) == 3
        assert "Evidence for" in plain(screen.query_one("#review-evidence"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_a_case_completed_moves_on_and_counts_as_reviewed(tmp_path):
    path = tmp_path / "answers.toml"
    app = make_app(tmp_path, review_path=path, reviewer="Ann")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        first = screen.case_id
        for _ in screen.wb.questions(first):
            await pilot.press("y")
        assert screen.case_id != first and screen.wb.complete(first)
        assert "1 of 8 reviewed" in plain(screen.query_one("#review-head"))


async def test_a_note_is_written_and_never_an_answer(tmp_path):
    path = tmp_path / "answers.toml"
    app = make_app(tmp_path, review_path=path, reviewer="Ann")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        case, q = screen.case_id, screen.question_id
        await pilot.press("t")
        await until(pilot, lambda: bool(pilot.app.screen.query("#note-text")), "the note dialog")
        await pilot.press(*"No plan after the move")
        await pilot.press("enter")
        await until(pilot, lambda: pilot.app.screen is screen, "back to the workbench")
        answers, notes = _answers(path)[(case, "Ann")]
        assert notes == {q: "No plan after the move"} and answers == {}
        assert screen.question_id == q  # a note does not move on
        assert "Note: No plan after the move" in str(screen.query_one("#review-questions", OptionList).get_option_at_index(0).prompt)


async def test_resume_after_quitting_where_the_reviewer_stopped(tmp_path):
    path = tmp_path / "answers.toml"
    app = make_app(tmp_path, review_path=path, reviewer="Ann")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("y", "y")
        stopped = (screen.case_id, screen.question_id)
        await pilot.press("q")
    again = make_app(tmp_path, review_path=path, reviewer="Ann")
    async with again.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        assert (screen.case_id, screen.question_id) == stopped
        # another reviewer starts at the beginning and leaves Ann's answers alone
    other = make_app(tmp_path, review_path=path, reviewer="Bob")
    async with other.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("n")
    got = _answers(path)
    assert len(got[(stopped[0], "Ann")][0]) == 2 and list(got[(stopped[0], "Bob")][0].values()) == ["no"]


async def test_a_crash_between_two_answers_loses_only_the_unsaved_one(tmp_path, monkeypatch):
    path = tmp_path / "answers.toml"
    app = make_app(tmp_path, review_path=path, reviewer="Ann")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        await pilot.press("y")
        saved = path.read_bytes()
        case, q = screen.case_id, screen.question_id

        def power_cut(*args, **kwargs):
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(rules.output.os, "replace", power_cut)
        await pilot.press("n")  # the write fails part way: not acknowledged, not moved on
        assert path.read_bytes() == saved
        assert (screen.case_id, screen.question_id) == (case, q)
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no half file left behind
        monkeypatch.undo()
    again = make_app(tmp_path, review_path=path, reviewer="Ann")
    async with again.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        assert (screen.case_id, screen.question_id) == (case, q)
        assert len(_answers(path)[(case, "Ann")][0]) == 1


async def test_who_reviews_is_asked_once_and_the_palette_opens_it(tmp_path):
    path = tmp_path / "answers.toml"
    path.write_text('[[review]]\ncase = "C-0001"\nreviewer = "Cy"\nreviewed_on = 2026-11-19\nanswers = {}\n', encoding="utf-8")
    app = make_app(tmp_path, review_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_command(pilot, "review: answer")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReviewerScreen), "who is reviewing")
        name = pilot.app.screen.query_one("#reviewer-name", Input)
        assert name.value == "Cy"  # the last reviewer of the file is offered
        name.value = "Dee"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "the workbench")
        assert pilot.app.screen.wb.reviewer == "Dee"
        await pilot.press("escape")
        await pilot.press("v")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "the workbench, without asking again")


async def test_the_ratings_so_far(tmp_path):
    path = tmp_path / "answers.toml"
    app = make_app(tmp_path, review_path=path, reviewer="Ann")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        first = screen.case_id
        for _ in screen.wb.questions(first):
            await pilot.press("n")
        await pilot.press("b")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReviewBoardScreen), "the ratings")
        await pilot.pause()
        text = plain(pilot.app.screen.query_one("#board-text"))
        assert "Ratings so far" in text and "Inadequate (could be Inadequate to" in text
        assert "Where reviewers and the records disagree most" in text
        assert "Case-level points: 0 of 21" in text
        assert "; 1 case with answers from every reviewer in answers.toml)" in text
        await pilot.press("escape")
        assert pilot.app.screen is screen
    assert read_answers(path).reviews[0].reviewed_on == dt.date.today()


async def test_one_of_a_kind_is_said_in_the_singular_on_the_board_and_in_the_reports(tmp_path):
    """"1 cases with answers from every reviewer", "1 input problem (1 errors)": the review's words for
    one case, one error, one case drawn, in the workbench and in ``yos-audit review``'s text and HTML."""
    import json

    from attrs import evolve
    from tui_helpers import CASELOAD

    from rules.load.problems import InputProblem, ProblemLevel
    from rules.report import review_html, review_text
    from rules.report.review_common import sample_lines

    data = json.loads(CASELOAD.read_text())
    data["cases"] = [c for c in data["cases"] if c["case_id"] == "C-0001"]  # a caseload of one case
    export = tmp_path / "one.json"
    export.write_text(json.dumps(data))
    path = tmp_path / "answers.toml"
    app = make_app(tmp_path, paths=(export,), review_path=path, reviewer="Ann")
    said = []
    notify = app.notify

    def recorded(message, *args, **kwargs):
        said.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recorded
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        assert any(m.startswith("Drew 1 of 1 case into ") for m in said)
        for _ in screen.wb.questions(screen.case_id):
            await pilot.press("n")
        await pilot.press("b")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReviewBoardScreen), "the ratings")
        await pilot.pause()
        board = plain(pilot.app.screen.query_one("#board-text"))
        assert "; 1 case with answers from every reviewer in answers.toml)" in board
        result = screen.wb.result()
    error = InputProblem(ProblemLevel.ERROR, "answers.toml", "not a date", "C-0001", "review[0].reviewed_on")
    assert "\n1 input problem (1 error): see standard error" in review_text.render(evolve(result, problems=(error,)))
    warning = evolve(error, level=ProblemLevel.WARNING)
    assert "\n1 input problem (0 errors): see standard error" in review_text.render(evolve(result, problems=(warning,)))
    html = review_html.render(result)
    assert "reviewers agree with the indication in 0 of 1 case</li>" in html and " of 1 cases" not in html
    assert sample_lines(result)[0].startswith("Sample: 1 of 1 case drawn with seed 0")
    unknown_population = evolve(result, sample=evolve(result.sample, population=None))
    assert sample_lines(unknown_population)[0].startswith("Sample: 1 case drawn with seed 0")
