"""Waivers: findings a service has looked at and accepted, with a reason, who accepted it and until when.

The file (default ``yos-audit-waivers.toml``) holds one ``[[waiver]]`` table each::

    [[waiver]]
    rule = "ROH003"
    case = "C-0001"
    reason = "RMP held on paper file; being scanned"
    who = "Team manager North"
    until = 2027-01-31
    record = "V1"          # optional: only the finding about this record (per-record rules)

A waived finding is still reported and counted in its own tally; it never fails a run. A waiver past
its ``until`` date stops waiving and is reported as expired; one that matches no finding is reported
as unused, so stale waivers do not pile up. Unused means: it could have matched a finding of this run
and did not. A waiver on a rule the run did not run (``--select``, ``--ignore``), or on a case it did
not audit (``--team``, ``--case-manager``, a sample, a case rejected for an input error) is outside
the run's :class:`Scope`: it is neither used nor unused, nor reported as expired (a run on one team
names no other team's cases).
"""

from __future__ import annotations

import datetime as dt
import tomllib
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import tomli_w
from attrs import frozen

from rules import files
from rules.catalogue import all_rules
from rules.load.problems import InputProblem, ProblemLevel
from rules.outcomes import Finding
from rules.registry import short_repr
from rules.tomlfile import TomlFileError, read_toml

WAIVERS_NAME = "yos-audit-waivers.toml"
_REQUIRED = ("rule", "case", "reason", "who", "until")
_KEYS = {*_REQUIRED, "record"}


class WaiverError(Exception):
    """A waivers file that cannot be used; the message names the file and the waiver."""


@frozen
class Waiver:
    rule: str
    case: str
    reason: str
    who: str
    until: dt.date
    record: str | None = None

    def matches(self, f: Finding) -> bool:
        return f.rule == self.rule and f.case_id == self.case and (self.record is None or f.record == self.record)

    def to_toml(self) -> dict:
        out = {"rule": self.rule, "case": self.case, "reason": self.reason, "who": self.who, "until": self.until}
        if self.record is not None:
            out["record"] = self.record
        return out


@frozen
class Scope:
    """What a run audited, so that a waiver it could not have used is not reported as unused."""

    #: codes of the rules the run ran
    rules: frozenset[str]
    #: the cases audited
    cases: frozenset[str]
    #: only some of the export's cases were audited (--team, --case-manager, a sample, or an input
    #: that could not be read): a case not audited is outside the run, whether or not it is known
    partial: bool = False
    #: cases in the export that were not audited (rejected for an input error)
    skipped: frozenset[str] = frozenset()

    def covers(self, w: Waiver) -> bool:
        """Whether the waiver could have matched a finding of this run. In a run on the whole caseload
        a case no input holds is in it: a waiver on a case gone from the export is stale."""
        if w.rule not in self.rules:
            return False
        if w.case in self.cases:
            return True
        return not self.partial and w.case not in self.skipped


def run_scope(rules: Iterable[str], cases: Iterable[str], problems: Iterable[InputProblem], part: bool = False) -> Scope:
    """The :class:`Scope` of a run that ran ``rules`` (codes) on ``cases`` (case_ids) and met these
    input ``problems``; ``part``: it audited only a part of the cases loaded (--team, a sample)."""
    cases = frozenset(cases)
    errors = [p for p in problems if p.level is ProblemLevel.ERROR]
    skipped = frozenset(p.case_id for p in errors if p.case_id is not None) - cases
    unread = any(p.case_id is None for p in errors)  # a file, or a row of a table, whose cases are not known
    return Scope(frozenset(rules), cases, part or unread, skipped)


@frozen
class WaiverReport:
    findings: tuple[Finding, ...]
    #: waivers past their date (they no longer waive anything)
    expired: tuple[Waiver, ...] = ()
    #: waivers in date that matched no finding
    unused: tuple[Waiver, ...] = ()

    @property
    def waived(self) -> int:
        return sum(f.waived for f in self.findings)


