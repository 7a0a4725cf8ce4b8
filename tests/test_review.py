"""The case review (issue 19): Wilson intervals and the roll-up by hand, indicators, answers files
merged, superseded and in conflict, writing one answer, and ``yos-audit review`` against its contract
(``shared/spec/review.md``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.catalogue import all_rules
from rules.frameworks import shipped
from rules.indicators import evidence, indicate, indicated_answer
from rules.load import load_paths
from rules.model import Case, LegalOutcome
from rules.outcomes import Finding, Outcome, Severity, Status
from rules.review import (
    AnswersFile,
    Review,
    check_and_merge,
    read_answers,
    review,
    write_answer,
)
from rules.scoring import Counted, roll_up, wilson

ROOT = Path(__file__).resolve().parent.parent
CASELOAD = ROOT / "fixtures" / "scoring" / "caseload.json"
HMIP = shipped("hmip-2018")
RATINGS = HMIP.ratings()
DAY = dt.date(2026, 11, 25)


# -- the Wilson interval, by hand --------------------------------------------------------------------------


def test_wilson_by_hand():
    # 14 of 18 (the contract's example): p = .7778, z²/n = .21342, centre .72883, half .18107
    low, high = wilson(14, 18)
    assert (round(low, 1), round(high, 1)) == (54.8, 91.0)
    # 0 of 10 starts at exactly 0; z²/(n + z²) = 3.8416 / 13.8416 = 27.75%
    assert wilson(0, 10) == (0.0, pytest.approx(27.754, abs=1e-3))
    # 10 of 10 ends at exactly 100
    assert wilson(10, 10) == (pytest.approx(72.246, abs=1e-3), 100.0)
    # one answer, yes: centre (1 + 1.9208) / 4.8416 = .60327, half 1.9208 / 4.8416 = .39673
    low, high = wilson(1, 1)
    assert round(low, 1) == 20.7 and high == 100.0
    assert wilson(0, 0) is None


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_holds_the_share_and_stays_in_0_to_100(kn):
    k, n = kn
    low, high = wilson(k, n)
    assert 0 <= low <= 100 * k / n <= high <= 100
    assert (low == 0) == (k == 0) and (high == 100) == (k == n)


# -- the roll-up ------------------------------------------------------------------------------------------


def _answers(**by_question):
    return {q[1:].replace("_", "."): Counted(*v) for q, v in by_question.items()}


def test_rating_is_on_the_exact_share_and_never_printed_into_a_better_one():
    # 1599 of 2000 = 79.95%: Good, printed 79.9 (not 80.0); 1600 of 2000 = 80%: Outstanding
    roll = roll_up(HMIP, RATINGS, _answers(q2_1_1=(1599, 401)))
    q, s = roll.question("2.1.1"), roll.standard("2.1")
    assert q.share == Fraction(7995, 100) and q.shown == 79.9
    assert (s.rating, s.points, s.shown) == ("Good", 2, 79.9)
    assert roll_up(HMIP, RATINGS, _answers(q2_1_1=(1600, 400))).standard("2.1").rating == "Outstanding"
    # 79.9 is Good (the domain text's own example)
    assert RATINGS.classify(Fraction("79.9")) == "Good"


def test_a_standard_is_rated_on_its_lowest_question_with_its_range():
    # 2.1.1: 14/18 = 77.8% [54.8, 91.0]; 2.1.2: 9/10 = 90% [59.6, 98.2]; 2.1.3: nothing answered
    roll = roll_up(HMIP, RATINGS, _answers(q2_1_1=(14, 4, 0, 2), q2_1_2=(9, 1)))
    s = roll.standard("2.1")
    assert s.share == Fraction(1400, 18) and s.rating == "Good" and s.points == 2
    # lowest lower bound 54.8 -> Requires improvement; lowest upper bound min(91.0, 98.2) -> Outstanding
    assert s.rating_range == ("Requires improvement", "Outstanding")
    q = roll.question("2.1.1")
    assert (q.yes, q.no, q.na, q.unanswered, q.ci_shown) == (14, 4, 0, 2, (54.8, 91.0))
    assert roll.question("2.1.3").share is None and roll.question("2.1.3").ci is None
    # nothing else answered: null, never 0 or 100
    other = roll.standard("2.2")
    assert (other.share, other.rating, other.points, other.rating_range) == (None, None, None, None)
    assert (roll.points, roll.max_points) == (2, 21)


def test_one_answer_and_all_or_nothing():
    roll = roll_up(HMIP, RATINGS, _answers(q2_1_1=(1, 0), q2_2_1=(0, 5), q2_3_1=(30, 0)))
    assert roll.standard("2.1").rating == "Outstanding" and roll.standard("2.1").rating_range == ("Inadequate", "Outstanding")
    assert roll.standard("2.2").rating == "Inadequate" and roll.standard("2.2").rating_range == ("Inadequate", "Inadequate")
    # 30 of 30: [88.6, 100]: the sample settles Outstanding
    assert roll.standard("2.3").rating_range == ("Outstanding", "Outstanding")
    assert roll.question("2.2.1").ci_shown[0] == 0.0 and roll.question("2.3.1").ci_shown[1] == 100.0


# -- indicators --------------------------------------------------------------------------------------------


def _case(cid: str, outcome: LegalOutcome) -> Case:
    return Case(case_id=cid, start_date=dt.date(2026, 1, 5), legal_outcome=outcome)


def _finding(code: str, cid: str, severity=Severity.ERROR, waived=False) -> Finding:
    return Finding(code, "x", severity, cid, "not met", (), None, "1.1", Status.NOT_MET, waived=waived)


CODES = tuple(all_rules())
ITEMS = [(q.id, code) for q in HMIP.questions for code in CODES if q.indicated_by(code)]


@pytest.mark.parametrize(("qid", "code"), ITEMS)
def test_each_indicator_of_each_question(qid, code):
    """Each indicator rule alone: met -> yes, not met -> no, waived or info -> no indication; a case
    the standard does not cover -> nothing; another question's rule says nothing here."""
    q = HMIP.question(qid)
    court = qid.startswith("2.")
    case = _case("K", LegalOutcome.REFERRAL_ORDER if court else LegalOutcome.YOUTH_CAUTION)
    other = _case("O", LegalOutcome.YOUTH_CAUTION if court else LegalOutcome.REFERRAL_ORDER)
    met = indicate(HMIP, [case, other], [Outcome(code, "K", Status.MET), Outcome(code, "O", Status.MET)], [], CODES)
    assert met.of(qid, "K") == "yes" and met.of(qid, "O") is None
    failed = [Outcome(code, "K", Status.NOT_MET, "not met"), Outcome(code, "K", Status.MET)]
    assert indicate(HMIP, [case], failed, [_finding(code, "K")], CODES).of(qid, "K") == "no"
    assert indicate(HMIP, [case], failed, [_finding(code, "K", Severity.WARNING)], CODES).of(qid, "K") == "no"
    assert indicate(HMIP, [case], failed, [_finding(code, "K", waived=True)], CODES).of(qid, "K") == "yes"
    only_failed = [Outcome(code, "K", Status.NOT_MET)]
    assert indicate(HMIP, [case], only_failed, [_finding(code, "K", waived=True)], CODES).of(qid, "K") is None
    assert indicate(HMIP, [case], only_failed, [_finding(code, "K", Severity.INFO)], CODES).of(qid, "K") is None
    stranger = next(c for c in CODES if not q.indicated_by(c))
    assert indicate(HMIP, [case], [Outcome(stranger, "K", Status.NOT_MET)], [_finding(stranger, "K")], CODES).of(qid, "K") is None
    ev = evidence(q, failed, [_finding(code, "K")])
    assert [e.counts for e in ev] == ["no", "yes"] and indicated_answer(ev) == "no"


