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
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from rules import __version__
from rules.errors import Exit, UsageError
from rules.options import print_problems, request_of, warn
from rules.output import (  # every file and standard output are written there
    OutputError,
    run_inputs,
    write_output,
)

COMMANDS = ("check", "score", "review", "frameworks", "rules", "explain", "validate", "init", "demo", "convert")




# -- shared argument handling -------------------------------------------------------------------


#: the dates an audit may be as of: from the loader's earliest plausible date
#: (rules.load.converter.EARLIEST_PLAUSIBLE) to the end of the century: 9999-12-31 has no working day
#: after it, and a date centuries ahead would have the audit build a calendar of centuries first.
AS_OF_RANGE = (dt.date(1990, 1, 1), dt.date(2100, 12, 31))


def parse_date(text: str) -> dt.date:
    if text.strip().lower() == "today":  # as the UI's as-of dialog takes it
        return dt.date.today()
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


#: help texts said the same way by every command that takes the option
PATHS_HELP = "case export (JSON or TOML), a folder of JSON exports, or a folder or workbook of tables with --map"
AS_OF_HELP = ("the audit date, YYYY-MM-DD or 'today' (default: the export's service.extracted_on if every "
              "input names the same, else today)")
CONFIG_HELP = "TOML config (default: yos-audit.toml or [tool.yos-audit] in pyproject.toml)"
WAIVERS_HELP = "accepted findings (default: yos-audit-waivers.toml if present)"
MAP_HELP = "column map for a folder or workbook of tables (default: yos-audit-map.toml beside the data)"
REDACT_HELP = ("replace case ids, ypids, staff names and record ids with stable pseudonyms in the output "
               "(team names, codes and dates stay); set YOS_AUDIT_REDACT_KEY to a secret of your own")
OUTPUT_HELP = "write there instead of standard output"
EXIT_CODES = """exit codes:
  0  no finding at or above --fail-on (waived findings never count)
  1  at least one such finding
  2  usage, config or input error (a file unreadable, a case rejected); the
     findings for the cases that loaded are still printed"""
#: the UI's, once it is closed: findings never decide it
UI_EXIT_CODES = """exit codes, once the UI is closed (findings never decide them):
  0  every input was read without error
  2  usage, config or input error (a file unreadable, a case rejected), as
     for check"""


def _add_audit_options(p: argparse.ArgumentParser, formats: Sequence[str], fail_on: bool = True) -> None:
    """The options every auditing command takes; ``fail_on``: whether findings decide its exit code
    (review's exit code is its ratings', ``--fail-below``)."""
    p.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    p.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help=AS_OF_HELP)
    p.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    p.add_argument("--select", type=comma_list, action="extend", metavar="CODES", help="rule codes, prefixes or ALL (comma list)")
    p.add_argument("--ignore", type=comma_list, action="extend", metavar="CODES", help="rule codes or prefixes to leave out")
    p.add_argument("--case-manager", action="append", metavar="NAME", help="audit only this case manager's cases")
    p.add_argument("--team", action="append", metavar="NAME", help="audit only this team's cases")
    p.add_argument("--format", choices=formats, default="text", help="output format (default: text)")
    p.add_argument("-o", "--output", metavar="FILE", help=OUTPUT_HELP)
    if fail_on:
        p.add_argument("--fail-on", choices=("error", "warning", "never"), default=None,
                       help="exit 1 at or above this level (default: error)")
    p.add_argument("--waivers", metavar="FILE", help=WAIVERS_HELP)
    p.add_argument("--map", metavar="FILE", help=MAP_HELP)
    p.add_argument("--redact", action="store_true", help=REDACT_HELP)


