"""The bundled example caseload, and the synthetic caseload generator behind it."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.catalogue import all_rules
from rules.demo import generate, iter_cases, stream, write
from rules.engine import audit
from rules.load import load_document, load_paths
from rules.outcomes import Status

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "caseload.json"
BUNDLED = ROOT / "rules" / "data" / "caseload.json"
AS_OF = dt.date(2026, 11, 20)


def _load(document: dict):
    _service, cases, rejected, problems = load_document(document, "<generated>")
    return cases, rejected, problems


# -- the example caseload ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example():
    return load_paths([EXAMPLE])


@pytest.fixture(scope="module")
def example_audit(example):
    return audit(example.caseload, AS_OF)


def test_example_loads_without_input_problems(example):
    assert example.problems == ()
    assert example.rejected == 0


def test_example_is_a_realistic_caseload(example):
    cases = example.caseload.cases
    assert 60 <= len(cases) <= 70
    teams = Counter(c.team for c in cases)
    assert set(teams) == {"North", "South"}
    for team in teams:
        managers = {c.case_manager for c in cases if c.team == team}
        assert len(managers) >= 3, f"{team} has only {managers}"
    assert len({c.legal_outcome for c in cases}) >= 5
    assert any(c.closed_on for c in cases) and any(c.closed_on is None for c in cases)


def test_example_ships_inside_the_package():
    assert BUNDLED.read_bytes() == EXAMPLE.read_bytes()


def test_every_rule_is_both_met_and_not_met_in_the_example(example_audit):
    seen = {(o.rule, o.status) for o in example_audit.outcomes}
    lacking = [
        f"{code} {status.name}"
        for code in all_rules()
        for status in (Status.MET, Status.NOT_MET)
        if (code, status) not in seen
    ]
    assert lacking == []


def test_one_team_does_worse_than_the_other(example_audit, example):
    team = {c.case_id: c.team for c in example.caseload.cases}
    tally = Counter((team[o.case_id], o.status) for o in example_audit.outcomes)

    def rate(t: str) -> float:
        return tally[t, Status.MET] / (tally[t, Status.MET] + tally[t, Status.NOT_MET])

    assert rate("North") > rate("South")


# -- the generator ------------------------------------------------------------------------------------


def test_generate_is_reproducible_for_a_seed():
    assert generate(40, 7) == generate(40, 7)
    assert generate(40, 7) != generate(40, 8)
    assert generate(40, 7, dt.date(2025, 3, 3)) != generate(40, 7)


def test_generate_has_the_export_shape():
    doc = generate(3, 1)
    assert doc["format"] == "yos-case-export"
    assert doc["version"] == 1
    assert doc["service"]["name"] and doc["service"]["extracted_on"] == AS_OF.isoformat()
    assert [c["case_id"] for c in doc["cases"]] == ["C-0001", "C-0002", "C-0003"]
    assert generate(0, 1)["cases"] == []
    with pytest.raises(ValueError):
        generate(-1, 1)


def _dates(value, path=""):
    """(path, ISO date) of every date string in a generated case."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _dates(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _dates(v, f"{path}[{i}]")
    elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        yield path, value


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cases=st.integers(min_value=0, max_value=30),
    seed=st.integers(min_value=-(2**40), max_value=2**40),
    as_of=st.dates(min_value=dt.date(2012, 1, 1), max_value=dt.date(2030, 12, 31)),
)
def test_generated_caseloads_never_have_input_problems(cases, seed, as_of):
    doc = generate(cases, seed, as_of)
    loaded, rejected, problems = _load(doc)
    assert problems == [] and rejected == 0
    assert len(loaded) == cases
    # only planned end dates may lie after the as-of date: nothing else has happened yet
    for case in doc["cases"]:
        for path, day in _dates(case):
            if path != ".end_date":
                assert day <= as_of.isoformat(), (case["case_id"], path, day)
    audit(loaded, as_of)  # and every rule can judge them


@pytest.mark.parametrize("size,seed", [(1, 0), (200, 1), (500, 2026)])
def test_generated_caseloads_load_cleanly_at_several_sizes(size, seed):
    loaded, rejected, problems = _load(generate(size, seed))
    assert problems == [] and rejected == 0 and len(loaded) == size


def test_generated_caseload_has_realistic_variety():
    cases = generate(1000, 3)["cases"]
    outcomes = Counter(c["legal_outcome"] for c in cases)
    assert outcomes.most_common(2)[0][0] == "REFERRAL_ORDER"
    assert outcomes.most_common(2)[1][0] == "YOUTH_REHABILITATION_ORDER"
    assert {"DETENTION_AND_TRAINING_ORDER", "SECTION_250", "YOUTH_CAUTION", "YOUTH_CONDITIONAL_CAUTION"} <= set(outcomes)
    assert Counter(c["team"] for c in cases).keys() == {"North", "South"}
    rosh = Counter(a["level"] for c in cases for a in c["assessments"] if a["kind"] == "ROSH_SCREENING")
    assert rosh["LOW"] + rosh["MEDIUM"] > 0.8 * sum(rosh.values())
    assert 0 < rosh["VERY_HIGH"] < rosh["HIGH"]
    assert sum("closed_on" in c for c in cases) > 100
    assert sum("transferred_in_on" in c for c in cases) > 10
    assert sum(bool(c.get("mappa", {}).get("eligible")) for c in cases) > 10
    assert sum(bool(c.get("victims")) for c in cases) > 200
    community = [c for c in cases if c["legal_outcome_group"] in ("FIRST_TIER", "COMMUNITY")]
    assert all("intervention_level" in c for c in community)
    assert not any("intervention_level" in c for c in cases if c not in community)
    absences = sum(x["outcome"] == "UNACCEPTABLE_ABSENCE" for c in cases for x in c.get("contacts", ()))
    assert absences > 100 and sum(len(c.get("enforcement", ())) for c in cases) > 50


def test_write_is_compact_json_and_streams(tmp_path):
    path = tmp_path / "caseload.json"
    assert write(stream(25, 4), path) == 25
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == generate(25, 4)
    assert ": " not in text and "\n" not in text.rstrip("\n")
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
    empty = tmp_path / "empty.json"
    write(generate(0, 1), empty)
    assert json.loads(empty.read_text()) == generate(0, 1)


def test_iter_cases_matches_generate():
    assert list(iter_cases(10, 5)) == generate(10, 5)["cases"]
