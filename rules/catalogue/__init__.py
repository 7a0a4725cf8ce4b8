"""The rule catalogue of ``shared/domain/rules.md`` (default profile): one module a family.

Importing this package registers every rule, in catalogue order.
"""

from rules.catalogue import assessment, risk, safeguarding, planning, oversight, delivery  # noqa: F401, I001 (catalogue order)
from rules.registry import REGISTRY, Rule


def all_rules() -> dict[str, Rule]:
    """Every rule of the catalogue by code, in catalogue order."""
    return REGISTRY
