"""The full text of a rule, as ``yos-audit explain CODE`` prints it (fixed-width text) and the terminal
UI shows it (Markdown, which reflows to any width): one list of sections, two renderings."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import tomli_w

from rules.engine import evaluate
from rules.examples import example_case, example_toml
from rules.facts import CaseView
from rules.outcomes import Status
from rules.registry import Example, Rule

WIDTH = 88


def run_example(rule: Rule, example: Example) -> list[str]:
    """What the rule says of its own example: one line an outcome."""
    case = example_case(example)
    outcomes = evaluate(rule, CaseView(case, example.as_of), rule.options)
    if not outcomes:
        return [f"{Status.NOT_APPLICABLE.value}"]
    return [f"{o.status.value}: {o.message}" for o in outcomes]


def _outcomes(rule: Rule, example: Example) -> list[str]:
    try:
        return run_example(rule, example)
    except ValueError as exc:  # an example that is not a sound export: say so, never crash a screen
        return [f"example not runnable: {exc}"]


def facts_line(rule: Rule) -> tuple[str, str, str, str]:
    """(severity, criterion, standard, one outcome per case or record)."""
    per = "one outcome per record" if rule.per_record else "one outcome per case"
    return rule.severity.value, rule.criterion, rule.standard, per


def prose(rule: Rule) -> Iterator[tuple[str, str]]:
    """(title, text) of each written section the rule has."""
    for title, text in (("What it checks", rule.checks), ("Why it matters", rule.why),
                        ("What to do", rule.action), ("Choices made where the catalogue is open", rule.choices),
                        ("Source", rule.source)):
        if text:
            yield title, text


OPTIONS_TITLE = "Options (yos-audit.toml), with their defaults"


def options_toml(rule: Rule) -> str:
    return tomli_w.dumps({"rules": {rule.code: dict(rule.options)}}).rstrip() if rule.options else ""


def examples(rule: Rule) -> Iterator[tuple[str, str, list[str]]]:
    """(title, TOML of the case, what the rule says of it) of the failing and the passing example."""
    for title, example in (("Failing example", rule.fails), ("Passing example", rule.passes)):
        if example is not None:
            yield f"{title} (as of {example.as_of})", example_toml(example), _outcomes(rule, example)


def explain(rule: Rule) -> str:
    """Fixed-width text, for the terminal."""
    severity, criterion, standard, per = facts_line(rule)
    lines = [
        f"{rule.code} {rule.name}",
        "",
        *textwrap.wrap(rule.summary, WIDTH),
        "",
        f"Severity: {severity}. Criterion {criterion} (2012 framework), {standard} (2018+). {per.capitalize()}.",
        "",
    ]
    for title, text in prose(rule):
        lines += [title, *textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="  "), ""]
    if rule.options:
        lines += [OPTIONS_TITLE, textwrap.indent(options_toml(rule), "  "), ""]
    for title, toml, said in examples(rule):
        lines += [title, textwrap.indent(toml, "  "), *(f"  -> {line}" for line in said), ""]
    return "\n".join(lines).rstrip() + "\n"


def explain_markdown(rule: Rule, status: str | None = None) -> str:
    """Markdown, for a screen; ``status`` is a line shown under the facts (met counts, switched off)."""
    severity, criterion, standard, per = facts_line(rule)
    out = [
        f"## {rule.code} {rule.name}",
        "",
        rule.summary,
        "",
        f"**Severity** {severity} · **criterion** {criterion} (2012) · **standard** {standard} (2018+) · {per}",
    ]
    if status:
        out += ["", status]
    for title, text in prose(rule):
        out += ["", f"### {title}", "", text]
    if rule.options:
        out += ["", f"### {OPTIONS_TITLE}", "", "```toml", options_toml(rule), "```"]
    for title, toml, said in examples(rule):
        out += ["", f"### {title}", "", "```toml", toml, "```", *(f"→ {line}" for line in said)]
    return "\n".join(out) + "\n"
