"""Auditing a large caseload on two cores.

The audit judges each case on its own, so two parts of a caseload can be audited at once. A forked
child audits the second part while this process audits the first. The child already holds the loaded
caseload (the fork shares it, copy on write): nothing is sent to it. It writes back only its outcomes
and the marks of the findings they give, block by block, into a file that lives in memory only
(``memfd_create``: never on disk), as columns of plain strings, whole numbers and tuples in
:mod:`marshal` form (each column as its distinct values and an index, since an audit repeats most of
its values), which this process turns back into outcomes at C speed once its own part is done. This
process builds every finding, so the result is exactly the one-process result.

A file, not a pipe: a pipe holds 64 KiB, so the child waited on every block for this process to read,
and a thread reading here gets the interpreter's lock only between this process's own steps (every
5 ms): the child spent a third of its time waiting to send.

Only where it pays and is safe:

- Linux (``fork`` and ``memfd_create``; not macOS, where a fork without exec is unsafe, nor Windows);
- at least two CPUs for this process, and a caseload of :data:`MIN_CASES` to :data:`MAX_CASES` cases
  (above that the second process's memory costs more than its time saves);
- this process running one thread: a fork of a threaded process can deadlock in the child, so the
  terminal UI, which audits in a worker thread, audits in one process.

``YOS_AUDIT_WORKERS=1`` in the environment turns it off, ``YOS_AUDIT_WORKERS=2`` on at any size. If
the child fails in any way (it dies, is killed, raises, writes something short), or no process or
in-memory file is to be had, this process audits the second part itself.
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
    return (
        hasattr(os, "fork") and hasattr(os, "memfd_create") and sys.platform != "darwin"
        and threading.active_count() == 1
    )


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

    The child writes its part in blocks of :data:`BLOCK` cases, each as soon as it is done: a block's
    tables are small, and the child reuses one block's memory for the next instead of holding its
    whole part.
    """
    total = len(cases)
    k = max(1, min(total - 1, round(total * (1 - CHILD_SHARE))))
    mine, theirs = cases[:k], cases[k:]
    blocks = [theirs[i : i + BLOCK] for i in range(0, len(theirs), BLOCK)]
    try:
        fd = os.memfd_create("yos-audit-results", os.MFD_CLOEXEC)
    except OSError:  # out of file descriptors or memory: one process it is
        return _alone(cases, run, finish, progress)
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory for one: one process it is
        os.close(fd)
        return _alone(cases, run, finish, progress)
    if pid == 0:  # the child: audit, write, and leave without running any of the parent's exit code
        code = 1
        try:
            for block in blocks:
                _send(fd, _pack(*run(block, None)))
            code = 0
        finally:
            os._exit(code)
    try:
        report = None if progress is None else (lambda n, _k: progress(min(total - 1, n * total // k), total))
        outcomes, marks = run(mine, report)
        findings = finish(mine, outcomes, marks)
        _, status = os.waitpid(pid, 0)
        pid = 0
        done = None
        if os.waitstatus_to_exitcode(status) == 0:
            try:
                done = _read_back(fd, blocks, plan)
            except Exception:  # noqa: BLE001 - anything short or odd: audit the second part here
                done = None
        if done is None:
            done = [run(block, None) for block in blocks]
    finally:
        if pid:  # interrupted while the child runs: stop it, and leave no zombie
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    for block, (block_outcomes, block_marks) in zip(blocks, done):
        outcomes.extend(block_outcomes)
        findings.extend(finish(block, block_outcomes, block_marks))
    if progress is not None:
        progress(total, total)
    return outcomes, findings


def _read_back(fd: int, blocks: Sequence[Sequence[Any]], plan: Sequence[tuple]) -> list[tuple[list, list]]:
    """The (outcomes, marks) of each block, read frame by frame from what the child wrote to ``fd``:
    a frame for each block, exactly (anything short or left over raises ValueError)."""
    os.lseek(fd, 0, os.SEEK_SET)
    read = partial(os.read, fd)
    seen: dict = {}
    done = [_unpack(_frame(read), block, plan, seen) for block in blocks]
    if read(1):
        raise ValueError("more than was expected")
    return done


def _alone(cases: Sequence[Any], run: Run, finish: Finish, progress: Callable[[int, int], None] | None) -> tuple[list, list]:
    outcomes, marks = run(cases, progress)
    return outcomes, finish(cases, outcomes, marks)


# -- the transfer: length-prefixed frames of marshal data, in a file in memory ---------------------------------------------

_LENGTH = struct.Struct("<Q")
# Outcome fields: rule, case_id, status, message, evidence, due_on, done_on, record, next_due
_DATE_COLUMNS = (5, 6, 8)


def _send(fd: int, data: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _frame(read: Callable[[int], bytes]) -> bytes:
    """One length-prefixed frame from ``read``, whole, or ValueError."""
    (size,) = _LENGTH.unpack(_exactly(read, _LENGTH.size))
    return _exactly(read, size)


def _exactly(read: Callable[[int], bytes], size: int) -> bytes:
    """``size`` bytes from ``read``, or ValueError if it ends first."""
    parts, left = [], size
    while left:
        part = read(left)
        if not part:
            raise ValueError("a frame cut short")
        parts.append(part)
        left -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


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


def _same(seen: dict, value: Any) -> Any:
    """``value``, or the equal object seen before."""
    return seen.setdefault(value, value)


def _same_day(seen: dict, n: int) -> dt.date | None:
    """The date of ordinal ``n`` (0: None), one object for each (an int keys nothing else in ``seen``)."""
    if n == 0:
        return None
    day = seen.get(n)
    if day is None:
        day = seen[n] = dt.date.fromordinal(n)
    return day


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


def _unpack(data: bytes, cases: Sequence[Any], plan: Sequence[tuple], seen: dict | None = None) -> tuple[list, list]:
    """A frame's (outcomes, marks). ``seen``: values of earlier frames, so that a message, evidence or
    date that a block repeats from another is one object (as in a one-process audit)."""
    n, tables, n_marks, mark_columns = marshal.loads(data)
    # the parent's own objects for rule codes, case ids and statuses (one object each)
    codes = {r.code: r.code for r, _, _ in plan}
    ids = {c.case_id: c.case_id for c in cases}
    statuses = {s.value: s for s in Status}
    seen = {} if seen is None else seen
    day, same = partial(_same_day, seen), partial(_same, seen)
    converts = {0: codes.__getitem__, 1: ids.__getitem__, 2: statuses.__getitem__, 3: same, 4: same,
                **dict.fromkeys(_DATE_COLUMNS, day)}
    columns = [_untable(t, converts.get(i)) for i, t in enumerate(tables)]
    mark_columns[3] = _untable(mark_columns[3], day)
    if len(columns) != 9 or any(len(c) != n for c in columns) or len(mark_columns) != 5 or any(len(c) != n_marks for c in mark_columns):
        raise ValueError("short or malformed results from the second process")
    if n_marks and (max(mark_columns[0]) >= n or max(mark_columns[1]) >= len(cases) or max(mark_columns[2]) >= len(plan)):
        raise ValueError("results from the second process point past its outcomes")
    outcomes = list(map(partial(tuple.__new__, Outcome), zip(*columns)))
    return outcomes, list(zip(*mark_columns))
