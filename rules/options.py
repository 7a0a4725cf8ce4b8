"""What the command line's options ask of a run, shared by the commands of :mod:`rules.cli` and
:mod:`rules.cli_review`: the :class:`rules.pipeline.Request`, and warnings and input problems on standard error."""

from __future__ import annotations

import sys


def warn(message: str) -> None:
    """A warning on standard error; the run goes on."""
    print(f"yos-audit: warning: {message}", file=sys.stderr)


def print_problems(problems, errors_only: bool = False) -> None:
    """Input problems on standard error (the errors only, if asked), whatever the report's format."""
    for p in problems:
        if not errors_only or p.level == "error":
            print(f"yos-audit: {p}", file=sys.stderr)


def request_of(args):
    """The :class:`rules.pipeline.Request` the options ask for."""
    from rules.pipeline import Request

    return Request(
        paths=tuple(args.paths), map_path=args.map, as_of=args.as_of,
        teams=tuple(args.team or ()), case_managers=tuple(args.case_manager or ()),
        sample=getattr(args, "sample", None), seed=getattr(args, "seed", 0),
        strata=getattr(args, "strata", "legal-outcome"), waivers=args.waivers,
        since_baseline=getattr(args, "since_baseline", None), redact=args.redact,
    )
