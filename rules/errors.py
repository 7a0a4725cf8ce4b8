"""The errors a user can fix: one plain line each (the CLI's exit 2), never a traceback.

They live here, apart from the modules that raise them, so that a module needs no other's
internals to raise or catch one (the config and the scoring settings raise :class:`ConfigError`).
"""


class UsageError(Exception):
    """A mistake in how the tool was called or configured: one line (the CLI's exit 2)."""


class ConfigError(Exception):
    """A configuration that cannot be used; the message says where and why."""
