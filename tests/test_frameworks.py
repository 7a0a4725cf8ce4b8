"""Frameworks as data (issue 19, item 1): the shipped TOML files, their checks, and the commands that
list and use them."""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from rules.catalogue import all_rules
from rules.frameworks import SHIPPED, FrameworkError, load_framework, parse_framework, shipped
from rules.model import OutcomeGroup

ROOT = Path(__file__).resolve().parent.parent
SCORING_CASELOAD = ROOT / "fixtures" / "scoring" / "caseload.json"


def test_every_shipped_framework_loads_and_only_hmip_2025_is_provisional():
    for ident in SHIPPED:
        fw = shipped(ident)
        assert fw.id == ident and fw.file is None and fw.sources
    assert [shipped(i).status for i in SHIPPED] == ["historic", "historic", "provisional"]
    assert shipped("hmip-2025").label == "hmip-2025 (provisional)"
    assert shipped("hmip-2018").label == "hmip-2018"
    assert (shipped("hmip-2025").sample_min, shipped("hmip-2025").sample_max) == (14, 91)


def test_ccl_2012_holds_the_figures_scoring_had_in_code():
    """The 2012 criteria, sections, themes, standards and thresholds exactly as rules/scoring.py wrote
    them before they moved into data."""
    fw = shipped("ccl-2012")
    assert [(c.id, c.title, c.section) for c in fw.criteria] == [
        ("1.1", "Risk of Harm to others (RoH)", "1"),
        ("1.2", "Likelihood of Reoffending (LoR)", "1"),
        ("1.3", "Safeguarding", "1"),
        ("2.1", "Protecting the public by minimising Risk of Harm to others", "2"),
        ("2.2", "Reducing the Likelihood of Reoffending", "2"),
        ("2.3", "Safeguarding the child or young person", "2"),
        ("3.1", "Achievement of outcomes", "3"),
        ("3.2", "Sustaining outcomes", "3"),
    ]
    assert {s.id: s.title for s in fw.sections} == {
        "1": "Assessment and sentence planning", "2": "Delivery and review of interventions", "3": "Outcomes",
    }
    assert fw.rule_standards == ("Assessment", "Planning", "Implementation and delivery", "Reviewing")
    assert [(t.key, t.title, t.selectors) for t in fw.themes] == [
        ("safeguarding", "Safeguarding", ("SAF", "MGT002")),
        ("risk_of_harm", "Risk of Harm", ("ROH", "MGT001", "MGT003", "PLN003", "PLN007", "VIC", "REV001")),
        ("likelihood_of_reoffending", "Likelihood of Reoffending",
         ("ASM", "PLN001", "PLN002", "PLN004", "PLN005", "PLN006", "CON001", "ENF", "REV002")),
    ]
    assert fw.scales["bands"].spec() == [("minimum", "MINIMUM", 75), ("moderate", "MODERATE", 50),
                                         ("substantial", "SUBSTANTIAL", 25), ("drastic", "DRASTIC", 0)]
    assert fw.scales["ratings"].spec() == [("outstanding", "Outstanding", 80), ("good", "Good", 65),
                                           ("requires_improvement", "Requires improvement", 50), ("inadequate", "Inadequate", 0)]


COURT = {OutcomeGroup.FIRST_TIER, OutcomeGroup.COMMUNITY, OutcomeGroup.CUSTODY}

#: the default indicator rules of shared/domain/frameworks.md, written out (ASM001-ASM005 ...)
DOC_TABLE = {
    "Assessment": (["ASM001", "ASM002", "ASM003", "ASM004", "ASM005"], ["SAF001", "MGT002"],
                   ["ROH001", "ROH002", "ROH008", "ROH009", "MGT001"]),
    "Planning": (["PLN001", "PLN004", "PLN005", "PLN006"], ["SAF002", "SAF003", "SAF004", "PLN007", "MGT003"],
                 ["ROH003", "ROH004", "ROH005", "ROH006", "PLN003", "PLN007", "MGT003"]),
    "Implementation and delivery": (["CON001", "ENF001", "ENF002"], ["SAF005", "SAF006"], ["VIC001", "VIC002"]),
    "Reviewing": (["PLN002", "REV002"], ["REV001"], ["ROH007", "REV001"]),
}


