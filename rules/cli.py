"""The command line (``shared/spec/cli.md``): argument parsing and exit codes only.

Each command is a small function calling the core. Errors print one plain line on standard error,
with no traceback and nothing from a case file beyond what the user's own input named. The terminal
UI is imported only when it is asked for, so ``check`` never loads textual.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import re
import sys
from collections.abc import Iterable, Sequence
from enum import IntEnum
from pathlib import Path
from typing import NoReturn

from rules import __version__

COMMANDS = ("check", "score", "rules", "explain", "validate", "init", "demo", "convert")


class Exit(IntEnum):
    OK = 0  # no finding at or above --fail-on
    FINDINGS = 1  # at least one such finding
    ERROR = 2  # usage, config or input error


class UsageError(Exception):
    """A mistake in how the tool was called or configured: one line, exit 2."""


# -- shared argument handling -------------------------------------------------------------------


def parse_date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r}") from None


def comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line and exit 2, as for every other usage error
        self.print_usage(sys.stderr)
        print(f"yos-audit: error: {message}", file=sys.stderr)
        raise SystemExit(Exit.ERROR)


def _add_audit_options(p: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="case export (JSON or TOML), or a folder or workbook of tables with --map")
    p.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help="the audit date (default: the export's service.extracted_on if every input names the same, else today)")
    p.add_argument("--config", metavar="FILE", help="TOML config (default: yos-audit.toml or [tool.yos-audit] in pyproject.toml)")
    p.add_argument("--select", type=comma_list, action="extend", metavar="CODES", help="rule codes, prefixes or ALL (comma list)")
    p.add_argument("--ignore", type=comma_list, action="extend", metavar="CODES", help="rule codes or prefixes to leave out")
    p.add_argument("--case-manager", action="append", metavar="NAME", help="audit only this case manager's cases")
    p.add_argument("--team", action="append", metavar="NAME", help="audit only this team's cases")
    p.add_argument("--format", choices=formats, default="text", help="output format (default: text)")
    p.add_argument("-o", "--output", metavar="FILE", help="write there instead of standard output")
    p.add_argument("--fail-on", choices=("error", "warning", "never"), default=None, help="exit 1 at or above this level (default: error)")
    p.add_argument("--waivers", metavar="FILE", help="accepted findings (default: yos-audit-waivers.toml if present)")
    p.add_argument("--map", metavar="FILE", help="column map for a folder or workbook of tables")


def build_parser() -> argparse.ArgumentParser:
    from rules.report import FORMATS

    parser = _Parser(
        prog="yos-audit", description="Audit youth justice case files against inspection standards.",
        epilog="With no command, yos-audit opens the terminal UI on the exports given (the bundled example with none).",
    )
    parser.add_argument("--version", action="version", version=f"yos-audit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", help="run the rules headless and print findings")
    _add_audit_options(check, FORMATS)
    check.add_argument("--redact", action="store_true",
                       help="replace staff names and children's identifiers with stable pseudonyms in the output")
    check.add_argument("--baseline", metavar="FILE", help="also write this run's findings to FILE, as a baseline")
    check.add_argument("--since-baseline", metavar="FILE",
                       help="report only findings not in this baseline; only they decide the exit code")

    from rules.report.score_common import SCORE_FORMATS

    score = sub.add_parser("score", help="inspection-style scores per criterion and headline, with improvement bands")
    _add_audit_options(score, SCORE_FORMATS)
    score.add_argument("--by", choices=("team", "case-manager"), help="scores side by side for each team or case manager")
    score.add_argument("--sample", type=int, metavar="N", help="score a random sample of N cases, stratified by disposal, as inspectors do")
    score.add_argument("--seed", type=int, default=0, metavar="S", help="the same seed draws the same sample (default: 0)")
    score.add_argument("--strata", choices=("legal-outcome", "group"), default="legal-outcome",
                       help="sample strata: legal outcome (default) or outcome group")
    score.add_argument("--redact", action="store_true",
                       help="replace case ids and case managers' names with stable pseudonyms in the output")

    sub.add_parser("rules", help="list every rule").add_argument("--format", choices=("text", "json"), default="text")
    sub.add_parser("explain", help="the full text of a rule").add_argument("code", metavar="CODE")

    validate = sub.add_parser("validate", help="load only, and report input problems")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument("--map", metavar="FILE", help="column map for a folder or workbook of tables")

    init = sub.add_parser("init", help="write a commented default config file")
    init.add_argument("-o", "--output", default="yos-audit.toml", metavar="FILE")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.add_argument("--map", nargs="?", const="yos-audit-map.toml", metavar="FILE",
                      help="write a starting column map for tables instead (default file: yos-audit-map.toml)")

    convert = sub.add_parser("convert", help="write a folder or workbook of tables (or any export) as the JSON export")
    convert.add_argument("paths", nargs="+", metavar="PATH")
    convert.add_argument("--map", metavar="FILE", help="column map for a folder or workbook of tables")
    convert.add_argument("-o", "--output", metavar="FILE", help="write there instead of standard output")

    demo = sub.add_parser("demo", help="write a reproducible synthetic caseload")
    demo.add_argument("--cases", type=int, default=60, metavar="N", help="how many cases (default: 60)")
    demo.add_argument("--seed", type=int, default=0, metavar="S", help="the same seed writes the same caseload (default: 0)")
    demo.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help="the date the caseload is seen on (default: 2026-11-20)")
    demo.add_argument("-o", "--output", required=True, metavar="FILE")
    demo.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


# -- output -------------------------------------------------------------------------------------


def _stdout_gone() -> None:
    """Standard output's reader has gone: what is still to be written there goes nowhere, so that
    nothing later (the last flush at exit) fails on it. Standard error too if it is the same pipe
    (``2>&1 | head``): the problems printed after the report would break on it."""
    streams = [sys.stdout]
    try:
        out, err = os.fstat(sys.stdout.fileno()), os.fstat(sys.stderr.fileno())
        if (out.st_dev, out.st_ino) == (err.st_dev, err.st_ino):
            streams.append(sys.stderr)
    except (OSError, AttributeError, ValueError):  # a stream with no descriptor (tests)
        pass
    for stream in streams:
        try:
            stream.flush()
        except OSError:  # the pipe broken again, most likely
            pass
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)
        except (OSError, AttributeError, ValueError):
            pass


def write_output(text: str | Iterable[bytes], output: str | None, inputs: Sequence[str] = ()) -> None:
    """Standard output, or a file created readable by its owner only (it holds case data). ``text``
    may be UTF-8 bytes in pieces, each written as it comes (:func:`rules.report.output`).

    Never overwrites an input file.
    """
    if output is None or output == "-":
        binary = getattr(sys.stdout, "buffer", None)
        try:
            if isinstance(text, str) or binary is None:  # (a standard output of text only: decoded)
                sys.stdout.write(text if isinstance(text, str) else b"".join(text).decode("utf-8"))
            else:
                sys.stdout.flush()
                for part in text:
                    binary.write(part)
        except BrokenPipeError:  # the reader stopped (`| head`): the exit code still says what the audit found
            _stdout_gone()
        return
    target = Path(output)
    for p in inputs:
        try:  # the same path, through a symbolic link, or a hard link to the same file
            same = Path(p).resolve() == target.resolve() or (target.exists() and os.path.samefile(p, target))
        except OSError:
            continue
        if same:
            raise UsageError(f"refusing to write over the input file {output}")
    if target.is_dir():
        raise UsageError(f"{output} is a folder")
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # a file that was there already becomes owner-only too
        if isinstance(text, str):
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        else:
            with os.fdopen(fd, "wb") as fb:
                for part in text:
                    fb.write(part)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


# -- loading and auditing, shared by check and score ---------------------------------------------


def load_config_for(args):
    from rules.config import load_config

    return load_config(args.config).with_selection(args.select, args.ignore)


def start_audit(args, config):
    """The audit, started while the caseload loads where it may take two cores (see
    :class:`rules.parallel.Ahead`): a context for :func:`load_for_audit` and :func:`run_audit`. Not for
    a part of the caseload (--team, --case-manager, --sample), which only the whole load can pick; nor
    without --as-of, whose default date is the export's, known only once the export is read."""
    from contextlib import nullcontext

    from rules.engine import start_ahead

    if args.as_of is None or args.team or args.case_manager or getattr(args, "sample", None) is not None:
        return nullcontext()
    return start_ahead(args.as_of, config.rules(), config.options, config.severities)


