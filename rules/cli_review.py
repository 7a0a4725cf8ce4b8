"""The command line of the frameworks and the case review: ``frameworks``, ``review``, and ``score``'s
``--framework``. Kept apart from :mod:`rules.cli`, which only registers them."""

from __future__ import annotations

import argparse

from rules.frameworks import CRITERIA_DEFAULT, QUESTIONS_DEFAULT, SHIPPED, Framework, load_framework, shipped


def add_frameworks_command(sub) -> None:
    p = sub.add_parser("frameworks", help="list the inspection frameworks, or show (and check) one")
    p.add_argument("framework", nargs="?", metavar="ID|FILE", help="a shipped framework's id, or a framework file to check")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def add_framework_option(p: argparse.ArgumentParser, review: bool = False) -> None:
    if review:
        p.add_argument("--framework", metavar="ID|FILE",
                       help=f"the key questions: a shipped framework ({', '.join(SHIPPED[1:])}) or a file (default: the "
                            f"answers file's, else {QUESTIONS_DEFAULT})")
    else:
        p.add_argument("--framework", action="append", metavar="ID|FILE",
                       help=f"a criteria framework (default {CRITERIA_DEFAULT}) and/or a framework of key questions for the "
                            f"view indicated by the records (default {QUESTIONS_DEFAULT}); a shipped id or a file")


def score_frameworks(refs: list[str] | None) -> tuple[Framework, Framework]:
    """(the criteria framework, the key questions' framework) that ``score --framework`` names: each
    replaces the default of its kind."""
    from rules.errors import UsageError

    chosen: dict[str, Framework] = {}
    for ref in refs or ():
        fw = load_framework(ref)
        if fw.kind in chosen:
            raise UsageError(f"--framework {ref}: {chosen[fw.kind].id} is already the {fw.kind} framework; name one of each kind")
        chosen[fw.kind] = fw
    return chosen.get("criteria") or shipped(CRITERIA_DEFAULT), chosen.get("questions") or shipped(QUESTIONS_DEFAULT)


def cmd_frameworks(args) -> int:
    import json

    from rules.errors import Exit
    from rules.output import write_output
    from rules.report.frameworks_list import framework_dict, render_list, render_one

    if args.framework:
        fw = load_framework(args.framework)
        text = json.dumps(framework_dict(fw, full=True), indent=2, ensure_ascii=False) + "\n" if args.format == "json" else render_one(fw)
    else:
        every = [shipped(i) for i in SHIPPED]
        defaults = {"score's criteria": CRITERIA_DEFAULT, "the review and score's indicated view": QUESTIONS_DEFAULT}
        if args.format == "json":
            text = json.dumps([framework_dict(fw) | {"provisional": fw.provisional} for fw in every], indent=2, ensure_ascii=False) + "\n"
        else:
            text = render_list(every, defaults)
    write_output(text, None)
    return Exit.OK


# -- yos-audit review -----------------------------------------------------------------------------------


EXIT_CODES = """exit codes:
  0  no --fail-below, or every standard rated at or above it
  1  a standard rated below --fail-below, or nothing rated yet (with --fail-below)
  2  usage, config or input error (a file unreadable, an answer that cannot
     be counted); the ratings of what loaded are still written"""


def add_review_command(sub, add_audit_options) -> None:
    import argparse

    from rules.report.review_common import REVIEW_FORMATS
    from rules.review import ANSWERS_NAME

    about = "the case review: answers to key questions rolled up into ratings with their ranges"
    p = sub.add_parser("review", help=about, description=about[:1].upper() + about[1:] + ".", epilog=EXIT_CODES,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_audit_options(p, REVIEW_FORMATS, fail_on=False)  # its exit code is the ratings': --fail-below
    p.add_argument("--reviews", nargs="+", metavar="FILE",
                   help=f"reviewers' answers files, merged (default: {ANSWERS_NAME} if present)")
    add_framework_option(p, review=True)
    p.add_argument("--fail-on", help=argparse.SUPPRESS)  # check's and score's: refused with a pointer
    p.add_argument("--fail-below", metavar="RATING",
                   help="exit 1 when a standard reviewed is rated below this (e.g. Good; default: never)")
    p.add_argument("--sample", type=int, metavar="N",
                   help="draw N cases to review, in proportion by --strata (default: court or out-of-court work and team; "
                        "score --sample's default is legal outcome), and keep them in the answers file ([sample]); says "
                        "what size would narrow each rating's range")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="the same seed draws the same sample (default: 0)")
    p.add_argument("--strata", choices=("court-team", "legal-outcome", "group"), default="court-team",
                   help="sample strata (default: court or out-of-court work, and team; legal-outcome: score's default)")


def _ratings_overrides(config) -> dict | None:
    table = config.scoring.get("ratings") if isinstance(config.scoring, dict) else None
    return dict(table) if table else None


