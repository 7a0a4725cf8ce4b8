"""``--redact``: a report that can be shared beyond the service.

:func:`redact_report` turns a :class:`~rules.report.CheckReport` into one where every identifier of
a child or a member of staff is a stable pseudonym, before any writer sees it; the writers know
nothing of it, so every format is redacted alike.

What is replaced, wherever it stands (its own field, or inside a message, evidence, a record name
or a waiver's reason):

- case ids (``case-…``), ypids (``yp-…``);
- staff names: ``case_manager``, ``countersigned_by``, a contact's or an oversight's ``by``, a
  waiver's ``who`` (``staff-…``);
- record ids: of assessments, plans, reviews, events and victims (``rec-…``);
- in an input problem about a case, every quoted value (``'…'``): the loader quotes what it could
  not read, and a rejected case's identifiers are not known (``value-…``);
- input file paths, which are often named after a case or a child (``file-…``, keeping the
  extension when it is one the loader reads: ``file-….json``), in every format alike: SARIF's
  artifacts, GitHub's ``file=``, a problem's file and a message naming one.

Kept: team names (an office is not a person), rule codes and names, dates, counts.
Dropped from the cases handed to the writers: free text that may name anyone (an event's
``description``, an oversight's ``note``) and the child's date of birth.

A pseudonym is ``KIND-`` and the first 12 hex digits of HMAC-SHA256(key, KIND + NUL + value): the
same value gives the same pseudonym in every run with the same key, so two redacted reports can be
compared. The key comes from the environment variable ``YOS_AUDIT_REDACT_KEY``, else ``redact_key``
in the config; without either the built-in :data:`DEFAULT_KEY` is used, and since anyone with
yos-audit has it, a guessable id (``C-0001``) can be found again by trying candidates: the CLI warns.

Matching inside text is whole-token (not inside a longer id, nor across a hyphen) and ignores case.
A very short or common id (a record called ``1``) is replaced wherever it stands as a token: the
report may then read oddly, but it never leaks.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from pathlib import PurePath
from typing import Any

import attrs
from attrs import evolve

from rules.load import InputProblem
from rules.model import Case
from rules.outcomes import Finding, Outcome
from rules.report.check import CheckReport
from rules.waivers import Waiver

ENV_KEY = "YOS_AUDIT_REDACT_KEY"
#: used when no key is given: stable across runs and machines, and so guessable
DEFAULT_KEY = "yos-audit built-in redaction key (public: set YOS_AUDIT_REDACT_KEY)"

_STAFF_FIELDS = frozenset({"case_manager", "countersigned_by", "by"})
_RECORD_ID_FIELDS = frozenset({"id", "target"})
_DROPPED_FIELDS = frozenset({"description", "note", "date_of_birth"})
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
#: a token: an identifier made of these characters is replaced where a whole token equals it
_TOKEN = re.compile(r"[\w-]+")
_RECORD_LISTS = ("assessments", "plans", "reviews", "events", "victims")
#: extensions a pseudonymised file keeps: what it is, never whose
_FILE_SUFFIXES = frozenset({".json", ".toml", ".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls"})


def resolve_key(config_key: str | None = None, environ: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(the key, where it came from: ``environment``, ``config`` or ``default``)."""
    environ = os.environ if environ is None else environ
    if environ.get(ENV_KEY):
        return environ[ENV_KEY], "environment"
    if config_key:
        return config_key, "config"
    return DEFAULT_KEY, "default"


class Pseudonyms:
    """Stable pseudonyms: ``KIND-`` and 12 hex digits of an HMAC of the value."""

    def __init__(self, key: str | bytes):
        self._key = key.encode("utf-8") if isinstance(key, str) else key
        self._memo: dict[tuple[str, str], str] = {}

    def __call__(self, kind: str, value: str) -> str:
        memo = self._memo.get((kind, value))
        if memo is None:
            digest = hmac.new(self._key, f"{kind}\0{value}".encode(), hashlib.sha256).hexdigest()
            memo = self._memo[(kind, value)] = f"{kind}-{digest[:12]}"
        return memo


