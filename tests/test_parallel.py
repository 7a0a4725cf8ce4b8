"""Auditing in two processes gives exactly the one-process audit, whatever happens to the second."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import case_dicts, document

from rules import parallel
from rules.engine import Outcome, Status, audit
from rules.load import load_document, load_paths
from rules.scoring import score

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 20)

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="this platform (or this process) audits in one process")


@pytest.fixture(scope="module")
def example():
    return load_paths([ROOT / "examples" / "caseload.json"]).caseload


@pytest.fixture
def forks(monkeypatch):
    """Counts the forks made, so a test knows the second process really ran."""
    made = []
    real = os.fork

    def fork():
        made.append(1)
        return real()

    monkeypatch.setattr(parallel.os, "fork", fork)
    return made


def test_two_processes_give_the_one_process_audit(example, forks):
    one = audit(example, AS_OF, workers=1)
    two = audit(example, AS_OF, workers=2)
    assert forks == [1]
    assert two.outcomes == one.outcomes and two.findings == one.findings
    assert all(type(o) is Outcome for o in two.outcomes)
    assert {f.severity for f in two.findings} == {f.severity for f in one.findings}


@settings(max_examples=25)
@given(st.lists(case_dicts(), min_size=2, max_size=6), st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2027, 6, 1)))
def test_any_caseload_audits_the_same_in_two_processes(raw, as_of):
    raw = [c | {"case_id": f"C-{i:03d}"} for i, c in enumerate(raw)]
    _, cases, _, _ = load_document(document(raw), "t.json")
    one = audit(cases, as_of, workers=1)
    two = audit(cases, as_of, workers=2, count=True)  # counted block by block: its own, the child's taken back
    assert two.outcomes == one.outcomes and two.findings == one.findings
    assert two.score_counts() is not None and score(two) == score(one)


def test_progress_runs_from_start_to_end_in_two_processes(monkeypatch):
    monkeypatch.setattr(parallel, "BLOCK", 5)  # several blocks a side
    cases = load_paths([ROOT / "examples" / "caseload.json"]).caseload.cases
    seen: list[tuple[int, int]] = []
    audit(cases, AS_OF, workers=2, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) > 4 and {total for _, total in seen} == {len(cases)}
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[-1] == len(cases) and all(d < len(cases) for d in done[:-1])
    # this process's part (about half) stands for the whole: a block of its own moves the bar about two blocks
    assert max(b - a for a, b in zip([0, *done], done)) <= 3 * parallel.BLOCK


def test_a_second_process_that_fails_is_done_again_here(example, forks, monkeypatch):
    def broken(*_args):
        raise MemoryError("the child ran out")  # raised in the child only: the parent never packs

    monkeypatch.setattr(parallel, "_pack", broken)
    one = audit(example, AS_OF, workers=1)
    two = audit(example, AS_OF, workers=2)
    assert forks == [1] and two.outcomes == one.outcomes and two.findings == one.findings


@pytest.mark.parametrize("keep", [0, 1, 2])
def test_results_cut_short_on_the_way_are_done_again_here(example, forks, monkeypatch, keep):
    real = parallel._send
    monkeypatch.setattr(parallel, "_send", lambda fd, data: real(fd, data[: len(data) * keep // 3]))
    one = audit(example, AS_OF, workers=1)
    two = audit(example, AS_OF, workers=2)
    assert forks == [1] and two.outcomes == one.outcomes and two.findings == one.findings


def test_packed_results_travel_whole():
    day = dt.date(2026, 3, 1)
    outcomes = [
        Outcome("ROH003", "C-1", Status.NOT_MET, "a message with \x00 inside", ("A1\x00", "P2"), day, None, "r\x00", None),
        Outcome("ROH003", "C-1", Status.MET, "", (), None, day, None, day),
    ]
    marks = [(0, 0, 0, day, False)]
    plan = [(type("R", (), {"code": "ROH003"})(), {}, None)]
    case = type("C", (), {"case_id": "C-1"})()
    back, back_marks = parallel._unpack(parallel._pack(outcomes, marks), [case], plan)
    assert back == outcomes and back_marks == marks


def test_an_interrupted_audit_leaves_no_second_process(example):
    parent = os.getpid()

    def run(block, _report, _seen):
        if os.getpid() == parent:
            raise KeyboardInterrupt
        time.sleep(30)  # the child: still running when the parent stops
        return [], []

    with pytest.raises(KeyboardInterrupt):
        parallel.audit_in_two(example.cases, run, lambda *_: ([], None), [], None)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left, not even a zombie


def test_when_two_processes_are_used(monkeypatch):
    monkeypatch.delenv(parallel.ENV, raising=False)
    monkeypatch.setattr(parallel, "cpus", lambda: 2)
    monkeypatch.setattr(parallel, "memory_to_spare", lambda: 64 * 1024**3)
    assert parallel.worth_it(parallel.MIN_CASES, None)
    assert not parallel.worth_it(parallel.MIN_CASES - 1, None)  # small: one process is as fast
    assert parallel.worth_it(parallel.MAX_CASES, None)
    assert not parallel.worth_it(parallel.MAX_CASES + 1, None)  # large: the second copy costs too much memory
    assert not parallel.worth_it(10**6, 1)
    assert parallel.worth_it(2, 2)  # asked for: even a small caseload
    assert not parallel.worth_it(1, 2)
    monkeypatch.setenv(parallel.ENV, "1")
    assert not parallel.worth_it(parallel.MAX_CASES, None)
    monkeypatch.setenv(parallel.ENV, "2")
    assert parallel.worth_it(10**6, None) and parallel.worth_it(2, None)
    monkeypatch.setattr(parallel, "cpus", lambda: 1)
    monkeypatch.setenv(parallel.ENV, "")
    assert not parallel.worth_it(parallel.MIN_CASES, None)  # one CPU


def test_two_processes_only_with_room_for_the_second(monkeypatch):
    monkeypatch.delenv(parallel.ENV, raising=False)
    monkeypatch.setattr(parallel, "cpus", lambda: 2)
    cases = parallel.MAX_CASES
    room = 2 * parallel.CHILD_BYTES * cases
    for spare, two in ((room, True), (room - 1, False), (None, True)):  # None: not known, as before
        monkeypatch.setattr(parallel, "memory_to_spare", lambda spare=spare: spare)
        assert parallel.worth_it(cases, None) is two
    monkeypatch.setattr(parallel, "memory_to_spare", lambda: 0)
    assert parallel.worth_it(cases, 2)  # asked for: the caller knows its machine
    monkeypatch.setenv(parallel.ENV, "2")
    assert parallel.worth_it(cases, None)


def test_memory_to_spare_is_read_where_the_system_says():
    spare = parallel.memory_to_spare()
    if Path("/proc/meminfo").exists():  # Linux, where two processes are used at all
        assert isinstance(spare, int) and 0 < spare < 2**50


def test_a_threaded_process_never_forks(monkeypatch):
    monkeypatch.setattr(parallel, "cpus", lambda: 2)
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not parallel.worth_it(10**6, None) and not parallel.worth_it(10, 2)
    finally:
        stop.set()
        worker.join()


def _as_the_child_writes(blocks):
    """(plan, finish, each block's (outcomes, findings, counts) in one process, each block's frame as the child
    writes it): the audit of ``blocks`` in both forms."""
    from rules.calendar import add_working_days
    from rules.engine import _findings, _run, all_rules

    plan = [(r, dict(r.options), r.severity) for r in all_rules().values()]
    results = [_run(block, plan, AS_OF, add_working_days(AS_OF, 5), None) for block in blocks]
    expected = [(o, _findings(plan, block, o, m), len(block)) for block, (o, m) in zip(blocks, results)]
    places = [range(sum(map(len, blocks[:j])), sum(map(len, blocks[: j + 1]))) for j in range(len(blocks))]
    frames = [parallel._LENGTH.pack(len(d)) + d for d in (parallel._pack(*r, p) for r, p in zip(results, places))]

    def finish(block, outcomes, marks):  # what it counts of a block: here, its cases
        return _findings(plan, block, outcomes, marks), len(block)

    return plan, finish, expected, frames


def _results(fd, blocks, plan, finish) -> parallel._Results:
    """The child's results for ``blocks`` as audit_in_two takes them back (a block that cannot be
    taken back would be audited here: never, in these tests)."""
    theirs = [case for block in blocks for case in block]

    def here(block):
        raise AssertionError("audited here")

    return parallel._Results(fd, theirs, {i: i for i in range(len(theirs))}, plan, finish, {}, here)


def test_the_childs_blocks_are_taken_back_as_each_is_whole(example):
    blocks = [example.cases[:3], example.cases[3:5]]
    plan, finish, expected, frames = _as_the_child_writes(blocks)
    opened = []

    def taken(written: bytes) -> parallel._Results:
        fd = os.memfd_create("test")
        opened.append(fd)
        os.write(fd, written)
        back = _results(fd, blocks, plan, finish)
        back.take()
        return back

    whole = frames[0] + frames[1]
    for cut in (0, 5, len(frames[0]) - 1):  # the first frame still being written: nothing yet
        back = taken(whole[:cut])
        assert back.done == [] and back.covered == 0
    first = taken(frames[0] + frames[1][:-1])  # the second still being written (or the child died)
    assert first.done == expected[:1] and first.covered == 3  # the rest is audited here
    for written in (whole, whole + b"x"):  # what runs on past the last case is never read
        back = taken(written)
        assert back.done == expected and back.covered == 5 and back.fault is None
    for fd in opened:
        os.close(fd)


def test_the_memory_of_blocks_taken_back_is_given_up(example):
    blocks = [example.cases[:30], example.cases[30:60]]
    plan, finish, _, frames = _as_the_child_writes(blocks)
    written = b"".join(frames)
    fd = os.memfd_create("test")
    try:
        os.write(fd, written)
        held = os.fstat(fd).st_blocks * 512
        back = _results(fd, blocks, plan, finish)
        back.take()
        assert len(back.done) == 2 and os.fstat(fd).st_size == len(written)  # the offsets stand
        if parallel._fallocate() is not None:
            assert os.fstat(fd).st_blocks * 512 <= 3 * 4096 < held  # what is left: the pages at the frames' edges
    finally:
        os.close(fd)


@pytest.mark.parametrize("call", ["fork", "memfd_create"])
def test_no_process_or_memory_file_to_be_had_means_one_process(example, monkeypatch, call):
    def refused(*_args):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel.os, call, refused)
    one = audit(example, AS_OF, workers=1)
    two = audit(example, AS_OF, workers=2)
    assert two.outcomes == one.outcomes and two.findings == one.findings


def test_a_child_reaped_by_someone_else_still_gives_the_audit(example, forks):
    """With SIGCHLD ignored (inherited, or a host that reaps every child) the child is never ours to
    wait for: what it wrote decides, and nothing is left open."""
    import signal

    one = audit(example, AS_OF, workers=1)
    fds = set(os.listdir("/proc/self/fd"))
    old = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        two = audit(example, AS_OF, workers=2)
    finally:
        signal.signal(signal.SIGCHLD, old)
    assert forks == [1] and two.outcomes == one.outcomes and two.findings == one.findings
    assert set(os.listdir("/proc/self/fd")) <= fds


@pytest.mark.parametrize("command", [["check", "--format", "json"], ["score", "--format", "json", "--by", "team"]])
def test_the_cli_on_a_caseload_large_enough_for_two_processes_says_what_one_says(tmp_path, monkeypatch, capsys, command):
    """End to end, at the size where the audit takes two cores by default: the same report, byte for byte."""
    from rules.cli import main
    from rules.demo import generate, write

    path = tmp_path / "large.json"
    write(generate(parallel.MIN_CASES, 7, AS_OF), path)
    monkeypatch.setattr(parallel, "memory_to_spare", lambda: None)
    monkeypatch.setattr(parallel, "cpus", lambda: 2)
    forks = []
    real = os.fork
    monkeypatch.setattr(parallel.os, "fork", lambda: forks.append(1) or real())
    said = {}
    for workers in ("1", ""):  # "": left to decide, which is two processes at this size
        monkeypatch.setenv(parallel.ENV, workers)
        code = main([*command[:1], str(path), "--as-of", AS_OF.isoformat(), *command[1:]])
        said[workers] = (code, capsys.readouterr().out)
    assert forks == [1]
    assert said["1"] == said[""] and said["1"][1].count('"') > 1000
    if command[0] == "score":  # and the score counted as the audit went is the score counted after it
        from rules.engine import Audit

        monkeypatch.setattr(Audit, "score_counts", lambda self: None)
        code = main([*command[:1], str(path), "--as-of", AS_OF.isoformat(), *command[1:]])
        assert forks == [1, 1] and (code, capsys.readouterr().out) == said[""]


# -- the audit started during the load (parallel.Ahead) ------------------------------------------------


def _loaded_and_audited(path, as_of=AS_OF, workers=2, audit_as_of=None):
    """(load result, audit) with the second process started during the load, as ``yos-audit score``
    does (counting for the score as it goes)."""
    from rules.engine import start_ahead

    with start_ahead(as_of, workers=workers) as ahead:
        result = load_paths([path], ahead=ahead)
        return result, audit(result.caseload, audit_as_of or as_of, ahead=ahead, count=True)


def _alone(path, as_of=AS_OF):
    result = load_paths([path])
    return result, audit(result.caseload, as_of, workers=1)


def _no_child_left():
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child, not even a zombie


@pytest.mark.parametrize(("share", "block"), [(0.5, 2000), (0.3, 4), (0.9, 7), (0.99, 1)])
def test_an_audit_started_during_the_load_gives_the_one_process_audit(forks, monkeypatch, share, block):
    monkeypatch.setattr(parallel, "AHEAD_SHARE", share)
    monkeypatch.setattr(parallel, "BLOCK", block)
    path = ROOT / "examples" / "caseload.json"
    fds = set(os.listdir("/proc/self/fd"))
    one_load, one = _alone(path)
    two_load, two = _loaded_and_audited(path)
    assert forks == [1]
    assert two_load == one_load  # the load itself is the same
    assert two.outcomes == one.outcomes and two.findings == one.findings
    _no_child_left()
    assert set(os.listdir("/proc/self/fd")) <= fds


def test_this_process_takes_over_the_chunks_a_slow_child_has_not_reached(forks, monkeypatch):
    """Done with its own part, this process audits the child's chunks from the last one back, and the
    child stops where this process has taken over: the two end together however fast each runs."""
    monkeypatch.setattr(parallel, "AHEAD_SHARE", 0.9)
    monkeypatch.setattr(parallel, "BLOCK", 5)
    parent = os.getpid()
    real_start = parallel.Ahead.start

    def start(self, total, read):  # the child takes a second over each chunk
        run = self.run
        self.run = lambda block, *a: (os.getpid() != parent and time.sleep(1.0)) or run(block, *a)
        real_start(self, total, read)

    monkeypatch.setattr(parallel.Ahead, "start", start)
    taken, real_take_over = [], parallel._take_over
    monkeypatch.setattr(parallel, "_take_over", lambda board, *a: taken.append(real_take_over(board, *a)) or taken[-1])
    framed, real_take = [], parallel._Results._take
    monkeypatch.setattr(parallel._Results, "_take", lambda self: real_take(self) or framed.append(len(self.done)))
    path = ROOT / "examples" / "caseload.json"
    _, one = _alone(path)
    t0 = time.perf_counter()
    _, two = _loaded_and_audited(path)
    seconds = time.perf_counter() - t0
    assert forks == [1] and two.outcomes == one.outcomes and two.findings == one.findings
    assert score(two) == score(one)  # the chunks taken over are counted, once
    (chunks,) = taken
    # 68 cases: 7 of this process's own, 61 of the child's in 13 chunks. The child was on one of its
    # first chunks when this process had taken over the rest from the last back, and did no more
    assert len(chunks) >= 10 and sorted(chunks) == list(range(13 - len(chunks), 13))
    assert max(framed) == 13 - len(chunks) and seconds < 8  # the child did not go on through its 13 seconds
    _no_child_left()


def test_after_the_load_too_this_process_takes_over_what_a_slow_child_has_not_reached(example, forks, monkeypatch):
    monkeypatch.setattr(parallel, "BLOCK", 5)
    parent, real = os.getpid(), parallel.audit_in_two

    def slow_child(cases, run, *rest):  # the child takes a second over each block
        return real(cases, lambda block, *a: (os.getpid() != parent and time.sleep(1.0)) or run(block, *a), *rest)

    monkeypatch.setattr(parallel, "audit_in_two", slow_child)
    taken, real_take_over = [], parallel._take_over
    monkeypatch.setattr(parallel, "_take_over", lambda board, *a: taken.append(real_take_over(board, *a)) or taken[-1])
    one = audit(example, AS_OF, workers=1)
    t0 = time.perf_counter()
    two = audit(example, AS_OF, workers=2)
    seconds = time.perf_counter() - t0
    assert forks == [1] and two.outcomes == one.outcomes and two.findings == one.findings
    (blocks,) = taken  # 68 cases: 33 here, 35 the child's in 7 blocks, of which it did one or two
    assert len(blocks) >= 5 and sorted(blocks) == list(range(7 - len(blocks), 7)) and seconds < 5
    _no_child_left()


@pytest.mark.parametrize("when", ["after the load", "during the load"])
def test_a_ctrl_c_while_the_child_is_being_made_leaves_nothing_behind(example, forks, monkeypatch, when):
    """A signal that comes between the fork and the moment the child, its file and its board are in
    the hands of the code that cleans them up waits for that moment: no child, no file left open."""
    import signal

    def interrupted(pid):  # Ctrl-C at the worst moment: the child forked, its handle not yet taken
        os.kill(os.getpid(), signal.SIGINT)
        return -1

    monkeypatch.setattr(parallel, "_pidfd", interrupted)
    fds = set(os.listdir("/proc/self/fd"))
    with pytest.raises(KeyboardInterrupt):
        if when == "after the load":
            audit(example, AS_OF, workers=2)
        else:
            _loaded_and_audited(ROOT / "examples" / "caseload.json")
    assert forks == [1]
    _no_child_left()
    assert set(os.listdir("/proc/self/fd")) <= fds


def test_the_rest_counts_a_chunk_once_and_audits_what_no_one_did():
    """After the child: its frames cover the chunks before ``covered``; a chunk taken over counts if the
    child's frames did not cover it, and a chunk neither audited (the child died) is audited here."""
    theirs = list("abcdefgh")
    starts = [0, 2, 4, 6, 8]  # four chunks of two cases

    def here(block):
        return ("here", "".join(block))

    taken = {1: ("taken", "cd"), 3: ("taken", "gh")}
    assert parallel._rest(theirs, starts, 4, taken, here) == [("here", "ef"), ("taken", "gh")]  # chunk 1: the child's
    assert parallel._rest(theirs, starts, 3, taken, here) == [("here", "d"), ("here", "ef"), ("taken", "gh")]
    assert parallel._rest(theirs, starts, 8, taken, here) == []
    assert parallel._rest(theirs, starts, 0, {}, here) == [("here", "ab"), ("here", "cd"), ("here", "ef"), ("here", "gh")]


