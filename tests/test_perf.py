"""Bulk work pauses the cyclic collector and freezes what it built: nothing cyclic may be left behind,
or a long-running process (the terminal UI, a script auditing many exports) would keep it for good."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

from rules import scoring
from rules.engine import audit
from rules.load import load_paths

ROOT = Path(__file__).resolve().parent.parent


def _round() -> None:
    load_paths(sorted((ROOT / "fixtures" / "bad").iterdir()))  # every kind of input error
    load_paths([ROOT / "examples" / "tabular" / "csv"])
    result = load_paths([ROOT / "examples" / "caseload.json"])
    done = audit(result.caseload, dt.date(2026, 11, 20), workers=1)
    scoring.score(done, by="team")


def test_repeated_loads_and_audits_leave_nothing_frozen_behind():
    _round()  # first use: caches, imports and the calendar are built and kept, as they should be
    before = gc.get_freeze_count()
    for _ in range(3):
        _round()
    assert gc.get_freeze_count() == before
