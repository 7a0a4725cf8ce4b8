"""Bulk work without the cyclic garbage collector: the one place that knows how a run is made fast.

The model, the outcomes and the findings are frozen, acyclic objects, freed by reference counting
alone. While hundreds of thousands of them are built, the cyclic collector finds nothing but scans
them again and again. A run (:mod:`rules.pipeline`) pauses it for its bulk work, and it resumes as
it was: nothing is frozen and no threshold changed, so the heap is left as the run found it.

What a pause built is, when it ends, in the collector's youngest generation, and the collections
that follow scan it again. So a command holds its pause for the whole of its bulk work, the report
written included (:mod:`rules.cli`), rather than moving the process's objects between generations
itself: that would touch a library caller's heap too.

Pauses may overlap, in threads (the terminal UI runs the pipeline in a worker thread, and a newer run
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
def gc_paused() -> Iterator[None]:
    global _paused, _resume
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
                gc.enable()