def test_the_board_never_gives_this_process_the_chunk_the_child_is_on():
    board = parallel._Board(5)
    try:
        assert board.child_on(0)
        assert [board.take() for _ in range(5)] == [4, 3, 2, 1, None]
        assert not board.child_on(1)  # taken: the child stops
        other = parallel._Board(3)
        assert other.child_on(1) and other.take() == 2 and other.take() is None and other.child_on(1)
        other.close()
    finally:
        board.close()


def _export(tmp_path, cases: list[dict]) -> Path:
    import json

    path = tmp_path / "export.json"
    path.write_text(json.dumps(document(cases)))
    return path


@pytest.fixture(scope="module")
def example_dicts():
    import json

    return json.loads((ROOT / "examples" / "caseload.json").read_text())["cases"]


def test_a_case_id_in_both_parts_leaves_the_child_a_case_this_process_rejects(tmp_path, forks, example_dicts, monkeypatch):
    """The child reads only its part: a case_id seen first in this process's part is new to it. Its
    block then does not match this process's cases, and is audited here."""
    monkeypatch.setattr(parallel, "BLOCK", 5)
    monkeypatch.setattr(parallel, "AHEAD_SHARE", 0.56)  # the child's part: cases 18-39
    monkeypatch.setattr(parallel._Board, "take", lambda self: None)  # and all of it the child's
    cases = [dict(c) for c in example_dicts[:40]]
    cases[30] = cases[3] | {"contacts": []}  # same case_id as one in the first part, different content
    cases[35] = dict(cases[32])  # and a duplicate inside the child's part
    path = _export(tmp_path, cases)
    here = []
    real = parallel._Results._place

    def place(self, indices):  # the blocks whose frame is not used
        block, hi, theirs = real(self, indices)
        if not theirs:
            here.append(len(block))
        return block, hi, theirs

    monkeypatch.setattr(parallel._Results, "_place", place)
    one_load, one = _alone(path)
    two_load, two = _loaded_and_audited(path)
    assert forks == [1] and one_load.rejected == 2
    assert here == [4]  # the child's block of raw cases 30-34 held one case too many: done here
    assert two_load == one_load and two.outcomes == one.outcomes and two.findings == one.findings