def audit_date(args, result):
    """The run's as-of date and why (:func:`rules.asof.resolve_as_of`) once the inputs are read, the
    load result with a warning added if the date is before every case's start, and that warning."""
    from attrs import evolve

    from rules.asof import before_every_start, resolve_as_of

    as_of = resolve_as_of(args.as_of, result.extracted_on)
    early = before_every_start(result.caseload.cases, as_of.date, args.paths[0] if args.paths else "")
    if early is not None:
        result = evolve(result, problems=(*result.problems, early))
    return as_of, result, early


def load_for_audit(args, config, ahead=None):
    """LoadResult with the caseload filtered to --team / --case-manager."""
    from attrs import evolve

    from rules.load import load_paths

    kwargs = {"map_path": args.map} if getattr(args, "map", None) else {}
    result = load_paths(args.paths, ahead=ahead, **kwargs)
    cases = result.caseload.cases
    for option, attr, names in (("--team", "team", args.team), ("--case-manager", "case_manager", args.case_manager)):
        if names:
            cases = _only(cases, option, attr, names)
    if cases is not result.caseload.cases:
        result = evolve(result, caseload=evolve(result.caseload, cases=cases))
    return result


def _only(cases, option: str, attr: str, names: Sequence[str]):
    """The cases whose ``attr`` is one of ``names`` (any case). A name that matches no case is a usage
    error: a typo must not read as an all-clear."""
    known = {getattr(c, attr) for c in cases if getattr(c, attr) is not None}
    folded = {k.casefold() for k in known}
    missing = [n for n in names if n.casefold() not in folded]
    if missing and cases:
        listed = ", ".join(sorted(known)[:12]) + (" ..." if len(known) > 12 else "")
        raise UsageError(f"{option} {missing[0]!r} matches no case (there are: {listed or 'none recorded'})")
    wanted = {n.casefold() for n in names}
    return tuple(c for c in cases if getattr(c, attr) is not None and getattr(c, attr).casefold() in wanted)


