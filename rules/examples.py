"""Turn a rule's example (the TOML body of one case) into a loaded case."""

from __future__ import annotations

import tomllib

from rules.load import load_document
from rules.model import Case
from rules.registry import Example


def example_document(example: Example, case_id: str = "EX-1") -> dict:
    body = tomllib.loads(example.toml)
    body.setdefault("case_id", case_id)
    return {"format": "yos-case-export", "version": 1, "service": {"name": "Example"}, "cases": [body]}


def example_case(example: Example, case_id: str = "EX-1") -> Case:
    """The example's case; a ValueError if the example itself is not a sound export."""
    _, cases, _, problems = load_document(example_document(example, case_id), "<example>")
    if problems or not cases:
        raise ValueError("; ".join(str(p) for p in problems) or "example has no case")
    return cases[0]


def example_toml(example: Example, case_id: str = "EX-1") -> str:
    """The example as a user would write it in a TOML export (``[[cases]]`` and its records)."""
    lines = ["[[cases]]", f'case_id = "{case_id}"']
    for line in example.toml.splitlines():
        stripped = line.strip()
        if stripped.startswith("[[") or stripped.startswith("["):
            name = stripped.strip("[]")
            lines.append(stripped.replace(name, f"cases.{name}", 1))
        else:
            lines.append(line)
    return "\n".join(lines)
