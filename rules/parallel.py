"""Auditing a large caseload on two cores.

The audit judges each case on its own, so two parts of a caseload can be audited at once, in a forked
child and in this process. The child writes back only its outcomes and the marks of the findings they
give, block by block, into a file that lives in memory only (``memfd_create``: never on disk), as
columns of plain strings, whole numbers and tuples in :mod:`marshal` form (marshal writes a repeated
object once, and the audit makes one object of each distinct message and evidence). Between blocks of
its own, this process turns every whole block of the child's back into outcomes and findings, so the
result is exactly the one-process result.

The child starts in one of two places:

- during the load (:class:`Ahead`, what ``yos-audit check`` and ``score`` do with a whole JSON
  export): once the file is split into cases, and before this process decodes them, the child
  decodes its part itself and audits it, while this process decodes every case. At 100,000 cases
  the load takes 4-7 s that the child no longer waits out, and the child holds only its own part.
  The child's part is the larger, in chunks: once done with its own, this process takes over the
  child's chunks from the last back, and the child stops where it has (:class:`_Board`), so the
  two end together however fast each runs;
- after the load (:func:`audit_in_two`, for any caseload): the fork shares the loaded cases, copy on
  write, and nothing is sent to the child. But the child copies every page it reads (reading a
  Python object writes its reference count), and ends up holding a second copy of the caseload.

A file, not a pipe: a pipe holds 64 KiB, so the child waited on every block for this process to read,
and a thread reading here gets the interpreter's lock only between this process's own steps (every
5 ms): the child spent a third of its time waiting to send.

Only where it pays and is safe:

- Linux (``fork`` and ``memfd_create``; not macOS, where a fork without exec is unsafe, nor Windows);
- at least two CPUs for this process, and a caseload of :data:`MIN_CASES` to :data:`MAX_CASES` cases
  (above that the second process's memory costs more than its time saves), with room in memory for
  the second process;
- this process running one thread: a fork of a threaded process can deadlock in the child, so the
  terminal UI, which audits in a worker thread, audits in one process.

``YOS_AUDIT_WORKERS=1`` in the environment turns it off, ``YOS_AUDIT_WORKERS=2`` on at any size. If
the child fails in any way (it dies, is killed, raises, writes something short), or no process or
in-memory file is to be had, this process audits the second part itself.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import marshal
import mmap
import operator
import os
import signal
import struct
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from operator import attrgetter
from typing import Any

from rules.engine import Outcome, Status

#: below this many cases one process is as fast (the fork and the transfer cost about what they save)
MIN_CASES = 3000
#: above this many, one process: the second process's memory would cost more than its time saves. At
#: 100,000 cases (synthetic, 2 cores) the two hold 1,668 MiB together (PSS) when the child starts
#: during the load, 1,985-1,993 MiB when it starts after it, against 1,485 MiB in one process
MAX_CASES = 100_000
ENV = "YOS_AUDIT_WORKERS"
#: the child's share of the cases: a little over half, since this process also takes the child's
#: results back and builds every finding (measured at 100,000 cases: the
#: child audits and packs a case in about 280 us, this process audits one in 250 and takes one back in 45)
CHILD_SHARE = 0.52
#: what the child takes for each case of the caseload, at most: 850 MiB (its RSS) at 100,000 cases
CHILD_BYTES = 9 * 1024
#: the share of a child started during the load (:class:`Ahead`), of which this process takes over what
#: the child has not reached when its own part is done: at 100,000 cases it took over 9-12 chunks of 38
#: (at 0.56, with nothing taken over, one process or the other waited up to 2 s for the other)
AHEAD_SHARE = 0.75
#: cases a block (and export cases a chunk of :class:`Ahead`'s child): the child writes its results, and
#: this process takes the child's back, a block at a time
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
    """Whether to audit ``cases`` cases in two processes (``workers``: as :func:`rules.engine.audit`).

    Left to decide, it also wants room for the child: twice what it takes (:data:`CHILD_BYTES`) in
    memory still to be had. Short of memory, the system would stop a process to make room, and the
    larger one is this one."""
    if workers is None:
        setting = os.environ.get(ENV, "").strip()
        if setting.isdigit():
            workers = int(setting)
        elif not MIN_CASES <= cases <= MAX_CASES:
            return False
        else:
            spare = memory_to_spare()
            if spare is not None and spare < 2 * CHILD_BYTES * cases:
                return False
            workers = cpus()
    return workers >= 2 and cases >= 2 and can_fork()


def memory_to_spare() -> int | None:
    """Memory still to be had, in bytes (Linux's MemAvailable), or None where that is not known."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


#: (cases, progress, seen) -> (outcomes, marks): the audit of a block of cases; ``seen`` (a dict, or None
#: for the call's own) holds the values of earlier blocks, so that one repeated across blocks is one object
Run = Callable[[Sequence[Any], Callable[[int, int], None] | None, dict | None], tuple[list, list]]
#: (cases, outcomes, marks) -> (findings, counts): the findings a block's marks point to, and what the
#: caller counts of the block (or None). A block's result is then (outcomes, findings, counts)
Finish = Callable[[Sequence[Any], Sequence[Any], Sequence[tuple]], tuple[list, Any]]


def audit(
    cases: Sequence[Any], run: Run, finish: Finish, plan: Sequence[tuple], progress: Callable[[int, int], None] | None,
    workers: int | None, ahead: Ahead | None = None,
) -> tuple[list, list, list]:
    """The outcomes and findings of ``run`` and ``finish`` over ``cases``, and the counts ``finish``
    made of each block (in an order of their own, not the cases'): in two processes where
    :func:`worth_it` says so, else in this one. ``ahead``: a second process started during the load
    (:class:`Ahead`), used if it is auditing these very cases, else stopped."""
    if ahead is not None:
        if ahead.covers(cases):
            return _audit_ahead(cases, ahead, run, finish, plan, progress)
        ahead.stop()
    if worth_it(len(cases), workers):
        return audit_in_two(cases, run, finish, plan, progress)
    return _alone(cases, run, finish, progress)


def audit_in_two(
    cases: Sequence[Any], run: Run, finish: Finish, plan: Sequence[tuple], progress: Callable[[int, int], None] | None
) -> tuple[list, list, list]:
    """As :func:`audit`, the second part run in a forked child.

    Both sides work in blocks of :data:`BLOCK` cases. The child writes each block's results as soon as
    it is done, and reuses one block's memory for the next instead of holding its whole part. This
    process, between blocks of its own, takes back every block of the child's that is whole by then:
    so it has little left to do when the child is done, instead of all of it. Its own part done, it
    takes over the child's blocks from the last back (:func:`_with_child`).
    """
    total = len(cases)
    k = max(1, min(total - 1, round(total * (1 - CHILD_SHARE))))
    mine, theirs = cases[:k], cases[k:]
    blocks = _blocks(theirs)
    starts = [j * BLOCK for j in range(len(blocks))] + [len(theirs)]
    fd, board, pid, pidfd = -1, None, 0, -1

    def child(fd: int, board: _Board) -> None:
        for j, block in enumerate(blocks):
            if not board.child_on(j):
                return
            start = j * BLOCK  # a block's own values: the child keeps none
            _send(fd, _pack(*run(block, None, None), range(start, start + len(block))))

    held = _hold()
    try:
        spawned = _spawn(len(blocks), child, held)
        if spawned is not None:
            fd, board, pid, pidfd = spawned
        _release(held)  # a signal that came meanwhile (Ctrl-C) is raised here: the finally below cleans up
        if not pid:
            return _alone(cases, run, finish, progress)
        done = _with_child(mine, theirs, starts, range(len(theirs)), fd, pid, board, run, finish, plan, progress, total)
        pid = 0  # waited for
        return done
    finally:
        _release(held)
        if pid:
            _stop(pid, pidfd)
        for opened in (fd, pidfd):
            if opened >= 0:
                os.close(opened)
        if board is not None:
            board.close()


def _with_child(
    mine: Sequence[Any], theirs: Sequence[Any], starts: Sequence[int], places: Sequence[int], fd: int, pid: int,
    board: _Board, run: Run, finish: Finish, plan: Sequence[tuple], progress: Callable[[int, int], None] | None,
    total: int,
) -> tuple[list, list, list]:
    """The audit of ``mine`` here and of ``theirs`` by the child ``pid``, which writes to ``fd``: its
    chunk ``j`` is ``theirs[starts[j]:starts[j + 1]]``, and ``places`` says where each of ``theirs``
    stands in what the child numbers its cases by. This process's part, then the child's chunks taken
    over from the last back, then what the child wrote taken back, and what it did not audited here.
    The child is waited for; if this raises before that, the caller stops it (it holds the child's
    handle, and closes the file and the board)."""
    seen: dict = {}  # one object for a value repeated across blocks (this process's; the child's dates)
    here = partial(_here, run, finish, seen)
    results = _Results(fd, theirs, {place: i for i, place in enumerate(places)}, plan, finish, seen, here)
    mine_done = _audit_mine(_blocks(mine), here, results.take, progress, total)
    taken = _take_over(board, starts, theirs, here, results)
    _wait(pid)  # whether it ended well or not, its whole frames stand
    results.take()
    done = results.done + _rest(theirs, starts, results.covered, taken, here)
    return _joined(mine_done, done, progress, total)


def _audit_mine(
    mine: Sequence[Sequence[Any]], here: Callable, take: Callable[[], None], progress: Callable[[int, int], None] | None,
    total: int,
) -> list[tuple[list, list, Any]]:
    """This process's blocks audited, and between them ``take()`` (every whole block of the child's
    taken back): the result of each of this process's blocks. Its progress stands for the whole (the
    child's is unseen)."""
    done = []
    k = max(1, sum(map(len, mine)))
    before = 0  # cases of this process's part done
    for block in mine:
        report = None if progress is None else (lambda n, _t, b=before: progress(min(total - 1, (b + n) * total // k), total))
        done.append(here(block, report))
        before += len(block)
        take()
    return done


def _joined(
    mine: Sequence[tuple[list, list, Any]], done: Sequence[tuple[list, list, Any]],
    progress: Callable[[int, int], None] | None, total: int,
) -> tuple[list, list, list]:
    """(outcomes, findings, counts) of this process's blocks followed by the blocks ``done`` for the
    child's part."""
    outcomes: list = []
    findings: list = []
    counts = []
    for block_outcomes, block_findings, block_counts in (*mine, *done):
        outcomes += block_outcomes
        findings += block_findings
        counts.append(block_counts)
    if progress is not None and total:  # as one process: no call for no cases
        progress(total, total)
    return outcomes, findings, counts


def _here(
    run: Run, finish: Finish, seen: dict, block: Sequence[Any], report: Callable[[int, int], None] | None = None
) -> tuple[list, list, Any]:
    """A block audited in this process: its (outcomes, findings, counts)."""
    block_outcomes, block_marks = run(block, report, seen)
    return (block_outcomes, *finish(block, block_outcomes, block_marks))


def _wait(pid: int) -> bool:
    """Wait for the child; whether it exited cleanly. If something else reaped it first (SIGCHLD
    ignored, or a host that reaps every child), what it wrote decides: its whole frames stand."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return True
    return os.waitstatus_to_exitcode(status) == 0


def _stop(pid: int, pidfd: int = -1) -> None:
    """Kill the child and reap it, whether or not it is still there. ``pidfd`` (Linux: a handle on the
    child itself) makes sure the signal reaches it and no other process that got its number since:
    where SIGCHLD is ignored, an ended child is reaped at once and its number is free."""
    try:
        if pidfd >= 0:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):  # already gone, or reaped elsewhere
        pass


def _give_up(fd: int, offset: int, length: int) -> None:
    """Free the memory of a part of the file already taken back: the file would otherwise hold all the
    child's results to the end, about 100 MiB at 100,000 cases, which no process's PSS shows. Where
    the system cannot (no ``fallocate``), the memory is freed when the file is closed."""
    punch = _fallocate()
    if punch is not None:
        punch(fd, _PUNCH_HOLE | _KEEP_SIZE, offset, length)  # a failure only keeps the memory


_KEEP_SIZE, _PUNCH_HOLE = 0x01, 0x02  # <linux/falloc.h>


@functools.cache
def _libc_function(name: str, *argtypes: Any) -> Callable[..., int] | None:
    """A function of the C library (Linux), or None where there is no such function."""
    try:
        import ctypes

        function = getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None
    function.argtypes = argtypes
    function.restype = ctypes.c_int
    return function


def _fallocate() -> Callable[[int, int, int, int], int] | None:
    import ctypes

    return _libc_function("fallocate64", ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64) or _libc_function(
        "fallocate", ctypes.c_int, ctypes.c_int, ctypes.c_int64, ctypes.c_int64
    )


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _prctl() -> Callable[..., int] | None:
    import ctypes

    return _libc_function("prctl", ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong)


def _fork(work: Callable[[], None], mask: Any = None) -> int:
    """Fork a child that does ``work`` and leaves, without running any of this process's exit code,
    and ends with this process (:func:`_follow`); its pid here. OSError where no process is to be had.
    ``mask``: the signals to let through in the child (see :func:`_hold`)."""
    parent, _ = os.getpid(), _prctl()  # the C function looked up here: the child only calls it
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            _follow(parent)
            if mask is not None:
                _release(mask)
            work()
            code = 0
        finally:
            os._exit(code)
    return pid


def _spawn(chunks: int, work: Callable[[int, _Board], None], held: Any) -> tuple[int, _Board, int, int] | None:
    """With every signal held (:func:`_hold`): the results file, a board of ``chunks`` chunks, and a
    child doing ``work(fd, board)``: (fd, board, pid, pidfd), for the caller to close and stop. None,
    with nothing left open, where the system has no file, memory or process to give: one process it
    is. The child runs for seconds and may be stopped long after: it is held by a handle (pidfd), not
    only by its number."""
    fd, board = -1, None
    try:
        fd = os.memfd_create("yos-audit-results", os.MFD_CLOEXEC)
        board = _Board(chunks)
        pid = _fork(lambda: work(fd, board), held)
    except BaseException as exc:
        if fd >= 0:
            os.close(fd)
        if board is not None:
            board.close()
        if isinstance(exc, OSError):
            return None
        raise
    return fd, board, pid, _pidfd(pid)


def _hold() -> Any:
    """Hold back every signal (Ctrl-C above all) until :func:`_release`, while a child, its file and its
    board are made and until they are in the hands of the code that cleans them up: a signal raised in
    between would leave the child running and the file open. A signal that comes meanwhile is raised
    at the release. The signals let through before."""
    return signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())


def _release(mask: Any) -> None:
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _pidfd(pid: int) -> int:
    """A handle on the child itself (Linux 5.3 and later), or -1: see :func:`_stop`."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return -1


def _follow(parent: int) -> None:
    """In the child: end when ``parent`` does. Killed (SIGKILL, SIGTERM by a script's timeout), the
    parent takes back nothing more, so the child would only burn a core to the end of its part."""
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # gone already, before the line above could take effect
        os._exit(1)


def _blocks(cases: Sequence[Any]) -> list[Sequence[Any]]:
    return [cases[i : i + BLOCK] for i in range(0, len(cases), BLOCK)]


class _Results:
    """The child's results, taken back frame by frame as each is whole. Each frame says where its
    cases stand (in the export, for a child that read it; else in ``theirs``), and is matched to this
    process's cases from there (``theirs``, each at ``place[where it stands]``). A case the child kept
    and this process did not (a case_id that comes twice, once in each part) makes its frame unusable:
    that block is audited here."""

    def __init__(
        self, fd: int, theirs: Sequence[Any], place: dict[int, int], plan: Sequence[tuple], finish: Finish,
        seen: dict, here: Callable[[Sequence[Any]], tuple[list, list, Any]],
    ) -> None:
        self.fd, self.theirs, self.place, self.plan, self.finish, self.here = fd, theirs, place, plan, finish, here
        #: where the next frame starts in the file (the child only ever appends)
        self.at = 0
        #: (outcomes, findings, counts) of each block taken back so far
        self.done: list[tuple[list, list, Any]] = []
        #: values of blocks taken back or audited here, so that one repeated across them is one object
        self.seen = seen
        #: what went wrong taking a frame back: the rest of the child's part is then audited here
        self.fault: Exception | None = None
        #: this process's cases before ``theirs[self.covered]`` are in the blocks of ``done``
        self.covered = 0

    def take(self) -> None:
        """Take back every frame the child has written whole by now (after a fault, none)."""
        if self.fault is None:
            try:
                self._take()
            except Exception as exc:  # noqa: BLE001 - anything odd: the caller audits the rest here
                self.fault = exc

    def _take(self) -> None:
        size = os.fstat(self.fd).st_size
        while self.covered < len(self.theirs) and size - self.at >= _LENGTH.size:
            (length,) = _LENGTH.unpack(os.pread(self.fd, _LENGTH.size, self.at))
            start = self.at + _LENGTH.size
            if size - start < length:  # still being written
                return
            frame = os.pread(self.fd, length, start)
            if len(frame) != length:
                raise ValueError("a frame cut short")
            columns, mark_columns, indices = _frame(frame)
            block, hi, theirs = self._place(indices)
            if theirs:
                outcomes, marks = _columns_back(columns, mark_columns, block, self.plan, self.seen)
                self.done.append((outcomes, *self.finish(block, outcomes, marks)))
            else:
                self.done.append(self.here(block))
            self.covered = hi
            _give_up(self.fd, self.at, start + length - self.at)
            self.at = start + length

    def _place(self, indices: Sequence[int]) -> tuple[Sequence[Any], int, bool]:
        """The cases of the next frame, where the frame ends in ``theirs``, and whether its results
        are theirs (else they are audited here)."""
        lo = self.covered
        found = [self.place[i] for i in indices if i in self.place]
        hi = found[-1] + 1 if found else lo
        if found and (found[0] < lo or any(a >= b for a, b in zip(found, found[1:]))):
            raise ValueError("the second process's cases out of order")
        return self.theirs[lo:hi], hi, found == list(range(lo, lo + len(indices)))


class Ahead:
    """A two-core audit that starts during the load: pass it to :func:`rules.load.load_paths` and then
    to :func:`rules.engine.audit` (``with`` it, so the second process is stopped whatever happens).

    Once the export is split into its cases, and before this process decodes them, a forked child
    decodes the last part (:data:`AHEAD_SHARE`) itself, chunk by chunk, audits it and writes its
    results back as :func:`audit_in_two`'s child does, one frame a chunk. This process decodes every
    case meanwhile, as it would alone, then audits the first part, takes over the child's chunks from
    the last back while the child is on earlier ones (:func:`_take_over`), and takes the child's
    frames back. So the child starts seconds sooner and holds only its own part. A case decodes the
    same in both processes, so the results are the ones this process would reach; where the two
    disagree on which cases exist (a case_id that comes twice) the block is audited here, and if the
    child fails, what it has not written is.
    """

    def __init__(self, run: Run, key: Any, workers: int | None) -> None:
        self.run, self.key, self.workers = run, key, workers
        self.pid, self.fd, self.pidfd = 0, -1, -1
        #: where the child's part starts in the export
        self.first = 0
        #: which chunk of its part the child is on, and the first chunk this process has taken from it
        self.board: _Board | None = None
        self.cases: Sequence[Any] | None = None
        self.indices: Sequence[int] | None = None
        #: one use only: started once, and whether the load that started the child is still under way
        self.started = self.loading = False

    def __enter__(self) -> Ahead:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self, total: int, read: Callable[[int, int], Any]) -> None:
        """Fork the child on the export's ``total`` cases, where :func:`worth_it` says so (see
        :class:`rules.load.Ahead`)."""
        if self.started:  # a second load: the child, if any, is reading another file
            self.loading = False
            return
        self.started = True
        if not worth_it(total, self.workers):
            return
        first = max(1, min(total - 1, round(total * (1 - AHEAD_SHARE))))

        def child(fd: int, board: _Board) -> None:
            block: list = []
            indices: list[int] = []
            chunk, end = 0, first + BLOCK
            if not board.child_on(chunk):
                return
            for index, case in read(first, total):
                if index >= end:  # the chunk is done: its frame, then the next chunk if it is still the child's
                    _send(fd, _pack(*self.run(block, None, None), indices))
                    block, indices = [], []
                    chunk, end = chunk + 1, end + BLOCK
                    if not board.child_on(chunk):
                        return
                if case is not None:
                    block.append(case)
                    indices.append(index)
            _send(fd, _pack(*self.run(block, None, None), indices))

        held = _hold()
        try:
            spawned = _spawn(-(-(total - first) // BLOCK), child, held)
            if spawned is not None:  # stop() closes and stops them now
                self.fd, self.board, self.pid, self.pidfd = spawned
                self.first, self.loading = first, True
        finally:
            _release(held)  # a signal that came meanwhile (Ctrl-C) is raised here: the caller's with stops the child

    def loaded(self, cases: Sequence[Any], indices: Sequence[int]) -> None:
        """The cases the load that started the child kept (the end of any other load is not its)."""
        if self.loading:
            self.cases, self.indices = cases, indices
        self.loading = False

    def covers(self, cases: Sequence[Any]) -> bool:
        """Whether the child is auditing a part of exactly these cases (the ones the load kept, in order)."""
        return (
            self.pid != 0 and self.cases is not None and len(self.cases) == len(cases)
            and all(map(operator.is_, self.cases, cases))
        )

    def stop(self) -> None:
        """Stop the child if it still runs, and close the file."""
        if self.pid:
            _stop(self.pid, self.pidfd)
            self.pid = 0
        for fd in (self.fd, self.pidfd):
            if fd >= 0:
                os.close(fd)
        self.fd = self.pidfd = -1
        if self.board is not None:
            self.board.close()
            self.board = None
        self.cases = self.indices = None
        self.started, self.loading = True, False


def _audit_ahead(
    cases: Sequence[Any], ahead: Ahead, run: Run, finish: Finish, plan: Sequence[tuple],
    progress: Callable[[int, int], None] | None,
) -> tuple[list, list, list]:
    """:func:`audit_in_two` with the child started by ``ahead``: this process audits the cases before
    its part, then takes over the child's last chunks while it is still on earlier ones, and takes back
    the rest."""
    indices, board = ahead.indices, ahead.board
    assert indices is not None and board is not None  # a child runs (covers() said so)
    k = bisect.bisect_left(indices, ahead.first)
    theirs = cases[k:]
    # where each chunk of the child's part starts among theirs (its cases are those of the chunk this process kept)
    starts = [bisect.bisect_left(indices, ahead.first + j * BLOCK, k) - k for j in range(board.chunks)]
    starts.append(len(theirs))
    try:
        done = _with_child(cases[:k], theirs, starts, indices[k:], ahead.fd, ahead.pid, board, run, finish, plan, progress, len(cases))
        ahead.pid = 0  # waited for
        return done
    finally:
        ahead.stop()


def _take_over(
    board: _Board, starts: Sequence[int], theirs: Sequence[Any], here: Callable, results: _Results
) -> dict[int, tuple[list, list, Any]]:
    """Once this process's own part is done and while the child is still on its part: take over the
    child's chunks from the last one back, auditing each here, until the next to take is the one the
    child is on (taking back what the child wrote between chunks). Their (outcomes, findings, counts) by
    chunk.

    So the two end within a chunk of each other (about half a second's work), however fast each runs:
    this VM's speed varies by a fifth from one hour to the next, and the child's share was fixed."""
    taken = {}
    while (j := board.take()) is not None:
        taken[j] = here(theirs[starts[j] : starts[j + 1]])
        results.take()
    return taken


def _rest(
    theirs: Sequence[Any], starts: Sequence[int], covered: int, taken: Mapping[int, tuple[list, list, Any]],
    here: Callable,
) -> list[tuple[list, list, Any]]:
    """(outcomes, findings, counts) of ``theirs`` from ``covered`` on (what the child's frames did not cover):
    the chunks taken over, and the rest (the child failed or stopped short) audited now. A chunk both
    processes audited (they took it at the same moment) counts once, from the child's frame."""
    rest = []
    for j, (lo, hi) in enumerate(zip(starts, starts[1:])):
        if hi <= covered:
            continue
        if lo >= covered and j in taken:
            rest.append(taken[j])
        else:
            rest.append(here(theirs[max(lo, covered) : hi]))
    return rest


class _Board:
    """Two numbers both processes see (shared memory): the chunk of its part the child is on, and the
    first chunk of it this process has taken over. The child's part is ``chunks`` chunks of
    :data:`BLOCK` cases of the export; the child writes one frame a chunk.

    Each number has one writer, and they only spare work: a chunk both take at the same moment is
    audited twice and counted once (:func:`_rest`); a chunk neither audits (the child failed) is
    audited here at the end."""

    _BOTH, _ONE = struct.Struct("<qq"), struct.Struct("<q")

    def __init__(self, chunks: int) -> None:
        self.chunks = chunks
        self.memory = mmap.mmap(-1, self._BOTH.size)  # anonymous and shared: the child sees this process's writes
        self._BOTH.pack_into(self.memory, 0, 0, chunks)

    def child_on(self, chunk: int) -> bool:
        """In the child: say it is on ``chunk``; whether that chunk is still its own."""
        self._ONE.pack_into(self.memory, 0, chunk)
        return chunk < self._BOTH.unpack_from(self.memory)[1]

    def take(self) -> int | None:
        """Here: take over the child's last chunk but the one it is on, if there is one; its number."""
        on, first_taken = self._BOTH.unpack_from(self.memory)
        if first_taken - 1 <= on:
            return None
        self._ONE.pack_into(self.memory, self._ONE.size, first_taken - 1)
        return first_taken - 1

    def close(self) -> None:
        self.memory.close()


def _alone(
    cases: Sequence[Any], run: Run, finish: Finish, progress: Callable[[int, int], None] | None
) -> tuple[list, list, list]:
    """The audit in this process, a block at a time as in two: what ``finish`` does with a block's
    outcomes (findings, counts for a score) it does while they are still in the processor's cache."""
    here = partial(_here, run, finish, {})  # one object for a value repeated across blocks, as in one call
    return _joined(_audit_mine(_blocks(cases), here, _nothing, progress, len(cases)), (), progress, len(cases))


def _nothing() -> None:
    pass


# -- the transfer: length-prefixed frames of marshal data, in a file in memory ---------------------------------------------

_LENGTH = struct.Struct("<Q")
# Outcome fields: rule, case_id, status, message, evidence, due_on, done_on, record, next_due
_DATE_COLUMNS = (5, 6, 8)


def _send(fd: int, data: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _ordinals(days: Sequence[dt.date | None]) -> list[int]:
    """Dates as whole numbers (None as 0), each distinct date worked out once."""
    ordinal = {d: d.toordinal() for d in set(days) if d is not None}
    ordinal[None] = 0
    return list(map(ordinal.__getitem__, days))


def _dates(ordinals: Sequence[int], seen: dict) -> list[dt.date | None]:
    """Whole numbers back to dates (0 to None): one date object for each, across frames (an int keys
    nothing else in ``seen``)."""
    day = {0: None}
    for n in set(ordinals) - {0}:
        day[n] = seen.get(n) or seen.setdefault(n, dt.date.fromordinal(n))
    return list(map(day.__getitem__, ordinals))


def _pack(outcomes: Sequence[Outcome], marks: Sequence[tuple], indices: Sequence[int] = ()) -> bytes:
    """A block's outcomes and marks as columns in marshal form, with where its cases stand in the
    export (for a child that read the export itself; else nothing).

    marshal writes an object that stands in several places once and refers back to it after, and the
    audit makes one object of each distinct message and evidence: so each is written once (half the
    messages and most evidence repeat). Statuses go as their text, dates as whole numbers."""
    columns = list(zip(*outcomes)) or [()] * len(Outcome._fields)
    columns[2] = tuple(map(attrgetter("_value_"), columns[2]))
    for c in _DATE_COLUMNS:
        columns[c] = _ordinals(columns[c])
    mark_columns = list(zip(*marks)) or [()] * 5
    mark_columns[3] = _ordinals(mark_columns[3])
    return marshal.dumps((columns, mark_columns, list(indices)))


def _unpack(data: bytes, cases: Sequence[Any], plan: Sequence[tuple], seen: dict | None = None) -> tuple[list, list]:
    """A frame's (outcomes, marks), for the block of ``cases``: see :func:`_columns_back`."""
    columns, mark_columns, _ = _frame(data)
    return _columns_back(columns, mark_columns, cases, plan, seen)


def _frame(data: bytes) -> tuple[Sequence, Sequence, Sequence[int]]:
    """A frame's (outcome columns, mark columns, indices of its cases in the export), checked for shape."""
    columns, mark_columns, indices = marshal.loads(data)
    if len(columns) != len(Outcome._fields) or len(mark_columns) != 5:
        raise ValueError("malformed results from the second process")
    return columns, mark_columns, indices


def _columns_back(
    columns: Sequence, mark_columns: Sequence, cases: Sequence[Any], plan: Sequence[tuple], seen: dict | None = None
) -> tuple[list, list]:
    """A frame's (outcomes, marks) for the block of ``cases``. ``seen``: dates of earlier frames, so
    that a date a block repeats from another is one object.

    Messages and evidence stay the frame's own objects: marshal makes one of each distinct value a
    frame holds, and looking each up among those of every earlier frame (hashing every message anew)
    cost twice as much as the rest of the taking back. At 100,000 cases the repeats across frames
    hold about 40 MiB more."""
    n, n_marks = len(columns[0]), len(mark_columns[0])
    if any(len(c) != n for c in columns) or any(len(c) != n_marks for c in mark_columns):
        raise ValueError("short results from the second process")
    if n_marks and (max(mark_columns[0]) >= n or max(mark_columns[1]) >= len(cases) or max(mark_columns[2]) >= len(plan)):
        raise ValueError("results from the second process point past its outcomes")
    seen = {} if seen is None else seen
    # the parent's own objects for rule codes, case ids and statuses (one object each)
    codes = {r.code: r.code for r, _, _ in plan}
    ids = {c.case_id: c.case_id for c in cases}
    statuses = {s.value: s for s in Status}
    columns = list(columns)
    for c, known in ((0, codes), (1, ids), (2, statuses)):
        columns[c] = map(known.__getitem__, columns[c])
    for c in _DATE_COLUMNS:
        columns[c] = _dates(columns[c], seen)
    mark_columns = list(mark_columns)
    mark_columns[3] = _dates(mark_columns[3], seen)
    outcomes = list(map(partial(tuple.__new__, Outcome), zip(*columns)))
    return outcomes, list(zip(*mark_columns))
