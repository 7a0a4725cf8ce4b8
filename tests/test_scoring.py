"""Inspection-style scores (issue 3): counts, bands, breakdowns, worst gaps, sampling and the writers.

The scoring tests do not depend on the catalogue: they audit ``fixtures/scoring/caseload.json`` with
rules built here from a table (case id -> outcome letters), so every expected figure below is a hand
count from that table. M = MET, N = NOT_MET, P = PENDING, X = NOT_APPLICABLE; a per-record rule has one
letter a record.

Goldens: ``UPDATE_GOLDEN=1 pytest tests/test_scoring.py`` rewrites ``tests/golden/score.*``; a normal
run compares.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections import Counter
from fractions import Fraction
from itertools import takewhile
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.catalogue import all_rules
from rules.config import ConfigError
from rules.engine import Audit, audit
from rules.load import load_paths
from rules.model import Case, LegalOutcome
from rules.outcomes import Outcome, Severity, Status, Verdict
from rules.registry import Rule
from rules.report import score_html, score_json, score_markdown, score_text
from rules.report.score_common import failing_cases
from rules.sampling import allocate, draw_sample, stratum_of
from rules.scoring import (
    CRITERIA,
    STANDARDS,
    Scale,
    Tally,
    display_percent,
    score,
    scoring_settings,
)

ROOT = Path(__file__).resolve().parent.parent
CASELOAD = ROOT / "fixtures" / "scoring" / "caseload.json"
GOLDEN = Path(__file__).resolve().parent / "golden"
AS_OF = dt.date(2026, 11, 20)

LETTER = {"M": Status.MET, "N": Status.NOT_MET, "P": Status.PENDING, "X": Status.NOT_APPLICABLE}


def table_rule(code, name, criterion, standard, table, per_record=False) -> Rule:
    """A rule whose outcomes are the table's letters for each case; a case not in the table: n/a."""

    def check(view, options):
        entry = table.get(view.case.case_id)
        if entry is None:
            return None
        verdicts = [
            Verdict(
                LETTER[ch], f"{name}: {LETTER[ch].value}" + (f" (record {i + 1})" if per_record else ""),
                record=f"r{i + 1}" if per_record else None,
            )
            for i, ch in enumerate(entry)
        ]
        return verdicts if per_record else verdicts[0]

    kwargs = dict(
        code=code, name=name, summary=f"Test rule {name}.", severity=Severity.ERROR, criterion=criterion,
        standard=standard, source="test", check=check, per_record=per_record,
    )
    for f in attrs.fields(Rule):  # documentation fields the engine may add are not what is tested here
        if f.default is attrs.NOTHING and f.name not in kwargs:
            kwargs[f.name] = ""
    return Rule(**kwargs)


# Teams in the fixture: North = C-01..C-04 (CM-A: C-01, C-02; CM-B: C-03, C-04),
# South = C-05..C-08 (CM-C: C-05, C-06; CM-D: C-07, C-08), no team = C-09.
TABLE_RULES = [
    table_rule("ASM001", "start-assessment-on-time", "1.2", "Assessment",
               {"C-01": "M", "C-02": "N", "C-03": "M", "C-04": "N", "C-05": "P", "C-06": "M", "C-07": "M", "C-09": "N"}),
    table_rule("ROH003", "rmp-required", "1.1", "Planning",
               {"C-01": "M", "C-02": "M", "C-03": "N", "C-05": "M", "C-06": "N", "C-07": "P", "C-09": "X"}),
    table_rule("ROH007", "rosh-reviewed", "2.1", "Reviewing", {"C-01": "N", "C-03": "M", "C-06": "M", "C-07": "M"}),
    table_rule("SAF002", "vmp-required", "1.3", "Planning", {"C-02": "M", "C-03": "M", "C-05": "N", "C-06": "M"}),
    table_rule("SAF005", "custody-vulnerability-shared", "2.3", "Implementation", {"C-03": "M"}),
    table_rule("MGT002", "vulnerability-oversight", "1.3", "Assessment", {"C-05": "M", "C-06": "MM"}, per_record=True),
    table_rule("CON001", "contact-frequency", "2.2", "Implementation", {"C-02": "N", "C-06": "M", "C-07": "N"}),
    table_rule("ENF001", "warning-issued", "3.1", "Implementation", {"C-02": "NN", "C-06": "NNM", "C-07": "P"}, per_record=True),
    table_rule("REV002", "end-of-order-review", "3.2", "Reviewing", {}),  # applies nowhere
]


def load_fixture():
    result = load_paths([CASELOAD])
    assert not result.problems
    return result.caseload


def fixture_audit(rules=TABLE_RULES, cases=None):
    return audit(cases if cases is not None else load_fixture(), AS_OF, rules=rules)


def counts(s):
    return (s.met, s.applicable)


# -- counting -----------------------------------------------------------------------------------


def test_rule_counts_are_met_over_met_plus_not_met():
    scores = score(fixture_audit())
    got = {r.rule: counts(r) for r in scores.rules}
    assert got == {
        "ASM001": (4, 7),  # M: C-01 C-03 C-06 C-07; N: C-02 C-04 C-09; C-05 pending not counted
        "ROH003": (3, 5),  # M: C-01 C-02 C-05; N: C-03 C-06; P (C-07) and X (C-09) not counted
        "ROH007": (3, 4),
        "SAF002": (3, 4),
        "SAF005": (1, 1),
        "MGT002": (3, 3),  # per record: C-05 one, C-06 two
        "CON001": (1, 3),
        "ENF001": (1, 5),  # per record: C-02 N N, C-06 N N M; C-07's pending record not counted
        "REV002": (0, 0),  # applies nowhere
    }
    assert scores.cases == 9
    assert scores.overall.rule("ENF001").per_record and scores.overall.rule("ENF001").counts == "records"


