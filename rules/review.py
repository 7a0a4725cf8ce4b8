"""The case review (``shared/spec/review.md``): reviewers' answers to a framework's key questions,
read, checked, merged, rolled up beside the rules' indications; and one answer written at a time.

The answers file (default ``yos-audit-review.toml``; one a reviewer, several merge)::

    framework = "hmip-2018"          # a shipped framework id, or a path to a framework file

    [sample]                         # optional: the cases drawn to review (yos-audit review --sample N)
    size = 30
    seed = 7
    strata = "court-team"
    cases = ["C-0012", "C-0031"]

    [[review]]
    case = "C-0012"
    reviewer = "Team manager, North"
    reviewed_on = 2026-11-25
    answers = { "2.1.1" = "yes", "2.1.2" = "no", "2.1.3" = "na" }
    notes = { "2.1.2" = "No safety plan after the move in October" }

Problems are :class:`~rules.load.InputProblem`\\ s naming the file, the review's case and the field
(``review[2].answers."2.1.4"``): a case not in the export, an unknown question, an answer other than
``yes``, ``no`` and ``na``, two reviews of a case on the same latest date with different answers are
errors (exit 2); a question of a standard that does not cover the case, and an unknown key, are
warnings. What is wrong is not counted; everything else is. A review of a case outside the sample drawn
(the file's ``[sample]``, else the review's) is a warning and is counted all the same: a manager may add
a case to the sample on purpose.

Several reviews of one case: the latest ``reviewed_on`` counts, the others are listed as superseded.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import tomli_w
from attrs import evolve, field, frozen

from rules.files import MAX_SETTINGS_BYTES, FileError, read_regular
from rules.frameworks import Framework, FrameworkError, load_framework
from rules.indicators import Indications
from rules.load.problems import InputProblem, ProblemLevel
from rules.model import Case
from rules.scales import Scale
from rules.scoring import Counted, Rollup, roll_up
from rules.tomlfile import TomlFileError, read_toml
from rules.words import plural

ANSWERS_NAME = "yos-audit-review.toml"
ANSWERS = ("yes", "no", "na")
_TOP = {"framework", "review", "sample"}
_REVIEW_KEYS = {"case", "reviewer", "reviewed_on", "answers", "notes"}
_SAMPLE_KEYS = {"size", "seed", "strata", "cases", "drawn_on", "population"}

ERROR, WARNING = ProblemLevel.ERROR, ProblemLevel.WARNING


class ReviewWriteError(Exception):
    """An answer that could not be written; the message says why (one line)."""


@frozen
class Review:
    case: str
    reviewer: str
    reviewed_on: dt.date
    answers: Mapping[str, str] = field(factory=dict)
    notes: Mapping[str, str] = field(factory=dict)
    #: where it was read: the file and its place there (``review[i]``)
    file: str = ""
    index: int = 0

    @property
    def where(self) -> str:
        return f"review[{self.index}]"


@frozen
class SampleSpec:
    """The cases drawn to be reviewed, as the answers file keeps them."""

    size: int
    seed: int
    strata: str
    cases: tuple[str, ...]
    population: int | None = None
    drawn_on: dt.date | None = None


@frozen
class AnswersFile:
    path: str
    framework: str | None = None
    reviews: tuple[Review, ...] = ()
    sample: SampleSpec | None = None
    problems: tuple[InputProblem, ...] = ()
    exists: bool = True


def _key(q: str) -> str:
    return q if re.fullmatch(r"[A-Za-z0-9_-]+", q) else '"' + q.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_answers(path: str | Path, missing_ok: bool = False) -> AnswersFile:
    """An answers file, checked for what needs no export or framework: types and keys."""
    name = str(path)
    path = Path(path)
    if missing_ok and not path.exists():
        return AnswersFile(name, exists=False)
    try:
        data = read_toml(path, "answers file")
    except TomlFileError as exc:
        return AnswersFile(name, problems=(InputProblem(ERROR, name, str(exc)),), exists=path.exists())
    problems: list[InputProblem] = []

    def bad(level, message, case=None, field=None):
        problems.append(InputProblem(level, name, message, case, field))

    for k in data:
        if k not in _TOP:
            bad(WARNING, f"unknown key (known: {', '.join(sorted(_TOP))}); ignored", field=k)
    framework = data.get("framework")
    if framework is not None and (not isinstance(framework, str) or not framework.strip()):
        bad(ERROR, "expected a framework id or the path of a framework file", field="framework")
        framework = None
    reviews: list[Review] = []
    raw = data.get("review", [])
    if not isinstance(raw, list) or not all(isinstance(r, Mapping) for r in raw):
        bad(ERROR, "expected [[review]] tables", field="review")
        raw = []
    for i, r in enumerate(raw):
        at = f"review[{i}]"
        case = r.get("case")
        cid = case if isinstance(case, str) and case.strip() else None
        for k in r:
            if k not in _REVIEW_KEYS:
                bad(WARNING, f"unknown key (known: {', '.join(sorted(_REVIEW_KEYS))}); ignored", cid, f"{at}.{k}")
        if cid is None:
            bad(ERROR, "missing or not text: the case_id of the case reviewed", None, f"{at}.case")
            continue
        reviewer = r.get("reviewer")
        if not isinstance(reviewer, str) or not reviewer.strip():
            bad(ERROR, "missing or not text: who reviewed the case", cid, f"{at}.reviewer")
            continue
        day = r.get("reviewed_on")
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            bad(ERROR, "missing or not a TOML date (reviewed_on = 2026-11-25)", cid, f"{at}.reviewed_on")
            continue
        answers: dict[str, str] = {}
        table = r.get("answers", {})
        if not isinstance(table, Mapping):
            bad(ERROR, 'expected a table of question = "yes" | "no" | "na"', cid, f"{at}.answers")
            table = {}
        for q, a in table.items():
            if a not in ANSWERS:
                shown = repr(a) if isinstance(a, str) else type(a).__name__
                bad(ERROR, f"the answer must be yes, no or na, not {shown}", cid, f"{at}.answers.{_key(q)}")
                continue
            answers[q] = a
        notes: dict[str, str] = {}
        table = r.get("notes", {})
        if not isinstance(table, Mapping):
            bad(ERROR, "expected a table of question = note", cid, f"{at}.notes")
            table = {}
        for q, n in table.items():
            if not isinstance(n, str):
                bad(WARNING, "a note must be text; ignored", cid, f"{at}.notes.{_key(q)}")
                continue
            notes[q] = n
        reviews.append(Review(cid, reviewer.strip(), day, answers, notes, name, i))
    sample = None
    raw_sample = data.get("sample")
    if raw_sample is not None:
        sample = _read_sample(raw_sample, bad)
    return AnswersFile(name, framework.strip() if framework else None, tuple(reviews), sample, tuple(problems))


def _read_sample(t: Any, bad) -> SampleSpec | None:
    if not isinstance(t, Mapping):
        bad(ERROR, "expected a table", field="sample")
        return None
    for k in t:
        if k not in _SAMPLE_KEYS:
            bad(WARNING, f"unknown key (known: {', '.join(sorted(_SAMPLE_KEYS))}); ignored", field=f"sample.{k}")
    cases = t.get("cases")
    if not isinstance(cases, list) or not all(isinstance(c, str) for c in cases):
        bad(ERROR, "expected the list of the case ids drawn", field="sample.cases")
        return None
    ints = {}
    for k in ("size", "seed", "population"):
        v = t.get(k)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
            bad(ERROR, "expected a whole number", field=f"sample.{k}")
            v = None
        ints[k] = v
    strata = t.get("strata")
    drawn = t.get("drawn_on")
    return SampleSpec(
        ints["size"] if ints["size"] is not None else len(cases), ints["seed"] or 0,
        strata if isinstance(strata, str) else "", tuple(cases), ints["population"],
        drawn if isinstance(drawn, dt.date) and not isinstance(drawn, dt.datetime) else None,
    )


# -- the framework a review is of ---------------------------------------------------------------------


def framework_for(option: str | None, files: Sequence[AnswersFile]) -> tuple[Framework, list[InputProblem]]:
    """The framework of the review: ``--framework`` if given, else the one the answers files name (all
    the same), else the default. A file naming another framework is an error; its reviews are not
    counted (the caller drops them: see :func:`merge`)."""
    from rules.frameworks import QUESTIONS_DEFAULT, shipped

    problems: list[InputProblem] = []
    named: list[tuple[AnswersFile, Framework]] = []
    for f in files:
        if f.framework is None:
            continue
        try:
            named.append((f, load_framework(f.framework, Path(f.path).parent)))
        except FrameworkError as exc:
            for file, key, message in exc.problems:
                problems.append(InputProblem(ERROR, f.path, f"{file}: {key + ': ' if key else ''}{message}", field="framework"))
    if option is not None:
        chosen = load_framework(option)
    elif named:
        chosen = named[0][1]
    else:
        chosen = shipped(QUESTIONS_DEFAULT)
    for f, fw in named:
        if fw.id != chosen.id:
            problems.append(InputProblem(
                ERROR, f.path, f"answers to {fw.id}, but the review is of {chosen.id}: its reviews are not counted",
                field="framework",
            ))
    return chosen, problems


# -- merging --------------------------------------------------------------------------------------------


@frozen
class Merged:
    #: case id -> the review that counts
    counted: Mapping[str, Review]
    superseded: tuple[Review, ...]
    problems: tuple[InputProblem, ...]


def check_and_merge(
    files: Sequence[AnswersFile], framework: Framework, known: Mapping[str, Case], skip_files: Iterable[str] = (),
) -> Merged:
    """Check every review against the export (``known``: every loaded case by id) and the framework,
    then merge: per case, the latest ``reviewed_on`` counts, earlier ones are superseded, and two
    latest reviews that disagree are an error and neither counts."""
    problems: list[InputProblem] = []
    skip = set(skip_files)
    questions = {q.id: q for q in framework.questions}
    standards = {s.id: s for s in framework.standards}
    by_case: dict[str, list[Review]] = defaultdict(list)
    for f in files:
        if f.path in skip:
            continue
        for r in f.reviews:
            at = r.where
            case = known.get(r.case)
            if case is None:
                problems.append(InputProblem(
                    ERROR, f.path, "no such case in the exports (or it was rejected for an input error)", r.case, f"{at}.case",
                ))
                continue
            answers: dict[str, str] = {}
            for q, a in r.answers.items():
                question = questions.get(q)
                if question is None:
                    problems.append(InputProblem(
                        ERROR, f.path, f"no key question {q!r} in {framework.id}", r.case, f"{at}.answers.{_key(q)}",
                    ))
                    continue
                if case.group not in standards[question.standard].covers:
                    group = case.group.value if case.group else "no outcome group"
                    problems.append(InputProblem(
                        WARNING, f.path,
                        f"standard {question.standard} does not cover this case ({group}): the answer is not counted",
                        r.case, f"{at}.answers.{_key(q)}",
                    ))
                    continue
                answers[q] = a
            for q in r.notes:
                if q not in questions:
                    problems.append(InputProblem(
                        WARNING, f.path, f"no key question {q!r} in {framework.id}: the note is ignored", r.case, f"{at}.notes.{_key(q)}",
                    ))
            by_case[r.case].append(evolve(r, answers=answers))
    counted: dict[str, Review] = {}
    superseded: list[Review] = []
    for case_id, reviews in by_case.items():
        latest = max(r.reviewed_on for r in reviews)
        top = [r for r in reviews if r.reviewed_on == latest]
        superseded += [r for r in reviews if r.reviewed_on != latest]
        if any(dict(r.answers) != dict(top[0].answers) for r in top[1:]):
            where = "; ".join(f"{r.file} {r.where}" for r in top)
            problems.append(InputProblem(
                ERROR, top[-1].file,
                f"reviewed more than once on {latest} with different answers ({where}): neither counts",
                case_id, f"{top[-1].where}.reviewed_on",
            ))
            continue
        counted[case_id] = top[0]
    superseded.sort(key=lambda r: (r.case, r.reviewed_on, r.file, r.index))
    return Merged(counted, tuple(superseded), tuple(problems))


# -- the result ---------------------------------------------------------------------------------------


@frozen
class ReviewResult:
    """Everything ``yos-audit review`` reports."""

    as_of: dt.date
    framework: Framework
    #: the cases in scope (after --team / --case-manager)
    cases: int
    #: cases in scope with a counted review that answers at least one question
    reviewed: int
    rollup: Rollup
    superseded: tuple[Review, ...]
    problems: tuple[InputProblem, ...]
    #: case id -> the review counted (cases in scope only)
    counted: Mapping[str, Review] = field(factory=dict)
    sample: Any = None
    #: what sample size would narrow each standard's rating range (:mod:`rules.sampling`), if worked out
    sizing: tuple = ()
    as_of_source: str | None = None
    as_of_reason: str | None = None
    rejected: int = 0
    #: standard id -> the cases in scope it covers
    covered: Mapping[str, int] = field(factory=dict)
    #: the service the cases are of (the export's service.name); None where the export does not say
    service: str | None = None

    @property
    def ok(self) -> bool:
        return not any(p.level is ERROR for p in self.problems)


def tally_answers(
    framework: Framework, counted: Mapping[str, Review], in_scope: Mapping[str, Case], indications: Indications | None,
) -> tuple[dict[str, Counted], dict[str, tuple[int, int]], int]:
    """(answers per question, agreement per question, cases reviewed) over the counted reviews of
    cases in scope."""
    answers: dict[str, list[int]] = {q.id: [0, 0, 0, 0] for q in framework.questions}
    agree: dict[str, list[int]] = {q.id: [0, 0] for q in framework.questions}
    covered = indications.covered if indications is not None else None
    standards = {s.id: s for s in framework.standards}
    slot = {"yes": 0, "no": 1, "na": 2}
    reviewed = 0
    for case_id, r in counted.items():
        case = in_scope.get(case_id)
        if case is None or not r.answers:
            continue
        reviewed += 1
        for q in framework.questions:
            covers = case_id in covered[q.standard] if covered is not None else case.group in standards[q.standard].covers
            if not covers:
                continue
            a = r.answers.get(q.id)
            if a is None:
                answers[q.id][3] += 1
                continue
            answers[q.id][slot[a]] += 1
            if a != "na" and indications is not None:
                said = indications.of(q.id, case_id)
                if said is not None:
                    agree[q.id][0] += 1
                    agree[q.id][1] += said == a
    return (
        {k: Counted(*v) for k, v in answers.items()},
        {k: (v[0], v[1]) for k, v in agree.items()},
        reviewed,
    )


def review(
    framework: Framework,
    ratings: Scale,
    as_of: dt.date,
    cases: Sequence[Case],
    known: Mapping[str, Case],
    files: Sequence[AnswersFile],
    indications: Indications | None,
    skip_files: Iterable[str] = (),
    extra_problems: Iterable[InputProblem] = (),
    sample: SampleSpec | None = None,
    organisational: Mapping[str, str] | None = None,
    entered_in: str | None = None,
) -> ReviewResult:
    """Check, merge and roll up the answers of ``files`` over ``cases`` (those in scope) beside the
    ``indications``; ``known`` is every loaded case (a review of a case outside the scope is not
    counted, and is no error). ``sample`` is the review's sample (the report's): a file without a
    ``[sample]`` of its own is held to it (see :func:`outside_sample`). ``organisational``: the
    service's own ratings of the organisational standards, entered in ``entered_in``
    (:func:`organisational_of`), for the overall rating; never judged here."""
    merged = check_and_merge(files, framework, known, skip_files)
    in_scope = {c.case_id: c for c in cases}
    counted = {k: r for k, r in merged.counted.items() if k in in_scope}
    answers, agreement, reviewed = tally_answers(framework, counted, in_scope, indications)
    indicated = {q.id: indications.counts(q.id) for q in framework.questions} if indications is not None else {}
    rollup = roll_up(framework, ratings, answers, indicated, agreement, organisational, entered_in)
    problems = (*extra_problems, *(p for f in files for p in f.problems), *merged.problems,
                *outside_sample(files, counted, sample))
    if indications is not None:
        covered = {k: len(v) for k, v in indications.covered.items()}
    else:
        covered = {s.id: sum(c.group in s.covers for c in cases) for s in framework.standards}
    return ReviewResult(
        as_of, framework, len(cases), reviewed, rollup, merged.superseded, tuple(problems), counted, covered=covered,
        sample=sample,
    )


def organisational_of(config: Any, framework: Framework) -> tuple[dict[str, str], str | None]:
    """(the service's own ratings of ``framework``'s organisational standards, the name of the config
    file they are entered in) from ``config``'s ``[scoring.organisational]``; ({}, None) when it enters
    none. :class:`rules.errors.ConfigError` naming the file, the key and the value when they are not
    the framework's (:func:`rules.frameworks.organisational_ratings`)."""
    from rules.frameworks import organisational_ratings

    scoring = getattr(config, "scoring", None)
    table = scoring.get("organisational") if isinstance(scoring, Mapping) else None
    where = f"{config.source}: " if getattr(config, "source", None) else ""
    entered = organisational_ratings(framework, table, where)
    if not entered:
        return {}, None
    return entered, config_name(config)


