"""``--format junit``: JUnit XML, so CI dashboards show every rule on every case as a test.

One ``<testsuite>`` a case audited (by case_id), holding one ``<testcase>`` for every selected rule
(catalogue order), named ``CODE name`` with the case_id as its classname:

- a ``<failure>`` (type: the severity) when the rule has a NOT_MET finding on the case that is not
  waived; its text lists every finding of the rule on the case (per-record rules may have several);
- ``<skipped message="not applicable">`` when the rule did not apply to the case (it gave no outcome);
- ``<skipped message="waived: ...">`` when its only findings are waived: accepted, never a failure;
- otherwise it passes; an info reminder (due within 5 working days) is told in ``<system-out>``.

Input problems follow in a suite ``input``: an error is an ``<error>``, a warning passes with the
problem in ``<system-out>``. Expired and unused waivers, if any, are told in a suite ``waivers``.
Every suite's properties hold the as-of date (``as_of``), where it came from (``as_of_source``:
``option``, ``extract`` or ``today``) and why (``as_of_reason``).
Times are 0: an audit is judged as of a date, not timed. Whether a rule applied comes from
``CheckReport.outcomes``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence

from rules.load import InputProblem, ProblemLevel
from rules.outcomes import Finding, Status
from rules.report.check import CheckReport, finding_text
from rules.waivers import Waiver

# characters XML 1.0 cannot hold at all, even escaped
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _line(f: Finding) -> str:
    state = "waived" if f.waived else f.severity.value
    text = f"{state} {f.rule} {f.name}: {finding_text(f, due=True)}"
    if f.waived and f.waiver_reason:
        text += f" (waived: {f.waiver_reason})"
    return text


class _Suite:
    def __init__(self, parent: ET.Element, name: str):
        self.el = ET.SubElement(parent, "testsuite", name=xml_text(name))
        self.tests = self.failures = self.errors = self.skipped = 0

    def case(self, name: str, classname: str) -> ET.Element:
        self.tests += 1
        return ET.SubElement(self.el, "testcase", name=xml_text(name), classname=xml_text(classname), time="0")

    def close(self, totals: dict[str, int]) -> None:
        counts = {"tests": self.tests, "failures": self.failures, "errors": self.errors, "skipped": self.skipped}
        for key, n in counts.items():
            self.el.set(key, str(n))
            totals[key] += n
        self.el.set("time", "0")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text:
        el.text = xml_text(text)
    return el


def _case_suite(root: ET.Element, report: CheckReport, case_id: str, findings: dict[str, list[Finding]],
                applicable: set[str]) -> _Suite:
    suite = _Suite(root, case_id)
    case = report.cases.get(case_id)
    props = _as_of_properties(suite, report)
    for key in ("case_manager", "team"):
        value = getattr(case, key, None)
        if value:
            _sub(props, "property", name=key, value=value)
    for r in report.rules:
        tc = suite.case(f"{r.code} {r.name}", case_id)
        found = findings.get(r.code, [])
        failing = [f for f in found if f.status is Status.NOT_MET and not f.waived]
        waived = [f for f in found if f.waived]
        if failing:
            suite.failures += 1
            first = failing[0]
            message = first.message if len(failing) == 1 else f"{len(failing)} findings; first: {first.message}"
            _sub(tc, "failure", "\n".join(_line(f) for f in found), message=message, type=first.severity.value)
        elif waived and not [f for f in found if not f.waived]:
            suite.skipped += 1
            _sub(tc, "skipped", message=f"waived: {waived[0].waiver_reason or ''}")
            _sub(tc, "system-out", "\n".join(_line(f) for f in found))
        elif r.code not in applicable and not found:
            suite.skipped += 1
            _sub(tc, "skipped", message="not applicable")
        elif found:
            _sub(tc, "system-out", "\n".join(_line(f) for f in found))
    return suite


def _as_of_properties(suite: _Suite, report: CheckReport) -> ET.Element:
    """The suite's properties, the as-of date first, with where it came from and why if the report says."""
    props = ET.SubElement(suite.el, "properties")
    _sub(props, "property", name="as_of", value=report.as_of.isoformat())
    if report.as_of_source is not None:
        _sub(props, "property", name="as_of_source", value=report.as_of_source)
        _sub(props, "property", name="as_of_reason", value=report.as_of_reason or "")
    return props


def _input_suite(root: ET.Element, problems: Sequence[InputProblem], report: CheckReport) -> _Suite:
    suite = _Suite(root, "input")
    _as_of_properties(suite, report)
    for p in problems:
        name = p.file + "".join(f": {x}" for x in (p.case_id, p.field) if x)
        tc = suite.case(name, "input")
        if p.level is ProblemLevel.ERROR:
            suite.errors += 1
            _sub(tc, "error", str(p), message=p.message, type="input error")
        else:
            _sub(tc, "system-out", str(p))
    return suite


def _waiver_suite(root: ET.Element, report: CheckReport) -> _Suite:
    suite = _Suite(root, "waivers")
    _as_of_properties(suite, report)
    groups: tuple[tuple[str, Sequence[Waiver]], ...] = (
        ("expired (no longer waiving)", report.expired_waivers),
        ("unused (matches no finding)", report.unused_waivers),
    )
    for label, waivers in groups:
        for w in waivers:
            tc = suite.case(f"{w.rule} {w.case}" + (f" {w.record}" if w.record else ""), "waivers")
            _sub(tc, "system-out", f"{label}: until {w.until}, accepted by {w.who}: {w.reason}")
    return suite


def render(report: CheckReport) -> str:
    root = ET.Element("testsuites", name="yos-audit")
    by_case: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in report.sorted_findings:
        by_case[f.case_id][f.rule].append(f)
    applicable: dict[str, set[str]] = defaultdict(set)
    for o in report.outcomes:
        applicable[o.case_id].add(o.rule)
    suites = [
        _case_suite(root, report, case_id, by_case.get(case_id, {}), applicable.get(case_id, set()))
        for case_id in sorted(report.cases)
    ]
    if report.problems:
        suites.append(_input_suite(root, report.problems, report))
    if report.expired_waivers or report.unused_waivers:
        suites.append(_waiver_suite(root, report))
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        suite.close(totals)
    for key, n in totals.items():
        root.set(key, str(n))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
