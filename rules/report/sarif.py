"""``--format sarif``: SARIF 2.1.0, for code-scanning dashboards and other SARIF viewers.

One run. ``tool.driver.rules`` describes every selected rule (id, name, short and full description,
help, default level, and the inspection criterion and standard as properties); each finding is one
result pointing at its rule by id and index. A finding's location is the input file it came from
(``artifactLocation``) and the case as a logical location; the record it is about, if any, is a
second logical location below the case. There are no line numbers: a case is not a line.

- A NOT_MET finding is a result of level ``error`` or ``warning`` (its severity).
- An info reminder (something falls due within 5 working days) is ``kind: informational`` with
  level ``none``, as SARIF requires of any result that is not a failure.
- A waived finding keeps its result, with an accepted external suppression giving the reason.
- The run's properties hold the as-of date (``asOf``), where it came from (``asOfSource``:
  ``option``, ``extract`` or ``today``) and why (``asOfReason``), and the summary's counts.
- Input problems are tool execution notifications of the invocation, which is unsuccessful when
  any of them is an error.
- ``partialFingerprints`` holds a hash of the finding's content key (rule, case, evidence,
  record), so a viewer can follow a finding from run to run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from rules.catalogue import all_rules
from rules.load import InputProblem, ProblemLevel
from rules.outcomes import Finding, Severity, Status
from rules.registry import Rule
from rules.report import jsontext
from rules.report.check import CheckReport, finding_text
from rules.report.json_ import waiver_dict

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def file_uri(path: str) -> str:
    """A URI reference for a file as the user named it: relative stays relative."""
    p = PurePath(path)
    if p.is_absolute():
        return "file://" + quote(p.as_posix())
    return quote(p.as_posix())


def rule_descriptor(r: Rule) -> dict[str, Any]:
    help_text = "\n\n".join(
        f"{title}: {text}" for title, text in (("What to do", r.action), ("Why it matters", r.why), ("Source", r.source)) if text
    )
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.checks or r.summary},
        "help": {"text": help_text or r.summary},
        "defaultConfiguration": {"level": _LEVEL[r.severity]},
        "properties": {
            "criterion": r.criterion,
            "standard": r.standard,
            "perRecord": r.per_record,
            "tags": [r.family, f"criterion {r.criterion}", r.standard],
        },
    }


def fingerprint(f: Finding) -> str:
    rule, case_id, evidence, record = f.key
    blob = json.dumps([rule, case_id, list(evidence), record], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def _location(f: Finding, source: str | None) -> dict[str, Any]:
    loc: dict[str, Any] = {}
    if source is not None:
        loc["physicalLocation"] = {"artifactLocation": {"uri": file_uri(source)}}
    logical = [{"name": f.case_id, "fullyQualifiedName": f.case_id, "kind": "object"}]
    if f.record is not None:
        logical.append({"name": f.record, "fullyQualifiedName": f"{f.case_id}/{f.record}", "kind": "element"})
    loc["logicalLocations"] = logical
    return loc


def _result(f: Finding, index: int | None, source: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"ruleId": f.rule}
    if index is not None:
        out["ruleIndex"] = index
    if f.status is Status.NOT_MET:
        out["kind"], out["level"] = "fail", _LEVEL[f.severity]
    else:
        out["kind"], out["level"] = "informational", "none"
    out["message"] = {"text": finding_text(f)}
    out["locations"] = [_location(f, source)]
    out["partialFingerprints"] = {"yosAuditFindingKey/v1": fingerprint(f)}
    if f.waived:
        out["suppressions"] = [{"kind": "external", "status": "accepted", "justification": f.waiver_reason or ""}]
    out["properties"] = {
        "caseId": f.case_id,
        "severity": f.severity.value,
        "status": f.status.value,
        "criterion": f.criterion,
        "dueOn": f.due_on.isoformat() if f.due_on else None,
        "evidence": list(f.evidence),
        "record": f.record,
        "caseManager": f.case_manager,
        "team": f.team,
        "waived": f.waived,
    }
    return out


def _notification(p: InputProblem) -> dict[str, Any]:
    out: dict[str, Any] = {
        "level": "error" if p.level is ProblemLevel.ERROR else "warning",
        "message": {"text": str(p)},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": file_uri(p.file)}}}],
        "properties": {"file": p.file, "caseId": p.case_id, "field": p.field},
    }
    if p.case_id is not None:
        out["locations"][0]["logicalLocations"] = [{"name": p.case_id, "fullyQualifiedName": p.case_id, "kind": "object"}]
    if p.row is not None:
        out["properties"]["row"] = p.row
    if p.column is not None:
        out["properties"]["column"] = p.column
    return out


def _as_of_why(report: CheckReport) -> dict[str, Any]:
    """Where the as-of date came from and why, as run properties (where the report says)."""
    if report.as_of_source is None:
        return {}
    return {"asOfSource": report.as_of_source, "asOfReason": report.as_of_reason}


def render(report: CheckReport) -> str:
    return jsontext.dumps(document(report)) + "\n"


def document(report: CheckReport) -> dict[str, Any]:
    rules = list(report.rules)
    known = {r.code for r in rules}
    registry = all_rules()
    for f in report.findings:  # a finding always has its rule described, selected or not
        if f.rule not in known and f.rule in registry:
            rules.append(registry[f.rule])
            known.add(f.rule)
    index = {r.code: i for i, r in enumerate(rules)}
    results = [_result(f, index.get(f.rule), report.sources.get(f.case_id)) for f in report.sorted_findings]
    invocation = {
        "executionSuccessful": not any(p.level is ProblemLevel.ERROR for p in report.problems),
        "toolExecutionNotifications": [_notification(p) for p in report.problems],
        "properties": {
            "expiredWaivers": [waiver_dict(w) for w in report.expired_waivers],
            "unusedWaivers": [waiver_dict(w) for w in report.unused_waivers],
        },
    }
    files = sorted({*report.sources.values(), *(p.file for p in report.problems)})
    run = {
        "tool": {"driver": {
            "name": "yos-audit",
            "version": report.tool_version,
            "semanticVersion": report.tool_version,
            "rules": [rule_descriptor(r) for r in rules],
        }},
        "invocations": [invocation],
        "artifacts": [{"location": {"uri": file_uri(f)}} for f in files],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"asOf": report.as_of.isoformat(), **_as_of_why(report), "summary": report.summary()},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}

