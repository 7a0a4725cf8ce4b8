"""The error a user can fix by calling the tool differently: one plain line, never a traceback."""


class UsageError(Exception):
    """A mistake in how the tool was called or configured: one line (the CLI's exit 2)."""
