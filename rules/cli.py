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
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import NoReturn

from rules import __version__
from rules.output import OutputError, write_output  # every file and standard output are written there

COMMANDS = ("check", "score", "rules", "explain", "validate", "init", "demo", "convert")


class Exit(IntEnum):
    OK = 0  # no finding at or above --fail-on
    FINDINGS = 1  # at least one such finding
    ERROR = 2  # usage, config or input error


class UsageError(Exception):
    """A mistake in how the tool was called or configured: one line, exit 2."""


# -- shared argument handling -------------------------------------------------------------------


#: the dates an audit may be as of: from the loader's earliest plausible date
#: (rules.load.converter.EARLIEST_PLAUSIBLE) to the end of the century: 9999-12-31 has no working day
#: after it, and a date centuries ahead would have the audit build a calendar of centuries first.
AS_OF_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))


def parse_date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}")
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r}") from None
    first, last = AS_OF_RANGE
    if not first <= day <= last:
        raise argparse.ArgumentTypeError(f"{text} is out of range: a date from {first} to {last}")
    return day


def comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line and exit 2, as for every other usage error
        self.print_usage(sys.stderr)
        print(f"yos-audit: error: {message}", file=sys.stderr)
        raise SystemExit(Exit.ERROR)

    def _print_message(self, message: str, file=None) -> None:
        """``--help`` and ``--version`` are output asked for: written as a report is, so a full or
        closed standard output is an error (exit 2), where argparse would say nothing and exit 0."""
        if message and file is sys.stdout:
            write_output(message, None)
        else:
            super()._print_message(message, file)


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


# -- loading and auditing, shared by check and score ---------------------------------------------


def load_config_for(args):
    from rules.config import load_config, nothing_selected

    config = load_config(args.config).with_selection(args.select, args.ignore)
    empty = nothing_selected(config)
    if empty:  # the run goes on, but an empty selection must not pass as an all-clear
        warn(empty)
    return config


def warn(message: str) -> None:
    """A warning on standard error; the run goes on."""
    print(f"yos-audit: warning: {message}", file=sys.stderr)


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


def load_for_audit(args, config):
    """LoadResult with the caseload filtered to --team / --case-manager."""
    from attrs import evolve

    from rules.load import load_paths

    kwargs = {"map_path": args.map} if getattr(args, "map", None) else {}
    result = load_paths(args.paths, **kwargs)
    cases = result.caseload.cases
    for option, attr, names in (("--team", "team", args.team), ("--case-manager", "case_manager", args.case_manager)):
        if names:
            cases = _only(cases, option, attr, names, redact=getattr(args, "redact", False))
    if cases is not result.caseload.cases:
        result = evolve(result, caseload=evolve(result.caseload, cases=cases))
    return result


def _only(cases, option: str, attr: str, names: Sequence[str], redact: bool = False):
    """The cases whose ``attr`` is one of ``names`` (any case). A name that matches no case is a usage
    error: a typo must not read as an all-clear. It lists the names there are, or under ``--redact``
    says only how many."""
    known = {getattr(c, attr) for c in cases if getattr(c, attr) is not None}
    folded = {k.casefold() for k in known}
    missing = [n for n in names if n.casefold() not in folded]
    if missing and cases:
        if redact:
            from rules.words import plural

            there = f"there are {plural(len(known), attr.replace('_', ' '))}, not listed under --redact" if known else "none recorded"
            raise UsageError(f"{option} {missing[0]!r} matches no case ({there})")
        listed = ", ".join(sorted(known)[:12]) + (" ..." if len(known) > 12 else "")
        raise UsageError(f"{option} {missing[0]!r} matches no case (there are: {listed or 'none recorded'})")
    wanted = {n.casefold() for n in names}
    return tuple(c for c in cases if getattr(c, attr) is not None and getattr(c, attr).casefold() in wanted)


def run_audit(args, config, result, as_of: dt.date):
    """The audit of the loaded cases."""
    from rules.engine import audit

    return audit(result.caseload, as_of, config.rules(), config.options, config.severities)


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
    return [] if path is None else load_waivers(path, warn)


def input_files(args, config, result):
    """Every file the run read, which no output may overwrite: the load's (exports, tables, map), the
    config, the waivers and the baseline (:func:`rules.output.run_inputs`)."""
    from rules.output import run_inputs

    return run_inputs(result, config, waivers_path(args, config), getattr(args, "since_baseline", None))


def fails(findings, fail_on: str) -> bool:
    from rules.outcomes import Severity

    if fail_on == "never":
        return False
    levels = {Severity.ERROR} if fail_on == "error" else {Severity.ERROR, Severity.WARNING}
    return any(f.severity in levels and not f.waived for f in findings)


# -- commands -----------------------------------------------------------------------------------