def test_indications_over_the_fixture_count_every_covered_case():
    loaded = load_paths([CASELOAD]).caseload.cases
    outcomes = [Outcome("ASM001", c.case_id, Status.MET) for c in loaded]
    ind = indicate(HMIP, loaded, outcomes, [_finding("ASM001", "C-02")], CODES)
    # 2.1.1 covers the seven court cases: C-02 no, six yes; 3.1.1 the two out-of-court cases
    assert ind.counts("2.1.1") == (6, 1) and ind.counts("3.1.1") == (2, 0)
    assert ind.covered["3.1"] == {"C-04", "C-09"}


# -- answers files: merge, supersede, conflict ----------------------------------------------------------------


def _review(case, day, answers, reviewer="R", file="a.toml", index=0):
    return Review(case, reviewer, day, answers, {}, file, index)


KNOWN = {c.case_id: c for c in load_paths([CASELOAD]).caseload.cases}


def test_the_latest_review_counts_and_earlier_ones_are_superseded():
    a = AnswersFile("a.toml", reviews=(_review("C-01", dt.date(2026, 11, 20), {"2.1.1": "no"}, "Ann"),))
    b = AnswersFile("b.toml", reviews=(_review("C-01", DAY, {"2.1.1": "yes"}, "Bob", "b.toml"),))
    merged = check_and_merge([a, b], HMIP, KNOWN)
    assert merged.counted["C-01"].reviewer == "Bob" and merged.counted["C-01"].answers == {"2.1.1": "yes"}
    assert [(r.case, r.reviewer, r.reviewed_on) for r in merged.superseded] == [("C-01", "Ann", dt.date(2026, 11, 20))]
    assert merged.problems == ()


