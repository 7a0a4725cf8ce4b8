"""The review workbench's state, without textual: the sample, one reviewer's answers, where to resume,
each case's questions with their indications and evidence, and the ratings so far.

Every answer goes to the answers file (:func:`rules.review.write_answer`: atomic, comments and other
reviewers' entries kept, owner-only) before the workbench takes the next key; the file is the only
memory, so quitting, or a crash, loses nothing that was acknowledged, and reopening resumes at the
first question of the sample not answered yet.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from attrs import frozen

from rules.frameworks import Framework, FrameworkError, Question, load_framework, shipped
from rules.indicators import Evidence, Indications, evidence, indicate
from rules.model import Case
from rules.outcomes import Finding, Outcome
from rules.review import (
    ANSWERS_NAME,
    AnswersFile,
    ReviewResult,
    SampleSpec,
    organisational_of,
    read_answers,
    review,
    write_answer,
    write_sample,
)
from rules.sampling import draw_sample
from rules.words import plural

#: the sample the workbench draws when the answers file has none (``yos-audit review --sample N`` draws another)
DEFAULT_SAMPLE = 30
ANSWER_WORDS = {"yes": "yes", "no": "no", "na": "not applicable"}


@frozen
class Position:
    case: str
    question: str | None


class Workbench:
    """One reviewer's review of the sample in an answers file, over an audit (an :class:`AuditView`)."""

    def __init__(
        self,
        path: str | Path,
        reviewer: str,
        view,
        framework: Framework | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        protected=(),
    ) -> None:
        self.path = Path(path)
        self.reviewer = reviewer
        self.view = view
        self.today = today
        #: files the answers may never be written over (the exports, the config): a Protected or paths
        self.protected = protected
        self.notice: str | None = None
        answers = read_answers(self.path, missing_ok=True)
        if answers.problems and any(p.level == "error" for p in answers.problems):
            raise ValueError("; ".join(str(p) for p in answers.problems if p.level == "error"))
        if framework is None:
            try:
                framework = load_framework(answers.framework, self.path.parent) if answers.framework else shipped("hmip-2018")
            except FrameworkError as exc:
                raise ValueError(str(exc)) from None
        self.framework = framework
        audit = view.audit
        self.cases: dict[str, Case] = {c.case_id: c for c in audit.cases}
        findings = view.waivers.findings
        self._findings: dict[str, list[Finding]] = defaultdict(list)
        for f in findings:
            self._findings[f.case_id].append(f)
        self._outcomes: dict[str, list[Outcome]] = defaultdict(list)
        for o in audit.outcomes:
            self._outcomes[o.case_id].append(o)
        self.indications: Indications = indicate(framework, audit.cases, audit.outcomes, findings, (r.code for r in audit.rules))
        sample = answers.sample
        if sample is None:
            sample = self._draw(answers)
        self.sample = sample
        self.sample_ids = tuple(c for c in sample.cases if c in self.cases)
        self.missing = tuple(c for c in sample.cases if c not in self.cases)
        self._answers: dict[str, dict[str, str]] = {}
        self._notes: dict[str, dict[str, str]] = {}
        self._load(answers)

    # -- the file -------------------------------------------------------------------------------

    def _draw(self, answers: AnswersFile) -> SampleSpec:
        started = [c for c in self.view.audit.cases if c.start_date <= self.view.as_of]
        _, drawn = draw_sample(started or self.view.audit.cases, min(DEFAULT_SAMPLE, max(len(started), 1)), 0, "court-team")
        spec = SampleSpec(drawn.size, drawn.seed, drawn.strata_by, drawn.case_ids, drawn.population, self.today())
        write_sample(self.path, spec, None if answers.framework else self.framework.id, self.protected)
        self.notice = (f"Drew {spec.size} of {plural(drawn.population, 'case')} into {self.path} (seed 0, by court or "
                       "out-of-court work and team); `yos-audit review --sample N --seed S` draws another.")
        return spec

    def _load(self, answers: AnswersFile) -> None:
        mine: dict[str, tuple] = {}
        for r in answers.reviews:
            if r.reviewer != self.reviewer:
                continue
            if r.case not in mine or (r.reviewed_on, r.index) >= mine[r.case][0]:
                mine[r.case] = ((r.reviewed_on, r.index), r)
        for case, (_, r) in mine.items():
            self._answers[case] = dict(r.answers)
            self._notes[case] = dict(r.notes)

    def reload(self) -> None:
        self._answers.clear()
        self._notes.clear()
        self._load(read_answers(self.path, missing_ok=True))

    # -- a case and its questions -------------------------------------------------------------------

    def questions(self, case_id: str) -> tuple[Question, ...]:
        """The questions of the standards that cover the case, in the framework's order."""
        case = self.cases.get(case_id)
        if case is None:
            return ()
        covers = {s.id for s in self.framework.standards if case.group in s.covers}
        return tuple(q for q in self.framework.questions if q.standard in covers)

    def answer_of(self, case_id: str, question_id: str) -> str | None:
        return self._answers.get(case_id, {}).get(question_id)

    def note_of(self, case_id: str, question_id: str) -> str:
        return self._notes.get(case_id, {}).get(question_id, "")

    def indication(self, case_id: str, question_id: str) -> str | None:
        return self.indications.of(question_id, case_id)

    def evidence(self, case_id: str, question: Question) -> list[Evidence]:
        return evidence(question, self._outcomes.get(case_id, ()), self._findings.get(case_id, ()))

    def findings(self, case_id: str) -> tuple[Finding, ...]:
        return tuple(self._findings.get(case_id, ()))

    def answered(self, case_id: str) -> int:
        return sum(1 for q in self.questions(case_id) if self.answer_of(case_id, q.id))

    def complete(self, case_id: str) -> bool:
        qs = self.questions(case_id)
        return bool(qs) and all(self.answer_of(case_id, q.id) for q in qs)

    @property
    def reviewed(self) -> int:
        """Sample cases with every question answered."""
        return sum(self.complete(c) for c in self.sample_ids)

    def progress(self) -> str:
        return f"{self.reviewed} of {len(self.sample_ids)} reviewed"

    # -- where to be --------------------------------------------------------------------------------

    def resume(self) -> Position | None:
        """The first question of the sample not answered yet (None: the sample is done, or empty)."""
        for c in self.sample_ids:
            for q in self.questions(c):
                if not self.answer_of(c, q.id):
                    return Position(c, q.id)
        return Position(self.sample_ids[0], None) if self.sample_ids else None

    def next_unanswered(self, case_id: str, after: str | None) -> Position | None:
        """The next unanswered question after ``after`` in this case, else in the cases after it."""
        qs = [q.id for q in self.questions(case_id)]
        start = qs.index(after) + 1 if after in qs else 0
        for q in qs[start:] + qs[:start]:
            if not self.answer_of(case_id, q):
                return Position(case_id, q)
        order = list(self.sample_ids)
        i = order.index(case_id) if case_id in order else -1
        for c in order[i + 1:] + order[: max(i, 0)]:
            for q in self.questions(c):
                if not self.answer_of(c, q.id):
                    return Position(c, q.id)
        return None

    def step_case(self, case_id: str, step: int) -> str | None:
        order = list(self.sample_ids)
        if not order:
            return None
        i = order.index(case_id) if case_id in order else 0
        return order[(i + step) % len(order)]

    # -- answering ----------------------------------------------------------------------------------

    def answer(self, case_id: str, question_id: str, value: str) -> None:
        """Write the answer (yes, no, na; "" clears it) to the file, then remember it. Raises
        :class:`rules.review.ReviewWriteError` with nothing remembered if it could not be written."""
        write_answer(self.path, self.reviewer, case_id, question_id, value, today=self.today(),
                     framework=self.framework.id, protected=self.protected)
        table = self._answers.setdefault(case_id, {})
        if value:
            table[question_id] = value
        else:
            table.pop(question_id, None)

    def note(self, case_id: str, question_id: str, text: str) -> None:
        write_answer(self.path, self.reviewer, case_id, question_id, None, note=text, today=self.today(),
                     framework=self.framework.id, protected=self.protected)
        if text.strip():
            self._notes.setdefault(case_id, {})[question_id] = text
        else:
            self._notes.get(case_id, {}).pop(question_id, None)

    # -- the ratings so far -------------------------------------------------------------------------

    def result(self, others: Sequence[str | Path] = (), config=None) -> ReviewResult:
        """Every reviewer's answers in the file (and ``others``) rolled up over the whole caseload; with
        the service's own organisational ratings if ``config`` (a :class:`rules.config.Config`) enters
        them, as ``yos-audit review`` does. :class:`rules.errors.ConfigError` if they are not the
        framework's."""
        files = [read_answers(self.path, missing_ok=True), *(read_answers(p) for p in others)]
        audit = self.view.audit
        organisational, entered_in = organisational_of(config, self.framework) if config is not None else ({}, None)
        done = review(self.framework, self.framework.ratings(_ratings(self.view)), audit.as_of, audit.cases,
                      self.cases, files, self.indications, organisational=organisational, entered_in=entered_in)
        from attrs import evolve

        return evolve(done, sample=self.sample)


def _ratings(view) -> Mapping | None:
    scoring = getattr(getattr(view, "scores", None), "settings", None)
    if scoring is None:
        return None
    return {label: int(t) if t.denominator == 1 else float(t) for label, t in scoring.ratings.thresholds}


def default_reviewer(path: str | Path = ANSWERS_NAME) -> str:
    """The reviewer the answers file last names (to offer when the workbench asks who is reviewing)."""
    f = read_answers(path, missing_ok=True)
    return f.reviews[-1].reviewer if f.reviews else ""