def key_check(key: str | bytes) -> str:
    """What a redacted baseline records of the key it was written with: the pseudonym of a fixed
    text, the same for the same key, so that a run with another key is told apart."""
    return Pseudonyms(key)("key", "yos-audit baseline")


@functools.lru_cache(maxsize=4096)
def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(re.escape(v) for v in phrases)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


class Scrubber:
    """Replaces known identifiers inside text by their pseudonyms, whole tokens only.

    An identifier that is one token (``C-0001``, ``A2``) is looked up token by token through one
    shared pattern; only names with spaces or other marks (``Ann O'Hara``) need a pattern of their
    own, cached, since the same staff names recur from case to case.
    """

    def __init__(self, known: Mapping[str, str]):
        self.known: dict[str, str] = {}
        for value, pseudonym in known.items():
            if value.strip():
                self.known.setdefault(value.casefold(), pseudonym)
        phrases = tuple(sorted((v for v in self.known if not _TOKEN.fullmatch(v)), key=lambda v: (-len(v), v)))
        self._phrases = _phrase_pattern(phrases) if phrases else None

    def _token(self, m: re.Match) -> str:
        return self.known.get(m.group(0).casefold(), m.group(0))

    def __call__(self, text: str) -> str:
        if not self.known or not text:
            return text
        if self._phrases is not None:
            text = self._phrases.sub(lambda m: self.known[m.group(0).casefold()], text)
        return _TOKEN.sub(self._token, text)

    def quoted(self, text: str, pseudonyms: Pseudonyms) -> str:
        """Every quoted value replaced: by its pseudonym when known, else by a ``value-`` one."""

        def one(m: re.Match) -> str:
            quote, inner = m.group(0)[0], m.group(0)[1:-1]
            return quote + self.known.get(inner.casefold(), pseudonyms("value", inner)) + quote

        return _QUOTED.sub(one, text)


def case_identifiers(case: Case, p: Pseudonyms) -> dict[str, str]:
    """Each identifier of a case (its id, the child's, staff names, record ids) and its pseudonym."""
    found: dict[str, str] = {}

    def add(kind: str, value: str | None) -> None:
        if value and value not in found:
            found[value] = p(kind, value)

    add("case", case.case_id)
    add("yp", case.ypid)
    add("staff", case.case_manager)
    for record in (*case.assessments, *case.plans, *case.contacts, *case.oversight):
        for name in ("countersigned_by", "by"):
            add("staff", getattr(record, name, None))
    for key in _RECORD_LISTS:
        for record in getattr(case, key):
            add("rec", record.id)
    return found


def _scrub_record(obj: Any, p: Pseudonyms, case: bool = False) -> Any:
    """A model record (a case and everything in it) with identifiers replaced and free text dropped."""
    changes: dict[str, Any] = {}
    for a in attrs.fields(type(obj)):
        value = getattr(obj, a.name)
        if value is None or isinstance(value, Enum):
            continue
        if a.name in _DROPPED_FIELDS:
            changes[a.name] = None
        elif case and a.name == "case_id":
            changes[a.name] = p("case", value)
        elif case and a.name == "ypid":
            changes[a.name] = p("yp", value)
        elif a.name in _STAFF_FIELDS and isinstance(value, str):
            changes[a.name] = p("staff", value)
        elif a.name in _RECORD_ID_FIELDS and isinstance(value, str):
            changes[a.name] = p("rec", value)
        elif attrs.has(type(value)):
            changes[a.name] = _scrub_record(value, p)
        elif isinstance(value, tuple) and value and attrs.has(type(value[0])):
            changes[a.name] = tuple(_scrub_record(v, p) for v in value)
        elif a.name in ("incorporates", "reviews") and isinstance(value, tuple):
            changes[a.name] = tuple(p("rec", v) for v in value)
    return evolve(obj, **changes) if changes else obj