def run_audit(args, config, result, as_of: dt.date, ahead=None, count=False):
    """The audit of the loaded cases; ``count``: it is to be scored (see :func:`rules.engine.audit`)."""
    from rules.engine import audit

    return audit(
        result.caseload, as_of, config.rules(), config.options, config.severities, ahead=ahead, count=count
    )


def waiver_scope(args, result, result_audit):
    """What the run audited (:class:`rules.waivers.Scope`): a waiver outside it is not unused."""
    from rules.waivers import run_scope

    part = bool(args.team or args.case_manager or getattr(args, "sample", None) is not None)
    return run_scope((r.code for r in result_audit.rules), (c.case_id for c in result_audit.cases), result.problems, part)


def waivers_path(args, config) -> str | None:
    from rules.waivers import WAIVERS_NAME

    path = args.waivers or config.waivers
    if path is None and Path(WAIVERS_NAME).is_file():
        path = WAIVERS_NAME
    return path


def find_waivers(args, config):
    from rules.waivers import load_waivers

    path = waivers_path(args, config)
    return [] if path is None else load_waivers(path)


def input_files(args, config) -> list[str]:
    """Every file the run reads, which no output may overwrite: exports, config, waivers, map, baseline."""
    from rules.config import CONFIG_NAME

    named = [args.config, CONFIG_NAME, "pyproject.toml", waivers_path(args, config),
             getattr(args, "map", None), getattr(args, "since_baseline", None)]
    return [*args.paths, *(p for p in named if p)]


