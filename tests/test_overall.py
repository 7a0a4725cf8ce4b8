"""HMIP's overall rating (``shared/domain/frameworks.md``, hmip-2018 roll-up): the 5 organisational
standards and the 36-point bands as data, a service's OWN ratings of those standards in the config, and
the total and its band in every format of ``yos-audit review`` and on the UI's board: only when every
standard has a rating, and never from cases alone."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.config import ConfigError, default_config_toml, parse_config
from rules.frameworks import FrameworkError, organisational_ratings, parse_framework, shipped
from rules.scoring import Counted, roll_up

ROOT = Path(__file__).resolve().parent.parent
CASELOAD = ROOT / "fixtures" / "scoring" / "caseload.json"
HMIP = shipped("hmip-2018")
RATINGS = HMIP.ratings()
ORG = ("1.1", "1.2", "1.3", "1.4", "3.4")
CASE_LEVEL = ("2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3")
LEVELS = ("Outstanding", "Good", "Requires improvement", "Inadequate")
POINTS = {"Outstanding": 3, "Good": 2, "Requires improvement": 1, "Inadequate": 0}
#: (yes, no) for every question of a standard, giving it this rating: 100%, 70%, 55%, 0%
SHARE = {"Outstanding": (4, 0), "Good": (7, 3), "Requires improvement": (11, 9), "Inadequate": (0, 1)}
HEADLINE = "Overall, with the service's own organisational ratings"


def published_band(total: int) -> str:
    """The bands as frameworks.md gives them: Inadequate 0-6, Requires improvement 7-18, Good 19-30,
    Outstanding 31-36."""
    return ("Inadequate" if total <= 6 else "Requires improvement" if total <= 18
            else "Good" if total <= 30 else "Outstanding")


def answers_rating(ratings: dict[str, str]) -> dict[str, Counted]:
    """Answers that rate each case-level standard as ``ratings`` says (a standard left out: unanswered)."""
    return {q.id: Counted(*SHARE[ratings[q.standard]]) for q in HMIP.questions if q.standard in ratings}


# -- the framework's data -------------------------------------------------------------------------------


def test_hmip_2018_holds_the_organisational_standards_and_the_bands_as_data():
    assert [(o.id, o.title) for o in HMIP.organisational] == [
        ("1.1", "Governance and leadership"), ("1.2", "Staff"), ("1.3", "Partnerships and services"),
        ("1.4", "Information and facilities"), ("3.4", "Out-of-court disposal policy and provision"),
    ]
    # the case-level standards, their 21 points and the contract's "of" are as they were
    assert tuple(s.id for s in HMIP.standards) == CASE_LEVEL and HMIP.max_points == 21
    assert (HMIP.organisational_max_points, HMIP.total_max_points) == (15, 36)
    assert [(b.name, b.from_points, b.edge_confirmed) for b in HMIP.overall.bands] == [
        ("Outstanding", 31, False), ("Good", 19, True), ("Requires improvement", 7, False), ("Inadequate", 0, True),
    ]
    assert HMIP.overall.unconfirmed_edges == ((6, 7), (30, 31))
    for other in ("hmip-2025", "ccl-2012"):
        assert shipped(other).organisational == () and shipped(other).overall is None


@pytest.mark.parametrize(("total", "band"), [(0, "Inadequate"), (6, "Inadequate"), (7, "Requires improvement"),
                                              (18, "Requires improvement"), (19, "Good"), (30, "Good"),
                                              (31, "Outstanding"), (36, "Outstanding")])
def test_the_band_edges(total, band):
    assert HMIP.overall.band(total) == band


@given(st.integers(0, 36))
def test_every_total_falls_in_the_published_band(total):
    assert HMIP.overall.band(total) == published_band(total)


# -- the roll-up --------------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.tuples(*[st.sampled_from(LEVELS)] * 12))
def test_the_total_is_every_standards_points_and_its_band(levels):
    case_level = dict(zip(CASE_LEVEL, levels[:7], strict=True))
    org = dict(zip(ORG, levels[7:], strict=True))
    roll = roll_up(HMIP, RATINGS, answers_rating(case_level), organisational=org, entered_in="yos-audit.toml")
    o = roll.overall
    expected = sum(POINTS[x] for x in levels)
    assert [s.rating for s in roll.standards] == list(levels[:7])  # the answers rate what they should
    assert (o.total, o.total_of, o.band) == (expected, 36, published_band(expected))
    assert (o.points, o.of) == (sum(POINTS[x] for x in levels[7:]), 15)
    assert roll.points == sum(POINTS[x] for x in levels[:7])  # case-level points unchanged by them
    assert o.not_entered == () and o.unrated == () and o.entered_in == "yos-audit.toml"


@settings(max_examples=150, deadline=None)
@given(
    st.tuples(*[st.sampled_from(LEVELS)] * 12),
    st.sets(st.sampled_from(CASE_LEVEL)),
    st.sets(st.sampled_from(ORG), max_size=4),
)
def test_no_total_while_a_standard_has_no_rating(levels, unrated, not_entered):
    case_level = {k: v for k, v in zip(CASE_LEVEL, levels[:7], strict=True) if k not in unrated}
    org = {k: v for k, v in zip(ORG, levels[7:], strict=True) if k not in not_entered}
    o = roll_up(HMIP, RATINGS, answers_rating(case_level), organisational=org).overall
    assert o.unrated == tuple(k for k in CASE_LEVEL if k in unrated)
    assert o.not_entered == tuple(k for k in ORG if k in not_entered)
    assert dict(o.ratings) == {k: org.get(k) for k in ORG}
    if unrated or not_entered:
        assert o.total is None and o.band is None
    else:
        assert o.total == sum(POINTS[x] for x in levels)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(CASE_LEVEL), st.sampled_from(LEVELS)))
def test_never_an_overall_rating_from_cases_alone(case_level):
    assert roll_up(HMIP, RATINGS, answers_rating(case_level)).overall is None
    assert roll_up(HMIP, RATINGS, answers_rating(case_level), organisational={}).overall is None
    # and a framework without organisational standards has no overall rating, whatever is passed in
    fw25 = shipped("hmip-2025")
    assert roll_up(fw25, fw25.ratings(), organisational={"1.1": "Good"}).overall is None


# -- the config ----------------------------------------------------------------------------------------


def test_ratings_are_read_in_any_case_and_kept_in_the_frameworks_order():
    got = organisational_ratings(HMIP, {"3.4": "GOOD", "1.1": "requires improvement", "1.2": "Requires_Improvement"})
    assert got == {"1.1": "Requires improvement", "1.2": "Requires improvement", "3.4": "Good"}
    assert list(got) == ["1.1", "1.2", "3.4"]
    assert organisational_ratings(HMIP, None) == {} and organisational_ratings(shipped("hmip-2025"), {}) == {}


@pytest.mark.parametrize(("framework", "table", "names"), [
    ("hmip-2018", {"1.5": "Good"}, 'scoring.organisational."1.5" = "Good": no organisational standard "1.5" in hmip-2018'),
    ("hmip-2018", {"2.1": "Good"}, 'scoring.organisational."2.1" = "Good": 2.1 is judged from the cases reviewed'),
    ("hmip-2018", {"1.1": "Excellent"},
     'scoring.organisational."1.1" = "Excellent": not a rating of hmip-2018 (Outstanding, Good, Requires improvement, Inadequate)'),
    ("hmip-2025", {"1.1": "Good"}, 'scoring.organisational."1.1" = "Good": hmip-2025 (provisional) has no organisational standards'),
    ("hmip-2018", {"1.1": 2}, 'scoring.organisational."1.1" = 2: expected a rating as text'),
    ("hmip-2018", "Good", 'scoring.organisational = "Good": expected a table of standard = rating'),
])
def test_a_rating_that_is_not_the_frameworks_is_a_config_error_naming_file_key_and_value(framework, table, names):
    with pytest.raises(ConfigError, match=re.escape(f"ours.toml: {names}")):
        organisational_ratings(shipped(framework), table, "ours.toml: ")


def test_the_config_checks_the_tables_shape_when_it_loads():
    assert parse_config({"scoring": {"organisational": {"1.1": "Good"}}}, "c.toml").scoring["organisational"] == {"1.1": "Good"}
    with pytest.raises(ConfigError, match=re.escape('c.toml: scoring.organisational."3.4" = 3: expected a rating as text')):
        parse_config({"scoring": {"organisational": {"3.4": 3}}}, "c.toml")


def test_init_template_shows_the_table_commented_out_and_says_whose_ratings_they_are():
    text = default_config_toml()
    assert tomllib.loads(text)["scoring"].keys() == {"bands", "ratings"}  # commented out: nothing entered
    block = text[text.index("# [scoring.organisational]"):].splitlines()
    about = text.splitlines()[text.splitlines().index(block[0]) - 1]
    assert about.startswith("# Your service's own ratings") and "not the tool's" in about
    uncommented = tomllib.loads("\n".join(line.removeprefix("# ") for line in block))
    assert list(organisational_ratings(HMIP, uncommented["scoring"]["organisational"])) == list(ORG)


# -- framework files ------------------------------------------------------------------------------------


def _framework(extra: str = "", org: bool = True, overall: bool = True) -> dict:
    text = (
        'id = "ours"\ntitle = "Ours"\nstatus = "current"\n'
        '[[standard]]\nid = "2.1"\ntitle = "Assessment"\ncovers = ["COMMUNITY"]\n'
        '[[question]]\nid = "2.1.1"\nstandard = "2.1"\nlens = "desistance"\ntext = "Q?"\n'
    )
    if org:
        text += '[[standard]]\nid = "1.1"\ntitle = "Governance"\nfrom_cases = false\n'
    text += extra
    text += ('[scales.ratings]\nlevels = [{ name = "Good", from = 50, points = 1 }, { name = "Poor", from = 0, points = 0 }]\n')
    if overall:
        text += '[overall]\nlevels = [{ name = "Good", from = 2, edge_confirmed = false }, { name = "Poor", from = 0 }]\n'
    return tomllib.loads(text)


def test_a_framework_file_with_its_own_organisational_standards():
    fw = parse_framework(_framework(), "ours.toml")
    assert [s.id for s in fw.standards] == ["2.1"] and [o.id for o in fw.organisational] == ["1.1"]
    assert fw.total_max_points == 2 and fw.overall.unconfirmed_edges == ((1, 2),)
    roll = roll_up(fw, fw.ratings(), {"2.1.1": Counted(1, 0)}, organisational={"1.1": "Good"})
    assert (roll.overall.total, roll.overall.band) == (2, "Good")


@pytest.mark.parametrize(("data", "names"), [
    (_framework('[[question]]\nid = "1.1.1"\nstandard = "1.1"\nlens = "x"\ntext = "Q?"\n'),
     "question[1] (\"1.1.1\").standard: standard '1.1' is not judged from cases"),
    (_framework(org=False), "overall: an overall rating of case-level standards alone is not HMIP's"),
    (_framework(overall=False), "overall: missing"),
    (_framework('[[standard]]\nid = "1.2"\ntitle = "Staff"\nfrom_cases = false\ncovers = ["COMMUNITY"]\n'),
     'standard[2] ("1.2").covers: a standard not judged from cases'),
    (_framework('[[standard]]\nid = "1.2"\ntitle = "Staff"\nfrom_cases = "no"\n'),
     "standard[2] (\"1.2\").from_cases: expected true or false"),
])
def test_framework_file_mistakes_are_named(data, names):
    with pytest.raises(FrameworkError, match=re.escape(f"ours.toml: {names}")):
        parse_framework(data, "ours.toml")


def test_overall_bands_are_checked():
    data = _framework()
    data["overall"]["levels"] = [{"name": "Good", "from": 3}, {"name": "Poor", "from": 0}]
    with pytest.raises(FrameworkError, match=re.escape("overall.levels[0].from: 3 is more than the 2 points")):
        parse_framework(data, "ours.toml")
    data["overall"]["levels"] = [{"name": "Good", "from": 0}, {"name": "Poor", "from": 1}]
    with pytest.raises(FrameworkError, match=re.escape("overall.levels[1].from: 1 must be below the level above it")):
        parse_framework(data, "ours.toml")


# -- yos-audit review ----------------------------------------------------------------------------------------

#: every case-level standard rated: court case C-01 and out-of-court case C-04 answered; 2.4 all "no"
ANSWERS = (
    '[[review]]\ncase = "C-01"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\nanswers = { '
    + ", ".join(f'"{s}.{n}" = "{"no" if s == "2.4" else "yes"}"' for s in ("2.1", "2.2", "2.3", "2.4") for n in (1, 2, 3))
    + ' }\n[[review]]\ncase = "C-04"\nreviewer = "Ann"\nreviewed_on = 2026-11-20\nanswers = { '
    + ", ".join(f'"{s}.{n}" = "yes"' for s in ("3.1", "3.2", "3.3") for n in (1, 2, 3)) + " }\n"
)
#: 2 + 2 + 1 + 1 + 0 = 6 organisational points; with the case-level 18 (2.4 Inadequate): 24, Good
OWN = '[scoring.organisational]\n"1.1" = "Good"\n"1.2" = "good"\n"1.3" = "Requires improvement"\n"1.4" = "Requires improvement"\n"3.4" = "Inadequate"\n'
LINE = f"{HEADLINE} (yos-audit.toml): 24 of 36 points: Good (band edges 6/7 and 30/31 unconfirmed)"


def _review(capsys, tmp_path, *argv, config: str | None = OWN, answers: str = ANSWERS):
    from rules.cli import main

    (tmp_path / "answers.toml").write_text(answers, encoding="utf-8")
    extra = []
    if config is not None:
        folder = tmp_path / "service"
        folder.mkdir(exist_ok=True)
        (folder / "yos-audit.toml").write_text(config, encoding="utf-8")
        extra = ["--config", str(folder / "yos-audit.toml")]
    code = main(["review", str(CASELOAD), "--as-of", "2026-11-20", "--reviews", str(tmp_path / "answers.toml"),
                 *extra, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_human_format_shows_the_total_as_the_services_own(capsys, tmp_path, fmt):
    code, out, err = _review(capsys, tmp_path, "--format", fmt)
    assert code == 0, err
    shown = out.replace("&#x27;", "'")
    assert LINE in shown
    assert "Organisational standards as the service rates them, not judged by this tool: 1.1 Good, 1.2 Good, " \
           "1.3 Requires improvement, 1.4 Requires improvement, 3.4 Inadequate: 6 of 15 points; case-level 18 of 21." in shown
    assert str(tmp_path) not in out  # the config's name, not the folders above it
    # without the service's ratings, no word of an overall rating
    code, out, _ = _review(capsys, tmp_path, "--format", fmt, config=None)
    assert code == 0 and HEADLINE not in out.replace("&#x27;", "'") and "of 36 points" not in out


def test_json_keeps_the_contracts_points_first_and_adds_the_total_after_them(capsys, tmp_path):
    code, out, err = _review(capsys, tmp_path, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert list(doc)[:11] == ["tool", "as_of", "framework", "cases", "reviewed", "questions", "standards", "points",
                              "superseded", "input_problems", "sample"]
    points = doc["points"]
    assert list(points) == ["case_level", "of", "organisational", "total", "total_of", "overall", "missing",
                            "unconfirmed_edges"]
    assert (points["case_level"], points["of"]) == (18, 21)
    assert points["organisational"] == {
        "points": 6, "of": 15, "entered_in": "yos-audit.toml",
        "ratings": {"1.1": "Good", "1.2": "Good", "1.3": "Requires improvement", "1.4": "Requires improvement",
                    "3.4": "Inadequate"},
    }
    assert (points["total"], points["total_of"], points["overall"]) == (24, 36, "Good")
    assert points["missing"] == {"organisational": [], "case_level": []}
    assert points["unconfirmed_edges"] == [[6, 7], [30, 31]]
    code, out, _ = _review(capsys, tmp_path, "--format", "json", config=None)  # nothing entered: the contract alone
    assert json.loads(out)["points"] == {"case_level": 18, "of": 21}


def test_json_says_what_is_missing_and_gives_no_total(capsys, tmp_path):
    answers = ANSWERS.split("[[review]]")
    only_court = "[[review]]" + answers[1]  # 3.1-3.3 unrated
    code, out, err = _review(capsys, tmp_path, "--format", "json", answers=only_court,
                             config='[scoring.organisational]\n"1.1" = "Good"\n"3.4" = "Outstanding"\n')
    assert code == 0, err
    points = json.loads(out)["points"]
    assert (points["total"], points["overall"], points["total_of"]) == (None, None, 36)
    assert points["missing"] == {"organisational": ["1.2", "1.3", "1.4"], "case_level": ["3.1", "3.2", "3.3"]}
    assert points["organisational"]["ratings"] == {"1.1": "Good", "1.2": None, "1.3": None, "1.4": None, "3.4": "Outstanding"}
    assert points["organisational"]["points"] == 5
    code, out, _ = _review(capsys, tmp_path, answers=only_court,
                           config='[scoring.organisational]\n"1.1" = "Good"\n"3.4" = "Outstanding"\n')
    assert (f"{HEADLINE} (yos-audit.toml): no total until every standard has a rating (not entered: 1.2 Staff, "
            "1.3 Partnerships and services, 1.4 Information and facilities; not rated from the cases yet: "
            "3.1 Assessment, 3.2 Planning, 3.3 Implementation and delivery)") in out


@pytest.mark.parametrize(("config", "argv", "names"), [
    ('[scoring.organisational]\n"1.9" = "Good"\n', (), 'scoring.organisational."1.9" = "Good": no organisational standard'),
    ('[scoring.organisational]\n"1.1" = "Fine"\n', (), 'scoring.organisational."1.1" = "Fine": not a rating of hmip-2018'),
    ('[scoring.organisational]\n"1.1" = "Good"\n', ("--framework", "hmip-2025"),
     'scoring.organisational."1.1" = "Good": hmip-2025 (provisional) has no organisational standards'),
])
def test_review_with_ratings_that_are_not_the_frameworks_is_exit_2_naming_the_file(capsys, tmp_path, config, argv, names):
    code, out, err = _review(capsys, tmp_path, *argv, config=config)
    assert code == 2 and out == ""
    assert f"{tmp_path / 'service' / 'yos-audit.toml'}: {names}" in err


# -- the UI's board ---------------------------------------------------------------------------------------


async def test_the_board_shows_the_services_own_total(tmp_path):
    from tui_helpers import make_app, plain, settle, until

    from tui.screens.review import ReviewBoardScreen, ReviewScreen

    path = tmp_path / "answers.toml"
    path.write_text(ANSWERS, encoding="utf-8")
    config = parse_config(tomllib.loads(OWN), str(tmp_path / "yos-audit.toml"))
    app = make_app(tmp_path, paths=(CASELOAD,), config=config, review_path=path, reviewer="Ann")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "the workbench")
        await pilot.pause()
        await pilot.press("b")
        await until(pilot, lambda: isinstance(pilot.app.screen, ReviewBoardScreen), "the ratings")
        await pilot.pause()
        text = plain(pilot.app.screen.query_one("#board-text"))
        assert "Case-level points: 18 of 21" in text
        assert LINE in " ".join(text.split())  # the same line as `yos-audit review`, however it wraps


def test_frameworks_shows_them_for_hmip_2018_and_says_nothing_for_the_others(capsys):
    from rules.cli import main

    assert main(["frameworks", "hmip-2018"]) == 0
    out = capsys.readouterr().out
    assert "Not judged from cases (5 standards): only a service's own ratings of them" in out
    assert "  3.4 Out-of-court disposal policy and provision (3: out-of-court disposals)" in out
    assert ("Overall rating, of 36 points over every standard: Outstanding from 31, Good from 19, "
            "Requires improvement from 7, Inadequate from 0") in out
    assert main(["frameworks", "hmip-2018", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [o["id"] for o in doc["organisational"]] == list(ORG)
    assert doc["overall"]["of"] == 36 and [lv["from"] for lv in doc["overall"]["levels"]] == [31, 19, 7, 0]
    for other in ("hmip-2025", "ccl-2012"):
        assert main(["frameworks", other]) == 0
        assert "Not judged from cases" not in capsys.readouterr().out
        assert main(["frameworks", other, "--format", "json"]) == 0
        assert not {"organisational", "overall"} & set(json.loads(capsys.readouterr().out))


def test_the_readme_shows_what_review_writes(capsys, tmp_path):
    """README.md's "overall rating" paragraph: its config table, given to review, gives its line and its
    JSON, so the three cannot drift apart."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme.split("**The overall rating is the service's to add.**", 1)[1].split("**Frameworks.**", 1)[0]
    config = re.search(r"```toml\n(.*?)```", part, re.DOTALL).group(1)
    line = re.search(r"```text\n(.*?)\n```", part, re.DOTALL).group(1)
    shown = json.loads("{" + re.search(r"```json\n(.*?)```", part, re.DOTALL).group(1) + "}")
    ratings = (organisational_ratings(HMIP, tomllib.loads(x)["scoring"]["organisational"]) for x in (config, OWN))
    assert next(ratings) == next(ratings)
    assert line == LINE
    code, out, err = _review(capsys, tmp_path, "--format", "json", config=config)
    assert code == 0, err
    assert json.loads(out)["points"] == shown["points"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_only_a_framework_with_an_overall_rating_speaks_of_its_36_points(capsys, fmt):
    """hmip-2025 has no organisational standards: its review said hmip-2018's "5 organisational standards
    (36 points)" all the same."""
    from rules.cli import main

    for framework, said in (("hmip-2018", True), ("hmip-2025", False)):
        main(["review", str(CASELOAD), "--as-of", "2026-11-20", "--framework", framework, "--format", fmt])
        out = capsys.readouterr().out
        assert ("5 organisational standards (36 points)" in out) is said, framework
        assert "Case-level points" in out