def test_criteria_sections_standards_and_headline_by_hand():
    scores = score(fixture_audit())
    crit = {c.id: (c.met, c.applicable, c.band) for c in scores.criteria}
    assert [c.id for c in scores.criteria] == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2"]
    assert crit == {
        "1.1": (3, 5, "MODERATE"),  # ROH003 60%
        "1.2": (4, 7, "MODERATE"),  # ASM001 57.1%
        "1.3": (6, 7, "MINIMUM"),  # SAF002 3/4 + MGT002 3/3 = 85.7%
        "2.1": (3, 4, "MINIMUM"),  # ROH007 exactly 75%: MINIMUM
        "2.2": (1, 3, "SUBSTANTIAL"),  # CON001 33.3%
        "2.3": (1, 1, "MINIMUM"),  # SAF005
        "3.1": (1, 5, "DRASTIC"),  # ENF001 20%
        "3.2": (0, 0, None),  # REV002 applies nowhere: no percent, no band
    }
    assert scores.overall.criterion("3.2").percent is None and scores.overall.criterion("3.2").shown is None
    assert scores.overall.criterion("1.3").title == "Safeguarding"
    # sections sum their criteria: 1 = 3/5 + 4/7 + 6/7 = 13/19; 2 = 3/4 + 1/3 + 1/1 = 5/8; 3 = 1/5 + 0/0
    assert {s.id: counts(s) for s in scores.sections} == {"1": (13, 19), "2": (5, 8), "3": (1, 5)}
    assert all(s.band is None for s in scores.sections)
    std = {s.id: (s.met, s.applicable, s.band) for s in scores.standards}
    assert std == {
        "Assessment": (7, 10, "Good"),  # ASM001 4/7 + MGT002 3/3 = 70%
        "Planning": (6, 9, "Good"),  # ROH003 3/5 + SAF002 3/4 = 66.7%
        "Implementation and delivery": (3, 9, "Inadequate"),  # SAF005 1/1 + CON001 1/3 + ENF001 1/5
        "Reviewing": (3, 4, "Good"),  # ROH007 3/4 + REV002 0/0
    }
    head = {s.id: (s.met, s.applicable, s.band) for s in scores.headline}
    assert head == {
        "safeguarding": (7, 8, "MINIMUM"),  # SAF002 3/4 + SAF005 1/1 + MGT002 3/3 = 87.5%
        "risk_of_harm": (6, 9, "MODERATE"),  # ROH003 3/5 + ROH007 3/4
        "likelihood_of_reoffending": (6, 15, "SUBSTANTIAL"),  # ASM001 4/7 + CON001 1/3 + ENF001 1/5 + REV002 0/0
    }
    assert scores.overall.theme("likelihood_of_reoffending").rules == ("ASM001", "CON001", "ENF001", "REV002")


def test_pending_and_not_applicable_are_not_counted_and_rules_apply_nowhere_left_out():
    only_pending = table_rule("ROH004", "rmp-on-time", "1.1", "Planning", {"C-01": "P", "C-02": "X"})
    scores = score(fixture_audit([only_pending, TABLE_RULES[1]]))
    r = scores.overall.rule("ROH004")
    assert (r.met, r.not_met, r.applicable, r.percent, r.shown) == (0, 0, 0, None, None)
    # 1.1 is ROH003 alone (3/5); the rule that applied nowhere adds nothing, neither 0% nor 100%
    c = scores.overall.criterion("1.1")
    assert counts(c) == (3, 5) and c.rules == ("ROH004", "ROH003")
    assert scores.overall.criterion("2.1").band is None  # no rule of 2.1 selected at all
    doc = json.loads(score_json.render(scores))
    assert next(c for c in doc["criteria"] if c["id"] == "2.1").items() >= {"percent": None, "band": None, "applicable": 0}.items()
    assert {"rule": "ROH004", "met": 0, "applicable": 0}.items() <= next(x for x in doc["rules"] if x["rule"] == "ROH004").items()
    assert doc["headline"]["safeguarding"]["percent"] is None


def test_per_record_outcomes_each_count_built_from_outcomes_directly():
    rule = table_rule("ENF001", "warning-issued", "3.1", "Implementation", {}, per_record=True)
    case = Case(case_id="K-1", start_date=dt.date(2026, 1, 5), team="East")
    outcomes = (
        Outcome("ENF001", "K-1", Status.NOT_MET, "no warning", record="contact 2026-02-02"),
        Outcome("ENF001", "K-1", Status.NOT_MET, "no warning", record="contact 2026-02-09"),
        Outcome("ENF001", "K-1", Status.MET, "warned", record="contact 2026-03-02"),
        Outcome("ENF001", "K-1", Status.PENDING, "due", record="contact 2026-11-19"),
    )
    scores = score(Audit(AS_OF, (rule,), (case,), outcomes, ()))
    r = scores.overall.rule("ENF001")
    assert (r.met, r.not_met, r.applicable) == (1, 2, 3)  # one case, three judged records
    assert [(f.case_id, f.count, f.team) for f in r.failing] == [("K-1", 2, "East")]
    assert counts(scores.overall.criterion("3.1")) == (1, 3)


