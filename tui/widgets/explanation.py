"""A rule's full explanation as Markdown, so it reflows to any width (the CLI's `explain` prints the same
sections as fixed-width text)."""

from __future__ import annotations

import tomli_w

from rules.engine import Rule
from rules.examples import example_toml
from rules.explain import run_example


def _outcomes(rule: Rule, example) -> list[str]:
    try:
        return run_example(rule, example)
    except ValueError as exc:  # an example that is not a sound export: say so, never crash the screen
        return [f"example not runnable: {exc}"]


def rule_markdown(rule: Rule, met: int | None = None, applicable: int | None = None, enabled: bool = True) -> str:
    per = "one outcome per record" if rule.per_record else "one outcome per case"
    out = [
        f"## {rule.code} {rule.name}",
        "",
        rule.summary,
        "",
        f"**Severity** {rule.severity.value} · **criterion** {rule.criterion} (2012) · **standard** {rule.standard} (2018+) · {per}",
    ]
    if not enabled:
        out += ["", "*Ignored for this session (space to run it).*"]
    elif applicable is not None:
        out += ["", f"**Met in {met} of {applicable}** {'records' if rule.per_record else 'cases'} where it applied."]
    for title, text in (("What it checks", rule.checks), ("Why it matters", rule.why),
                        ("What to do", rule.action), ("Choices made where the catalogue is open", rule.choices),
                        ("Source", rule.source)):
        if text:
            out += ["", f"### {title}", "", text]
    if rule.options:
        out += ["", "### Options (yos-audit.toml), with their defaults", "", "```toml",
                tomli_w.dumps({"rules": {rule.code: dict(rule.options)}}).rstrip(), "```"]
    for title, example in (("Failing example", rule.fails), ("Passing example", rule.passes)):
        if example is None:
            continue
        out += ["", f"### {title} (as of {example.as_of})", "", "```toml", example_toml(example), "```"]
        out += [f"→ {line}" for line in _outcomes(rule, example)]
    return "\n".join(out) + "\n"
