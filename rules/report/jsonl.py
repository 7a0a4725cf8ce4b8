"""``--format jsonl``: one JSON object a line, for ``grep``, ``jq`` and log shippers.

Every line is a whole object with a ``kind`` first, so a consumer picks what it wants
(``jq 'select(.kind == "finding")'``) and nothing is left out:

- ``finding``: one a finding, the fields of the JSON format's findings, in the same order;
- ``input_problem``: one an input problem;
- ``waiver``: one an expired or unused waiver, with ``state`` ``expired`` or ``unused``;
- ``summary``: last, the tool, the as-of date (with where it came from and why, as the JSON format
  says them) and the counts of the JSON format's ``summary``.
"""

from __future__ import annotations

import json
from typing import Any

from rules.report.check import CheckReport
from rules.report.json_ import as_of_dict, finding_dict, problem_dict, waiver_dict


def _line(kind: str, fields: dict[str, Any]) -> str:
    return json.dumps({"kind": kind, **fields}, ensure_ascii=False, separators=(",", ":"))


def render(report: CheckReport) -> str:
    lines = [_line("finding", finding_dict(f)) for f in report.sorted_findings]
    lines += [_line("input_problem", problem_dict(p)) for p in report.problems]
    for state, waivers in (("expired", report.expired_waivers), ("unused", report.unused_waivers)):
        lines += [_line("waiver", {"state": state, **waiver_dict(w)}) for w in waivers]
    lines.append(_line("summary", {
        "tool": {"name": "yos-audit", "version": report.tool_version},
        **as_of_dict(report),
        **report.summary(),
    }))
    return "\n".join(lines) + "\n"
