"""Headless benchmark: load, audit and score synthetic caseloads; time the CLI on the example.

Run by hand (never collected by pytest)::

    .venv/bin/python benchmarks/bench_headless.py                # 1,000, 10,000 and 100,000 cases
    .venv/bin/python benchmarks/bench_headless.py 5000 20000     # other sizes
    .venv/bin/python benchmarks/bench_headless.py --profile 10000

For each size a caseload is generated with :func:`rules.demo.generate` and written to a temporary
file. Each measurement then runs in a fresh subprocess, so its peak memory (``ru_maxrss``) is its own:
one for a bare ``json.loads`` of the file (the floor any loader pays), one for the headless run
(``rules.load.load_paths``, ``rules.engine.audit``, ``rules.scoring.score`` when that module exists).
Where the audit ran in two processes, a second headless run samples what both hold (PSS): never the
timed run, which sampling slows (see :func:`_run_child`).

Targets (2-core machine): 100,000 cases loaded, audited and scored in under 20 s with under 2 GiB peak
memory; cost linear in cases; ``yos-audit check`` on the 60-case example under 1 s including start-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "caseload.json"
AS_OF = dt.date(2026, 11, 20)
TARGET_SECONDS_100K = 20.0
TARGET_BYTES = 2 * 1024**3
DEFAULT_SIZES = (1_000, 10_000, 100_000)


def _maxrss_bytes() -> int:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # kilobytes on Linux


# -- the parts that run in a child process ------------------------------------------------------


def child_generate(size: int, seed: int, path: str) -> dict:
    from rules.demo import generate, write

    t0 = time.perf_counter()
    document = generate(size, seed, AS_OF)
    t1 = time.perf_counter()
    write(document, path)
    t2 = time.perf_counter()
    return {"generate_s": t1 - t0, "write_s": t2 - t1, "bytes": os.path.getsize(path), "maxrss": _maxrss_bytes()}


def child_json(path: str) -> dict:
    t0 = time.perf_counter()
    data = json.loads(Path(path).read_bytes())
    t1 = time.perf_counter()
    return {"json_loads_s": t1 - t0, "cases": len(data["cases"]), "maxrss": _maxrss_bytes()}


def _score(audit):
    """(seconds, note) of ``rules.scoring.score``."""
    from rules import scoring

    t0 = time.perf_counter()
    scoring.score(audit)
    return time.perf_counter() - t0, ""


def child_headless(path: str) -> dict:
    t0 = time.perf_counter()
    from rules.catalogue import all_rules
    from rules.engine import audit
    from rules.load import load_paths
    from rules.perf import gc_paused

    all_rules()
    t1, c1 = time.perf_counter(), time.process_time()
    with gc_paused():  # as yos-audit check does
        result = load_paths([path])
        t2, c2 = time.perf_counter(), time.process_time()
        done = audit(result.caseload, AS_OF)
    t3, c3 = time.perf_counter(), time.process_time()
    score_s, note = _score(done)
    c4 = time.process_time()
    import resource

    worker = resource.getrusage(resource.RUSAGE_CHILDREN)  # the audit's forked second process, if any
    return {
        "import_s": t1 - t0, "load_s": t2 - t1, "audit_s": t3 - t2, "score_s": score_s, "note": note,
        "cpu_s": c4 - c1, "load_cpu_s": c2 - c1, "audit_cpu_s": c3 - c2,
        "worker_cpu_s": worker.ru_utime + worker.ru_stime, "worker_maxrss": worker.ru_maxrss * 1024,
        "cases": len(result.caseload.cases), "input_errors": len(result.errors),
        "outcomes": len(done.outcomes), "findings": len(done.findings), "maxrss": _maxrss_bytes(),
    }


def child_profile(path: str, out: str) -> dict:
    import cProfile
    import pstats

    from rules.catalogue import all_rules
    from rules.engine import audit
    from rules.load import load_paths

    all_rules()
    prof = cProfile.Profile()
    prof.enable()
    result = load_paths([path])
    done = audit(result.caseload, AS_OF)
    _score(done)
    prof.disable()
    prof.dump_stats(out)
    for key in ("tottime", "cumulative"):
        print(f"\n== top 25 by {key} ==")
        pstats.Stats(out).strip_dirs().sort_stats(key).print_stats(25)
    return {"profile": out}


def _pss_bytes(pid: int) -> int | None:
    """The proportional set size of a process and its children (Linux): pages two processes share
    count half to each, so the sum is what the run holds, where adding RSS would count shared pages twice."""
    total, todo = 0, [pid]
    try:
        while todo:
            p = todo.pop()
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
            todo += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
    except (OSError, ValueError):
        return None if not total else total
    return total


def _run_child(*args: str, sample: bool = False) -> dict:
    """Run one measurement in a fresh process; with ``sample``, sample the memory it and its children
    hold (PSS) every 50 ms.

    Sampling is not free: the kernel walks every page of the process for each sample, and holds up
    the process's own memory calls meanwhile. At 100,000 cases it made the run a third slower
    (36.8 s against 26 s): so a timed run is never sampled, and the PSS comes from a run of its own."""
    child = subprocess.Popen([sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = None
    while child.poll() is None:
        if sample:
            now = _pss_bytes(child.pid)
            if now is not None:
                peak = max(peak or 0, now)
        time.sleep(0.05)
    out, err = child.communicate()
    proc = subprocess.CompletedProcess(child.args, child.returncode, out, err)
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{proc.stderr}")
    if args[0] == "profile":
        print(proc.stdout[: proc.stdout.rfind("\n{")])
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["machine_peak"] = peak
    return result


# -- the parent ------------------------------------------------------------------------------------


def bench_size(size: int, seed: int, folder: str) -> dict:
    path = os.path.join(folder, f"caseload-{size}.json")
    gen = _run_child("generate", str(size), str(seed), path)
    base = _run_child("json", path)
    head = _run_child("headless", path)
    if head["worker_maxrss"]:  # two processes: what they hold together, from a run of its own
        head["machine_peak"] = _run_child("headless", path, sample=True)["machine_peak"]
    else:  # one process: its peak RSS is exact, at no cost
        head["machine_peak"] = head["maxrss"]
    os.unlink(path)
    headless = head["load_s"] + head["audit_s"] + (head["score_s"] or 0.0)
    return {"size": size, **gen, "json_loads_s": base["json_loads_s"], "json_maxrss": base["maxrss"],
            **{k: v for k, v in head.items() if k != "maxrss"}, "maxrss": head["maxrss"],
            "headless_s": headless, "ratio": headless / base["json_loads_s"]}


def bench_cli(runs: int = 5) -> dict | None:
    exe = Path(sys.executable).with_name("yos-audit")
    if not exe.exists() or not EXAMPLE.exists():
        return None
    cmd = [str(exe), "check", str(EXAMPLE), "--as-of", AS_OF.isoformat(), "--format", "json"]
    times, code = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
        code = proc.returncode
    return {"median_s": statistics.median(times), "best_s": min(times), "exit": code, "runs": runs}


def _fault_seconds_per_gib() -> float:
    """What the machine charges for memory never used before: one write per 4 KiB page of 512 MiB."""
    import mmap

    size = 512 * 1024**2
    area = mmap.mmap(-1, size)
    t0 = time.perf_counter()
    for i in range(0, size, 4096):
        area[i] = 1
    elapsed = time.perf_counter() - t0
    area.close()
    return elapsed * 1024**3 / size


def _mib(n: int) -> str:
    return f"{n / 1024**2:,.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        kind, *rest = argv[1:]
        fn = {"generate": lambda n, s, p: child_generate(int(n), int(s), p), "json": child_json,
              "headless": child_headless, "profile": child_profile}[kind]
        print(json.dumps(fn(*rest)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(DEFAULT_SIZES))
    parser.add_argument("--seed", type=int, default=2012)
    parser.add_argument("--profile", type=int, metavar="N", help="profile the headless run of N cases instead")
    parser.add_argument("--no-cli", action="store_true", help="skip timing the yos-audit check command")
    args = parser.parse_args(argv)

    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}, "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} (wall times suffer on a busy machine; cpu is this process's own)")
    with tempfile.TemporaryDirectory(prefix="yos-bench-") as folder:
        if args.profile:
            path = os.path.join(folder, "caseload.json")
            _run_child("generate", str(args.profile), str(args.seed), path)
            _run_child("profile", path, os.path.join(tempfile.gettempdir(), f"yos-audit-{args.profile}.prof"))
            return 0
        rows = []
        for size in args.sizes:
            row = bench_size(size, args.seed, folder)
            rows.append(row)
            print(
                f"{size:>8,} cases  file {_mib(row['bytes']):>9}  generate {row['generate_s']:6.2f} s  write {row['write_s']:5.2f} s | "
                f"json.loads {row['json_loads_s']:6.2f} s ({_mib(row['json_maxrss'])}) | load {row['load_s']:6.2f} s  "
                f"audit {row['audit_s']:6.2f} s  score {'-' if row['score_s'] is None else format(row['score_s'], '6.2f')} s  "
                f"headless {row['headless_s']:6.2f} s (cpu {row['cpu_s']:6.2f} s + worker {row['worker_cpu_s']:5.2f} s) = {row['ratio']:4.1f}x json.loads  "
                f"peak {_mib(row['maxrss'])}"
                + (f" + worker {_mib(row['worker_maxrss'])} RSS, together {'-' if row['machine_peak'] is None else _mib(row['machine_peak'])} PSS (sampled in a second run)  "
                   if row["worker_maxrss"] else " (one process)  ")
                + 
                f"({row['outcomes']:,} outcomes, {row['findings']:,} findings, {row['input_errors']} input errors)",
                flush=True,
            )
            if row["note"]:
                print(f"          note: {row['note']}")
        if len(rows) > 1:
            small, big = rows[0], rows[-1]
            per_small = small["headless_s"] / small["size"] * 1e6
            per_big = big["headless_s"] / big["size"] * 1e6
            print(f"per case: {per_small:.0f} us at {small['size']:,}, {per_big:.0f} us at {big['size']:,} "
                  f"(x{per_big / per_small:.2f}; 1.0 is linear)")
        for row in rows:
            if row["size"] >= 100_000:
                ok_t = row["headless_s"] * 100_000 / row["size"] <= TARGET_SECONDS_100K
                ok_m = max(row["maxrss"], row["machine_peak"] or 0) <= TARGET_BYTES
                print(f"target at {row['size']:,}: time {'met' if ok_t else 'MISSED'}, memory {'met' if ok_m else 'MISSED'}")
    if not args.no_cli:
        cli = bench_cli()
        if cli is None:
            print("yos-audit check: not timed (no yos-audit script or no examples/caseload.json)")
        else:
            print(f"yos-audit check examples/caseload.json --format json: median {cli['median_s']:.2f} s, "
                  f"best {cli['best_s']:.2f} s over {cli['runs']} runs (exit {cli['exit']}; target under 1 s)")
    # last: a process's peak RSS is inherited by the processes it starts
    print(f"fresh memory: {_fault_seconds_per_gib():.2f} s to touch 1 GiB of new pages (a virtual machine can pay 10x "
          f"bare metal here, and a large run touches 2-3 GiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
