"""Every rule carries its documentation and two examples, and the examples say what they claim."""

import re

import pytest

from rules.catalogue import all_rules
from rules.engine import evaluate
from rules.examples import example_case, example_document, example_toml
from rules.explain import explain
from rules.facts import CaseView
from rules.load import load_document
from rules.outcomes import Severity, Status

RULES = all_rules()
CRITERIA = {"1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2"}
STANDARDS = {"Assessment", "Planning", "Implementation and delivery", "Reviewing"}
#: the catalogue's codes, family by family (shared/domain/rules.md)
CATALOGUE = (
    [f"ASM00{i}" for i in range(1, 6)] + [f"ROH00{i}" for i in range(1, 10)] + [f"SAF00{i}" for i in range(1, 7)]
    + [f"PLN00{i}" for i in range(1, 8)] + [f"MGT00{i}" for i in range(1, 4)]
    + ["CON001", "ENF001", "ENF002", "VIC001", "VIC002", "REV001", "REV002"]
)
PER_RECORD = {"ENF001", "ENF002", "VIC001", "VIC002", "REV001", "MGT001", "MGT002", "MGT003"}


def test_the_whole_catalogue_is_registered_in_order():
    assert list(RULES) == CATALOGUE
    assert len(RULES) == 37


def test_per_record_rules_are_the_catalogues():
    assert {c for c, r in RULES.items() if r.per_record} == PER_RECORD


@pytest.mark.parametrize("code", CATALOGUE)
def test_rule_is_documented(code):
    r = RULES[code]
    assert r.code == code
    assert re.fullmatch(r"[a-z]+(-[a-z]+)+", r.name), r.name
    assert r.summary and r.checks and r.why and r.action and r.source
    assert r.criterion in CRITERIA
    assert r.standard in STANDARDS
    assert r.severity in (Severity.ERROR, Severity.WARNING)
    text = explain(r)
    for part in (code, r.name, r.summary.split()[0], "Failing example", "Passing example", "What to do"):
        assert part in text


@pytest.mark.parametrize("code", CATALOGUE)
def test_examples_load_cleanly(code):
    r = RULES[code]
    for example in (r.fails, r.passes):
        _, cases, rejected, problems = load_document(example_document(example), "<example>")
        assert (len(cases), rejected, problems) == (1, 0, [])


@pytest.mark.parametrize("code", CATALOGUE)
def test_failing_example_fails(code):
    r = RULES[code]
    outcomes = evaluate(r, CaseView(example_case(r.fails), r.fails.as_of), r.options)
    assert any(o.status is Status.NOT_MET for o in outcomes), [o.message for o in outcomes]


@pytest.mark.parametrize("code", CATALOGUE)
def test_passing_example_passes(code):
    r = RULES[code]
    outcomes = evaluate(r, CaseView(example_case(r.passes), r.passes.as_of), r.options)
    assert outcomes, "the passing example must be one the rule applies to"
    assert all(o.status is Status.MET for o in outcomes), [o.message for o in outcomes]


def test_example_toml_is_a_loadable_export():
    import tomllib

    r = RULES["ROH003"]
    doc = tomllib.loads('format = "yos-case-export"\nversion = 1\n[service]\nname = "x"\n' + example_toml(r.fails))
    _, cases, _, problems = load_document(doc, "x.toml")
    assert problems == [] and cases[0].case_id == "EX-1"
    assert cases[0] == example_case(r.fails)