def config_name(config: Any) -> str:
    """The config file as a report names it: its name only (``yos-audit.toml``; ``pyproject.toml
    [tool.yos-audit]``), never the folders above it, which may name a person."""
    table = " [tool.yos-audit]"
    source = str(getattr(config, "source", "") or "")
    file = getattr(config, "file", None) or source.removesuffix(table) or "the config"
    name = Path(str(file)).name
    return name + table if source.endswith(table) else name


def outside_sample(
    files: Sequence[AnswersFile], counted: Mapping[str, Review], sample: SampleSpec | None = None,
) -> list[InputProblem]:
    """A warning for each counted review of a case that is not in the sample drawn: its file's own
    ``[sample]``, else ``sample`` (the review's). It is counted all the same: a manager may add a case to
    the sample on purpose, but a case id mistyped as another case's would otherwise pass unseen."""
    own = {f.path: f.sample for f in files if f.sample is not None}
    out: list[InputProblem] = []
    for case_id, r in counted.items():
        drawn = own.get(r.file, sample)
        if drawn is None or case_id in drawn.cases:
            continue
        out.append(InputProblem(
            WARNING, r.file,
            f"not in the sample drawn (seed {drawn.seed}, {plural(len(drawn.cases), 'case')}): "
            "counted all the same, as a case added to the sample on purpose",
            case_id, f"{r.where}.case",
        ))
    return out