_OUTCOME_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["ENF001", "ASM001", "ROH003"]), st.sampled_from(["K-2", "K-10", "K-1", "X-9"]),
        st.sampled_from(list(Status)), st.sampled_from(["first", "second", "third"]),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(_OUTCOME_ROWS, st.sampled_from([None, "team", "case-manager"]))
def test_rule_scores_match_their_plain_definition(rows, by):
    """MET counted, and each NOT_MET case listed once in case_id order with how often it failed, its
    team and case manager, and its first message; whatever the order and mix of the outcomes (X-9 is
    no case of the audit: no team, no case manager)."""
    rules = tuple(table_rule(code, code, "1.1", "Assessment", {}) for code in ("ENF001", "ASM001", "ROH003"))
    cases = (
        Case(case_id="K-1", start_date=dt.date(2026, 1, 5), team="East", case_manager="CM-A"),
        Case(case_id="K-2", start_date=dt.date(2026, 1, 5), team="West"),
        Case(case_id="K-10", start_date=dt.date(2026, 1, 5), case_manager="CM-B"),
    )
    outcomes = tuple(Outcome(*row) for row in rows)
    scores = score(Audit(AS_OF, rules, cases, outcomes, ()), by=by)
    place = {c.case_id: (c.team, c.case_manager) for c in cases}
    index = 0 if by == "team" else 1

    def in_part(case_id, part):
        return part is scores.overall or place.get(case_id, (None, None))[index] == part.key

    for part in (scores.overall, *scores.breakdown):
        for r in rules:
            mine = [o for o in outcomes if o.rule == r.code and in_part(o.case_id, part)]
            failed = [o for o in mine if o.status is Status.NOT_MET]
            expected = [
                (cid, sum(o.case_id == cid for o in failed), *place.get(cid, (None, None)),
                 next(o.message for o in failed if o.case_id == cid))
                for cid in sorted({o.case_id for o in failed})
            ]
            got = part.rule(r.code)
            assert got.met == sum(o.status is Status.MET for o in mine)
            assert got.not_met == len(failed)
            assert [tuple(f) for f in got.failing] == expected


def test_real_catalogue_rules_on_the_fixture():
    rules = all_rules()
    scores = score(fixture_audit([rules["ASM001"], rules["ASM003"]]))
    # ASM001 (start assessment in 15 wd, 20 for referral orders, from 1 June: due 22 or 29 June):
    # met C-01 (RO, 26 Jun), C-03 (10 Jun), C-06 (15 Jun), C-07 (22 Jun, on the due date);
    # not met C-02 (26 Jun, late), C-04 (none), C-09 (1 Jul, late); C-05 pending; C-08 closed before due
    assert counts(scores.overall.rule("ASM001")) == (4, 7)
    # ASM003 (self-assessment on the first start assessment): true on C-01 C-03 C-07 C-09, false C-02 C-06
    assert counts(scores.overall.rule("ASM003")) == (4, 6)
    assert counts(scores.overall.criterion("1.2")) == (8, 13)
    assert counts(scores.overall.standard("Assessment")) == (8, 13)
    assert counts(scores.overall.theme("likelihood_of_reoffending")) == (8, 13)
    assert scores.overall.theme("safeguarding").applicable == 0


def test_whole_catalogue_scores_add_up():
    """Whatever the catalogue holds: each criterion, standard and theme is the sum of its rules."""
    scores = score(fixture_audit(list(all_rules().values())))
    by_code = {r.rule: r for r in scores.rules}
    assert len(by_code) == len(all_rules())
    for group in (*scores.criteria, *scores.standards, *scores.headline):
        assert group.met == sum(by_code[c].met for c in group.rules)
        assert group.applicable == sum(by_code[c].applicable for c in group.rules)
    assert sum(c.applicable for c in scores.criteria) == sum(r.applicable for r in scores.rules if r.criterion in {c.id for c in CRITERIA})
    themed = {c for t in scores.headline for c in t.rules}
    assert themed == set(all_rules())  # every catalogue rule counts towards one headline theme
    assert sum(len(t.rules) for t in scores.headline) == len(themed)  # and only one


_CASE_ROWS = st.lists(  # a case each: its team, and a letter for each rule
    st.tuples(st.sampled_from([None, "East", "West"]), st.text("MNPX", min_size=3, max_size=3)), max_size=12
)


# -- bands --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        ("100", "MINIMUM"), ("75", "MINIMUM"), ("75.0", "MINIMUM"), ("74.9", "MODERATE"), ("74.99", "MODERATE"),
        ("50", "MODERATE"), ("49.9", "SUBSTANTIAL"), ("25", "SUBSTANTIAL"), ("24.9", "DRASTIC"), ("0", "DRASTIC"),
    ],
)
def test_band_thresholds_compare_the_unrounded_percent(percent, band):
    assert scoring_settings().bands.classify(Fraction(percent)) == band


@pytest.mark.parametrize(
    ("percent", "rating"),
    [
        ("80", "Outstanding"), ("79.9", "Good"), ("65", "Good"), ("64.9", "Requires improvement"),
        ("50", "Requires improvement"), ("49.9", "Inadequate"), ("0", "Inadequate"),
    ],
)
def test_rating_thresholds(percent, rating):
    assert scoring_settings().ratings.classify(Fraction(percent)) == rating