def cmd_review(args) -> int:

    from attrs import evolve

    from rules import pipeline
    from rules.errors import Exit, UsageError
    from rules.indicators import indicate
    from rules.options import print_problems, request_of, warn
    from rules.output import write_output
    from rules.report.review_common import output_review
    from rules.review import ANSWERS_NAME, framework_for, organisational_of, read_answers, review

    if args.fail_on is not None:
        raise UsageError("review takes no --fail-on (findings do not decide its exit code): --fail-below RATING "
                         "exits 1 when a standard is rated below RATING")
    if args.sample is not None and args.sample < 1:
        raise UsageError(f"--sample must be 1 or more, not {args.sample}")
    config = pipeline.configure(args.config, args.select, args.ignore, warn)
    paths = args.reviews or [ANSWERS_NAME]
    # a file --sample is to create may be missing; any other named file must be there
    files = [read_answers(p, missing_ok=not args.reviews or (i == 0 and args.sample is not None)) for i, p in enumerate(paths)]
    if not args.reviews and not files[0].exists and args.sample is None:
        warn(f"no answers file {ANSWERS_NAME} here (and no --reviews): nothing is reviewed yet; the indications are shown")
    framework, framework_problems = framework_for(args.framework, files)
    if framework.kind != "questions":
        raise UsageError(f"{framework.id} has no key questions to review: name one that has (hmip-2018, hmip-2025)")
    where = f"{config.source}: " if config.source else ""
    ratings = framework.ratings(_ratings_overrides(config), where)
    organisational, entered_in = organisational_of(config, framework)  # the service's own: never judged here
    fail_below = None
    if args.fail_below:
        fail_below = next((label for label in ratings.labels if label.casefold() == args.fail_below.strip().casefold()), None)
        if fail_below is None:
            raise UsageError(f"--fail-below {args.fail_below!r}: a rating of {framework.id} ({', '.join(ratings.labels)})")
    bad_files = {p.file for p in framework_problems if p.field == "framework"}
    # the whole caseload in scope is audited: --sample draws the cases to review, kept in the answers file
    run = pipeline.run(evolve(request_of(args), sample=None), config, warn)
    known = {c.case_id: c for c in run.loaded}
    indications = indicate(framework, run.audit.cases, run.audit.outcomes, run.waived.findings,
                           (r.code for r in run.audit.rules))
    samples = [f.sample for f in files if f.sample is not None]
    if args.sample is not None:
        samples = [_draw(args, files[0], framework, run.audit, run.protected)]
    done = review(framework, ratings, run.audit.as_of, run.audit.cases, known, files, indications,
                  skip_files=bad_files, extra_problems=(*run.load.problems, *framework_problems),
                  sample=samples[0] if samples else None, organisational=organisational, entered_in=entered_in)
    done = evolve(done, as_of_source=run.as_of.source, as_of_reason=run.as_of.reason, rejected=run.load.rejected,
                  service=run.load.caseload.service.name or None)
    done = evolve(done, sizing=_sizing(done))
    problems = done.problems
    if args.redact:
        from rules.redact import resolve_key
        from rules.report import CheckReport
        from rules.report.review_redact import redact_review

        problems = pipeline.redact(CheckReport(run.audit.as_of, (), problems, cases=known), config, warn).problems
        done = redact_review(done, resolve_key(config.redact_key)[0], problems)
    protected = run.protected
    for f in files:
        protected.add(f.path)
    write_output(output_review(done, args.format), args.output, protected)
    print_problems(problems)  # the report stays clean for scripts; input problems go to standard error too
    if not done.ok or not run.load.ok:
        return Exit.ERROR
    if fail_below is not None:
        floor = ratings.rank(fail_below)
        rated = [s for s in done.rollup.standards if s.rating is not None]
        if not rated or any(ratings.rank(s.rating) > floor for s in rated):  # nothing rated is no pass
            return Exit.FINDINGS
    return Exit.OK


def _draw(args, answers, framework, result_audit, protected):
    """Draw the sample ``--sample`` asks for and keep it in the answers file; the same sample again is
    fine, another one is refused (its reviews would be of other cases)."""
    import datetime as dt
    import sys

    from rules.errors import UsageError
    from rules.review import ReviewWriteError, SampleSpec, write_sample
    from rules.sampling import draw_sample

    _, drawn = draw_sample(result_audit.cases, args.sample, args.seed, args.strata, result_audit.as_of)
    spec = SampleSpec(drawn.size, drawn.seed, drawn.strata_by, drawn.case_ids, drawn.population, dt.date.today())
    if answers.sample is not None:
        if set(answers.sample.cases) != set(spec.cases):
            raise UsageError(
                f"{answers.path} already holds a sample of {len(answers.sample.cases)} cases (seed {answers.sample.seed}): "
                "review that one, or name another answers file with --reviews"
            )
        return answers.sample
    try:
        write_sample(answers.path, spec, None if answers.framework else framework.id, protected=protected)
    except ReviewWriteError as exc:
        raise UsageError(str(exc)) from None
    strata = ", ".join(f"{s.key} {s.sampled} of {s.population}" for s in drawn.strata)
    print(f"yos-audit: drew {spec.size} of {drawn.population} cases (seed {spec.seed}; {strata}) into {answers.path}",
          file=sys.stderr)
    return spec


def _sizing(done) -> tuple:
    """What sample size would narrow each standard's rating range (:mod:`rules.sampling`)."""
    from rules.sampling import sizing_advice

    return tuple(sizing_advice(done))


def indicated_view(framework: Framework, config, result_audit, findings):
    """``score``'s view of the key questions indicated by the records over the whole caseload (a
    :class:`rules.scoring.Rollup` without answers)."""
    from rules.indicators import indicate
    from rules.scoring import roll_up

    where = f"{config.source}: " if config.source else ""
    ratings = framework.ratings(_ratings_overrides(config), where)
    ind = indicate(framework, result_audit.cases, result_audit.outcomes, findings, (r.code for r in result_audit.rules))
    return roll_up(framework, ratings, indicated={q.id: ind.counts(q.id) for q in framework.questions})