def fails(findings, fail_on: str) -> bool:
    from rules.engine import Severity

    if fail_on == "never":
        return False
    levels = {Severity.ERROR} if fail_on == "error" else {Severity.ERROR, Severity.WARNING}
    return any(f.severity in levels and not f.waived for f in findings)


# -- commands -----------------------------------------------------------------------------------


def cmd_check(args) -> int:
    from rules import baseline
    from rules.report import CheckReport, output
    from rules.waivers import apply_waivers

    config = load_config_for(args)
    waivers = find_waivers(args, config)
    try:  # read before the audit: a bad baseline fails fast
        known = baseline.load_baseline(args.since_baseline) if args.since_baseline else None
    except baseline.BaselineError as exc:
        raise UsageError(str(exc)) from None
    with start_audit(args, config) as ahead:
        result = load_for_audit(args, config, ahead)
        as_of, result, early = audit_date(args, result)
        result_audit = run_audit(args, config, result, as_of.date, ahead)
    leave(result, result_audit)
    waived = apply_waivers(result_audit.findings, waivers, result_audit.as_of, waiver_scope(args, result, result_audit))
    findings, baselined = waived.findings, None
    if known is not None:
        findings, baselined = baseline.since_baseline(findings, known)
    report = CheckReport(
        as_of=result_audit.as_of,
        as_of_source=as_of.source,
        as_of_reason=as_of.reason,
        findings=findings,
        problems=result.problems,
        rules=result_audit.rules,
        cases={c.case_id: c for c in result.caseload.cases},
        rejected=result.rejected,
        expired_waivers=waived.expired,
        unused_waivers=waived.unused,
        outcomes=result_audit.outcomes,
        sources=result.sources,
        baselined=baselined,
    )
    inputs = input_files(args, config)
    if args.baseline and args.output and args.output != "-" and Path(args.baseline).resolve() == Path(args.output).resolve():
        raise UsageError(f"--baseline and -o name the same file ({args.output}): the report would overwrite the baseline")
    if args.baseline:  # the whole current state, before redaction: the next run compares against it
        text = baseline.dumps(waived.findings, result_audit.as_of)
        write_output(text, args.baseline, [p for p in inputs if p != args.since_baseline])
    if args.redact:
        report = redact_for_output(report, config)
    write_output(output(report, args.format), args.output, inputs)
    if args.format != "text" or (args.output and args.output != "-"):
        for p in report.problems:  # the output carries them too, but a person at the terminal must see them
            if p.level == "error":
                print(f"yos-audit: {p}", file=sys.stderr)
    if early is not None:  # whatever the format and wherever it went: the report must not read as clean
        print(f"yos-audit: {early}", file=sys.stderr)
    if not result.ok:
        return Exit.ERROR
    return Exit.FINDINGS if fails(report.findings, args.fail_on or config.fail_on) else Exit.OK


def redact_for_output(report, config):
    from rules.redact import ENV_KEY, redact_report, resolve_key

    key, source = resolve_key(config.redact_key)
    if source == "default":
        print(
            f"yos-audit: warning: --redact with the built-in key: pseudonyms are stable but can be guessed back; "
            f"set {ENV_KEY} (or redact_key in the config) to a secret of your own",
            file=sys.stderr,
        )
    return redact_report(report, key)


