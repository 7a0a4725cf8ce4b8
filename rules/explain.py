"""The full text of a rule, as ``yos-audit explain CODE`` prints it and the terminal UI shows it."""

from __future__ import annotations

import textwrap

import tomli_w

from rules.engine import Example, Rule, Status, evaluate
from rules.examples import example_case, example_toml
from rules.facts import CaseView

WIDTH = 88


def run_example(rule: Rule, example: Example) -> list[str]:
    """What the rule says of its own example: one line an outcome."""
    case = example_case(example)
    outcomes = evaluate(rule, CaseView(case, example.as_of), rule.options)
    if not outcomes:
        return [f"{Status.NOT_APPLICABLE.value}"]
    return [f"{o.status.value}: {o.message}" for o in outcomes]


def _para(title: str, text: str) -> list[str]:
    if not text:
        return []
    return [title, *textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="  "), ""]


def explain(rule: Rule) -> str:
    per = "one outcome per record" if rule.per_record else "one outcome per case"
    lines = [
        f"{rule.code} {rule.name}",
        "",
        *textwrap.wrap(rule.summary, WIDTH),
        "",
        f"Severity: {rule.severity.value}. Criterion {rule.criterion} (2012 framework), {rule.standard} (2018+). {per.capitalize()}.",
        "",
        *_para("What it checks", rule.checks),
        *_para("Why it matters", rule.why),
        *_para("What to do", rule.action),
        *_para("Choices made where the catalogue is open", rule.choices),
        *_para("Source", rule.source),
    ]
    if rule.options:
        lines += ["Options (yos-audit.toml), with their defaults", textwrap.indent(tomli_w.dumps({"rules": {rule.code: dict(rule.options)}}), "  ").rstrip(), ""]
    for title, example in (("Failing example", rule.fails), ("Passing example", rule.passes)):
        if example is None:
            continue
        lines += [f"{title} (as of {example.as_of})", textwrap.indent(example_toml(example), "  ")]
        lines += [f"  -> {line}" for line in run_example(rule, example)]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