@pytest.mark.parametrize("keep", [0, 1, 2])
def test_a_child_started_during_the_load_that_fails_leaves_its_part_to_this_process(forks, monkeypatch, keep):
    monkeypatch.setattr(parallel, "BLOCK", 4)
    real = parallel._send
    sent = []

    def send(fd, data):  # the child's third frame is cut short (keep 0, 1 or 2 thirds of it), then it dies
        sent.append(1)
        if len(sent) == 3:
            real(fd, data[: len(data) * keep // 3])
            os._exit(1)
        real(fd, data)

    monkeypatch.setattr(parallel, "_send", send)
    path = ROOT / "examples" / "caseload.json"
    _, one = _alone(path)
    _, two = _loaded_and_audited(path)
    assert forks == [1] and two.outcomes == one.outcomes and two.findings == one.findings
    _no_child_left()


def test_a_child_started_for_another_audit_is_stopped_and_not_used(forks):
    path = ROOT / "examples" / "caseload.json"
    _, one = _alone(path, AS_OF + dt.timedelta(days=1))
    _, two = _loaded_and_audited(path, audit_as_of=AS_OF + dt.timedelta(days=1))  # started for AS_OF
    assert forks == [1] and two.outcomes == one.outcomes and two.findings == one.findings
    _no_child_left()


def test_a_child_started_for_the_whole_caseload_is_not_used_for_a_part(forks):
    from rules.engine import start_ahead

    path = ROOT / "examples" / "caseload.json"
    with start_ahead(AS_OF, workers=2) as ahead:
        result = load_paths([path], ahead=ahead)
        part = result.caseload.cases[1:]
        two = audit(part, AS_OF, ahead=ahead, workers=1)
    assert forks == [1] and two.outcomes == audit(part, AS_OF, workers=1).outcomes
    _no_child_left()


def test_a_failure_between_the_load_and_the_audit_leaves_no_second_process(forks):
    from rules.engine import start_ahead

    with pytest.raises(RuntimeError), start_ahead(AS_OF, workers=2) as ahead:
        load_paths([ROOT / "examples" / "caseload.json"], ahead=ahead)
        raise RuntimeError("a bad baseline, say")
    assert forks == [1]
    _no_child_left()


def test_only_a_single_json_export_starts_a_child(tmp_path, forks, example_dicts):
    import tomli_w

    from rules.engine import start_ahead

    toml = tmp_path / "export.toml"
    toml.write_text(tomli_w.dumps(document(example_dicts[:3])))
    json_path = _export(tmp_path, example_dicts[:3])
    for paths in ([toml], [json_path, json_path]):
        with start_ahead(AS_OF, workers=2) as ahead:
            load_paths(paths, ahead=ahead)
    assert forks == []


def _greedy_take(self):
    """A board that lets this process take any chunk, the one the child is on included: both then
    audit the chunks they meet in the middle, as when both take one at the same moment."""
    on, first_taken = self._BOTH.unpack_from(self.memory)
    if first_taken <= 0:
        return None
    self._ONE.pack_into(self.memory, self._ONE.size, first_taken - 1)
    return first_taken - 1


@settings(max_examples=20, deadline=None)
@given(
    st.lists(case_dicts(), min_size=2, max_size=8),
    st.lists(st.integers(0, 7), max_size=3),
    st.floats(0.05, 0.95),
    st.integers(1, 4),
    st.booleans(),
)
def test_any_export_audits_the_same_when_the_child_starts_during_the_load(tmp_path_factory, raw, twins, share, block, greedy):
    """Whatever the cases, the ids that repeat, where the parts split and which chunks both processes
    audit: the one-process audit."""
    raw = [c | {"case_id": f"C-{i:03d}"} for i, c in enumerate(raw)]
    for i in twins:  # a case_id that comes again later in the file
        if i + 1 < len(raw):
            raw[-1 - (i % (len(raw) - 1))] = raw[-1 - (i % (len(raw) - 1))] | {"case_id": raw[i % len(raw)]["case_id"]}
    path = _export(tmp_path_factory.mktemp("ahead"), raw)
    old = parallel.AHEAD_SHARE, parallel.BLOCK, parallel._Board.take
    parallel.AHEAD_SHARE, parallel.BLOCK = share, block
    if greedy:
        parallel._Board.take = _greedy_take
    try:
        one_load, one = _alone(path)
        two_load, two = _loaded_and_audited(path)
    finally:
        parallel.AHEAD_SHARE, parallel.BLOCK, parallel._Board.take = old
    assert two_load == one_load and two.outcomes == one.outcomes and two.findings == one.findings
    # each block counted as it is audited or taken back, a chunk audited twice once: the score counted after
    assert two.score_counts() is not None and score(two) == score(one)


def test_an_ahead_serves_only_the_load_that_started_it(tmp_path, forks, example_dicts):
    """Reused (by a caller of the API: the CLI makes one a load), it must never lend a child that read
    one file to the audit of another with the same case_ids."""
    from rules.engine import start_ahead

    monday = _export(tmp_path, example_dicts)
    tuesday = tmp_path / "tuesday.json"
    tuesday.write_text(__import__("json").dumps(document([c | {"contacts": [], "assessments": []} for c in example_dicts])))
    _, one = _alone(tuesday)
    with start_ahead(AS_OF, workers=2) as ahead:
        load_paths([monday], ahead=ahead)  # forks on Monday's file
        result = load_paths([tuesday], ahead=ahead)
        two = audit(result.caseload, AS_OF, ahead=ahead)
    assert forks == [1] and two.outcomes == one.outcomes and two.findings == one.findings
    with start_ahead(AS_OF, workers=2) as ahead:  # used once, then again for a load that fails
        first = load_paths([monday], ahead=ahead)
        audit(first.caseload, AS_OF, ahead=ahead)
        load_paths([tmp_path / "missing.json"], ahead=ahead)
        again = audit(first.caseload, AS_OF, ahead=ahead)
    assert again.outcomes == _alone(monday)[1].outcomes
    _no_child_left()


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="no process handles here")
def test_a_child_stopped_long_after_it_ended_is_signalled_by_its_handle(forks, monkeypatch):
    """With SIGCHLD ignored an ended child is reaped at once, and its number may be another process's
    by the time the audit is given up: the kill goes through the handle taken at the fork."""
    import signal

    from rules.engine import start_ahead

    def no_kill_by_number(*_args):
        raise AssertionError("a signal sent by process number")

    fds = set(os.listdir("/proc/self/fd"))
    old = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        with start_ahead(AS_OF, workers=2) as ahead:
            load_paths([ROOT / "examples" / "caseload.json"], ahead=ahead)
            assert ahead.pidfd >= 0
            while Path(f"/proc/{ahead.pid}").exists():  # the child done, and reaped by the system
                time.sleep(0.01)
            monkeypatch.setattr(parallel.os, "kill", no_kill_by_number)
    finally:
        signal.signal(signal.SIGCHLD, old)
    assert forks == [1] and ahead.pid == 0 and set(os.listdir("/proc/self/fd")) <= fds


def test_a_child_ends_with_its_parent(tmp_path):
    """A parent killed outright (a script's timeout, SIGKILL) takes nothing more back: its child must
    not run on to the end of its part."""
    import signal
    import subprocess
    import sys

    script = tmp_path / "killed.py"
    script.write_text(f"""
import datetime as dt, os, signal, time
from rules import parallel
from rules.engine import start_ahead
from rules.load import load_paths
parallel.BLOCK = 1
parallel._send = lambda fd, data: time.sleep(60)  # the child: still at work a minute from now
with start_ahead(dt.date(2026, 11, 20), workers=2) as ahead:
    load_paths([{str(ROOT / "examples" / "caseload.json")!r}], ahead=ahead)
    print(ahead.pid, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == -signal.SIGKILL
    child = Path(f"/proc/{int(run.stdout)}/stat")
    deadline = time.monotonic() + 10
    while child.exists() and child.read_text().split(") ")[-1][:1] != "Z" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not child.exists() or child.read_text().split(") ")[-1][:1] == "Z"  # gone, or dead and not yet reaped