def _counted_audit(met: int, not_met: int, code="ROH003", criterion="1.1", standard="Planning") -> Audit:
    rule = table_rule(code, "x", criterion, standard, {})
    case = Case(case_id="K-1", start_date=dt.date(2026, 1, 5))
    outcomes = tuple(Outcome(code, "K-1", Status.MET) for _ in range(met)) + tuple(
        Outcome(code, "K-1", Status.NOT_MET) for _ in range(not_met)
    )
    return Audit(AS_OF, (rule,), (case,), outcomes, ())


def test_749_of_1000_is_moderate_and_750_minimum_through_score():
    low = score(_counted_audit(749, 251)).overall.criterion("1.1")
    assert (low.percent, low.shown, low.band) == (74.9, 74.9, "MODERATE")
    high = score(_counted_audit(750, 250)).overall.criterion("1.1")
    assert (high.shown, high.band) == (75.0, "MINIMUM")
    # 7496/10000 = 74.96%: MODERATE, and printed 74.9, never rounded up to a "75.0" that reads MINIMUM
    edge = score(_counted_audit(7496, 2504)).overall.criterion("1.1")
    assert (edge.band, edge.shown) == ("MODERATE", 74.9)
    assert score(_counted_audit(7496, 2504)).overall.theme("risk_of_harm").shown == 74.9
    # a rule has no band: plain rounding half up
    assert score(_counted_audit(7496, 2504)).overall.rule("ROH003").shown == 75.0


def test_display_percent():
    bands = scoring_settings().bands
    assert display_percent(Fraction(150 * 100, 203), bands) == 73.9  # the contract's example: 150/203
    assert display_percent(Fraction(2, 3) * 100, bands) == 66.7
    assert display_percent(Fraction("49.95"), bands) == 49.9  # below 50: not rounded up to 50.0
    assert display_percent(Fraction("49.95")) == 50.0  # no bands: plain half-up rounding
    assert display_percent(Fraction("75.04"), bands) == 75.0
    assert display_percent(None) is None


def test_bands_and_ratings_from_config():
    settings = scoring_settings({"bands": {"minimum": 80, "Moderate": 60.5}, "ratings": {"requires improvement": 55}})
    assert settings.bands.thresholds == (("MINIMUM", 80), ("MODERATE", Fraction(121, 2)), ("SUBSTANTIAL", 25))
    assert settings.bands.classify(Fraction(605, 10)) == "MODERATE"
    assert settings.bands.classify(Fraction("60.4")) == "SUBSTANTIAL"
    assert settings.ratings.classify(Fraction(54)) == "Inadequate"
    scores = score(fixture_audit(), {"bands": {"MINIMUM": 76}})
    assert scores.overall.criterion("2.1").band == "MODERATE"  # 75% is below a MINIMUM threshold of 76
    doc = json.loads(score_json.render(scores))
    assert doc["scoring"]["bands"] == {"MINIMUM": 76, "MODERATE": 50, "SUBSTANTIAL": 25, "DRASTIC": 0}


@pytest.mark.parametrize(
    ("table", "names"),
    [
        ({"band": {}}, "scoring.band: unknown key"),
        ({"bands": 75}, "scoring.bands must be a table"),
        ({"bands": {"MINIMAL": 70}}, "scoring.bands.MINIMAL: unknown band"),
        ({"bands": {"MINIMUM": "75"}}, "scoring.bands.MINIMUM: expected a percent"),
        ({"bands": {"MINIMUM": True}}, "scoring.bands.MINIMUM: expected a percent"),
        ({"bands": {"MINIMUM": 175}}, "scoring.bands.MINIMUM: a percent must be from 0 to 100"),
        ({"bands": {"MODERATE": 80}}, "scoring.bands.MODERATE: MODERATE = 80 must be below MINIMUM = 75"),
        ({"bands": {"SUBSTANTIAL": 50}}, "scoring.bands.SUBSTANTIAL: SUBSTANTIAL = 50 must be below"),
        ({"bands": {"DRASTIC": 10}}, "scoring.bands.DRASTIC: DRASTIC takes every percent below SUBSTANTIAL"),
        ({"ratings": {"good": 85}}, "scoring.ratings.good: Good = 85 must be below Outstanding = 80"),
        ({"ratings": {"excellent": 90}}, "scoring.ratings.excellent: unknown band"),
    ],
)
def test_bad_scoring_config_names_the_key(table, names):
    with pytest.raises(ConfigError, match=re.escape(names)):
        score(fixture_audit(), table)


def test_default_scoring_toml_reads_back_as_the_defaults():
    import tomllib

    from rules.scoring import default_scoring_toml

    text = default_scoring_toml()
    assert "[scoring.bands]" in text and '"Requires improvement" = 50' in text
    assert scoring_settings(tomllib.loads(text)["scoring"]) == scoring_settings()


def test_drastic_zero_is_allowed():
    assert scoring_settings({"bands": {"DRASTIC": 0}, "ratings": {"Inadequate": 0}}).bands.lowest == "DRASTIC"


def test_scale_describe():
    assert scoring_settings().bands.describe() == [
        ("MINIMUM", "75% and above"), ("MODERATE", "50% to below 75%"),
        ("SUBSTANTIAL", "25% to below 50%"), ("DRASTIC", "below 25%"),
    ]
    assert isinstance(scoring_settings().ratings, Scale)
    assert Tally(1, 2) + Tally(3, 4) == Tally(4, 6)


