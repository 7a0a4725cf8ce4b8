"""Bulk work without the cyclic garbage collector.

The model, the outcomes and the findings are frozen, acyclic objects, freed by reference counting
alone. While millions of them are built, the cyclic collector finds nothing but scans them again and
again: at 10,000 cases it was about a third of the load and a fifth of the audit. Loading, auditing
and scoring run with it paused, and it resumes as it was.

On resuming, everything then alive is frozen (``gc.freeze``): otherwise the collector's first passes
would scan every object built during the pause (0.4 s at 10,000 cases, each phase). Frozen objects
are still freed by reference counting when dropped, which is how the model and outcomes are freed;
only cyclic garbage among them would wait, and they hold none. Garbage that was already waiting for
the collector when the pause began would be frozen with them, for good: a pause taken again and again
in a long-lived process (the terminal UI) asks for a collection first (``collect=True``).

Pauses may overlap, in threads (the terminal UI's pipeline runs in a worker thread, and a newer run
can begin before an older one has stopped): the collector resumes when the last of them ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0  # pauses under way
_resume = False  # whether the collector ran when the first of them began


@contextmanager
def gc_paused(collect: bool = False) -> Iterator[None]:
    global _paused, _resume
    if collect and gc.isenabled():  # outside the lock: a finalizer the collection runs may pause too
        gc.collect()
    with _lock:
        if _paused == 0:
            _resume = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _resume:
                gc.freeze()
                gc.enable()
