"""The errors a user can fix: one plain line each (the CLI's exit 2), never a traceback.

They live here, apart from the modules that raise them, so that a module needs no other's
internals to raise or catch one (the config and the scoring settings raise :class:`ConfigError`).
"""

from collections.abc import Sequence
from enum import IntEnum


class Exit(IntEnum):
    """The exit codes scripts may trust (``shared/spec/cli.md``)."""

    OK = 0  # no finding at or above --fail-on
    FINDINGS = 1  # at least one such finding
    ERROR = 2  # usage, config or input error


class UsageError(Exception):
    """A mistake in how the tool was called or configured: one line (the CLI's exit 2); ``lines``
    (names to choose from) are shown below it, one a line."""

    def __init__(self, message: str, lines: Sequence[str] = ()):
        super().__init__(message)
        self.lines = tuple(lines)


class ConfigError(Exception):
    """A configuration that cannot be used; the message says where and why."""