# -- breakdowns and worst gaps ------------------------------------------------------------------


def test_breakdown_by_team_side_by_side():
    scores = score(fixture_audit(), by="team")
    assert scores.by == "team"
    assert [(s.key, s.label, s.cases) for s in scores.breakdown] == [
        ("North", "North", 4), ("South", "South", 4), (None, "(no team)", 1),
    ]
    north, south, none = scores.breakdown
    # North: ROH003 C-01 M C-02 M C-03 N; South: C-05 M C-06 N (C-07 pending)
    assert counts(north.criterion("1.1")) == (2, 3) and counts(south.criterion("1.1")) == (1, 2)
    # 2.1 (ROH007): North C-01 N C-03 M = 50% MODERATE; South C-06 M C-07 M = 100% MINIMUM
    assert (north.criterion("2.1").band, south.criterion("2.1").band) == ("MODERATE", "MINIMUM")
    # ENF001 records: North C-02 N N; South C-06 N N M
    assert counts(north.rule("ENF001")) == (0, 2) and counts(south.rule("ENF001")) == (1, 3)
    assert counts(none.rule("ASM001")) == (0, 1) and none.criterion("1.1").band is None
    # the teams add up to the whole caseload
    for i, r in enumerate(scores.rules):
        assert sum(s.rules[i].met for s in scores.breakdown) == r.met
        assert sum(s.rules[i].applicable for s in scores.breakdown) == r.applicable


def test_breakdown_by_case_manager():
    scores = score(fixture_audit(), by="case-manager")
    assert [s.label for s in scores.breakdown] == ["CM-A", "CM-B", "CM-C", "CM-D", "(no case manager)"]
    cm_a = scores.breakdown[0]
    # CM-A holds C-01 and C-02: ASM001 M N, ROH003 M M
    assert counts(cm_a.rule("ASM001")) == (1, 2) and counts(cm_a.rule("ROH003")) == (2, 2)
    assert score(fixture_audit(), by="case_manager").by == "case-manager"
    with pytest.raises(ValueError, match="cannot break scores down by 'office'"):
        score(fixture_audit(), by="office")
    assert score(fixture_audit()).breakdown == ()


def test_worst_gaps_first_with_failing_cases():
    scores = score(fixture_audit())
    # most NOT_MET first; ties (CON001 and ROH003, two each) by the lower percent, then the code
    assert [(r.rule, r.not_met) for r in scores.worst] == [
        ("ENF001", 4), ("ASM001", 3), ("CON001", 2), ("ROH003", 2), ("ROH007", 1), ("SAF002", 1),
    ]
    enf = scores.worst[0]
    assert [(f.case_id, f.count, f.team, f.case_manager) for f in enf.failing] == [
        ("C-02", 2, "North", "CM-A"), ("C-06", 2, "South", "CM-C"),
    ]
    assert enf.failing[0].message == "warning-issued: not_met (record 1)"
    assert [f.case_id for f in scores.worst[1].failing] == ["C-02", "C-04", "C-09"]


# -- sampling -----------------------------------------------------------------------------------


def _population() -> list[Case]:
    """60 cases: 30 referral orders, 18 YROs, 9 DTOs, 3 youth cautions, shuffled by id."""
    kinds = [LegalOutcome.REFERRAL_ORDER] * 30 + [LegalOutcome.YOUTH_REHABILITATION_ORDER] * 18
    kinds += [LegalOutcome.DETENTION_AND_TRAINING_ORDER] * 9 + [LegalOutcome.YOUTH_CAUTION] * 3
    return [Case(case_id=f"P-{(i * 37) % 60:03d}", start_date=dt.date(2026, 1, 5), legal_outcome=k) for i, k in enumerate(kinds)]


def test_sample_is_proportional_by_stratum():
    cases, info = draw_sample(_population(), 20, seed=7)
    # quotas 20 * 30/60 = 10, 20 * 18/60 = 6, 20 * 9/60 = 3, 20 * 3/60 = 1: all whole
    got = Counter(stratum_of(c) for c in cases)
    assert got == {"REFERRAL_ORDER": 10, "YOUTH_REHABILITATION_ORDER": 6, "DETENTION_AND_TRAINING_ORDER": 3, "YOUTH_CAUTION": 1}
    assert {s.key: (s.population, s.sampled) for s in info.strata} == {
        "DETENTION_AND_TRAINING_ORDER": (9, 3), "REFERRAL_ORDER": (30, 10),
        "YOUTH_CAUTION": (3, 1), "YOUTH_REHABILITATION_ORDER": (18, 6),
    }
    assert (info.size, info.population, info.seed) == (20, 60, 7)
    assert info.case_ids == tuple(c.case_id for c in cases)


def test_sample_by_outcome_group():
    cases, info = draw_sample(_population(), 10, seed=1, by="group")
    # groups: FIRST_TIER 30, COMMUNITY 18, CUSTODY 9, PRE_COURT 3; quotas 5, 3, 1.5, 0.5
    # floors 5 + 3 + 1 + 0 = 9; the one left goes to the larger remainder tie, the larger stratum: CUSTODY
    assert Counter(stratum_of(c, "group") for c in cases) == {"FIRST_TIER": 5, "COMMUNITY": 3, "CUSTODY": 2}


