"""Bulk work pauses the cyclic collector and leaves the heap as it found it: nothing cyclic may be left behind,
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
    done = audit(result.caseload, dt.date(2026, 11, 20))
    scoring.score(done, by="team")


def test_repeated_loads_and_audits_leave_nothing_frozen_behind():
    _round()  # first use: caches, imports and the calendar are built and kept, as they should be
    before = gc.get_freeze_count()
    for _ in range(3):
        _round()
    assert gc.get_freeze_count() == before


def _overlapping(order: str) -> bool:
    """Two threads' pauses overlapping, begun A then B and ended in ``order`` ("AB": A first): is the
    collector running again once both have ended?"""
    import threading

    from rules.perf import gc_paused

    enter = {k: threading.Event() for k in "AB"}
    leave = {k: threading.Event() for k in "AB"}
    left = {k: threading.Event() for k in "AB"}

    def pause(k: str) -> None:
        with gc_paused():
            enter[k].set()
            leave[k].wait(5)
        left[k].set()

    threads = {k: threading.Thread(target=pause, args=(k,)) for k in "AB"}
    threads["A"].start()
    enter["A"].wait(5)
    threads["B"].start()
    enter["B"].wait(5)
    during = gc.isenabled()
    first, second = order
    leave[first].set()
    left[first].wait(5)
    between = gc.isenabled()
    leave[second].set()
    for t in threads.values():
        t.join(5)
    assert not during and not between  # paused while either pause lasts
    return gc.isenabled()


def test_overlapping_pauses_in_threads_leave_the_collector_running_whichever_ends_first():
    assert gc.isenabled()
    assert _overlapping("AB")
    assert _overlapping("BA")


def test_a_pause_leaves_cycles_to_the_collector_whether_made_before_or_during_it():
    """Nothing is frozen for good: a cycle that became garbage before a pause, and one made during
    it, are both freed by the next collection."""
    import weakref

    from rules.perf import gc_paused

    class Node:
        pass

    def cycle() -> weakref.ref:
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle: only the collector frees it
        return weakref.ref(a)

    before = cycle()
    with gc_paused():
        during = cycle()
        gc.collect()  # an explicit collection still runs while paused; what it frees is freed
        later = cycle()
    gc.collect()
    assert before() is None and during() is None and later() is None


def test_a_pause_leaves_the_callers_heap_in_the_generations_it_found(monkeypatch):
    """A pause moves nothing between the collector's generations (no freeze, no collection forced):
    a library caller's heap is left as it was, and nothing is frozen."""
    from rules.perf import gc_paused

    def forbidden(*_args):
        raise AssertionError("a pause must not move the process's objects between generations")

    for name in ("freeze", "unfreeze", "collect"):
        monkeypatch.setattr(gc, name, forbidden)
    with gc_paused():
        built = [[i] for i in range(1000)]
    assert built and gc.get_freeze_count() == 0 and gc.isenabled()