def cmd_score(args) -> int:
    from attrs import evolve

    from rules.report.score_common import output_scores
    from rules.sampling import draw_sample
    from rules.scoring import score, scoring_settings
    from rules.waivers import apply_waivers

    if args.sample is not None and args.sample < 1:
        raise UsageError(f"--sample must be 1 or more, not {args.sample}")
    config = load_config_for(args)
    settings = scoring_settings(config.scoring, f"{config.source}: " if config.source else "")
    waivers = find_waivers(args, config)
    sample = None
    with start_audit(args, config) as ahead:
        result = load_for_audit(args, config, ahead)
        as_of, result, _ = audit_date(args, result)  # its warning is printed with the other problems
        if args.sample is not None:  # a case not yet started is not there to be sampled
            cases, sample = draw_sample(result.caseload.cases, args.sample, args.seed, args.strata, as_of.date)
            result = evolve(result, caseload=evolve(result.caseload, cases=cases))
        result_audit = run_audit(args, config, result, as_of.date, ahead, count=True)
    leave(result, result_audit)
    scores = score(result_audit, settings, by=args.by, sample=sample, rejected=result.rejected)
    scores = evolve(scores, as_of_source=as_of.source, as_of_reason=as_of.reason)
    problems = result.problems
    if args.redact:  # the same pseudonyms as check --redact; problems name cases too
        from rules.redact import resolve_key
        from rules.report import CheckReport
        from rules.report.score_redact import redact_scores

        cases = {c.case_id: c for c in result.caseload.cases}
        problems = redact_for_output(CheckReport(result_audit.as_of, (), problems, cases=cases), config).problems
        scores = redact_scores(scores, cases, resolve_key(config.redact_key)[0])
    write_output(output_scores(scores, args.format), args.output, input_files(args, config))
    for p in problems:  # the scores stay clean for scripts; input problems go to standard error
        print(f"yos-audit: {p}", file=sys.stderr)
    if not result.ok:
        return Exit.ERROR
    waived = apply_waivers(result_audit.findings, waivers, result_audit.as_of, waiver_scope(args, result, result_audit))
    return Exit.FINDINGS if fails(waived.findings, args.fail_on or config.fail_on) else Exit.OK


def cmd_rules(args) -> int:
    from rules.engine import all_rules

    rules = list(all_rules().values())
    if args.format == "json":
        import json

        doc = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "criterion": r.criterion,
             "standard": r.standard, "summary": r.summary, "per_record": r.per_record, "options": dict(r.options)}
            for r in rules
        ]
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
        return Exit.OK
    width = max(len(r.name) for r in rules)
    for r in rules:
        sys.stdout.write(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.criterion:<4} {r.summary}\n")
    return Exit.OK


def cmd_explain(args) -> int:
    from rules.engine import all_rules
    from rules.explain import explain

    rules = all_rules()
    wanted = args.code.strip()
    rule = rules.get(wanted.upper()) or next((r for r in rules.values() if r.name == wanted.lower()), None)
    if rule is None:
        raise UsageError(f"no rule {args.code!r} (see `yos-audit rules`)")
    sys.stdout.write(explain(rule))
    return Exit.OK


def cmd_validate(args) -> int:
    from rules.load import load_paths

    kwargs = {"map_path": args.map} if args.map else {}
    result = load_paths(args.paths, **kwargs)
    if args.format == "json":
        import json

        from rules.report.json_ import problem_dict

        doc = {
            "cases": len(result.caseload.cases),
            "rejected": result.rejected,
            "input_problems": [problem_dict(p) for p in result.problems],
        }
        text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    else:
        from rules.words import plural

        loaded = len(result.caseload.cases)
        text = "".join(f"{p}\n" for p in result.problems)
        text += f"{plural(loaded, 'case')} loaded, {result.rejected} rejected for input errors.\n"
    write_output(text, None)
    return Exit.OK if result.ok else Exit.ERROR


