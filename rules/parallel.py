"""Auditing a large caseload on two cores.

The audit judges each case on its own, so two parts of a caseload can be audited at once. A forked
child audits the second part while this process audits the first. The child already holds the loaded
caseload (the fork shares it, copy on write): nothing is sent to it. It sends back only its outcomes
and the marks of the findings they give, block by block through a pipe, as columns of plain strings,
whole numbers and tuples in :mod:`marshal` form (each column as its distinct values and an index,
since an audit repeats most of its values), which this process turns back into outcomes at C speed.
This process builds every finding, so the result is exactly the one-process result.

Only where it pays and is safe:

- a POSIX system that can fork (not Windows; not macOS, where a fork without exec is unsafe);
- at least two CPUs for this process, and a caseload of :data:`MIN_CASES` to :data:`MAX_CASES` cases
  (above that the second process's memory costs more than its time saves);
- this process running one thread: a fork of a threaded process can deadlock in the child, so the
  terminal UI, which audits in a worker thread, audits in one process.

``YOS_AUDIT_WORKERS=1`` in the environment turns it off, ``YOS_AUDIT_WORKERS=2`` on at any size. If
the child fails in any way (it dies, is killed, raises, sends something short), or no pipe, process or
thread is to be had, this process audits the second part itself.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import signal
import struct
import sys
import threading
from array import array
from collections.abc import Callable, Sequence
from functools import partial
from operator import attrgetter, itemgetter
from typing import Any

from rules.engine import Outcome, Status

#: below this many cases one process is as fast (the fork and the transfer cost about what they save)
MIN_CASES = 3000
#: above this many, one process: the child's copy (copy on write) of its half of the caseload adds about
#: a quarter to the memory, 2.2 GiB in all at 100,000 cases against 1.7 GiB in one process
MAX_CASES = 50_000
ENV = "YOS_AUDIT_WORKERS"
#: the child's share of the cases: a little under half, since it also packs its results (and the
#: parent's unpacking is the cheaper side), measured at 100,000 cases
CHILD_SHARE = 0.47
#: cases a block the child sends at a time
BLOCK = 2000


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
        elif not MIN_CASES <= cases <= MAX_CASES:
            return False
        else:
            workers = cpus()
    return workers >= 2 and cases >= 2 and can_fork()


#: (cases, progress) -> (outcomes, marks): the audit of a block of cases
Run = Callable[[Sequence[Any], Callable[[int, int], None] | None], tuple[list, list]]
#: (cases, outcomes, marks) -> findings: the findings a block's marks point to
Finish = Callable[[Sequence[Any], Sequence[Any], Sequence[tuple]], list]


def audit(
    cases: Sequence[Any], run: Run, finish: Finish, plan: Sequence[tuple], progress: Callable[[int, int], None] | None,
    workers: int | None,
) -> tuple[list, list]:
    """The outcomes and findings of ``run`` and ``finish`` over ``cases``: in two processes where
    :func:`worth_it` says so, else in this one."""
    if worth_it(len(cases), workers):
        return audit_in_two(cases, run, finish, plan, progress)
    return _alone(cases, run, finish, progress)


def audit_in_two(
    cases: Sequence[Any], run: Run, finish: Finish, plan: Sequence[tuple], progress: Callable[[int, int], None] | None
) -> tuple[list, list]:
    """The outcomes and findings of ``run`` and ``finish`` over ``cases``, the second part run in a
    forked child. This process builds its own part's findings while the child is still at work.

    The child sends its part in blocks of :data:`BLOCK` cases, each as soon as it is done: a block's
    tables are small, the sending overlaps the auditing, and the child reuses one block's memory for
    the next instead of holding its whole part.
    """
    total = len(cases)
    k = max(1, min(total - 1, round(total * (1 - CHILD_SHARE))))
    mine, theirs = cases[:k], cases[k:]
    blocks = [theirs[i : i + BLOCK] for i in range(0, len(theirs), BLOCK)]
    try:
        r, w = os.pipe()
    except OSError:  # out of file descriptors: one process it is
        return _alone(cases, run, finish, progress)
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory for one: one process it is
        os.close(r)
        os.close(w)
        return _alone(cases, run, finish, progress)
    if pid == 0:  # the child: audit, send, and leave without running any of the parent's exit code
        code = 1
        try:
            os.close(r)
            for block in blocks:
                _send(w, _pack(*run(block, None)))
            os.close(w)
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    received = bytearray()
    reader = threading.Thread(target=_receive, args=(r, received), name="yos-audit-receive", daemon=True)
    try:
        reader.start()
    except RuntimeError:  # no thread to be had: stop the child, one process it is
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(r)
        return _alone(cases, run, finish, progress)
    try:
        report = None if progress is None else (lambda n, _k: progress(min(total - 1, n * total // k), total))
        outcomes, marks = run(mine, report)
        findings = finish(mine, outcomes, marks)
        reader.join()
        _, status = os.waitpid(pid, 0)
        pid = 0
        done = None
        if os.waitstatus_to_exitcode(status) == 0:
            try:
                done = [_unpack(frame, block, plan) for frame, block in zip(_frames(received, len(blocks)), blocks)]
            except Exception:  # noqa: BLE001 - anything short or odd: audit the second part here
                done = None
        if done is None:
            done = [run(block, None) for block in blocks]
    finally:
        if pid:  # interrupted while the child runs: stop it, and leave no zombie
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        reader.join()
        os.close(r)
    for block, (block_outcomes, block_marks) in zip(blocks, done):
        outcomes.extend(block_outcomes)
        findings.extend(finish(block, block_outcomes, block_marks))
    if progress is not None:
        progress(total, total)
    return outcomes, findings


def _alone(cases: Sequence[Any], run: Run, finish: Finish, progress: Callable[[int, int], None] | None) -> tuple[list, list]:
    outcomes, marks = run(cases, progress)
    return outcomes, finish(cases, outcomes, marks)


# -- the transfer: length-prefixed frames of marshal data ---------------------------------------------

_LENGTH = struct.Struct("<Q")
# Outcome fields: rule, case_id, status, message, evidence, due_on, done_on, record, next_due
_DATE_COLUMNS = (5, 6, 8)


def _send(fd: int, data: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int, into: bytearray) -> None:
    try:
        while chunk := os.read(fd, 1 << 20):
            into += chunk
    except OSError:  # closed under us after an interruption
        return


def _frames(data: bytearray, count: int) -> list[memoryview]:
    """``count`` frames of ``data``, exactly: anything short or left over raises ValueError."""
    view, frames, at = memoryview(data), [], 0
    for _ in range(count):
        if at + _LENGTH.size > len(view):
            raise ValueError("a frame's length cut short")
        (size,) = _LENGTH.unpack_from(view, at)
        at += _LENGTH.size
        if at + size > len(view):
            raise ValueError("a frame cut short")
        frames.append(view[at : at + size])
        at += size
    if at != len(view):
        raise ValueError("more than was expected")
    return frames


def _table(column: Sequence[Any]) -> tuple[list[Any], bytes]:
    """A column as (its distinct values, the index of each value among them as 32-bit numbers): an
    audit repeats most of its values (half its messages, nearly all its evidence), and marshal then
    writes each once, and the indexes as one block of bytes."""
    distinct = list(dict.fromkeys(column))
    index = array("I", map(dict(zip(distinct, range(len(distinct)))).__getitem__, column))
    return distinct, index.tobytes()


def _untable(packed: tuple[list[Any], bytes], convert: Callable[[Any], Any] | None = None) -> list[Any]:
    distinct, data = packed
    index = array("I")
    index.frombytes(data)
    if convert is not None:
        distinct = list(map(convert, distinct))
    return list(map(distinct.__getitem__, index))


def _ordinal(day: dt.date | None) -> int:
    return 0 if day is None else day.toordinal()


def _day(n: int) -> dt.date | None:
    return None if n == 0 else dt.date.fromordinal(n)


def _pack(outcomes: list, marks: list) -> bytes:
    columns = [list(map(itemgetter(i), outcomes)) for i in range(9)]
    columns[2] = list(map(attrgetter("_value_"), columns[2]))  # a Status hashes in Python: its text does not
    tables = [_table(c) for c in columns]
    for c in _DATE_COLUMNS:
        tables[c] = (list(map(_ordinal, tables[c][0])), tables[c][1])
    mark_columns = [list(map(itemgetter(i), marks)) for i in range(5)]
    due = _table(mark_columns[3])
    mark_columns[3] = (list(map(_ordinal, due[0])), due[1])
    return marshal.dumps((len(outcomes), tables, len(marks), mark_columns))


def _unpack(data: bytes, cases: Sequence[Any], plan: Sequence[tuple]) -> tuple[list, list]:
    n, tables, n_marks, mark_columns = marshal.loads(data)
    # the parent's own objects for rule codes, case ids and statuses (one object each)
    codes = {r.code: r.code for r, _, _ in plan}
    ids = {c.case_id: c.case_id for c in cases}
    statuses = {s.value: s for s in Status}
    converts = {0: codes.__getitem__, 1: ids.__getitem__, 2: statuses.__getitem__, **dict.fromkeys(_DATE_COLUMNS, _day)}
    columns = [_untable(t, converts.get(i)) for i, t in enumerate(tables)]
    mark_columns[3] = _untable(mark_columns[3], _day)
    if len(columns) != 9 or any(len(c) != n for c in columns) or len(mark_columns) != 5 or any(len(c) != n_marks for c in mark_columns):
        raise ValueError("short or malformed results from the second process")
    if n_marks and (max(mark_columns[0]) >= n or max(mark_columns[1]) >= len(cases) or max(mark_columns[2]) >= len(plan)):
        raise ValueError("results from the second process point past its outcomes")
    outcomes = list(map(partial(tuple.__new__, Outcome), zip(*columns)))
    return outcomes, list(zip(*mark_columns))