def cmd_check(args) -> int:
    from attrs import evolve

    from rules import baseline
    from rules.perf import gc_paused
    from rules.report import CheckReport, output
    from rules.waivers import apply_waivers

    config = load_config_for(args)
    waivers = find_waivers(args, config)
    try:  # read before the audit: a bad baseline fails fast
        known = baseline.load_baseline(args.since_baseline) if args.since_baseline else None
    except baseline.BaselineError as exc:
        raise UsageError(str(exc)) from None
    check = None
    if args.redact:
        from rules.redact import key_check, resolve_key

        check = key_check(resolve_key(config.redact_key)[0])
    if known is not None and known.redacted is not None and known.redacted != check:  # nothing could match
        raise UsageError(
            f"{args.since_baseline} was written with --redact under another key: set the key it was written with"
            if check else f"{args.since_baseline} was written with --redact: it holds pseudonyms, which only --redact matches"
        )
    with gc_paused():
        result = load_for_audit(args, config)
        as_of, result, early = audit_date(args, result)
        result_audit = run_audit(args, config, result, as_of.date)
    waived = apply_waivers(result_audit.findings, waivers, result_audit.as_of, waiver_scope(args, result, result_audit))
    whole = CheckReport(  # every finding: --since-baseline leaves some out below
        as_of=result_audit.as_of,
        as_of_source=as_of.source,
        as_of_reason=as_of.reason,
        findings=waived.findings,
        problems=result.problems,
        rules=result_audit.rules,
        cases={c.case_id: c for c in result.caseload.cases},
        rejected=result.rejected,
        expired_waivers=waived.expired,
        unused_waivers=waived.unused,
        outcomes=result_audit.outcomes,
        sources=result.sources,
    )
    inputs = input_files(args, config, result)
    if args.baseline and args.output and args.output != "-" and Path(args.baseline).resolve() == Path(args.output).resolve():
        raise UsageError(f"--baseline and -o name the same file ({args.output}): the report would overwrite the baseline")
    # redacted, the findings stay in their order: the i-th of one report is the i-th of the other
    report = redact_for_output(whole, config) if args.redact else whole
    if args.baseline:  # the whole current state, redacted as the report is (see rules.baseline)
        from rules.output import run_inputs

        text = baseline.dumps(report.findings, result_audit.as_of, redacted=check)
        # (it may update the baseline it was compared with)
        write_output(text, args.baseline, run_inputs(result, config, waivers_path(args, config)))
    if known is not None:  # compared as it was written: in pseudonyms, or in the real ids
        hidden = baseline.in_baseline((report if known.redacted else whole).findings, known)
        findings = tuple(f for i, f in enumerate(report.findings) if i not in hidden)
        report = evolve(report, findings=findings, baselined=len(hidden))
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

    from rules.perf import gc_paused
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
    with gc_paused():
        result = load_for_audit(args, config)
        as_of, result, _ = audit_date(args, result)  # its warning is printed with the other problems
        if args.sample is not None:  # a case not yet started is not there to be sampled
            cases, sample = draw_sample(result.caseload.cases, args.sample, args.seed, args.strata, as_of.date)
            result = evolve(result, caseload=evolve(result.caseload, cases=cases))
        result_audit = run_audit(args, config, result, as_of.date)
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
    write_output(output_scores(scores, args.format), args.output, input_files(args, config, result))
    for p in problems:  # the scores stay clean for scripts; input problems go to standard error
        print(f"yos-audit: {p}", file=sys.stderr)
    if not result.ok:
        return Exit.ERROR
    waived = apply_waivers(result_audit.findings, waivers, result_audit.as_of, waiver_scope(args, result, result_audit))
    return Exit.FINDINGS if fails(waived.findings, args.fail_on or config.fail_on) else Exit.OK


def cmd_rules(args) -> int:
    from rules.catalogue import all_rules

    rules = list(all_rules().values())
    if args.format == "json":
        import json

        doc = [
            {"code": r.code, "name": r.name, "severity": r.severity.value, "criterion": r.criterion,
             "standard": r.standard, "summary": r.summary, "per_record": r.per_record, "options": dict(r.options)}
            for r in rules
        ]
        write_output(json.dumps(doc, indent=2) + "\n", None)
        return Exit.OK
    width = max(len(r.name) for r in rules)
    write_output("".join(
        f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.criterion:<4} {r.summary}\n" for r in rules
    ), None)
    return Exit.OK


def cmd_explain(args) -> int:
    from rules.catalogue import all_rules
    from rules.explain import explain

    rules = all_rules()
    wanted = args.code.strip()
    rule = rules.get(wanted.upper()) or next((r for r in rules.values() if r.name == wanted.lower()), None)
    if rule is None:
        raise UsageError(f"no rule {args.code!r} (see `yos-audit rules`)")
    write_output(explain(rule), None)
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
    from rules.output import write_file

    output = args.map or args.output
    target = Path(output)
    if target.exists() and not args.force:
        raise UsageError(f"{output} exists already (use --force to overwrite it)")
    write_file(target, map_template() if args.map else default_config_toml())
    print(f"wrote {output}", file=sys.stderr)
    return Exit.OK


def cmd_convert(args) -> int:

    from rules.load import load_paths
    from rules.load.tables import caseload_document
    from rules.output import Protected, run_inputs

    if args.output and args.output != "-":  # the files named, before a long load; the rest after it
        Protected([*args.paths, args.map]).check(args.output)
    result = load_paths(args.paths, map_path=args.map)
    for p in result.problems:
        print(p, file=sys.stderr)
    if any(p.level == "error" and p.case_id is None and p.row is None for p in result.problems):
        raise UsageError("nothing written: an input could not be read (see above)")
    from rules.report import jsontext

    text = jsontext.dumps(caseload_document(result.caseload), indent=1) + "\n"
    write_output(text, args.output, run_inputs(result))
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
    written = write(stream(args.cases, args.seed, args.as_of or AS_OF), target)
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


def console() -> NoReturn:
    """The ``yos-audit`` command."""
    sys.exit(main())


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = bool(os.environ.get("YOS_AUDIT_DEBUG"))
    from rules.config import ConfigError
    from rules.output import closed_streams
    from rules.waivers import WaiverError
    from rules.words import visible

    closed_streams()
    try:
        if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
            return run_ui(argv)
        args = build_parser().parse_args(argv)
        return int(HANDLERS[args.command](args))
    except (UsageError, OutputError, ConfigError, WaiverError) as exc:
        print(f"yos-audit: error: {visible(str(exc))}", file=sys.stderr)  # it may quote the data
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
