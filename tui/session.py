"""What the screens show, computed from what ``rules`` returns.

Nothing here imports textual: the whole pipeline (load, audit, waivers, scores, one row a case) runs in
a thread worker and is tested without a terminal. The screens only render an :class:`AuditView`.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from attrs import evolve, field, frozen

from rules import pipeline
from rules.asof import AsOf
from rules.catalogue import all_rules
from rules.config import Config
from rules.engine import Audit
from rules.facts import CaseView
from rules.load import LoadResult, load_paths
from rules.model import Case, LegalOutcome, Level
from rules.outcomes import Finding, Severity, Status
from rules.output import run_inputs
from rules.perf import gc_paused
from rules.registry import Rule
from rules.scoring import Scores, score
from rules.waivers import Waiver, WaiverError, WaiverReport

Progress = Callable[[int, int], None]
Loader = Callable[..., LoadResult]

#: short names of disposals, for a table 80 columns wide
DISPOSAL = {
    LegalOutcome.REFERRAL_ORDER: "Referral",
    LegalOutcome.YOUTH_REHABILITATION_ORDER: "YRO",
    LegalOutcome.DETENTION_AND_TRAINING_ORDER: "DTO",
    LegalOutcome.SECTION_250: "S250",
    LegalOutcome.YOUTH_CONDITIONAL_CAUTION: "YCC",
    LegalOutcome.YOUTH_CAUTION: "Caution",
    LegalOutcome.COMMUNITY_RESOLUTION_WITH_YJS_INVOLVEMENT: "Com. res.",
    LegalOutcome.OTHER: "Other",
}
LEVEL = {Level.LOW: "Low", Level.MEDIUM: "Medium", Level.HIGH: "High", Level.VERY_HIGH: "V. high"}
#: the RoSH filter's value for a case with no RoSH level yet
NO_LEVEL = "NONE"

class Cancelled(Exception):
    """Raised from a progress callback when the worker running the pipeline was cancelled."""


@frozen
class Settings:
    """What the user chose in this session; every change recomputes the view."""

    #: None: the default, as the command line takes it (:func:`rules.asof.resolve_as_of`: the exports'
    #: extract date if they all name the same, else today), known once the exports are read
    as_of: dt.date | None
    #: codes of the rules switched on, in catalogue order
    rules: tuple[str, ...]
    #: "my cases": one case manager, or None for the whole caseload
    scope: str | None = None


@frozen
class CaseRow:
    """One case of the cases table."""

    case_id: str
    ypid: str
    case_manager: str
    team: str
    legal_outcome: str | None
    disposal: str
    rosh: Level | None
    errors: int
    warnings: int
    info: int
    waived: int
    overdue: int
    #: the earliest duty falling due on or after the as-of date
    next_due: dt.date | None
    #: the earliest date by which something is owed: an overdue duty's due date, else next_due
    todo_by: dt.date | None
    #: rules NOT_MET on this case (waived or not): "the cases that fail a rule"
    failing: frozenset[str]
    #: severities of the live (not waived) findings
    severities: frozenset[Severity]
    #: lower-case text searched by the free-text filter
    haystack: str = field(repr=False)


@frozen(eq=False)
class AuditView:
    """Everything on screen for one set of :class:`Settings` (identity equality: cheap to compare)."""

    settings: Settings
    #: the as-of date and why (:func:`rules.asof.resolve_as_of`)
    as_of_source: AsOf
    paths: tuple[str, ...]
    service: str
    load: LoadResult
    #: the audit of every loaded case (not narrowed to the scope)
    audit: Audit
    #: the scope's cases, findings (waivers applied) and rows
    cases: tuple[Case, ...]
    findings: tuple[Finding, ...]
    rows: tuple[CaseRow, ...]
    scores: Scores
    by_team: Scores
    by_case_manager: Scores
    waivers: WaiverReport
    #: a waivers file that could not be read: the message (the audit goes on without waivers)
    waiver_error: str | None
    by_case: Mapping[str, tuple[Finding, ...]]
    #: every case manager of the caseload with how many cases they hold (for "my cases")
    case_managers: tuple[tuple[str, int], ...]
    teams: tuple[str, ...]
    catalogue: Mapping[str, Rule]

    @property
    def as_of(self) -> dt.date:
        return self.settings.as_of

    @property
    def scope(self) -> str | None:
        return self.settings.scope

    @property
    def live(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.waived)

    def case(self, case_id: str) -> Case | None:
        return next((c for c in self.cases if c.case_id == case_id), None)

    def findings_of(self, case_id: str) -> tuple[Finding, ...]:
        return self.by_case.get(case_id, ())

    def is_overdue(self, f: Finding) -> bool:
        return not f.waived and f.is_overdue(self.as_of)

    def counts(self) -> dict[str, int]:
        """Live findings by severity, waived, overdue, and the info reminders due within a week."""
        live = self.live
        return {
            "cases": len(self.cases),
            "rejected": self.load.rejected,
            "errors": sum(f.severity is Severity.ERROR for f in live),
            "warnings": sum(f.severity is Severity.WARNING for f in live),
            "due_soon": sum(f.severity is Severity.INFO for f in live),
            "overdue": sum(f.is_overdue(self.as_of) for f in live),
            "waived": len(self.findings) - len(live),
            "problems": len(self.load.problems),
            # file-level errors (missing, not JSON, ...): no case is named, so nothing was read of it
            "files_unread": len({p.file for p in self.load.problems if p.level == "error" and p.case_id is None and p.row is None}),
        }


# -- building a view ----------------------------------------------------------------------------


def in_scope(cases: Iterable[Case], scope: str | None) -> tuple[Case, ...]:
    return tuple(c for c in cases if scope is None or c.case_manager == scope)


def narrow(a: Audit, cases: tuple[Case, ...]) -> Audit:
    """The audit of some of its cases (for scoring one case manager's cases)."""
    ids = {c.case_id for c in cases}
    return evolve(
        a,
        cases=cases,
        outcomes=tuple(o for o in a.outcomes if o.case_id in ids),
        findings=tuple(f for f in a.findings if f.case_id in ids),
    )


def _next_due(a: Audit) -> dict[str, dt.date]:
    """Per case the earliest upcoming due date: of work pending, or of a recurring duty met so far."""
    nxt: dict[str, dt.date] = {}
    for o in a.outcomes:
        if o.status is Status.NOT_MET:
            continue
        due = o.due_on if o.status is Status.PENDING else o.next_due
        if due is not None and due >= a.as_of and (o.case_id not in nxt or due < nxt[o.case_id]):
            nxt[o.case_id] = due
    return nxt


def case_rows(
    cases: Sequence[Case], by_case: Mapping[str, Sequence[Finding]], as_of: dt.date,
    next_due: Mapping[str, dt.date],
) -> tuple[CaseRow, ...]:
    rows = []
    for c in cases:
        fs = by_case.get(c.case_id, ())
        live = [f for f in fs if not f.waived]
        late = [f.due_on for f in live if f.is_overdue(as_of)]
        nxt = next_due.get(c.case_id)
        rosh = CaseView(c, as_of).rosh_level
        disposal = DISPOSAL.get(c.legal_outcome, "") if c.legal_outcome else ""
        words = [c.case_id, c.ypid or "", c.case_manager or "", c.team or "", disposal, c.legal_outcome or ""]
        for f in fs:
            words += [f.rule, f.name, f.message]
        rows.append(CaseRow(
            case_id=c.case_id, ypid=c.ypid or "", case_manager=c.case_manager or "", team=c.team or "",
            legal_outcome=c.legal_outcome.value if c.legal_outcome else None, disposal=disposal, rosh=rosh,
            errors=sum(f.severity is Severity.ERROR for f in live),
            warnings=sum(f.severity is Severity.WARNING for f in live),
            info=sum(f.severity is Severity.INFO for f in live),
            waived=len(fs) - len(live), overdue=len(late), next_due=nxt,
            todo_by=min(late) if late else nxt,
            failing=frozenset(f.rule for f in fs if f.status is Status.NOT_MET),
            severities=frozenset(f.severity for f in live),
            haystack="\n".join(words).casefold(),
        ))
    return tuple(rows)


def group_by_case(findings: Iterable[Finding]) -> dict[str, tuple[Finding, ...]]:
    from rules.report.grouping import finding_urgency

    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[f.case_id].append(f)
    return {cid: tuple(sorted(fs, key=finding_urgency)) for cid, fs in groups.items()}


class Pipeline:
    """Load once, audit when the as-of date or the rules change, then waivers, scope and scores.

    ``run`` is called from a thread worker; a lock keeps a cancelled run that is still finishing from
    racing the next one over the caches.
    """

    def __init__(
        self,
        paths: Sequence[str | Path],
        config: Config | None = None,
        waivers_path: str | Path | None = None,
        catalogue: Mapping[str, Rule] | None = None,
        loader: Loader = load_paths,
    ) -> None:
        self.paths = tuple(str(p) for p in paths)
        self.config = config or Config()
        self.waivers_path = Path(waivers_path) if waivers_path is not None else None
        self.catalogue = dict(catalogue) if catalogue is not None else dict(all_rules())
        self.loader = loader
        self._lock = threading.Lock()
        self._load: LoadResult | None = None
        self._audit: tuple[tuple, Audit] | None = None

    def forget(self) -> None:
        """Drop the load and the audit kept: the next run reads the exports again (a reload). Waits for
        a run under way (a cancelled one still finishing) to end, so call it from a worker, not the
        screen's thread."""
        with self._lock:
            self._load = None
            self._audit = None

    def default_rules(self) -> tuple[str, ...]:
        """The rules the config selects, among those of the catalogue."""
        return tuple(r.code for r in self.config.rules() if r.code in self.catalogue)

    def read_waivers(self) -> tuple[list[Waiver], str | None]:
        if self.waivers_path is None or not self.waivers_path.exists():
            return [], None
        try:
            return pipeline.read_waivers(self.waivers_path), None
        except WaiverError as exc:
            return [], str(exc)

    def protected(self, view: AuditView):
        """Every file the session read, which an export may not replace (:func:`rules.output.run_inputs`)."""
        return run_inputs(view.load, self.config, self.waivers_path, *view.paths)

    def run(self, settings: Settings, progress: Callable[[str, int, int], None] | None = None) -> AuditView:
        """The stages of :mod:`rules.pipeline`, keeping the load, and the audit while the date and rules
        stay the same."""
        def stage(name: str) -> Progress | None:
            return None if progress is None else (lambda done, total: progress(name, done, total))

        with self._lock, gc_paused():
            if self._load is None:
                self._load = self.loader(list(self.paths), progress=stage("Loading"))
            as_of, load, _ = pipeline.date(settings.as_of, self._load, self.paths[0] if self.paths else "")
            settings = evolve(settings, as_of=as_of.date)  # the view's settings say the date it was judged as of
            rules = tuple(self.catalogue[c] for c in settings.rules if c in self.catalogue)
            key = (settings.as_of, tuple(r.code for r in rules))
            if self._audit is None or self._audit[0] != key:
                self._audit = (key, pipeline.audit_cases(load, settings.as_of, self.config, rules, progress))
            full = self._audit[1]
            return self._view(settings, as_of, load, full)

    def _view(self, settings: Settings, as_of: AsOf, load: LoadResult, full: Audit) -> AuditView:
        waivers, waiver_error = self.read_waivers()
        report = pipeline.waive(full, load, waivers)  # a rule switched off: a waiver of it is not unused
        cases = in_scope(full.cases, settings.scope)
        scoped = full if settings.scope is None else narrow(full, cases)
        ids = {c.case_id for c in cases}
        findings = tuple(f for f in report.findings if f.case_id in ids)
        by_case = group_by_case(findings)
        next_due = _next_due(scoped)
        counts: dict[str, int] = defaultdict(int)
        for c in full.cases:
            if c.case_manager:
                counts[c.case_manager] += 1
        scoring = self.config.scoring
        return AuditView(
            settings=settings,
            as_of_source=as_of,
            paths=self.paths,
            service=load.caseload.service.name,
            load=load,
            audit=full,
            cases=cases,
            findings=findings,
            rows=case_rows(cases, by_case, settings.as_of, next_due),
            scores=score(scoped, scoring),
            by_team=score(scoped, scoring, by="team"),
            by_case_manager=score(scoped, scoring, by="case-manager"),
            waivers=report,
            waiver_error=waiver_error,
            by_case=by_case,
            case_managers=tuple(sorted(counts.items(), key=lambda kv: kv[0].casefold())),
            teams=tuple(sorted({c.team for c in full.cases if c.team}, key=str.casefold)),
            catalogue=self.catalogue,
        )


# -- the cases table: filter and sort -------------------------------------------------------------


@frozen
class CaseFilter:
    team: str | None = None
    case_manager: str | None = None
    #: a LegalOutcome code
    disposal: str | None = None
    #: a Level code, or NO_LEVEL
    rosh: str | None = None
    severity: Severity | None = None
    #: cases that fail this rule
    rule: str | None = None
    #: cases with something overdue or falling due within this many days of the as-of date
    due_within: int | None = None
    text: str = ""

    @property
    def active(self) -> bool:
        return self != CaseFilter()


def matches(row: CaseRow, f: CaseFilter, as_of: dt.date) -> bool:
    if f.team is not None and row.team != f.team:
        return False
    if f.case_manager is not None and row.case_manager != f.case_manager:
        return False
    if f.disposal is not None and row.legal_outcome != f.disposal:
        return False
    if f.rosh is not None and (row.rosh.value if row.rosh else NO_LEVEL) != f.rosh:
        return False
    if f.severity is not None and f.severity not in row.severities:
        return False
    if f.rule is not None and f.rule not in row.failing:
        return False
    if f.due_within is not None and (row.todo_by is None or row.todo_by > as_of + dt.timedelta(days=f.due_within)):
        return False
    return not f.text or all(word in row.haystack for word in f.text.casefold().split())


#: sortable columns of the cases table and the key each sorts on
SORT_KEYS: dict[str, Callable[[CaseRow], tuple]] = {
    "case": lambda r: (r.case_id,),
    "manager": lambda r: (r.case_manager.casefold(), r.case_id),
    "team": lambda r: (r.team.casefold(), r.case_id),
    "disposal": lambda r: (r.disposal, r.case_id),
    "rosh": lambda r: (r.rosh.rank if r.rosh else -1, r.case_id),
    "errors": lambda r: (r.errors, r.warnings, r.case_id),
    "warnings": lambda r: (r.warnings, r.errors, r.case_id),
    "overdue": lambda r: (r.overdue, r.errors, r.case_id),
    "next_due": lambda r: (r.next_due or dt.date.max, r.case_id),
}


def select_rows(rows: Iterable[CaseRow], f: CaseFilter, as_of: dt.date, sort: str = "case", reverse: bool = False) -> list[CaseRow]:
    """The rows the filter lets through, sorted: filtering rebuilds the table, it never edits it."""
    return sorted((r for r in rows if matches(r, f, as_of)), key=SORT_KEYS[sort], reverse=reverse)


def urgent(rows: Iterable[CaseRow], n: int) -> list[CaseRow]:
    """The cases to look at first: most overdue, then most errors, then the earliest due."""
    has_work = [r for r in rows if r.overdue or r.errors or r.warnings or r.info]
    return sorted(has_work, key=lambda r: (-r.overdue, -r.errors, r.todo_by or dt.date.max, r.case_id))[:n]


# -- what to do, and by when --------------------------------------------------------------------


def todo(f: Finding, view: AuditView) -> str:
    """When a finding's duty must be done: 'to do now', 'by DATE', or already done late."""
    if f.waived:
        return f"waived: {f.waiver_reason}" if f.waiver_reason else "waived"
    if f.severity is Severity.INFO:
        return f"by {f.due_on}" if f.due_on else "soon"
    if view.is_overdue(f):
        return f"overdue since {f.due_on}: do it now"
    if f.due_on is not None and f.due_on < view.as_of:  # NOT_MET, yet done: it was done late
        return "done late: record why; keep the next on time"
    return "to do now"


def action(rule: Rule | None) -> str:
    """What a case manager should do about a finding of the rule (its ``Do:`` text, else its summary)."""
    if rule is None:
        return ""
    return rule.action or rule.summary