def test_two_latest_reviews_that_differ_are_an_error_and_neither_counts():
    a = AnswersFile("a.toml", reviews=(_review("C-01", DAY, {"2.1.1": "no"}, "Ann"),
                                        _review("C-02", DAY, {"2.1.1": "yes"}, "Ann", index=1)))
    b = AnswersFile("b.toml", reviews=(_review("C-01", DAY, {"2.1.1": "yes"}, "Bob", "b.toml"),
                                        _review("C-02", DAY, {"2.1.1": "yes"}, "Bob", "b.toml", 1),
                                        _review("C-01", dt.date(2026, 11, 1), {}, "Cy", "b.toml", 2)))
    merged = check_and_merge([a, b], HMIP, KNOWN)
    assert "C-01" not in merged.counted and merged.counted["C-02"].answers == {"2.1.1": "yes"}  # the same answers: no conflict
    [p] = merged.problems
    assert (p.level, p.file, p.case_id, p.field) == ("error", "b.toml", "C-01", "review[0].reviewed_on")
    assert "different answers" in p.message and "neither counts" in p.message
    assert [r.reviewer for r in merged.superseded] == ["Cy"]


def test_review_problems_name_file_case_and_field(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        'framework = "hmip-2018"\ncolour = "red"\n'
        '[[review]]\ncase = "C-404"\nreviewer = "R"\nreviewed_on = 2026-11-25\nanswers = { "2.1.1" = "yes" }\n'
        '[[review]]\ncase = "C-01"\nreviewer = "R"\nreviewed_on = 2026-11-25\nmood = "good"\n'
        'answers = { "2.1.1" = "maybe", "2.9.9" = "yes", "3.1.1" = "no", "2.1.2" = "na", "2.1.3" = "yes" }\n'
        '[[review]]\ncase = "C-02"\nreviewer = "R"\nreviewed_on = "yesterday"\n',
        encoding="utf-8",
    )
    f = read_answers(path)
    loaded = load_paths([CASELOAD]).caseload.cases
    done = review(HMIP, RATINGS, DAY, loaded, KNOWN, [f], None)
    got = {(p.level.value, p.case_id, p.field): p.message for p in done.problems}
    assert all(p.file == str(path) for p in done.problems)
    assert "unknown key" in got[("warning", None, "colour")]
    assert "unknown key" in got[("warning", "C-01", "review[1].mood")]
    assert "yes, no or na, not 'maybe'" in got[("error", "C-01", 'review[1].answers."2.1.1"')]
    assert "no key question '2.9.9'" in got[("error", "C-01", 'review[1].answers."2.9.9"')]
    assert "does not cover this case (FIRST_TIER)" in got[("warning", "C-01", 'review[1].answers."3.1.1"')]
    assert "no such case" in got[("error", "C-404", "review[0].case")]
    assert "TOML date" in got[("error", "C-02", "review[2].reviewed_on")]
    assert not done.ok
    # what was right still counts: C-01's 2.1.2 (na) and 2.1.3 (yes); the others unanswered
    assert done.reviewed == 1
    assert (done.rollup.question("2.1.3").yes, done.rollup.question("2.1.2").na) == (1, 1)
    assert done.rollup.question("2.1.1").unanswered == 1


# -- writing one answer --------------------------------------------------------------------------------------


