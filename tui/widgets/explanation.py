"""A rule's full explanation on screen: :func:`rules.explain.explain_markdown`, with how the rule fared."""

from __future__ import annotations

from rules.explain import explain_markdown
from rules.registry import Rule


def rule_markdown(rule: Rule, met: int | None = None, applicable: int | None = None, enabled: bool = True) -> str:
    if not enabled:
        status = "*Ignored for this session (space to run it).*"
    elif applicable is not None:
        status = f"**Met in {met} of {applicable}** {'records' if rule.per_record else 'cases'} where it applied."
    else:
        status = None
    return explain_markdown(rule, status)
