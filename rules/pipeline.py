"""The run, in one place: load, narrow, date, audit, waive, compare with a baseline, score, redact.

The command line and the terminal UI both run these stages, so a rule of the run (which date an audit
is as of, which files no output may replace, which waivers count as unused) is written once.
:func:`run` runs them in order for a command; the UI calls the stages one by one, since it keeps the
load and the audit while the user changes the as-of date, the rules or the scope.

Errors a user can fix are :class:`UsageError` (one line; the CLI's exit 2); input problems never
raise, they are carried in the :class:`~rules.load.LoadResult`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from attrs import evolve, frozen

from rules.asof import AsOf, before_every_start, resolve_as_of
from rules.config import Config, load_config, nothing_selected
from rules.engine import Audit, audit
from rules.errors import UsageError
from rules.load import LoadResult, load_paths
from rules.load.problems import InputProblem
from rules.model import Case
from rules.outcomes import Finding, Severity
from rules.output import Protected, run_inputs
from rules.perf import gc_paused
from rules.registry import Rule
from rules.waivers import WAIVERS_NAME, Waiver, WaiverReport, apply_waivers, load_waivers, run_scope

__all__ = [
    "Request", "Run", "UsageError", "audit_cases", "check_report", "configure", "date", "fails",
    "narrow", "narrow_to", "read", "read_waivers", "redact", "run", "waive", "waivers_path",
]

#: a warning's sink: the CLI prints it on standard error; the UI shows it
Warn = Callable[[str], None]
#: ``progress(stage, done, total)``: "Loading" then "Auditing"
StageProgress = Callable[[str, int, int], None]


@frozen
class Request:
    """What a run is asked for: the inputs and the choices made on the command line or in the UI."""

    paths: tuple[str, ...]
    map_path: str | None = None
    #: None: the exports' extract date, else today (:func:`rules.asof.resolve_as_of`)
    as_of: dt.date | None = None
    teams: tuple[str, ...] = ()
    case_managers: tuple[str, ...] = ()
    #: score a stratified random sample of this many cases
    sample: int | None = None
    seed: int = 0
    strata: str = "legal-outcome"
    #: the waivers file named (None: the config's, else yos-audit-waivers.toml if there is one)
    waivers: str | None = None
    #: a baseline the run is compared with (read, so protected from every output)
    since_baseline: str | None = None
    #: names in the output are pseudonyms: a name that matches no case is not listed either
    redact: bool = False
    #: keep every outcome (scores, JUnit and the UI read them); False: the findings only
    outcomes: bool = True

    @property
    def partial(self) -> bool:
        """Whether the run audits part of the caseload (a waiver outside it is not unused)."""
        return bool(self.teams or self.case_managers or self.sample is not None)


@frozen
class Run:
    """Everything a command reports from: the load, the date and why, the audit, the waivers."""

    request: Request
    config: Config
    #: what was loaded, narrowed to the teams, case managers and sample asked for
    load: LoadResult
    #: every case loaded, before any narrowing (a review names cases outside the scope)
    loaded: tuple[Case, ...]
    as_of: AsOf
    #: the warning that the as-of date is before every case's start (also among ``load.problems``)
    early: InputProblem | None
    audit: Audit
    waived: WaiverReport
    #: the sample drawn (:class:`rules.sampling.Sample`) with ``request.sample``
    sample: object | None
    #: every file the run read, which no output may replace
    protected: Protected


# -- the stages ---------------------------------------------------------------------------------


def configure(path: str | Path | None, select: Sequence[str] | None = None, ignore: Sequence[str] | None = None,
              warn: Warn | None = None) -> Config:
    """The config (named, or found) with ``--select`` / ``--ignore`` applied. An empty selection is
    a warning: the run goes on, but it must not pass as an all-clear."""
    config = load_config(path).with_selection(select, ignore)
    empty = nothing_selected(config)
    if empty and warn is not None:
        warn(empty)
    return config


def waivers_path(named: str | Path | None, config: Config) -> str | None:
    """The waivers file of a run: the one named, the config's, else ``yos-audit-waivers.toml`` if it
    is there."""
    path = named or config.waivers
    if path is None and Path(WAIVERS_NAME).is_file():
        path = WAIVERS_NAME
    return None if path is None else str(path)


def read_waivers(path: str | Path | None, warn: Warn | None = None) -> list[Waiver]:
    """The waivers of ``path`` (none without one). A file that cannot be used raises
    :class:`rules.waivers.WaiverError`."""
    return [] if path is None else load_waivers(path, warn)


def read(request: Request, progress: StageProgress | None = None) -> LoadResult:
    """The inputs read: every case of every export."""
    step = None if progress is None else (lambda done, total: progress("Loading", done, total))
    kwargs = {"map_path": request.map_path} if request.map_path else {}
    return load_paths(list(request.paths), progress=step, **kwargs)


def narrow(request: Request, result: LoadResult) -> LoadResult:
    """The load with its caseload narrowed to the teams and case managers asked for."""
    cases = result.caseload.cases
    for option, attr, names in (("--team", "team", request.teams), ("--case-manager", "case_manager", request.case_managers)):
        if names:
            cases = narrow_to(cases, option, attr, names, redact=request.redact)
    if cases is not result.caseload.cases:
        result = evolve(result, caseload=evolve(result.caseload, cases=cases))
    return result


def narrow_to(cases: Sequence[Case], option: str, attr: str, names: Iterable[str], redact: bool = False) -> tuple[Case, ...]:
    """The cases whose ``attr`` is one of ``names``, ignoring case, accents and the two apostrophes
    (:func:`rules.words.name_key`). A name that matches no case is a :class:`UsageError`: a typo must
    not read as an all-clear. It lists the names there are, one a line, or with ``redact`` says only
    how many."""
    from rules.words import name_key, plural

    names = list(names)
    known = {getattr(c, attr) for c in cases if getattr(c, attr) is not None}
    folded = {name_key(k) for k in known}
    missing = [n for n in names if name_key(n) not in folded]
    if missing and cases:
        if redact:
            there = f"there are {plural(len(known), attr.replace('_', ' '))}, not listed under --redact" if known else "none recorded"
            raise UsageError(f"{option} {missing[0]!r} matches no case ({there})")
        if not known:
            raise UsageError(f"{option} {missing[0]!r} matches no case (none recorded)")
        raise UsageError(f"{option} {missing[0]!r} matches no case; there are:", sorted(known, key=name_key))
    wanted = {name_key(n) for n in names}
    return tuple(c for c in cases if getattr(c, attr) is not None and name_key(getattr(c, attr)) in wanted)


def date(given: dt.date | None, result: LoadResult, file: str = "") -> tuple[AsOf, LoadResult, InputProblem | None]:
    """The run's as-of date and why, once the inputs are read; the load result with a warning added
    if that date is before every case's start (nothing could be due: the caseload would read as
    clean), and that warning."""
    as_of = resolve_as_of(given, result.extracted_on)
    early = before_every_start(result.caseload.cases, as_of.date, file)
    if early is not None:
        result = evolve(result, problems=(*result.problems, early))
    return as_of, result, early


def audit_cases(result: LoadResult, as_of: dt.date, config: Config, rules: Sequence[Rule] | None = None,
                progress: StageProgress | None = None, outcomes: bool = True) -> Audit:
    """The audit of the loaded cases by ``rules`` (the config's selection by default); with
    ``outcomes=False`` the findings only (a report that reads no outcome need not have them built)."""
    step = None if progress is None else (lambda done, total: progress("Auditing", done, total))
    chosen = config.rules() if rules is None else rules
    return audit(result.caseload, as_of, chosen, config.options, config.severities, progress=step, outcomes=outcomes)


def waive(done: Audit, result: LoadResult, waivers: Sequence[Waiver], partial: bool = False) -> WaiverReport:
    """The findings with the waivers applied; a waiver outside what the run audited (a rule not
    selected, a case not loaded or left out) is not called unused."""
    scope = run_scope((r.code for r in done.rules), (c.case_id for c in done.cases), result.problems, partial)
    return apply_waivers(done.findings, waivers, done.as_of, scope)


def run(request: Request, config: Config, warn: Warn | None = None, progress: StageProgress | None = None) -> Run:
    """Every stage, in order, for a command: waivers read first (a bad file fails before a long load),
    then load, narrow, date, sample, audit and waive, with the collector paused for the bulk work."""
    named_waivers = waivers_path(request.waivers, config)
    waivers = read_waivers(named_waivers, warn)
    sample = None
    with gc_paused():
        result = read(request, progress)
        loaded = result.caseload.cases
        result = narrow(request, result)
        as_of, result, early = date(request.as_of, result, request.paths[0] if request.paths else "")
        if request.sample is not None:  # a case not yet started is not there to be sampled
            from rules.sampling import draw_sample

            cases, sample = draw_sample(result.caseload.cases, request.sample, request.seed, request.strata, as_of.date)
            result = evolve(result, caseload=evolve(result.caseload, cases=cases))
            if request.sample > sample.population and warn is not None:  # the report says so too
                warn(f"--sample {request.sample} is more than the {sample.population} cases there are: every one is scored")
        done = audit_cases(result, as_of.date, config, progress=progress, outcomes=request.outcomes)
    waived = waive(done, result, waivers, request.partial)
    protected = run_inputs(result, config, named_waivers, request.since_baseline)
    return Run(request, config, result, loaded, as_of, early, done, waived, sample, protected)


# -- what the commands make of a run -------------------------------------------------------------


def check_report(
    result: LoadResult, done: Audit, waived: WaiverReport, as_of: AsOf | None = None,
    findings: Sequence[Finding] | None = None, cases: Sequence[Case] | None = None,
):
    """The :class:`rules.report.CheckReport` of a run: every finding (waivers applied), or those given
    (the UI exports a screen's), about the cases given (all loaded by default). A report on some of the
    cases (one case, a filtered table) carries only their input problems, and counts no rejected case."""
    from rules.report import CheckReport

    whole = cases is None or len(cases) == len(result.caseload.cases)
    cases = result.caseload.cases if cases is None else cases
    ids = {c.case_id for c in cases}
    return CheckReport(
        as_of=done.as_of,
        as_of_source=as_of.source if as_of is not None else None,
        as_of_reason=as_of.reason if as_of is not None else None,
        findings=tuple(waived.findings if findings is None else findings),
        problems=result.problems if whole else tuple(p for p in result.problems if p.case_id in ids),
        rules=done.rules,
        cases={c.case_id: c for c in cases},
        rejected=result.rejected if whole else 0,
        service=result.caseload.service.name or None,
        expired_waivers=waived.expired,
        unused_waivers=waived.unused,
        outcomes=done.outcomes,
        sources=result.sources,
    )


def redact(report, config: Config, warn: Warn | None = None):
    """The report with staff names and children's identifiers replaced by stable pseudonyms (in
    the same order: the i-th finding of one is the i-th of the other). The built-in key is a warning."""
    from rules.redact import ENV_KEY, redact_report, resolve_key

    key, source = resolve_key(config.redact_key)
    if source == "default" and warn is not None:
        warn(
            f"--redact with the built-in key: pseudonyms are stable but can be guessed back; "
            f"set {ENV_KEY} (or redact_key in the config) to a secret of your own"
        )
    return redact_report(report, key)


def fails(findings: Iterable[Finding], fail_on: str) -> bool:
    """Whether a finding not waived is at or above ``fail_on`` (``error``, ``warning`` or ``never``)."""
    if fail_on == "never":
        return False
    levels = {Severity.ERROR} if fail_on == "error" else {Severity.ERROR, Severity.WARNING}
    return any(f.severity in levels and not f.waived for f in findings)
