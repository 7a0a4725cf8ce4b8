"""The rule catalogue of ``shared/domain/rules.md`` (default profile): one module a family.

Importing this package registers every rule, in catalogue order.
"""

from rules.catalogue import assessment, risk, safeguarding, planning, oversight, delivery  # noqa: F401, I001 (catalogue order)
from rules.registry import REGISTRY, Rule


def all_rules() -> dict[str, Rule]:
    """Every rule of the catalogue by code, in catalogue order."""
    return REGISTRY


def did_you_mean(wanted: str) -> str:
    """``"; did you mean ROH003?"`` for a rule code or name mistyped (``ROH033``, ``rmp-requird``): the
    nearest codes, else the nearest names; a rule's exact name gives its code. ``""`` when none is near.
    Said by ``explain`` and by the config's errors alike."""
    import difflib

    rules = all_rules()
    wanted = wanted.strip()
    named = [code for code, r in rules.items() if r.name == wanted.lower()]
    names = [*rules, *(r.name for r in rules.values())]
    close = named or difflib.get_close_matches(wanted.upper(), list(rules), n=3, cutoff=0.6) or difflib.get_close_matches(
        wanted.lower(), names, n=3, cutoff=0.6)
    return f"; did you mean {', '.join(close)}?" if close else ""