def test_hmip_2018_standards_questions_and_indicators_follow_the_domain_text():
    fw = shipped("hmip-2018")
    assert [s.id for s in fw.standards] == ["2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3"]
    assert len(fw.questions) == 21 and fw.max_points == 21
    assert [q.id for q in fw.questions][:4] == ["2.1.1", "2.1.2", "2.1.3", "2.2.1"]
    for s in fw.standards:
        assert s.covers == (COURT if s.id.startswith("2.") else {OutcomeGroup.PRE_COURT})
        qs = fw.questions_of(s.id)
        assert [q.lens for q in qs] == ["desistance", "child's safety", "others' safety"]
        assert [list(q.indicators) for q in qs] == list(DOC_TABLE[s.title])
    assert fw.question("2.1.3").text == "Does assessment sufficiently analyse how to keep other people safe?"
    assert fw.question("3.3.2").text == fw.question("2.3.2").text  # the same wording for out-of-court work
    codes = set(all_rules())
    assert all(any(q.indicated_by(c) for c in codes) for q in fw.questions)


def _minimal(**changes) -> dict:
    data = {
        "id": "own", "title": "Our framework", "status": "current", "sources": ["ours"],
        "standard": [{"id": "A", "title": "Assessment", "covers": ["FIRST_TIER"]}],
        "question": [{"id": "A.1", "standard": "A", "lens": "desistance", "text": "Good?", "indicators": ["ASM"]}],
        "scales": {"ratings": {"levels": [{"name": "Good", "from": 50, "points": 1}, {"name": "Poor", "from": 0, "points": 0}]}},
    }
    data.update(changes)
    return data


def test_a_minimal_own_framework_is_accepted():
    fw = parse_framework(_minimal(), "own.toml")
    assert fw.kind == "questions" and fw.file == "own.toml" and fw.max_points == 1
    assert fw.ratings().classify(Fraction(50)) == "Good" and fw.ratings().classify(Fraction(4999, 100)) == "Poor"


@pytest.mark.parametrize(
    ("changes", "key", "message"),
    [
        ({"id": None}, "id", "missing"),
        ({"status": "draft"}, "status", "must be one of current, provisional, historic"),
        ({"colour": "red"}, "colour", "unknown key"),
        ({"standard": [{"id": "A", "title": "Assessment", "covers": ["COURT"]}]}, 'standard[0] ("A").covers[0]',
         "unknown outcome group 'COURT'"),
        ({"question": [{"id": "A.1", "standard": "B", "lens": "d", "text": "?", "indicators": []}]}, 'question[0] ("A.1").standard',
         "no [[standard]] 'B'"),
        ({"question": [{"id": "A.1", "standard": "A", "lens": "d", "text": "?", "indicators": ["ROH999"]}]},
         'question[0] ("A.1").indicators[0]', "unknown rule code or prefix 'ROH999'"),
        ({"question": [{"id": "Q1", "standard": "A", "lens": "d", "text": "?"}]}, 'question[0] ("Q1").id', "its standard's and a number"),
        ({"question": [{"id": "A.1", "standard": "A", "lens": "d", "text": "?", "indicator": ["ASM"]}]},
         'question[0] ("A.1").indicator', "unknown key"),
        ({"question": [{"id": "A.1", "standard": "A", "lens": "d", "text": "?"}] * 2}, 'question[1] ("A.1").id', "used twice"),
        ({"question": []}, 'standard[0] ("A")', "has no [[question]]"),
        ({"scales": {"ratings": {"levels": [{"name": "Good", "from": 50, "points": 1}, {"name": "Poor", "from": 10, "points": 0}]}}},
         "scales.ratings.levels[1].from", "must be 0"),
        ({"scales": {"ratings": {"levels": [{"name": "Good", "from": 50, "points": 1}, {"name": "Poor", "from": 60, "points": 0}]}}},
         "scales.ratings.levels[1].from", "must be below"),
        ({"scales": {"ratings": {"levels": [{"name": "Good", "from": 50}, {"name": "Poor", "from": 0, "points": 0}]}}},
         "scales.ratings.levels[0].points", "needs its points"),
        ({"scales": None}, "scales", "missing"),
        ({"standard": [], "question": []}, "", "nothing to score"),
    ],
)
def test_framework_file_errors_name_the_key(changes, key, message):
    data = {k: v for k, v in _minimal(**changes).items() if v is not None}
    with pytest.raises(FrameworkError) as exc:
        parse_framework(data, "own.toml")
    assert any(f == "own.toml" and k == key and message in m for f, k, m in exc.value.problems), exc.value.problems


