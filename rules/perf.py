"""Bulk work without the cyclic garbage collector: the one place that knows how a run is made fast.

The model, the outcomes and the findings are frozen, acyclic objects, freed by reference counting
alone. While hundreds of thousands of them are built, the cyclic collector finds nothing but scans
them again and again. A run (:mod:`rules.pipeline`) pauses it for its bulk work, and it resumes as
it was: nothing is frozen and no threshold changed, so the heap is left as the run found it.

What a pause built is, when it ends, all in the collector's youngest generation, so the collections
that followed scanned every object of it three times over (youngest, middle, oldest), finding
nothing: work that grows with the run, for no gain. When the last pause ends, everything
tracked joins the oldest generation at once, as it would after surviving those scans
(``gc.freeze()`` then ``gc.unfreeze()``: frozen for no time, scanned by neither). A full collection
still examines it, and frees any cycle in it, when it next comes. This is skipped if anything was
frozen before (``unfreeze`` would thaw it too).

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
            if _paused == 0:
                if gc.get_freeze_count() == 0:
                    gc.freeze()  # every tracked object into the oldest generation, none of them scanned
                    gc.unfreeze()
                if _resume:
                    gc.enable()