def test_allocate_largest_remainder():
    # 7 of 10 over 5/3/2: quotas 3.5, 2.1, 1.4 -> floors 3, 2, 1 = 6; the one left to the largest remainder (A)
    assert allocate({"A": 5, "B": 3, "C": 2}, 7) == {"A": 4, "B": 2, "C": 1}
    assert allocate({"A": 5, "B": 3}, 50) == {"A": 5, "B": 3}
    assert allocate({}, 3) == {}


def test_sample_is_reproducible_for_a_seed_and_independent_of_input_order():
    pop = _population()
    first, _ = draw_sample(pop, 15, seed=42)
    again, _ = draw_sample(list(reversed(pop)), 15, seed=42)
    assert sorted(c.case_id for c in first) == sorted(c.case_id for c in again)
    assert [c.case_id for c in first] == [c.case_id for c in pop if c in first]  # in the input's order
    others = {tuple(sorted(c.case_id for c in draw_sample(pop, 15, seed=s)[0])) for s in range(5)}
    assert len(others) > 1  # another seed, another sample


def test_sample_reproducible_across_processes():
    code = (
        "import datetime as dt, json\n"
        "from rules.model import Case, LegalOutcome\n"
        "from rules.sampling import draw_sample\n"
        "pop = [Case(case_id=f'P-{i:03d}', start_date=dt.date(2026,1,5), legal_outcome=LegalOutcome.REFERRAL_ORDER if i % 3 else LegalOutcome.SECTION_250) for i in range(50)]\n"
        "print(json.dumps(draw_sample(pop, 12, seed=5)[1].case_ids))\n"
    )
    runs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": str(h)}).stdout
        for h in (1, 2)
    }
    assert len(runs) == 1


def test_sample_edges():
    pop = _population()
    everything, info = draw_sample(pop, 100, seed=3)
    assert len(everything) == 60 and info.size == 60
    with pytest.raises(ValueError, match="at least one case"):
        draw_sample(pop, 0, seed=3)
    with pytest.raises(ValueError, match="cannot stratify"):
        draw_sample(pop, 3, seed=3, by="team")


def test_sampled_scores_say_so():
    caseload = load_fixture()
    cases, info = draw_sample(caseload.cases, 4, seed=11)
    scores = score(fixture_audit(cases=cases), sample=info)
    assert scores.cases == 4 and scores.sample is info
    assert "Inspection-style sample: 4 of 9 cases, seed 11, stratified by legal outcome" in score_text.render(scores)
    doc = json.loads(score_json.render(scores))
    assert doc["sample"]["case_ids"] == [c.case_id for c in cases] and doc["sample"]["size"] == 4
    assert sum(s["sampled"] for s in doc["sample"]["strata"]) == 4


# -- writers ------------------------------------------------------------------------------------


def golden_scores():
    return score(fixture_audit(), by="team")