# -- writing one answer -------------------------------------------------------------------------------

_HEADER_RE = re.compile(r"^\s*\[\[\s*review\s*\]\]\s*(#.*)?$")
_TABLE_RE = re.compile(r"^\s*\[")


def _value(v: Any) -> str:
    """A TOML value as tomli_w writes it (strings escaped, dates plain)."""
    return tomli_w.dumps({"v": v}).split("=", 1)[1].strip()


def _inline(table: Mapping[str, str]) -> str:
    if not table:
        return "{}"
    return "{ " + ", ".join(f"{_value(k) if not re.fullmatch(r'[A-Za-z0-9_-]+', k) else k} = {_value(v)}" for k, v in table.items()) + " }"


def _block(entry: Mapping[str, Any]) -> list[str]:
    lines = ["[[review]]"]
    for k in ("case", "reviewer", "reviewed_on"):
        lines.append(f"{k} = {_value(entry[k])}")
    lines.append(f"answers = {_inline(entry.get('answers', {}))}")
    if entry.get("notes"):
        lines.append(f"notes = {_inline(entry['notes'])}")
    for k, v in entry.items():  # keys of someone else's making, kept
        if k not in ("case", "reviewer", "reviewed_on", "answers", "notes"):
            lines.append(f"{_value(k) if not re.fullmatch(r'[A-Za-z0-9_-]+', k) else k} = {_value(v)}")
    return lines


