"""The command line of the frameworks and the case review: ``frameworks``, ``review``, and ``score``'s
``--framework``. Kept apart from :mod:`rules.cli`, which only registers them."""

from __future__ import annotations

import argparse

from rules.frameworks import CRITERIA_DEFAULT, QUESTIONS_DEFAULT, SHIPPED, Framework, load_framework, shipped


def add_frameworks_command(sub) -> None:
    p = sub.add_parser("frameworks", help="list the inspection frameworks, or show (and check) one")
    p.add_argument("framework", nargs="?", metavar="ID|FILE", help="a shipped framework's id, or a framework file to check")
    p.add_argument("--format", choices=("text", "json"), default="text")


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
    from rules.cli import UsageError

    chosen: dict[str, Framework] = {}
    for ref in refs or ():
        fw = load_framework(ref)
        if fw.kind in chosen:
            raise UsageError(f"--framework {ref}: {chosen[fw.kind].id} is already the {fw.kind} framework; name one of each kind")
        chosen[fw.kind] = fw
    return chosen.get("criteria") or shipped(CRITERIA_DEFAULT), chosen.get("questions") or shipped(QUESTIONS_DEFAULT)


def cmd_frameworks(args) -> int:
    import json

    from rules.cli import Exit
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