WRITERS = {
    "score.txt": score_text.render,
    "score.json": score_json.render,
    "score.md": score_markdown.render,
    "score.html": score_html.render,
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_golden(name):
    got = WRITERS[name](golden_scores())
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(got, encoding="utf-8", newline="")
    assert got == path.read_text(encoding="utf-8"), f"{name} differs from its golden file (UPDATE_GOLDEN=1 to accept)"


def test_json_follows_the_contract():
    doc = json.loads(score_json.render(score(fixture_audit())))
    assert doc["as_of"] == "2026-11-20" and doc["cases"] == 9
    for c in doc["criteria"]:
        assert {"id", "title", "met", "applicable", "percent", "band"} <= c.keys()
    assert set(doc["headline"]) == {"safeguarding", "risk_of_harm", "likelihood_of_reoffending"}
    for h in doc["headline"].values():
        assert {"met", "applicable", "percent", "band"} <= h.keys()
    assert doc["headline"]["safeguarding"].items() >= {"met": 7, "applicable": 8, "percent": 87.5, "band": "MINIMUM"}.items()
    assert {"rule": "ROH003", "met": 3, "applicable": 5}.items() <= doc["rules"][1].items()
    assert [s["id"] for s in doc["standards"]] == list(STANDARDS)
    assert doc["standards"][0]["rating"] == "Good"
    assert doc["breakdown"] is None and doc["sample"] is None
    assert doc["worst"][0]["rule"] == "ENF001" and doc["worst"][0]["cases"][0]["case_id"] == "C-02"


HOSTILE = '<script>alert("x")</script> & | *bold* [link](http://example.invalid)'


def _hostile_scores():
    caseload = load_fixture()
    cases = [attrs.evolve(c, team=HOSTILE) if c.team == "North" else c for c in caseload.cases]
    return score(fixture_audit(cases=cases), by="team")


def test_html_is_self_contained_and_escapes_every_string():
    page = score_html.render(_hostile_scores())
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    lowered = page.lower()
    assert "<script" not in lowered and "javascript:" not in lowered
    assert "href=" not in lowered and "src=" not in lowered and "url(" not in lowered and "@import" not in lowered
    assert "http" not in score_html.render(golden_scores()).lower()  # nothing that reaches the network
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in page
    assert page.count("<svg") >= 3 + 11  # headline, criteria, standards; a chart per theme and criterion by team
    assert "<style>" in page


def test_html_is_well_formed():
    from html.parser import HTMLParser

    void = {"meta", "br", "hr", "img", "input", "link", "rect", "line"}

    class Check(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack = []

        def handle_starttag(self, tag, attrs_):
            if tag not in void:
                self.stack.append(tag)

        def handle_startendtag(self, tag, attrs_):
            pass

        def handle_endtag(self, tag):
            assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
            self.stack.pop()

    p = Check()
    p.feed(score_html.render(_hostile_scores()))
    assert p.stack == []


def test_markdown_escapes_data():
    text = score_markdown.render(_hostile_scores())
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\| \\*bold\\* \\[link\\]" in text
    # every table row keeps its column count: no pipe from the data splits a cell
    for block in text.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if rows:
            widths = {len(re.findall(r"(?<!\\)\|", r)) for r in rows}
            assert len(widths) == 1, block


def test_text_without_breakdown_and_with_nothing_failing():
    rule = table_rule("SAF001", "vulnerability-screening-on-time", "1.3", "Assessment", {"C-01": "M"})
    text = score_text.render(score(fixture_audit([rule])))
    assert "none: every rule that applied was met" in text
    assert "By team" not in text
    assert "1.3 Safeguarding" in text and "100.0%" in text


def test_writers_are_pure():
    scores = golden_scores()
    for render in WRITERS.values():
        assert render(scores) == render(scores)


def test_scoring_imports_no_textual():
    code = "import sys, rules.scoring, rules.sampling, rules.report.score_html, rules.report.score_markdown, rules.report.score_json, rules.report.score_text; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# -- the command line ---------------------------------------------------------------------------


def run_cli(capsys, *argv):
    from rules.cli import main

    code = main(["score", str(CASELOAD), "--as-of", "2026-11-20", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_score_json(capsys):
    code, out, err = run_cli(capsys, "--format", "json", "--select", "ASM001,ASM003", "--fail-on", "never")
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert doc["cases"] == 9 and doc["as_of"] == "2026-11-20"
    # the hand counts of test_real_catalogue_rules_on_the_fixture
    assert [(r["rule"], r["met"], r["applicable"]) for r in doc["rules"]] == [("ASM001", 4, 7), ("ASM003", 4, 6)]
    assert next(c for c in doc["criteria"] if c["id"] == "1.2")["percent"] == 61.5  # 8/13


def test_cli_score_exit_code_follows_fail_on(capsys):
    code, _, _ = run_cli(capsys, "--select", "ASM001")
    assert code == 1  # three ASM001 errors
    code, _, _ = run_cli(capsys, "--select", "ASM001", "--fail-on", "never")
    assert code == 0


def test_cli_score_by_team_and_sample(capsys):
    code, out, _ = run_cli(capsys, "--format", "json", "--select", "ASM001", "--by", "team", "--sample", "5", "--seed", "3")
    doc = json.loads(out)
    assert doc["cases"] == 5 and doc["sample"]["size"] == 5 and doc["sample"]["seed"] == 3
    assert doc["breakdown"]["by"] == "team"
    assert sum(g["cases"] for g in doc["breakdown"]["groups"]) == 5
    again = json.loads(run_cli(capsys, "--format", "json", "--select", "ASM001", "--by", "team", "--sample", "5", "--seed", "3")[1])
    assert again["sample"]["case_ids"] == doc["sample"]["case_ids"]


def test_cli_score_team_filter_then_sample(capsys):
    _, out, _ = run_cli(capsys, "--format", "json", "--team", "south", "--sample", "2", "--seed", "1")
    doc = json.loads(out)
    assert doc["sample"]["population"] == 4 and doc["cases"] == 2
    assert all(c.startswith("C-0") and c in {"C-05", "C-06", "C-07", "C-08"} for c in doc["sample"]["case_ids"])


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_cli_score_formats_to_a_file(capsys, tmp_path, fmt):
    target = tmp_path / f"scores.{fmt}"
    code, out, _ = run_cli(capsys, "--format", fmt, "-o", str(target), "--fail-on", "never")
    assert code == 0 and out == ""
    text = target.read_text(encoding="utf-8")
    assert "Safeguarding" in text and "2026-11-20" in text
    assert (target.stat().st_mode & 0o077) == 0  # case data: readable by its owner only


def test_cli_score_bad_scoring_config(capsys, tmp_path):
    cfg = tmp_path / "yos-audit.toml"
    cfg.write_text("[scoring.bands]\nMODERATE = 90\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "--config", str(cfg))
    assert code == 2 and out == ""
    assert f"{cfg}: scoring.bands.MODERATE: MODERATE = 90 must be below MINIMUM = 75" in err


def test_cli_score_config_bands_used(capsys, tmp_path):
    cfg = tmp_path / "yos-audit.toml"
    cfg.write_text('select = ["ASM001"]\nfail_on = "never"\n[scoring.bands]\nMINIMUM = 55\nMODERATE = 40\n', encoding="utf-8")
    _, out, _ = run_cli(capsys, "--config", str(cfg), "--format", "json")
    doc = json.loads(out)
    assert next(c for c in doc["criteria"] if c["id"] == "1.2")["band"] == "MINIMUM"  # 4/7 = 57.1% >= 55
    assert doc["scoring"]["bands"]["MINIMUM"] == 55


def test_cli_score_usage_errors(capsys):
    code, _, err = run_cli(capsys, "--sample", "0")
    assert code == 2 and "--sample must be 1 or more" in err
    with pytest.raises(SystemExit) as exc:
        run_cli(capsys, "--by", "office")
    assert exc.value.code == 2


def test_cli_score_input_errors_exit_2_and_still_score(capsys, tmp_path):
    doc = json.loads(CASELOAD.read_text(encoding="utf-8"))
    doc["cases"][0]["start_date"] = "31/02/2026"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    from rules.cli import main

    code = main(["score", str(bad), "--as-of", "2026-11-20", "--format", "json", "--select", "ASM001"])
    out, err = capsys.readouterr()
    assert code == 2
    scored = json.loads(out)
    assert scored["cases"] == 8 and scored["rejected"] == 1
    assert "C-01" in err and "start_date" in err


def test_sample_leaves_out_cases_not_started():
    pop = _population() + [Case(case_id="LATE", start_date=dt.date(2026, 12, 1), legal_outcome=LegalOutcome.YOUTH_CAUTION)]
    cases, info = draw_sample(pop, 100, seed=1, as_of=AS_OF)
    assert info.population == 60 and "LATE" not in info.case_ids


# -- redaction ----------------------------------------------------------------------------------


def test_redacted_scores_keep_every_count_and_hide_every_id():
    from rules.redact import Pseudonyms
    from rules.report.score_redact import redact_scores

    caseload = load_fixture()
    plain = score(fixture_audit(), by="case-manager")
    red = redact_scores(plain, {c.case_id: c for c in caseload.cases}, "k")
    p = Pseudonyms("k")
    assert [(r.rule, r.met, r.applicable) for r in red.rules] == [(r.rule, r.met, r.applicable) for r in plain.rules]
    assert red.criteria == plain.criteria and red.headline == plain.headline
    assert sorted(s.label for s in red.breakdown[:-1]) == sorted(p("staff", f"CM-{x}") for x in "ABCD")
    assert red.breakdown[-1].label == "(no case manager)"
    enf = red.worst[0]
    assert {f.case_id for f in enf.failing} == {p("case", "C-02"), p("case", "C-06")}
    assert {f.team for f in enf.failing} == {"North", "South"}  # teams are kept
    for fmt, render in WRITERS.items():
        text = render(red)
        for real in ("C-02", "C-06", "CM-A", "CM-C", "YP-S02"):
            assert real not in text, (fmt, real)


def test_cli_score_redact(capsys, monkeypatch):
    monkeypatch.setenv("YOS_AUDIT_REDACT_KEY", "a secret of our own")
    code, out, err = run_cli(capsys, "--format", "json", "--redact", "--by", "case-manager", "--sample", "6", "--seed", "2")
    doc = json.loads(out)
    assert not re.search(r"\bC-0\d\b|\bCM-[A-D]\b", out)
    assert all(c.startswith("case-") for c in doc["sample"]["case_ids"])
    assert "built-in key" not in err
    _, again, _ = run_cli(capsys, "--format", "json", "--redact", "--by", "case-manager", "--sample", "6", "--seed", "2")
    assert again == out  # stable pseudonyms: two redacted runs compare


def test_score_text_keeps_to_the_page_width_at_a_large_service(tmp_path):
    """The cases behind a gap, the title and the indications' note wrap at PAGE_WIDTH (at 3,000 cases the
    cases line ran past it), and no case id is split or lost on the way."""
    from rules import demo

    doc = demo.generate(400, seed=5)
    for case in doc["cases"]:  # ids as long as a real system's
        case["case_id"] = f"NORTHERN-DISTRICT-{case['case_id']}"
    path = tmp_path / "big.json"
    demo.write(doc, path)
    name = "The Very Long Named Youth Justice Service of the Northern and Southern Districts (synthetic)"
    scores = attrs.evolve(score(audit(load_paths([path]).caseload, AS_OF), by="team"), service=name)
    text = score_text.render(scores)
    assert max(map(len, text.splitlines())) <= score_text.PAGE_WIDTH
    worst = scores.worst[0]
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"  {worst.rule} {worst.name}:"))
    block = [lines[at + 1], *takewhile(lambda line: line.startswith("      "), lines[at + 2:])]
    assert len(block) > 1  # it did wrap
    listed = " ".join(block).split(": ", 1)[1]
    assert " ".join(listed.split()) == failing_cases(worst)
    assert name in lines[0]


@pytest.mark.parametrize("by, said", [("legal-outcome", "legal outcome"), ("group", "outcome group"),
                                      ("court-team", "court or out-of-court work and team")])
def test_a_sample_says_how_it_was_stratified_within_the_page(by, said):
    """``--strata court-team`` was reported as "stratified by outcome group", and the sample's line (a
    stratum each disposal) ran to 300 columns."""
    caseload = load_paths([ROOT / "examples" / "caseload.json"]).caseload
    cases, info = draw_sample(caseload.cases, 40, seed=1, by=by)
    text = score_text.render(score(audit(cases, AS_OF), sample=info))
    assert max(map(len, text.splitlines())) <= score_text.PAGE_WIDTH
    head = text.split("Sampled cases")[0]
    assert f"stratified by {said} (" in " ".join(head.split())
    for stratum in info.strata:  # never split from its counts
        assert f"{stratum.key} {stratum.sampled} of {stratum.population}" in head


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_scores_of_nothing_read_do_not_read_as_an_all_clear(capsys, tmp_path, fmt):
    """A missing export (exit 2) still writes its report, which said "every rule that applied was met"."""
    from rules.cli import main

    code = main(["score", str(tmp_path / "nosuch.json"), "--format", fmt])
    out = capsys.readouterr().out
    assert code == 2
    assert "No case was scored" in out and "applied was met" not in out