class _Redactor:
    def __init__(self, report: CheckReport, key: str | bytes):
        self.p = Pseudonyms(key)
        self.cases = report.cases
        self._scrubbers: dict[str, Scrubber] = {}
        known: dict[str, str] = {}
        for path in sorted({*report.sources.values(), *(prob.file for prob in report.problems)}):
            known[path] = self.file(path)
            known.setdefault(PurePath(path).name, known[path])
        #: input paths (and their names alone) inside a problem's message
        self.files = Scrubber(known)

    def scrubber(self, case_id: str | None) -> Scrubber:
        key = case_id or ""
        s = self._scrubbers.get(key)
        if s is None:
            case = self.cases.get(case_id) if case_id is not None else None
            if case is not None:
                known = case_identifiers(case, self.p)
            else:
                known = {case_id: self.p("case", case_id)} if case_id else {}
            s = self._scrubbers[key] = Scrubber(known)
        return s

    def case_id(self, value: str) -> str:
        return self.p("case", value)

    def file(self, path: str) -> str:
        suffix = PurePath(path).suffix.lower()
        return self.p("file", path) + (suffix if suffix in _FILE_SUFFIXES else "")

    def staff(self, value: str | None) -> str | None:
        return None if value is None else self.p("staff", value)

    def record(self, value: str | None, s: Scrubber) -> str | None:
        if value is None:
            return None
        scrubbed = s(value)
        if scrubbed == value and not any(c.isspace() for c in value):
            return self.p("rec", value)  # an id of a record this run does not know
        return scrubbed

    def finding(self, f: Finding) -> Finding:
        s = self.scrubber(f.case_id)
        return f._replace(
            case_id=self.case_id(f.case_id), message=s(f.message), evidence=tuple(s(e) for e in f.evidence),
            record=self.record(f.record, s), case_manager=self.staff(f.case_manager),
            waiver_reason=s(f.waiver_reason) if f.waiver_reason else f.waiver_reason,
        )

    def outcome(self, o: Outcome) -> Outcome:
        s = self.scrubber(o.case_id)
        return o._replace(case_id=self.case_id(o.case_id), message=s(o.message),
                          evidence=tuple(s(e) for e in o.evidence), record=self.record(o.record, s))

    def problem(self, prob: InputProblem) -> InputProblem:
        s = self.scrubber(prob.case_id)
        message = prob.message
        about_a_case = prob.case_id is not None or (prob.field or "").startswith("cases[")
        if about_a_case:
            message = s.quoted(message, self.p)
        return evolve(prob, case_id=self.case_id(prob.case_id) if prob.case_id else None,
                      message=self.files(s(message)), file=self.file(prob.file))

    def waiver(self, w: Waiver) -> Waiver:
        s = self.scrubber(w.case)
        return evolve(w, case=self.case_id(w.case), who=self.p("staff", w.who), reason=s(w.reason),
                      record=self.record(w.record, s))


def redact_report(report: CheckReport, key: str | bytes = DEFAULT_KEY) -> CheckReport:
    """The report with every identifier of a child or of staff replaced by its stable pseudonym."""
    r = _Redactor(report, key)

    def each(fn: Callable[[Any], Any], items: Iterable[Any]) -> tuple:
        return tuple(fn(x) for x in items)

    return evolve(
        report,
        findings=each(r.finding, report.findings),
        problems=each(r.problem, report.problems),
        outcomes=each(r.outcome, report.outcomes),
        cases={r.case_id(cid): _scrub_record(case, r.p, case=True) for cid, case in report.cases.items()},
        sources={r.case_id(cid): r.file(file) for cid, file in report.sources.items()},
        expired_waivers=each(r.waiver, report.expired_waivers),
        unused_waivers=each(r.waiver, report.unused_waivers),
    )