def _blocks(lines: list[str]) -> list[tuple[int, int]] | None:
    """(first, end) line indices of each top-level ``[[review]]`` block, or None if the layout is one
    this editor does not follow (a review table under another header)."""
    spans: list[tuple[int, int]] = []
    start = None
    for i, line in enumerate(lines):
        if _HEADER_RE.match(line):
            if start is not None:
                spans.append((start, i))
            start = i
        elif start is not None and _TABLE_RE.match(line) and not re.match(r"^\s*\[\s*review\s*\.", line):
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(lines)))
    # a block ends at its last line of content: the comments and blank lines after it belong to what follows
    out = []
    for first, end in spans:
        while end > first + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        out.append((first, end))
    return out


def _replace_line(block: list[str], key: str, text: str) -> bool:
    """Replace the one-line ``key = ...`` of a block with ``text``; False if there is none on one line."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for i, line in enumerate(block):
        if pattern.match(line):
            try:
                tomllib.loads(line)
            except tomllib.TOMLDecodeError:
                return False  # a value over several lines: leave it to the whole-block rewrite
            block[i] = text
            return True
    return False


def write_answer(
    path: str | Path,
    reviewer: str,
    case: str,
    question: str,
    answer: str | None = None,
    note: str | None = None,
    today: dt.date | None = None,
    framework: str | None = None,
    protected: Iterable[str | Path] = (),
) -> None:
    """Record one answer (and/or note) of ``reviewer`` on ``case`` in the answers file, atomically.

    The reviewer's latest review of the case is updated (its ``reviewed_on`` becomes ``today``), or a
    new ``[[review]]`` is added at the end. Everything else in the file is kept as written: comments,
    other reviewers' entries, keys we do not know. Only if the reviewer's own entry is written in a
    layout this editor does not follow (answers over several lines, a ``[review.answers]`` table) is that
    entry rewritten whole (its comment lines kept); if even that does not give the data it must, the
    file is written afresh from its data (its comments then lost), never half. ``answer`` None with a ``note``: the note alone; ``answer`` "" clears the answer. A file this
    creates is readable by its owner only (:func:`rules.output.write_file`).
    """
    if answer not in (None, "", *ANSWERS):
        raise ReviewWriteError(f"an answer is yes, no or na, not {answer!r}")
    today = today or dt.date.today()
    path = Path(path)
    try:
        old = read_regular(path, "answers file", MAX_SETTINGS_BYTES).decode("utf-8-sig") if path.exists() else ""
        data = tomllib.loads(old) if old else {}
    except (FileError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReviewWriteError(f"{path}: cannot read it to add the answer: {exc}") from None
    reviews = data.get("review", [])
    if not isinstance(reviews, list):
        raise ReviewWriteError(f"{path}: 'review' is not a list of [[review]] tables")
    mine = [i for i, r in enumerate(reviews) if isinstance(r, dict) and r.get("case") == case and r.get("reviewer") == reviewer]
    if mine:
        index = max(mine, key=lambda i: (reviews[i].get("reviewed_on") if isinstance(reviews[i].get("reviewed_on"), dt.date) else dt.date.min, i))
        entry = dict(reviews[index])
    else:
        index, entry = None, {"case": case, "reviewer": reviewer}
    answers = dict(entry.get("answers") or {})
    notes = dict(entry.get("notes") or {})
    if answer == "":
        answers.pop(question, None)
    elif answer is not None:
        answers[question] = answer
    if note is not None:
        if note.strip():
            notes[question] = note
        else:
            notes.pop(question, None)
    entry.update(reviewed_on=today, answers=answers)
    entry["notes"] = notes
    if not notes:
        entry.pop("notes")
    expected = dict(data)
    new_reviews = list(reviews)
    if index is None:
        new_reviews.append(entry)
    else:
        new_reviews[index] = entry
    expected["review"] = new_reviews
    if framework is not None and "framework" not in expected:
        expected = {"framework": framework, **expected}

    text = _edited(old, index, entry, framework if "framework" not in data else None)
    if text is None or _parsed(text) != expected:
        text = _rewritten(expected)
    _write(path, text, protected)


def _write(path: Path, text: str, protected: Iterable[str | Path]) -> None:
    """Whole or not at all (:func:`rules.output.write_file`), and readable by its owner only: the
    answers name cases and say what a reviewer thought of the work."""
    import os
    import stat

    from rules.output import OutputError, write_file

    try:
        write_file(path, text, protected)
        real = os.path.realpath(path)
        mode = os.stat(real).st_mode
        if stat.S_ISREG(mode) and mode & 0o077:
            os.chmod(real, stat.S_IMODE(mode) & 0o700)
    except OutputError as exc:
        raise ReviewWriteError(str(exc)) from None
    except OSError as exc:
        raise ReviewWriteError(f"{path}: {exc.strerror or exc}") from None


def _parsed(text: str) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _edited(old: str, index: int | None, entry: Mapping[str, Any], framework: str | None) -> str | None:
    """The file's text with one entry changed (or added), everything else as it was; None if its
    layout is not one to edit line by line."""
    lines = old.splitlines()
    if framework is not None:
        first = next((i for i, line in enumerate(lines) if _TABLE_RE.match(line)), len(lines))
        lines.insert(first, f"framework = {_value(framework)}")
        if first < len(lines) - 1:
            lines.insert(first + 1, "")
    if index is None:
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            lines.append("")
        lines += _block(entry)
        return "\n".join(lines) + "\n"
    spans = _blocks(lines)
    if spans is None or index >= len(spans):
        return None
    first, end = spans[index]
    block = lines[first:end]
    done = _replace_line(block, "reviewed_on", f"reviewed_on = {_value(entry['reviewed_on'])}") and (
        _replace_line(block, "answers", f"answers = {_inline(entry['answers'])}")
        or _append(block, f"answers = {_inline(entry['answers'])}", "answers")
    )
    if done and "notes" in entry:
        done = _replace_line(block, "notes", f"notes = {_inline(entry['notes'])}") or _append(
            block, f"notes = {_inline(entry['notes'])}", "notes"
        )
    elif done:
        block = [line for line in block if not re.match(r"^\s*notes\s*=", line)]
    if not done:  # a layout not to edit line by line: this entry rewritten whole, its own comments kept
        comments = [line for line in lines[first + 1:end] if line.lstrip().startswith("#")]
        block = [_block(entry)[0], *comments, *_block(entry)[1:]]
    lines[first:end] = block
    return "\n".join(lines) + "\n"


def _append(block: list[str], text: str, key: str) -> bool:
    """Add ``key = ...`` to a block that has no such key at all (not even over several lines or as a
    sub-table)."""
    if any(re.match(rf"^\s*{key}\s*=", line) or re.match(rf"^\s*\[\s*review\s*\.\s*{key}\s*\]", line) for line in block):
        return False
    sub = next((i for i, line in enumerate(block) if i and _TABLE_RE.match(line)), len(block))
    block.insert(sub, text)
    return True


def _rewritten(data: Mapping[str, Any]) -> str:
    out = ["# yos-audit case review answers (see `yos-audit review --help`).",
           "# Rewritten whole: its layout could not be edited line by line, so earlier comments are not kept.", ""]
    rest = {k: v for k, v in data.items() if k != "review"}
    if rest:
        out.append(tomli_w.dumps(rest).rstrip())
        out.append("")
    for r in data.get("review", []):
        out += _block(r)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def write_sample(path: str | Path, sample: SampleSpec, framework: str | None = None, protected: Iterable[str | Path] = ()) -> None:
    """Put the drawn sample into the answers file (created if absent), before its first table;
    everything else kept as written."""
    path = Path(path)
    try:
        old = read_regular(path, "answers file", MAX_SETTINGS_BYTES).decode("utf-8-sig") if path.exists() else ""
        data = tomllib.loads(old) if old else {}
    except (FileError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ReviewWriteError(f"{path}: cannot read it to add the sample: {exc}") from None
    if "sample" in data:
        raise ReviewWriteError(f"{path} already holds a sample")
    table: dict[str, Any] = {"size": sample.size, "seed": sample.seed, "strata": sample.strata}
    if sample.population is not None:
        table["population"] = sample.population
    if sample.drawn_on is not None:
        table["drawn_on"] = sample.drawn_on
    table["cases"] = list(sample.cases)
    lines = old.splitlines()
    head: list[str] = []
    if not old.strip():
        head = ["# yos-audit case review answers: one [[review]] a case reviewed (see `yos-audit review --help`)."]
    if framework is not None and "framework" not in data:
        head.append(f"framework = {_value(framework)}")
    first = next((i for i, line in enumerate(lines) if _TABLE_RE.match(line)), len(lines))
    block = [*head, "", "[sample]   # the cases drawn to review: the same caseload, size and seed draw the same"]
    block += tomli_w.dumps(table, multiline_strings=False).rstrip().splitlines()
    block.append("")
    lines[first:first] = block
    text = "\n".join(lines).strip("\n") + "\n"
    expected = dict(data)
    if framework is not None and "framework" not in data:
        expected["framework"] = framework
    expected["sample"] = table
    if _parsed(text) != expected:
        raise ReviewWriteError(f"{path}: the sample could not be added without changing what is there")
    _write(path, text, protected)