def test_every_mistake_is_reported_at_once():
    data = _minimal(status="draft", colour="red")
    with pytest.raises(FrameworkError) as exc:
        parse_framework(data, "own.toml")
    assert {k for _, k, _ in exc.value.problems} == {"status", "colour"}


def test_load_framework_by_id_path_and_errors(tmp_path):
    assert load_framework("HMIP-2018") is shipped("hmip-2018")
    with pytest.raises(FrameworkError, match="no framework 'hmip-2030'"):
        load_framework("hmip-2030")
    with pytest.raises(FrameworkError, match=r"own\.toml: no such framework file"):
        load_framework(tmp_path / "own.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("id = \n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="bad.toml: not valid TOML"):
        load_framework(bad)


def _run(capsys, *argv):
    from rules.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_frameworks_lists_them_and_labels_the_provisional(capsys):
    code, out, err = _run(capsys, "frameworks")
    assert code == 0 and err == ""
    assert re.search(r"^hmip-2025\s+PROVISIONAL", out, re.MULTILINE)
    assert "7 standards, 21 key questions; the default for the review" in out
    code, out, _ = _run(capsys, "frameworks", "--format", "json")
    doc = json.loads(out)
    assert [(d["id"], d["provisional"]) for d in doc] == [("ccl-2012", False), ("hmip-2018", False), ("hmip-2025", True)]
    code, out, _ = _run(capsys, "frameworks", "hmip-2025")
    assert out.startswith("hmip-2025 (provisional)") and "PROVISIONAL" in out


def test_cli_a_bad_framework_file_is_exit_2_naming_file_key_and_message(capsys, tmp_path):
    own = tmp_path / "own.toml"
    own.write_text('id = "own"\ntitle = "Ours"\nstatus = "current"\n[[standard]]\nid = "A"\ntitle = "A"\ncovers = ["COURT"]\n',
                   encoding="utf-8")
    code, out, err = _run(capsys, "frameworks", str(own))
    assert code == 2 and out == ""
    assert f"yos-audit: error: {own}: standard[0] (\"A\").covers[0]: unknown outcome group 'COURT'" in err
    assert f"{own}: scales: missing" in err
    code, out, err = _run(capsys, "score", str(SCORING_CASELOAD), "--as-of", "2026-11-20", "--framework", str(own))
    assert code == 2 and out == "" and "unknown outcome group" in err


def test_cli_score_with_an_own_criteria_framework(capsys, tmp_path):
    text = (ROOT / "rules" / "data" / "ccl-2012.toml").read_text(encoding="utf-8")
    own = tmp_path / "ours.toml"
    own.write_text(text.replace('id = "ccl-2012"', 'id = "ccl-ours"').replace("Sustaining outcomes", "Outcomes that last"),
                   encoding="utf-8")
    code, out, err = _run(capsys, "score", str(SCORING_CASELOAD), "--as-of", "2026-11-20", "--format", "json",
                          "--fail-on", "never", "--framework", str(own))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["criteria"][-1]["title"] == "Outcomes that last"
    code, _, err = _run(capsys, "score", str(SCORING_CASELOAD), "--framework", "ccl-2012", "--framework", str(own))
    assert code == 2 and "name one of each kind" in err
