"""Shared by the command-line tests: run ``yos-audit`` in process and take what it said."""

from __future__ import annotations

from rules.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    """(exit code, standard output, standard error) of ``yos-audit ARGV``; argparse's usage errors,
    which end the process, give their exit code (2)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err
