"""Auditing a large caseload on two cores.

The audit judges each case on its own, so the two halves of a caseload can be audited at once. A forked
child audits the second half while this process audits the first. The child already holds the loaded
caseload (the fork shares it, copy on write): nothing is sent to it. It sends back only its outcomes
and the marks of the findings they give, as columns of plain strings, whole numbers and tuples in
:mod:`marshal` form through a pipe, which this process turns back into outcomes at C speed. This
process then builds every finding, so the result is exactly the one-process result.

Only where it pays and is safe:

- a POSIX system that can fork (not Windows; not macOS, where a fork without exec is unsafe);
- at least two CPUs for this process, and a caseload of at least :data:`MIN_CASES` cases;
- this process running one thread: a fork of a threaded process can deadlock in the child, so the
  terminal UI, which audits in a worker thread, audits in one process.

``YOS_AUDIT_WORKERS=1`` in the environment turns it off. If the child fails in any way (it dies, is
killed, raises, sends something short), this process audits the second half itself.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from functools import partial
from itertools import islice
from operator import attrgetter
from typing import Any

#: below this many cases one process is as fast (the fork and the transfer cost about what they save)
MIN_CASES = 3000
ENV = "YOS_AUDIT_WORKERS"
#: the child's share of the cases: a little under half, since it also packs its results (and the
#: parent's unpacking is the cheaper side), measured at 100,000 cases
CHILD_SHARE = 0.47


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def worth_it(cases: int, workers: int | None) -> bool:
    """Whether to audit ``cases`` cases in two processes (``workers``: as :func:`rules.engine.audit`)."""
    if workers is None:
        setting = os.environ.get(ENV, "").strip()
        if setting.isdigit():
            workers = int(setting)
        elif cases < MIN_CASES:
            return False
        else:
            workers = cpus()
    return workers >= 2 and cases >= 2 and can_fork()


Run = Callable[[Sequence[Any], Callable[[int, int], None] | None], tuple[list, list]]


def audit_in_two(cases: Sequence[Any], run: Run, plan: Sequence[tuple], progress: Callable[[int, int], None] | None) -> tuple[list, list]:
    """``run`` over ``cases`` (its outcomes and marks), the second part in a forked child."""
    total = len(cases)
    k = max(1, min(total - 1, round(total * (1 - CHILD_SHARE))))
    mine, theirs = cases[:k], cases[k:]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: audit, send, and leave without running any of the parent's exit code
        code = 1
        try:
            os.close(r)
            _send(w, _pack(*run(theirs, None)))
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    received: list[bytes] = []
    reader = threading.Thread(target=_receive, args=(r, received), name="yos-audit-receive", daemon=True)
    reader.start()
    try:
        report = None if progress is None else (lambda n, _k: progress(min(total - 1, n * total // k), total))
        outcomes, marks = run(mine, report)
        reader.join()
        _, status = os.waitpid(pid, 0)
        pid = 0
        more = None
        if os.waitstatus_to_exitcode(status) == 0 and received:
            try:
                more = _unpack(received[0], theirs, plan)
            except Exception:  # noqa: BLE001 - anything short or odd: audit the second half here
                more = None
        if more is None:
            more = run(theirs, None)
    finally:
        if pid:  # interrupted while the child runs: stop it, and leave no zombie
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        reader.join()
        os.close(r)
    base_o, base_c = len(outcomes), len(mine)
    outcomes.extend(more[0])
    marks.extend((i + base_o, ci + base_c, j, due, info) for i, ci, j, due, info in more[1])
    if progress is not None:
        progress(total, total)
    return outcomes, marks


# -- the transfer -----------------------------------------------------------------------------------


def _send(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.close(fd)


def _receive(fd: int, into: list[bytes]) -> None:
    chunks = []
    try:
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    except OSError:  # closed under us after an interruption
        return
    into.append(b"".join(chunks))


def _ordinals(column: Sequence[dt.date | None]) -> list[int]:
    days = {d: (0 if d is None else d.toordinal()) for d in set(column)}
    return list(map(days.__getitem__, column))


def _days(column: Sequence[int]) -> list[dt.date | None]:
    days = {n: (None if n == 0 else dt.date.fromordinal(n)) for n in set(column)}
    return list(map(days.__getitem__, column))


# Outcome fields: rule, case_id, status, message, evidence, due_on, done_on, record, next_due
_DATE_COLUMNS = (5, 6, 8)
_SEP = "\x00"


def _joined(strings: list[str]) -> str | list[str]:
    """One string for marshal to write at once, when no string holds the separator; else the list."""
    text = _SEP.join(strings)
    return text if text.count(_SEP) == max(0, len(strings) - 1) else strings


def _split(packed: str | list[str], n: int) -> list[str]:
    if isinstance(packed, list):
        return packed
    return packed.split(_SEP) if n else []


def _pack(outcomes: list, marks: list) -> bytes:
    columns = [list(c) for c in zip(*outcomes)] if outcomes else [[] for _ in range(9)]
    columns[2] = list(map(attrgetter("_value_"), columns[2]))
    columns[3] = _joined(columns[3])
    evidence = columns[4]
    columns[4] = (list(map(len, evidence)), _joined([x for ev in evidence for x in ev]))
    for c in _DATE_COLUMNS:
        columns[c] = _ordinals(columns[c])
    mark_columns = [list(c) for c in zip(*marks)] if marks else [[] for _ in range(5)]
    mark_columns[3] = _ordinals(mark_columns[3])
    return marshal.dumps((len(outcomes), columns, len(marks), mark_columns))


def _unpack(data: bytes, cases: Sequence[Any], plan: Sequence[tuple]) -> tuple[list, list]:
    from rules.engine import Outcome, Status

    n, columns, n_marks, mark_columns = marshal.loads(data)
    columns[3] = _split(columns[3], n)
    sizes, flat = columns[4]
    flat = iter(_split(flat, sum(sizes)))
    columns[4] = [tuple(islice(flat, k)) if k else () for k in sizes]
    if len(columns) != 9 or any(len(c) != n for c in columns) or len(mark_columns) != 5 or any(len(c) != n_marks for c in mark_columns):
        raise ValueError("short or malformed results from the second process")
    if n_marks and (max(mark_columns[0]) >= n or max(mark_columns[1]) >= len(cases) or max(mark_columns[2]) >= len(plan)):
        raise ValueError("results from the second process point past its outcomes")
    # the parent's own strings for rule codes and case ids (one object each, not one per outcome)
    codes = {r.code: r.code for r, _, _ in plan}
    ids = {c.case_id: c.case_id for c in cases}
    statuses = {s.value: s for s in Status}
    columns[0] = map(codes.__getitem__, columns[0])
    columns[1] = map(ids.__getitem__, columns[1])
    columns[2] = map(statuses.__getitem__, columns[2])
    for c in _DATE_COLUMNS:
        columns[c] = _days(columns[c])
    outcomes = list(map(partial(tuple.__new__, Outcome), zip(*columns)))
    mark_columns[3] = _days(mark_columns[3])
    return outcomes, list(zip(*mark_columns))