def build_parser() -> argparse.ArgumentParser:
    from rules.report import FORMATS

    parser = _Parser(
        prog="yos-audit", description="Audit youth justice case files against inspection standards.",
        epilog=f"{ui_help()}\n\n{EXIT_CODES}", formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"yos-audit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help: str) -> argparse.ArgumentParser:  # every command's --help ends with the exit codes
        return sub.add_parser(name, help=help, description=help[:1].upper() + help[1:] + ".", epilog=EXIT_CODES,
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    check = command("check", "run the rules headless and print findings")
    _add_audit_options(check, FORMATS)
    check.add_argument("--baseline", metavar="FILE", help="also write this run's findings to FILE, as a baseline")
    check.add_argument("--since-baseline", metavar="FILE",
                       help="report only findings not in this baseline; only they decide the exit code")

    from rules.report import SCORE_FORMATS

    score = command("score", "inspection-style scores per criterion and headline, with improvement bands")
    _add_audit_options(score, SCORE_FORMATS)
    score.add_argument("--by", choices=("team", "case-manager"), help="scores side by side for each team or case manager")
    score.add_argument("--sample", type=int, metavar="N",
                       help="score a random sample of N cases, in proportion by --strata (default: legal outcome, kept for "
                            "existing scripts; review --sample draws by court or out-of-court work and team)")
    score.add_argument("--seed", type=int, default=0, metavar="S", help="the same seed draws the same sample (default: 0)")
    score.add_argument("--strata", choices=("legal-outcome", "group", "court-team"), default="legal-outcome",
                       help="sample strata: legal outcome (default), outcome group, or court or out-of-court work and team "
                            "(court-team: review's default)")
    from rules import cli_review

    cli_review.add_framework_option(score)
    cli_review.add_frameworks_command(sub)
    cli_review.add_review_command(sub, _add_audit_options)

    rules = command("rules", "list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    explain = command("explain", "the full text of a rule")
    explain.add_argument("code", metavar="CODE", help="a rule's code (ROH003) or name (rmp-required)")

    validate = command("validate", "load only, and report input problems")
    validate.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    validate.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    validate.add_argument("--map", metavar="FILE", help=MAP_HELP)

    init = command("init", "write a commented default config file")
    init.add_argument("-o", "--output", default=None, metavar="FILE",
                      help="where to write (default: yos-audit.toml, or yos-audit-map.toml for --map)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.add_argument("--map", nargs="?", const="yos-audit-map.toml", metavar="FILE|TABLES",
                      help="write a starting column map for tables instead (to yos-audit-map.toml, or the .toml FILE "
                           "named); given a folder of CSV files or a workbook, a map drafted from what it holds")

    convert = command("convert", "write a folder or workbook of tables (or any export) as the JSON export")
    convert.add_argument("paths", nargs="+", metavar="PATH", help=PATHS_HELP)
    convert.add_argument("--map", metavar="FILE", help=MAP_HELP)
    convert.add_argument("-o", "--output", metavar="FILE", help=OUTPUT_HELP)

    demo = command("demo", "write a reproducible synthetic caseload")
    demo.add_argument("--cases", type=int, default=60, metavar="N", help="how many cases (default: 60)")
    demo.add_argument("--seed", type=int, default=0, metavar="S", help="the same seed writes the same caseload (default: 0)")
    demo.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help="the date the caseload is seen on (default: 2026-11-20)")
    demo.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write (required)")
    demo.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


# -- the run: rules.pipeline, from the options -----------------------------------------------------


# -- commands -----------------------------------------------------------------------------------


def cmd_check(args) -> int:
    from attrs import evolve

    from rules import baseline, pipeline
    from rules.report import output

    config = pipeline.configure(args.config, args.select, args.ignore, warn)
    request = request_of(args)
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
    if args.baseline and args.output and args.output != "-" and Path(args.baseline).resolve() == Path(args.output).resolve():
        raise UsageError(f"--baseline and -o name the same file ({args.output}): the report would overwrite the baseline")
    from rules.report import OUTCOME_FORMATS

    run = pipeline.run(evolve(request, outcomes=args.format in OUTCOME_FORMATS), config, warn)
    # every finding: --since-baseline leaves some out below
    whole = pipeline.check_report(run.load, run.audit, run.waived, run.as_of)
    # redacted, the findings stay in their order: the i-th of one report is the i-th of the other
    report = pipeline.redact(whole, config, warn) if args.redact else whole
    if args.baseline:  # the whole current state, redacted as the report is (see rules.baseline)
        text = baseline.dumps(report.findings, run.audit.as_of, redacted=check)
        # (it may update the baseline it was compared with, so that one is not protected here)
        waivers = pipeline.waivers_path(request.waivers, config)
        write_output(text, args.baseline, run_inputs(run.load, config, waivers))
    if known is not None:  # compared as it was written: in pseudonyms, or in the real ids
        hidden = baseline.in_baseline((report if known.redacted else whole).findings, known)
        findings = tuple(f for i, f in enumerate(report.findings) if i not in hidden)
        report = evolve(report, findings=findings, baselined=len(hidden))
    write_output(output(report, args.format), args.output, run.protected)
    if args.format != "text" or (args.output and args.output != "-"):
        # the output carries them too, but a person at the terminal must see them
        print_problems(report.problems, errors_only=True)
    if run.early is not None:  # whatever the format and wherever it went: the report must not read as clean
        print(f"yos-audit: {run.early}", file=sys.stderr)
    if not run.load.ok:
        return Exit.ERROR
    return Exit.FINDINGS if pipeline.fails(report.findings, args.fail_on or config.fail_on) else Exit.OK


def cmd_score(args) -> int:
    from attrs import evolve

    from rules import pipeline
    from rules.report import output_scores
    from rules.scoring import score, scoring_settings

    if args.sample is not None and args.sample < 1:
        raise UsageError(f"--sample must be 1 or more, not {args.sample}")
    config = pipeline.configure(args.config, args.select, args.ignore, warn)
    settings = scoring_settings(config.scoring, f"{config.source}: " if config.source else "")
    from rules.cli_review import indicated_view, score_frameworks

    criteria_fw, questions_fw = score_frameworks(args.framework)
    run = pipeline.run(request_of(args), config, warn)
    scores = score(run.audit, settings, by=args.by, sample=run.sample, rejected=run.load.rejected, framework=criteria_fw)
    indicated = indicated_view(questions_fw, config, run.audit, run.waived.findings)
    scores = evolve(scores, as_of_source=run.as_of.source, as_of_reason=run.as_of.reason,
                    service=run.load.caseload.service.name or None, indicated=indicated)
    problems = run.load.problems
    if args.redact:  # the same pseudonyms as check --redact; problems name cases too
        from rules.redact import resolve_key
        from rules.report import CheckReport
        from rules.report.score_redact import redact_scores

        cases = {c.case_id: c for c in run.load.caseload.cases}
        problems = pipeline.redact(CheckReport(run.audit.as_of, (), problems, cases=cases), config, warn).problems
        scores = redact_scores(scores, cases, resolve_key(config.redact_key)[0])
    write_output(output_scores(scores, args.format), args.output, run.protected)
    print_problems(problems)  # the scores stay clean for scripts; input problems go to standard error
    if not run.load.ok:
        return Exit.ERROR
    return Exit.FINDINGS if pipeline.fails(run.waived.findings, args.fail_on or config.fail_on) else Exit.OK


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
    from rules.catalogue import all_rules, did_you_mean
    from rules.explain import explain

    rules = all_rules()
    wanted = args.code.strip()
    rule = rules.get(wanted.upper()) or next((r for r in rules.values() if r.name == wanted.lower()), None)
    if rule is None:
        raise UsageError(f"no rule {args.code!r}{did_you_mean(wanted)} (`yos-audit rules` lists them)")
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

    if args.map:
        from rules.load.tables import CSV_SUFFIXES, WORKBOOK_SUFFIXES

        given, suffix = Path(args.map), Path(args.map).suffix.lower()
        if given.is_dir() or suffix in (*WORKBOOK_SUFFIXES, ".xls", *CSV_SUFFIXES):
            return draft_map_file(args)
        folder = args.map.endswith(tuple(filter(None, (os.sep, os.altsep))))
        if folder or suffix != ".toml":  # a folder mistyped, or a file that is no map: no starting map under its name
            what = ("not a folder or workbook of tables" if given.exists()
                    else "no such folder" if folder or not suffix else "no such folder or workbook")
            raise UsageError(f"{args.map}: {what} (init --map FOLDER drafts a map from the tables of a folder or "
                             "workbook; init --map FILE.toml writes a starting map)")
    output = args.output or args.map or "yos-audit.toml"
    target = Path(output)
    if target.exists() and not args.force:
        raise UsageError(f"{output} exists already (use --force to overwrite it)")
    write_file(target, map_template() if args.map else default_config_toml())
    print(f"wrote {output}", file=sys.stderr)
    return Exit.OK


def draft_map_file(args) -> int:
    """``init --map FOLDER-OR-WORKBOOK``: a column map drafted from the tables (:mod:`rules.load.draft`)."""
    from rules.load.draft import draft_map
    from rules.load.tables import TableError
    from rules.output import write_file

    output = args.output or "yos-audit-map.toml"
    warnings: list[str] = []
    try:  # the tables first: what is wrong with them is said before what is wrong with the output
        text, files = draft_map(Path(args.map), warnings.append)
    except TableError as exc:
        raise UsageError(f"{args.map}: {exc}") from None
    if Path(output).exists() and not args.force:
        raise UsageError(f"{output} exists already (use --force to overwrite it)")
    write_file(output, text, [args.map, *files])  # never over the tables read
    print(f"wrote {output}: a draft from {args.map}; check it, then: yos-audit validate {args.map} --map {output}",
          file=sys.stderr)
    for message in warnings:
        warn(message)
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


def _review_handler(name: str):
    def handler(args) -> int:
        from rules import cli_review

        return getattr(cli_review, name)(args)

    return handler


HANDLERS = {
    "check": cmd_check,
    "frameworks": _review_handler("cmd_frameworks"),
    "review": _review_handler("cmd_review"),
    "score": cmd_score,
    "rules": cmd_rules,
    "explain": cmd_explain,
    "validate": cmd_validate,
    "init": cmd_init,
    "convert": cmd_convert,
    "demo": cmd_demo,
}


def ui_parser() -> argparse.ArgumentParser:
    """``yos-audit [PATH ...]``: the terminal UI's arguments (its help is part of ``yos-audit --help``)."""
    parser = _Parser(prog="yos-audit", description="Open the terminal UI on case exports (the bundled example with no path).",
                     epilog=UI_EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", metavar="PATH", help=PATHS_HELP + " (default: the bundled example caseload)")
    parser.add_argument("--as-of", type=parse_date, default=None, metavar="DATE", help=AS_OF_HELP)
    parser.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    parser.add_argument("--waivers", metavar="FILE", help=WAIVERS_HELP + "; the UI's waivers are added to it")
    return parser


def ui_help() -> str:
    """The UI's usage and options, for the epilog of ``yos-audit --help``."""
    lines = ["with no command: the terminal UI",
             "  yos-audit [PATH ...] [--as-of DATE] [--config FILE] [--waivers FILE]"]
    for action in ui_parser()._actions:
        if action.help is argparse.SUPPRESS or not action.help or "-h" in action.option_strings:
            continue
        name = ", ".join(action.option_strings) or action.metavar
        if action.option_strings and action.metavar:
            name += f" {action.metavar}"
        lines.append(textwrap.fill(action.help, 78, initial_indent=f"  {name:<16} ", subsequent_indent=" " * 19))
    lines.append(textwrap.fill("once the UI is closed: exit 2 if an input had an error (a file unreadable, a case "
                               "rejected), as for check, else 0; findings never decide it", 78,
                               initial_indent="  ", subsequent_indent="  "))
    return "\n".join(lines)


def _option_before_command(argv: Sequence[str]) -> str | None:
    """'yos-audit --as-of 2026-11-20 check x.json': the command after an option, if any."""
    for i, arg in enumerate(argv):
        if arg in COMMANDS and i > 0 and any(a.startswith("-") for a in argv[:i]) and not Path(arg).exists():
            return arg
    return None


def run_ui(argv: Sequence[str]) -> int:
    command = _option_before_command(argv)
    if command is not None:
        at = list(argv).index(command)
        before, after = " ".join(argv[:at]), " ".join(argv[at + 1:])
        raise UsageError(f"{before!r} comes before the command {command!r}: options go after it "
                         f"(yos-audit {command} {after} {before})".replace("  ", " "))
    args = ui_parser().parse_args(argv)
    for path in args.paths:  # 'yos-audit chek x.json' is a typo, not an export called chek
        if not Path(path).exists():
            close = difflib.get_close_matches(path, COMMANDS, n=1)
            if close:
                raise UsageError(f"unknown command {path!r}; did you mean {close[0]!r}? (`yos-audit --help` lists them)")
    from tui.app import run  # the UI, and textual, only when asked for

    return run(args.paths, as_of=args.as_of, config=args.config, waivers=args.waivers)


def console() -> NoReturn:
    """The ``yos-audit`` command."""
    sys.exit(main())


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = bool(os.environ.get("YOS_AUDIT_DEBUG"))
    from rules.config import ConfigError
    from rules.frameworks import FrameworkError
    from rules.output import closed_streams
    from rules.waivers import WaiverError
    from rules.words import visible

    closed_streams()
    try:
        if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
            return run_ui(argv)
        args = build_parser().parse_args(argv)
        from rules.perf import gc_paused

        with gc_paused():  # a command is bulk work, its report included: the collector resumes after it
            return int(HANDLERS[args.command](args))
    except (UsageError, OutputError, ConfigError, WaiverError) as exc:
        print(f"yos-audit: error: {visible(str(exc))}", file=sys.stderr)  # it may quote the data
        for line in getattr(exc, "lines", ()):
            print(f"  {visible(line)}", file=sys.stderr)
        return Exit.ERROR
    except FrameworkError as exc:  # every mistake of the file, one a line: file, key, message
        for line in str(exc).splitlines():
            print(f"yos-audit: error: {visible(line)}", file=sys.stderr)
        return Exit.ERROR
    except KeyboardInterrupt:
        print("yos-audit: interrupted", file=sys.stderr)
        return Exit.ERROR
    except BrokenPipeError:
        return Exit.OK
    except Exception as exc:  # never a traceback with case data in it
        if debug:
            raise
        print(
            f"yos-audit: internal error ({type(exc).__name__}); nothing was written to your input files. "
            "Set YOS_AUDIT_DEBUG=1 to see the traceback.",
            file=sys.stderr,
        )
        return Exit.ERROR


if __name__ == "__main__":  # run as the module rules.cli, so that its errors are the ones its helpers raise
    from rules.cli import console as _console

    _console()