def load_waivers(path: Path | str, warn: Callable[[str], None] | None = None) -> list[Waiver]:
    """The waivers of a file. What it holds besides ``[[waiver]]`` tables is not read, and said through
    ``warn`` (by default a Python warning): a ``[[waivers]]`` typo must not read as no waivers at all."""
    path = Path(path)
    try:
        data = read_toml(path, "waivers file")
    except TomlFileError as exc:
        raise WaiverError(f"{path}: {exc}") from None
    for key in data:
        if key != "waiver":
            if key.strip().lower() in ("waivers", "waiver"):  # [[waivers]], [[Waiver]]: meant as waivers
                message = f"{path}: [[{key}]] is not read (a waiver is a [[waiver]] table): none of its waivers applies"
            else:
                message = f"{path}: unknown key {short_repr(key)} is not read (a waiver is a [[waiver]] table)"
            if warn is None:
                warnings.warn(message, stacklevel=2)
            else:
                warn(message)
    items = data.get("waiver", [])
    if not isinstance(items, list):
        raise WaiverError(f"{path}: waivers are [[waiver]] tables")
    out = []
    for i, item in enumerate(items, 1):
        where = f"{path}: waiver {i}"
        if not isinstance(item, dict):
            raise WaiverError(f"{where}: must be a table")
        missing = [k for k in _REQUIRED if k not in item]
        if missing:
            raise WaiverError(f"{where}: missing {', '.join(missing)} (a waiver needs {', '.join(_REQUIRED)})")
        unknown = set(item) - _KEYS
        if unknown:
            raise WaiverError(f"{where}: unknown key {min(unknown)!r}")
        until = item["until"]
        if isinstance(until, str):
            try:
                until = dt.date.fromisoformat(until)
            except ValueError:
                raise WaiverError(f"{where}: until: not a date: {until!r}") from None
        if not isinstance(until, dt.date) or isinstance(until, dt.datetime):
            raise WaiverError(f"{where}: until: expected a date like 2027-01-31")
        for key in ("rule", "case", "reason", "who", "record"):
            if key in item and not isinstance(item[key], str):
                raise WaiverError(f"{where}: {key}: expected text")
        if not item["reason"].strip():
            raise WaiverError(f"{where}: reason is empty: say why the finding is accepted")
        rule = item["rule"].upper()
        if rule not in all_rules():
            raise WaiverError(f"{where}: rule: unknown rule code {item['rule']!r} (see `yos-audit rules`)")
        out.append(Waiver(rule, item["case"], item["reason"], item["who"], until, item.get("record")))
    return out


def apply_waivers(
    findings: Sequence[Finding], waivers: Iterable[Waiver], as_of: dt.date, scope: Scope | None = None
) -> WaiverReport:
    """Mark the findings that an in-date waiver covers (the first in the file that matches); report
    expired and unused waivers. With a ``scope``, a waiver outside it is left out of both (see
    :class:`Scope`); without, every waiver is in scope.

    The waivers are looked up by (rule, case), not tried in turn on every finding: that cost the
    number of waivers times the number of findings, and both grow with the caseload."""
    waivers = [w for w in waivers if scope is None or scope.covers(w)]
    live = [w for w in waivers if w.until >= as_of]
    expired = tuple(w for w in waivers if w.until < as_of)
    if not live:
        return WaiverReport(tuple(findings), expired, ())
    by_key: dict[tuple[str, str], list[tuple[int, Waiver]]] = {}
    for i, w in enumerate(live):  # in file order, so the first that matches is found first
        by_key.setdefault((w.rule, w.case), []).append((i, w))
    used: set[int] = set()
    out = []
    for f in findings:
        hit = next((i for i, w in by_key.get((f.rule, f.case_id), ()) if w.matches(f)), None)
        if hit is None:
            out.append(f)
        else:
            used.add(hit)
            out.append(f._replace(waived=True, waiver_reason=live[hit].reason))
    unused = tuple(w for i, w in enumerate(live) if i not in used)
    return WaiverReport(tuple(out), expired, unused)


def add_waiver(path: Path | str, waiver: Waiver) -> None:
    """Append a waiver to the file (created if absent), keeping the waivers already there and the
    file's comments: the new ``[[waiver]]`` table is added at its end. A symbolic link is written
    through to its file; the file is replaced whole or not at all (:func:`rules.output.write_file`)."""
    from rules.output import OutputError, write_file

    path = Path(path)
    existing = load_waivers(path) if path.exists() else []
    table = tomli_w.dumps({"waiver": [waiver.to_toml()]})
    try:
        old = files.read_regular(path, "waivers file", files.MAX_SETTINGS_BYTES).decode("utf-8-sig") if path.exists() else ""
    except (files.FileError, UnicodeDecodeError) as exc:
        raise WaiverError(f"{path}: cannot read: {exc}") from None
    if old.strip():
        text = old + ("" if old.endswith("\n") else "\n") + "\n" + table
        try:  # the table must add one waiver to those there (not so after `waiver = [...]`)
            items = tomllib.loads(text).get("waiver")
            same = isinstance(items, list) and len(items) == len(existing) + 1 and items[-1] == waiver.to_toml()
        except tomllib.TOMLDecodeError:
            same = False
        if not same:  # written afresh: the waivers kept, the comments not
            text = _HEADER + tomli_w.dumps({"waiver": [w.to_toml() for w in [*existing, waiver]]})
    else:
        text = _HEADER + table
    try:
        write_file(path, text)  # it names cases: created owner-only
    except OutputError as exc:
        raise WaiverError(str(exc)) from None


_HEADER = "# yos-audit waivers: accepted findings. See `yos-audit explain` for the rules.\n"