def test_write_answer_keeps_comments_and_others_and_is_owner_only(tmp_path):
    path = tmp_path / "yos-audit-review.toml"
    original = (
        "# North team's review, November\n"
        'framework = "hmip-2018"\n\n'
        "[[review]]   # Bob's\n"
        'case = "C-02"\nreviewer = "Bob"\nreviewed_on = 2026-11-20\n'
        'answers = { "2.1.1" = "no" }   # he will look again\n'
        'notes = { "2.1.1" = "No plan" }\n'
    )
    path.write_text(original, encoding="utf-8")
    os.chmod(path, 0o644)
    write_answer(path, "Ann", "C-01", "2.1.1", "yes", today=DAY)
    write_answer(path, "Ann", "C-01", "2.1.2", "no", today=DAY)
    write_answer(path, "Ann", "C-01", "2.1.2", None, note='Says "safe"; is not', today=DAY)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(original)  # everything before is as it was, comments and all
    f = read_answers(path)
    assert [(r.case, r.reviewer, dict(r.answers), dict(r.notes)) for r in f.reviews] == [
        ("C-02", "Bob", {"2.1.1": "no"}, {"2.1.1": "No plan"}),
        ("C-01", "Ann", {"2.1.1": "yes", "2.1.2": "no"}, {"2.1.2": 'Says "safe"; is not'}),
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # Bob answers again another day: his entry, and only it, changes; its comments stay
    write_answer(path, "Bob", "C-02", "2.1.1", "yes", today=dt.date(2026, 11, 26))
    text = path.read_text(encoding="utf-8")
    assert "# North team's review, November" in text and "[[review]]   # Bob's" in text
    bob = read_answers(path).reviews[0]
    assert bob.reviewed_on == dt.date(2026, 11, 26) and bob.answers == {"2.1.1": "yes"}


def test_write_answer_creates_the_file_owner_only_with_its_framework(tmp_path):
    path = tmp_path / "new.toml"
    write_answer(path, "Ann", "C-01", "2.1.1", "na", today=DAY, framework="hmip-2018")
    f = read_answers(path)
    assert f.framework == "hmip-2018" and f.reviews[0].answers == {"2.1.1": "na"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_entry_in_another_layout_is_rewritten_alone(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text(
        '# keep me\n[[review]]\ncase = "C-01"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\n'
        '[review.answers]\n"2.1.1" = "yes"\n\n# and me\n[[review]]\ncase = "C-02"\nreviewer = "Bob"\n'
        'reviewed_on = 2026-11-20\nanswers = {}\n',
        encoding="utf-8",
    )
    write_answer(path, "Ann", "C-01", "2.1.2", "no", today=DAY)
    text = path.read_text(encoding="utf-8")
    assert "# keep me" in text and "# and me" in text
    f = read_answers(path)
    assert [dict(r.answers) for r in f.reviews] == [{"2.1.1": "yes", "2.1.2": "no"}, {}]


# -- yos-audit review ----------------------------------------------------------------------------------------


def _run(capsys, *argv, cwd=None):
    from rules.cli import main

    code = main(["review", str(CASELOAD), "--as-of", "2026-11-20", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _answers_file(tmp_path, body: str, name="answers.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_cli_review_json_follows_the_contract(capsys, tmp_path):
    a = _answers_file(tmp_path, (
        'framework = "hmip-2018"\n'
        '[[review]]\ncase = "C-01"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\nanswers = { "2.1.1" = "yes", "2.1.2" = "no" }\n'
        '[[review]]\ncase = "C-02"\nreviewer = "Ann"\nreviewed_on = 2026-11-21\nanswers = { "2.1.1" = "no" }\n'
    ))
    b = _answers_file(tmp_path, (
        '[[review]]\ncase = "C-02"\nreviewer = "Bob"\nreviewed_on = 2026-11-22\nanswers = { "2.1.1" = "yes", "2.1.3" = "na" }\n'
    ), "b.toml")
    code, out, err = _run(capsys, "--reviews", str(a), str(b), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert list(doc)[:11] == ["tool", "as_of", "framework", "cases", "reviewed", "questions", "standards", "points",
                              "superseded", "input_problems", "sample"]
    assert doc["tool"] == "yos-audit" and doc["as_of"] == "2026-11-20"
    assert doc["framework"] == {"id": "hmip-2018", "title": HMIP.title, "status": "historic"}
    assert (doc["cases"], doc["reviewed"]) == (9, 2)
    q = doc["questions"][0]
    assert list(q) == ["id", "standard", "lens", "text", "yes", "no", "na", "unanswered", "percent", "ci95",
                       "indicated", "agreement"]
    assert q["id"] == "2.1.1" and (q["yes"], q["no"], q["percent"]) == (2, 0, 100.0)
    assert q["ci95"] == [34.2, 100.0]  # 2 of 2
    assert doc["questions"][1]["unanswered"] == 1  # C-02's latest review leaves 2.1.2 out
    assert [x["id"] for x in doc["questions"]] == [x.id for x in HMIP.questions]
    s = doc["standards"][0]
    assert list(s) == ["id", "title", "percent", "rating", "points", "rating_range", "indicated"]
    assert (s["percent"], s["rating"], s["points"]) == (0.0, "Inadequate", 0)  # 2.1.2: 0 of 1
    assert doc["standards"][1] | {"indicated": None} == {"id": "2.2", "title": "Planning", "percent": None, "rating": None,
                                                          "points": None, "rating_range": None, "indicated": None}
    assert doc["points"] == {"case_level": 0, "of": 21}
    assert doc["superseded"] == [{"case": "C-02", "reviewer": "Ann", "reviewed_on": "2026-11-21"}]
    assert doc["input_problems"] == []


def test_cli_review_conflict_is_exit_2_and_still_reports(capsys, tmp_path):
    a = _answers_file(tmp_path, '[[review]]\ncase = "C-01"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\nanswers = { "2.1.1" = "yes" }\n')
    b = _answers_file(tmp_path, '[[review]]\ncase = "C-01"\nreviewer = "Bob"\nreviewed_on = 2026-11-20\nanswers = { "2.1.1" = "no" }\n', "b.toml")
    code, out, err = _run(capsys, "--reviews", str(a), str(b), "--format", "json")
    assert code == 2
    doc = json.loads(out)
    assert doc["reviewed"] == 0 and doc["input_problems"][0]["case_id"] == "C-01"
    assert "different answers" in err


def test_cli_review_fail_below(capsys, tmp_path):
    a = _answers_file(tmp_path, '[[review]]\ncase = "C-01"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\nanswers = { "2.1.1" = "no" }\n')
    assert _run(capsys, "--reviews", str(a))[0] == 0
    assert _run(capsys, "--reviews", str(a), "--fail-below", "good")[0] == 1
    assert _run(capsys, "--reviews", str(a), "--fail-below", "inadequate")[0] == 0
    code, _, err = _run(capsys, "--reviews", str(a), "--fail-below", "fine")
    assert code == 2 and "a rating of hmip-2018" in err
    empty = _answers_file(tmp_path, "", "empty.toml")  # nothing reviewed: no rating, which is no pass for a script
    assert _run(capsys, "--reviews", str(empty), "--fail-below", "inadequate")[0] == 1
    # check's --fail-on would be taken and ignored: it is refused, pointing to --fail-below
    code, _, err = _run(capsys, "--reviews", str(a), "--fail-on", "warning")
    assert code == 2 and "--fail-below" in err


def test_cli_review_help_says_its_exit_codes(capsys):
    from rules.cli import main

    with pytest.raises(SystemExit):
        main(["review", "--help"])
    out = capsys.readouterr().out
    assert "1  a standard rated below --fail-below" in out and "--fail-on" not in out


def test_cli_review_a_missing_named_file_and_a_criteria_framework_are_errors(capsys, tmp_path):
    code, out, err = _run(capsys, "--reviews", str(tmp_path / "none.toml"), "--format", "json")
    assert code == 2 and "no such answers file" in err and json.loads(out)["reviewed"] == 0
    code, _, err = _run(capsys, "--framework", "ccl-2012")
    assert code == 2 and "no key questions" in err


def test_cli_review_answers_to_another_framework_are_not_counted(capsys, tmp_path):
    a = _answers_file(tmp_path, 'framework = "hmip-2025"\n[[review]]\ncase = "C-01"\nreviewer = "Ann"\n'
                                'reviewed_on = 2026-11-20\nanswers = { "C1.1" = "yes" }\n')
    code, out, err = _run(capsys, "--reviews", str(a), "--framework", "hmip-2018", "--format", "json")
    assert code == 2 and "answers to hmip-2025, but the review is of hmip-2018" in err
    code, out, err = _run(capsys, "--reviews", str(a), "--format", "json")  # the file's own framework
    doc = json.loads(out)
    assert code == 0 and doc["framework"]["status"] == "provisional" and doc["reviewed"] == 1


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_cli_review_human_formats(capsys, tmp_path, fmt):
    a = _answers_file(tmp_path, '[[review]]\ncase = "C-01"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\n'
                                'answers = { "2.1.1" = "yes", "2.1.2" = "yes", "2.1.3" = "no" }\n')
    target = tmp_path / f"review.{fmt}"
    code, out, _ = _run(capsys, "--reviews", str(a), "--format", fmt, "-o", str(target))
    assert code == 0 and out == ""
    text = target.read_text(encoding="utf-8")
    # 2.1.3: 0 of 1, [0, 79.3]: the lowest, and the lowest upper bound
    assert "2.1 Assessment" in text and "Inadequate (could be Inadequate to Good)" in text
    assert "indicated by the records, not judged" in text.lower()
    if fmt == "html":
        assert text.startswith("<!DOCTYPE html>") and "<script" not in text.lower() and "http" not in text.lower()
        assert text.count("<svg") == len(HMIP.standards)  # a chart of each standard's questions, intervals drawn
    assert (target.stat().st_mode & 0o077) == 0


def test_cli_review_will_not_write_over_an_answers_file(capsys, tmp_path):
    a = _answers_file(tmp_path, '[[review]]\ncase = "C-01"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\n')
    before = a.read_bytes()
    code, _, err = _run(capsys, "--reviews", str(a), "-o", str(a))
    assert code == 2 and "refusing to write over the input file" in err and a.read_bytes() == before


def test_cli_review_redact(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("YOS_AUDIT_REDACT_KEY", "ours")
    a = _answers_file(tmp_path, (
        '[[review]]\ncase = "C-01"\nreviewer = "Ann Smith"\nreviewed_on = 2026-11-19\nanswers = { "2.1.1" = "yes" }\n'
        'notes = { "2.1.1" = "Spoke to Ann Smith" }\n'
        '[[review]]\ncase = "C-01"\nreviewer = "Bob Jones"\nreviewed_on = 2026-11-20\nanswers = { "2.1.1" = "yes" }\n'
    ))
    code, out, _ = _run(capsys, "--reviews", str(a), "--format", "json", "--redact")
    assert code == 0
    for real in ("C-01", "Ann Smith", "Bob Jones", "Spoke"):
        assert real not in out
    doc = json.loads(out)
    assert doc["superseded"][0]["case"].startswith("case-") and doc["superseded"][0]["reviewer"].startswith("staff-")
    assert doc["questions"][0]["yes"] == 1


def test_score_shows_the_indicated_view_labelled(capsys):
    from rules.cli import main

    code = main(["score", str(CASELOAD), "--as-of", "2026-11-20", "--format", "json", "--fail-on", "never"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["indicated"]["label"] == "indicated by the records, not judged"
    assert doc["indicated"]["framework"]["id"] == "hmip-2018"
    assert [q["id"] for q in doc["indicated"]["questions"]] == [q.id for q in HMIP.questions]
    main(["score", str(CASELOAD), "--as-of", "2026-11-20", "--fail-on", "never", "--framework", "hmip-2025"])
    text = capsys.readouterr().out
    assert "Key questions (hmip-2025 (provisional)), indicated by the records, not judged" in text
    assert "PROVISIONAL" in text


# -- a sample the way inspectors draw one ----------------------------------------------------------------------


def _caseload(n_court_north=20, n_court_south=10, n_ooc_north=6, n_ooc_south=4):
    out = []
    for team, kind, n in (("North", LegalOutcome.REFERRAL_ORDER, n_court_north), ("South", LegalOutcome.YOUTH_REHABILITATION_ORDER, n_court_south),
                          ("North", LegalOutcome.YOUTH_CAUTION, n_ooc_north), ("South", LegalOutcome.YOUTH_CONDITIONAL_CAUTION, n_ooc_south)):
        out += [Case(case_id=f"{team[0]}{kind.value[:3]}-{i:02d}", start_date=dt.date(2026, 1, 5), team=team, legal_outcome=kind)
                for i in range(n)]
    return out


def test_court_team_sample_is_in_proportion_and_reproducible():
    from collections import Counter

    from rules.sampling import draw_sample, stratum_of

    pop = _caseload()
    cases, _ = draw_sample(pop, 20, seed=3, by="court-team")
    # 40 cases: quotas 20 * 20/40 = 10, 5, 3, 2
    assert Counter(stratum_of(c, "court-team") for c in cases) == {
        "court / North": 10, "court / South": 5, "out-of-court / North": 3, "out-of-court / South": 2,
    }
    again, _ = draw_sample(list(reversed(pop)), 20, seed=3, by="court-team")
    assert {c.case_id for c in again} == {c.case_id for c in cases}
    assert {c.case_id for c in draw_sample(pop, 20, seed=4, by="court-team")[0]} != {c.case_id for c in cases}
    assert stratum_of(Case(case_id="X", start_date=dt.date(2026, 1, 5)), "court-team") == "UNKNOWN / (no team)"


def test_sizing_says_the_formula_is_not_published_and_keeps_to_14_to_91():
    from rules.sampling import NOT_PUBLISHED, SAMPLE_MAX, SAMPLE_MIN, answers_to_settle, sizing_advice

    assert (SAMPLE_MIN, SAMPLE_MAX) == (14, 91)
    # 70% sits 5 points from Good's edges: Wilson at n answers must fit in [65, 80)
    n = answers_to_settle(70.0, RATINGS)
    low, high = wilson(round(0.7 * n), n)
    assert RATINGS.classify(Fraction(low)) == RATINGS.classify(Fraction(high)) == "Good"
    assert answers_to_settle(65.0, RATINGS) is None  # on a threshold: never settled
    roll = roll_up(HMIP, RATINGS, _answers(q2_1_1=(14, 4), q2_1_2=(16, 2), q2_1_3=(15, 3), q2_2_1=(30, 0)))
    from rules.review import ReviewResult

    result = ReviewResult(DAY, HMIP, 100, 18, roll, (), (), covered={"2.1": 80, "2.2": 80})
    advice = sizing_advice(result)
    assert advice[0] == NOT_PUBLISHED
    by = {a.standard: a for a in advice[1:] if not isinstance(a, str)}
    assert by["2.2"].text.endswith("the sample settles it (Outstanding).")
    a = by["2.1"]  # lowest 77.8%: about 246 answers to settle Good, beyond 91 cases
    assert a.answers > SAMPLE_MAX and a.cases is None and "stays a range" in a.text
    for item in by.values():
        assert item.cases is None or SAMPLE_MIN <= item.cases <= SAMPLE_MAX


def test_cli_review_sample_is_kept_in_the_answers_file(capsys, tmp_path):
    answers = tmp_path / "yos-audit-review.toml"
    code, out, err = _run(capsys, "--reviews", str(answers), "--sample", "4", "--seed", "2", "--format", "json")
    assert code == 0, err  # the file --sample creates
    f = read_answers(answers)
    assert f.framework == "hmip-2018" and f.sample.size == 4 and f.sample.strata == "court-team"
    assert "drew 4 of 9 cases" in err and stat.S_IMODE(answers.stat().st_mode) == 0o600
    code, out, err = _run(capsys, "--reviews", str(answers), "--sample", "4", "--seed", "2", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["sample"]["cases"] == list(f.sample.cases) and doc["sample"]["reviewed"] == 0
    assert "sizing formula is not published" in doc["sizing"]["formula"] and doc["sizing"]["bounds"] == [14, 91]
    assert [a["standard"] for a in doc["sizing"]["advice"]] == [None, *(s.id for s in HMIP.standards)]
    code, _, err = _run(capsys, "--reviews", str(answers), "--sample", "4", "--seed", "9")
    assert code == 2 and "already holds a sample" in err


# -- what a new user found (review-fixes) ----------------------------------------------------------------------


def test_sizing_advice_is_never_silently_dropped(monkeypatch):
    # rules.sampling is part of the package: a review whose sizing cannot be worked out is a broken install,
    # said as such, not a report quietly missing its "Sample size" section
    import sys

    from rules.cli_review import _sizing
    from rules.review import ReviewResult

    result = ReviewResult(DAY, HMIP, 9, 0, roll_up(HMIP, RATINGS), (), ())
    assert _sizing(result)  # the advice is there
    monkeypatch.setitem(sys.modules, "rules.sampling", None)  # importing it now raises ImportError
    with pytest.raises(ImportError):
        _sizing(result)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_cli_review_names_the_service_in_every_format(capsys, tmp_path, fmt):
    # as check's and score's reports do: a page handed to a board says whose cases it is about
    a = _answers_file(tmp_path, '[[review]]\ncase = "C-01"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\n'
                                'answers = { "2.1.1" = "yes" }\n')
    code, out, err = _run(capsys, "--reviews", str(a), "--format", fmt)
    assert code == 0, err
    service = "Scoring Fixture YJS (synthetic)"  # fixtures/scoring/caseload.json's service.name
    if fmt == "json":
        doc = json.loads(out)
        assert doc["service"] == service
        assert list(doc)[-1] == "service"  # after the contract's keys, none of which moves
    elif fmt == "text":
        assert out.startswith(f"{service}: case review: 1 of 9 cases reviewed")
    elif fmt == "markdown":
        assert out.startswith(f"# {service}: case review as of 2026-11-20\n")
    else:
        assert f"<title>{service}: case review (hmip-2018) as of 2026-11-20</title>" in out
        assert f"<h1>{service}: case review (hmip-2018) as of 2026-11-20</h1>" in out


_SAMPLED = '[sample]\nsize = 2\nseed = 5\nstrata = "court-team"\ncases = ["C-01", "C-05"]\n'


@pytest.mark.parametrize("fmt", ["json", "text", "markdown", "html"])
def test_a_review_outside_the_sample_drawn_is_warned_and_still_counted(capsys, tmp_path, fmt):
    # C-02 is in the export but not in the sample: a case added on purpose, or a mistyped id; either way said
    a = _answers_file(tmp_path, 'framework = "hmip-2018"\n' + _SAMPLED + (
        '[[review]]\ncase = "C-01"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\nanswers = { "2.1.1" = "yes" }\n'
        '[[review]]\ncase = "C-02"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\nanswers = { "2.1.1" = "no" }\n'
    ))
    code, out, err = _run(capsys, "--reviews", str(a), "--format", fmt)
    assert code == 0  # a warning, as the other warnings of a review: the exit code is unchanged
    said = f"{a}: case C-02: review[1].case: warning: not in the sample drawn (seed 5, 2 cases): counted all the same"
    assert said in err and "C-01" not in err  # on standard error, naming the file, the case and the sample
    if fmt == "json":
        doc = json.loads(out)
        assert doc["reviewed"] == 2
        assert (doc["questions"][0]["yes"], doc["questions"][0]["no"]) == (1, 1)  # still counted
        assert [(p["level"], p["case_id"], p["field"]) for p in doc["input_problems"]] == [("warning", "C-02", "review[1].case")]
        assert "not in the sample drawn (seed 5, 2 cases)" in doc["input_problems"][0]["message"]
    elif fmt == "text":
        assert "2 of 9 cases reviewed" in out and "1 input problem (0 errors)" in out
    else:  # the report lists its problems
        assert "not in the sample drawn (seed 5, 2 cases)" in out


def test_a_file_without_a_sample_is_held_to_the_sample_of_the_review(capsys, tmp_path):
    drawn = _answers_file(tmp_path, _SAMPLED + '[[review]]\ncase = "C-01"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\n'
                                              'answers = { "2.1.1" = "yes" }\n')
    other = _answers_file(tmp_path, '[[review]]\ncase = "C-05"\nreviewer = "Bob"\nreviewed_on = 2026-11-20\n'
                                    'answers = { "2.1.1" = "yes" }\n[[review]]\ncase = "C-08"\nreviewer = "Bob"\n'
                                    'reviewed_on = 2026-11-20\nanswers = { "2.1.1" = "yes" }\n', "bob.toml")
    code, out, err = _run(capsys, "--reviews", str(drawn), str(other), "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["reviewed"] == 3
    assert [(p["file"], p["case_id"]) for p in doc["input_problems"]] == [(str(other), "C-08")]
    # no sample anywhere: nothing to be outside of
    code, out, err = _run(capsys, "--reviews", str(other), "--format", "json")
    assert code == 0 and json.loads(out)["input_problems"] == [] and err == ""


def _readme_rehearsal() -> tuple[list[str], list[str], str]:
    """From README.md's "Rehearse the inspection": the command that draws the sample, the step-3 command
    that merges the reviewers' files, and the answers file shown (the text of its ```toml block)."""
    import re
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Rehearse the inspection\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    commands = [shlex.split(line.split("#", 1)[0]) for block in blocks for line in block.splitlines()
                if line.startswith("yos-audit review ")]
    draw = next(c[1:] for c in commands if "--sample" in c)
    merge = next(c[1:] for c in commands if "--reviews" in c)
    answers = next(b for b in re.findall(r"```toml\n(.*?)```", section, re.DOTALL) if "[[review]]" in b)
    return draw, merge, answers


def test_the_readme_answers_file_is_counted_in_the_readme_sample(capsys, tmp_path, monkeypatch):
    # what a new user does in a fresh clone: the README's commands as written, its answers file as shown
    import tomllib

    from rules.cli import main

    draw, merge, answers = _readme_rehearsal()
    at_root = [str(ROOT / a) if a.endswith("caseload.json") else a for a in draw]  # the bundled example
    assert at_root[1] == str(ROOT / "examples" / "caseload.json")
    monkeypatch.chdir(tmp_path)
    assert main(at_root) == 0
    capsys.readouterr()
    assert "north.toml" in merge and "yos-audit-review.toml" in merge  # the answers file shown is north.toml
    (tmp_path / "north.toml").write_text(answers, encoding="utf-8")
    code = main([at_root[0], at_root[1], "--reviews", "yos-audit-review.toml", "north.toml", "--format", "json"])
    out, err = capsys.readouterr()
    doc = json.loads(out)
    shown = tomllib.loads(answers)["review"]
    assert code == 0 and doc["input_problems"] == [] and err == ""  # not outside the sample, nor a standard's cover
    assert {r["case"] for r in shown} <= set(doc["sample"]["cases"])
    assert doc["reviewed"] == doc["sample"]["reviewed"] == len(shown) == 1
    questions = {q["id"]: q for q in doc["questions"]}
    for qid, a in shown[0]["answers"].items():
        assert questions[qid][a] == 1, qid  # every answer shown is counted


def test_score_and_review_say_how_each_sample_is_drawn_and_that_they_differ():
    import argparse
    import re

    from rules.cli import build_parser

    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    option = {(name, o): a for name in ("score", "review") for a in commands[name]._actions for o in a.option_strings}
    # the defaults the words below describe
    assert option["score", "--strata"].default == "legal-outcome" and option["review", "--strata"].default == "court-team"
    score_help, review_help = option["score", "--sample"].help, option["review", "--sample"].help
    assert "default: legal outcome" in score_help and "review --sample draws by court or out-of-court work and team" in score_help
    assert "default: court or out-of-court work and team" in review_help and "score --sample's default is legal outcome" in review_help
    assert "review's default" in option["score", "--strata"].help and "score's default" in option["review", "--strata"].help
    readme = re.sub(r"\s+", " ", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert ("`--sample N` lists the cases drawn in every format, and says so when N is more than the cases there are. "
            "It draws in proportion by legal outcome, kept so for existing scripts, where `review --sample` draws by "
            "court and out-of-court work and team") in readme
    assert ("**1. Draw a sample**, the way inspectors do: in proportion by court and out-of-court work and by team "
            "(`score --sample` draws by legal outcome instead") in readme
