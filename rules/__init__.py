"""yos-audit's headless core: load case exports, run the rule catalogue, score, report.

Nothing in this package imports textual: it runs on a server without a terminal.
"""

__version__ = "0.1.0"