def cmd_init(args) -> int:
    from rules.config import default_config_toml
    from rules.load.colmap import map_template

    output = args.map or args.output
    target = Path(output)
    if target.exists() and not args.force:
        raise UsageError(f"{output} exists already (use --force to overwrite it)")
    try:
        target.write_text(map_template() if args.map else default_config_toml(), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    print(f"wrote {output}", file=sys.stderr)
    return Exit.OK


def cmd_convert(args) -> int:
    import json

    from rules.load import load_paths
    from rules.load.tables import caseload_document, input_files

    inputs = sorted(map(str, input_files(args.paths, args.map)))
    if args.output and any(Path(p) == Path(args.output).resolve() for p in inputs):  # before a long load
        raise UsageError(f"refusing to write over the input file {args.output}")
    result = load_paths(args.paths, map_path=args.map)
    for p in result.problems:
        print(p, file=sys.stderr)
    if any(p.level == "error" and p.case_id is None and p.row is None for p in result.problems):
        raise UsageError("nothing written: an input could not be read (see above)")
    from rules.report import jsontext

    text = jsontext.dumps(caseload_document(result.caseload), indent=1) + "\n"
    write_output(text, args.output, inputs)
    where = args.output if args.output and args.output != "-" else "standard output"
    print(f"wrote {len(result.caseload.cases)} cases to {where}; {result.rejected} rejected for input errors",
          file=sys.stderr)
    return Exit.OK if result.ok else Exit.ERROR


def cmd_demo(args) -> int:
    from rules.demo import AS_OF, stream, write

    if args.cases < 0:
        raise UsageError(f"--cases must be 0 or more, not {args.cases}")
    target = Path(args.output)
    if target.is_dir():
        raise UsageError(f"{args.output} is a folder")
    if target.exists() and not args.force:
        raise UsageError(f"{args.output} exists already (use --force to overwrite it)")
    try:
        written = write(stream(args.cases, args.seed, args.as_of or AS_OF), target)
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    print(f"wrote {written} synthetic cases to {args.output}", file=sys.stderr)
    return Exit.OK


HANDLERS = {
    "check": cmd_check,
    "score": cmd_score,
    "rules": cmd_rules,
    "explain": cmd_explain,
    "validate": cmd_validate,
    "init": cmd_init,
    "convert": cmd_convert,
    "demo": cmd_demo,
}


def run_ui(argv: Sequence[str]) -> int:
    parser = _Parser(prog="yos-audit", description="Open the terminal UI on case exports (the bundled example with no path).")
    parser.add_argument("paths", nargs="*", metavar="PATH")
    parser.add_argument("--as-of", type=parse_date, default=None, metavar="DATE")
    parser.add_argument("--config", metavar="FILE")
    args = parser.parse_args(argv)
    for path in args.paths:  # 'yos-audit chek x.json' is a typo, not an export called chek
        if not Path(path).exists():
            close = difflib.get_close_matches(path, COMMANDS, n=1)
            if close:
                raise UsageError(f"unknown command {path!r}; did you mean {close[0]!r}? (`yos-audit --help` lists them)")
    from tui.app import run  # the UI, and textual, only when asked for

    return run(args.paths, as_of=args.as_of, config=args.config)


#: what the commands built, kept to the end when the process ends straight after (see :func:`console`)
_LEFT: list | None = None


def leave(*objects: object) -> None:
    """Keep ``objects`` (a caseload, an audit: millions of objects at 100,000 cases) to the end of a
    ``yos-audit`` process: freeing them one by one would take it a second longer to end."""
    if _LEFT is not None:
        _LEFT.append(objects)


def console() -> NoReturn:
    """The ``yos-audit`` command: :func:`main`, then the process ends at once, its output flushed,
    without freeing what it built (the system takes the memory back whole)."""
    global _LEFT
    _LEFT = []
    code = main()
    if not _LEFT:  # nothing large built (the UI, a listing): end as usual
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    except OSError:
        code = code or Exit.ERROR
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = bool(os.environ.get("YOS_AUDIT_DEBUG"))
    from rules.config import ConfigError
    from rules.waivers import WaiverError

    try:
        if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
            return run_ui(argv)
        args = build_parser().parse_args(argv)
        return int(HANDLERS[args.command](args))
    except (UsageError, ConfigError, WaiverError) as exc:
        print(f"yos-audit: error: {exc}", file=sys.stderr)
        return Exit.ERROR
    except KeyboardInterrupt:
        print("yos-audit: interrupted", file=sys.stderr)
        return Exit.ERROR
    except BrokenPipeError:
        return Exit.OK
    except Exception as exc:  # noqa: BLE001 - never a traceback with case data in it
        if debug:
            raise
        print(
            f"yos-audit: internal error ({type(exc).__name__}); nothing was written to your input files. "
            "Set YOS_AUDIT_DEBUG=1 to see the traceback.",
            file=sys.stderr,
        )
        return Exit.ERROR


if __name__ == "__main__":
    console()
