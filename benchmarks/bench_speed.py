"""The speed targets of issue 18, measured as ratios in one run, for one or more versions side by side.

Run by hand (never collected by pytest), from the worktree to measure::

    git worktree add /tmp/old 4fca696                      # a version to compare with
    .venv/bin/python benchmarks/bench_speed.py --tree old=/tmp/old --tree new=.
    .venv/bin/python benchmarks/bench_speed.py --tree new=. --only example,10k --rounds 3

Every measurement is a whole process (``python -m rules.cli ...`` with the version's folder first on
the path), timed from start to exit, with its peak RSS and CPU time from ``wait4``. The machine this
project is measured on is shared and its speed drifts by half within an hour, so the processes of a
round run one after another in a rotating order, every figure is a median (or minimum) over rounds,
and each ratio is taken within a round, at one moment, before its median is taken.

- ``example``: ``check examples/caseload.json --format json`` end to end (target 0.2 s);
- ``10k``: ``check --format json`` of ``demo --cases 10000 --seed 1`` against ``benchmarks/naive.py``
  on the same file (the same four rules: ``--select`` them; and the whole catalogue), target at most
  1x (aim 0.8x) for the same rules;
- ``100k``: the same check of 100,000 cases against a bare ``json.load`` of the file, target at most
  2x, peak RSS under 2 GiB;
- ``ui``: the terminal UI (headless) on the 10,000-case file, reloaded ten times: memory (RSS) after
  the tenth load against after the first, target within 10%;
- ``engine``: in one process, the 10,000-case check's work (load, audit, report) with and without
  outcomes kept (a version whose engine has the ``outcomes`` option only).

The check reports of every version are compared byte for byte (the figures are only worth having if
the results are the same). Byte code is cached in a folder of the run (as an installed package
has it): the project's sessions run with PYTHONDONTWRITEBYTECODE, which makes every process compile
the whole package again. So is the table of bank holidays (``YOS_AUDIT_CACHE``), written by the
first command of the run, as by any first use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = "2026-11-20"
FOUR = "ASM001,PLN002,ENF001,MGT001"  # the rules of benchmarks/naive.py
TARGET_RSS = 2 * 1024**3
SECTIONS = ("example", "10k", "100k", "ui", "engine")


class Tree:
    def __init__(self, name: str, path: str, cache: Path) -> None:
        self.name, self.path = name, Path(path).resolve()
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        # byte code and the bank holiday table (rules.calendar) cached in folders of this run, warmed by the
        # first command, as in any use after the first
        self.env.update(PYTHONPATH=str(self.path), PYTHONPYCACHEPREFIX=str(cache), YOS_AUDIT_CACHE=str(cache.parent / "cache"))

    def cli(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "rules.cli", *args]


def run(cmd: list[str], cwd: Path, env: dict | None = None, out: Path | None = None) -> dict:
    """One process, timed: wall seconds, CPU seconds, peak RSS bytes, exit code."""
    stdout = open(out, "wb") if out else subprocess.DEVNULL  # noqa: SIM115 - closed below
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if out:
        stdout.close()
    return {"s": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss * 1024, "rc": proc.returncode}


def _rotate(items: list, i: int) -> list:
    return items[i % len(items):] + items[: i % len(items)]


def _mib(n: float) -> str:
    return f"{n / 1024**2:,.0f} MiB"


def _med(xs: list[float]) -> float:
    return statistics.median(xs)


def same_files(a: Path, b: Path) -> bool:
    return filecmp.cmp(a, b, shallow=False)


# -- the sections ------------------------------------------------------------------------------


def bench_example(trees: list[Tree], rounds: int, work: Path) -> dict:
    example = trees[-1].path / "examples" / "caseload.json"
    times: dict[str, list[dict]] = {t.name: [] for t in trees}
    for i in range(rounds):
        for t in _rotate(trees, i):
            out = work / f"example-{t.name}.json"
            times[t.name].append(run(t.cli("check", str(example), "--format", "json", "-o", str(out)), t.path, t.env))
    first = trees[0]
    same = {t.name: same_files(work / f"example-{first.name}.json", work / f"example-{t.name}.json") for t in trees}
    return {t.name: {"min_s": min(r["s"] for r in times[t.name]), "median_s": _med([r["s"] for r in times[t.name]]),
                     "cpu_s": _med([r["cpu"] for r in times[t.name]]),
                     "vs_first": _med([r["s"] / f["s"] for r, f in zip(times[t.name], times[first.name], strict=True)]),
                     "rss": max(r["rss"] for r in times[t.name]), "same_as_first": same[t.name]} for t in trees}


def bench_10k(trees: list[Tree], rounds: int, work: Path, data: Path) -> dict:
    naive = [sys.executable, str(HERE / "naive.py"), str(data), "--as-of", AS_OF, "-o", str(work / "naive.json")]
    plain_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    jobs = [("naive", lambda: run(naive, HERE, plain_env))]
    for t in trees:
        for kind, extra in (("all", ()), ("four", ("--select", FOUR))):
            out = work / f"10k-{kind}-{t.name}.json"
            cmd = t.cli("check", str(data), "--as-of", AS_OF, "--format", "json", *extra, "-o", str(out))
            jobs.append((f"{t.name}:{kind}", lambda cmd=cmd, t=t: run(cmd, t.path, t.env)))
    got: dict[str, list[dict]] = {name: [] for name, _ in jobs}
    for i in range(rounds):
        for name, job in _rotate(jobs, i):
            got[name].append(job())
    result: dict = {"naive": {"median_s": _med([r["s"] for r in got["naive"]]), "min_s": min(r["s"] for r in got["naive"]),
                              "cpu_s": _med([r["cpu"] for r in got["naive"]]),
                              "rss": max(r["rss"] for r in got["naive"])}}
    for t in trees:
        for kind in ("all", "four"):
            rs = got[f"{t.name}:{kind}"]
            ratios = [r["s"] / n["s"] for r, n in zip(rs, got["naive"], strict=True)]
            result[f"{t.name}:{kind}"] = {
                "median_s": _med([r["s"] for r in rs]), "min_s": min(r["s"] for r in rs), "rss": max(r["rss"] for r in rs),
                "cpu_s": _med([r["cpu"] for r in rs]), "ratio_median": _med(ratios), "ratio_of_min": min(r["s"] for r in rs) / result["naive"]["min_s"],
                "cpu_ratio": _med([r["cpu"] / n["cpu"] for r, n in zip(rs, got["naive"], strict=True)]),
                "same_as_first": same_files(work / f"10k-{kind}-{trees[0].name}.json", work / f"10k-{kind}-{t.name}.json"),
                "vs_first": _med([r["s"] / f["s"] for r, f in zip(rs, got[f"{trees[0].name}:{kind}"], strict=True)]),
                "cpu_vs_first": _med([r["cpu"] / f["cpu"] for r, f in zip(rs, got[f"{trees[0].name}:{kind}"], strict=True)]),
            }
    return result


def bench_100k(trees: list[Tree], rounds: int, work: Path, data: Path) -> dict:
    bare = [sys.executable, "-c", "import json, sys\nwith open(sys.argv[1], 'rb') as f: json.load(f)", str(data)]
    jobs = [("json.load", lambda: run(bare, HERE))]
    for t in trees:
        cmd = t.cli("check", str(data), "--as-of", AS_OF, "--format", "json", "-o", str(work / f"100k-{t.name}.json"))
        jobs.append((t.name, lambda cmd=cmd, t=t: run(cmd, t.path, t.env)))
    got: dict[str, list[dict]] = {name: [] for name, _ in jobs}
    for i in range(rounds):
        for name, job in _rotate(jobs, i):
            got[name].append(job())
    base = got["json.load"]
    result: dict = {"json.load": {"median_s": _med([r["s"] for r in base]), "min_s": min(r["s"] for r in base), "cpu_s": _med([r["cpu"] for r in base]),
                                  "rss": max(r["rss"] for r in base)}}
    for t in trees:
        rs = got[t.name]
        result[t.name] = {
            "median_s": _med([r["s"] for r in rs]), "min_s": min(r["s"] for r in rs), "rss": max(r["rss"] for r in rs),
            "cpu_s": _med([r["cpu"] for r in rs]), "ratio_median": _med([r["s"] / b["s"] for r, b in zip(rs, base, strict=True)]),
            "cpu_ratio": _med([r["cpu"] / b["cpu"] for r, b in zip(rs, base, strict=True)]),
            "same_as_first": same_files(work / f"100k-{trees[0].name}.json", work / f"100k-{t.name}.json"),
            "vs_first": _med([r["s"] / f["s"] for r, f in zip(rs, got[trees[0].name], strict=True)]),
            "cpu_vs_first": _med([r["cpu"] / f["cpu"] for r, f in zip(rs, got[trees[0].name], strict=True)]),
        }
    return result


def bench_ui(trees: list[Tree], rounds: int, work: Path, data: Path) -> dict:
    got: dict[str, list[dict]] = {t.name: [] for t in trees}
    for i in range(rounds):
        for t in _rotate(trees, i):
            out = work / f"ui-{t.name}.json"
            r = run([sys.executable, __file__, "--child", "ui", str(data)], t.path, t.env, out)
            if r["rc"] != 0:
                raise RuntimeError(f"the UI child of {t.name} failed (exit {r['rc']})")
            got[t.name].append(json.loads(out.read_text()))
    result = {}
    for t in trees:
        rs = got[t.name]
        result[t.name] = {"first": _med([r["rss"][0] for r in rs]), "tenth": _med([r["rss"][-1] for r in rs]),
                          "ratio": _med([r["rss"][-1] / r["rss"][0] for r in rs]),
                          "ratio_second": _med([r["rss"][-1] / r["rss"][1] for r in rs]),
                          "blocks_ratio": _med([r["blocks"][-1] / r["blocks"][0] for r in rs]),
                          "rss": [r["rss"] for r in rs], "blocks": [r["blocks"] for r in rs], "seconds": [r["seconds"] for r in rs],
                          "reload": all(r.get("reload") for r in rs)}
    return result


def bench_engine(trees: list[Tree], rounds: int, work: Path, data: Path) -> dict:
    t = trees[-1]
    got: dict[str, list[dict]] = {"outcomes": [], "findings": []}
    for i in range(rounds):
        for kind in _rotate(["outcomes", "findings"], i):
            out = work / f"engine-{kind}.json"
            r = run([sys.executable, __file__, "--child", "engine", str(data), kind], t.path, t.env, out)
            if r["rc"] != 0:
                raise RuntimeError(f"the engine child of {t.name} failed (exit {r['rc']}): no outcomes option?")
            got[kind].append({**json.loads(out.read_text()), "s": r["s"], "rss": r["rss"]})
    result = {kind: {k: _med([r[k] for r in rs]) for k in ("s", "audit_s", "report_s", "rss")} for kind, rs in got.items()}
    result["findings"]["ratio"] = _med([f["s"] / o["s"] for f, o in zip(got["findings"], got["outcomes"], strict=True)])
    result["findings"]["audit_ratio"] = _med([f["audit_s"] / o["audit_s"] for f, o in zip(got["findings"], got["outcomes"], strict=True)])
    result["same"] = got["findings"][0]["digest"] == got["outcomes"][0]["digest"]
    return result


# -- what runs in a child process of the version measured ---------------------------------------


def child_ui(path: str) -> dict:
    """The UI on a caseload, loaded, then reloaded nine times by its reload action (``ctrl+r``; a version
    without one: a new pipeline reading the file again, the old view on screen meanwhile): after each
    load, the RSS, and the blocks Python holds once the collector has run (the heap itself, whatever the
    allocator keeps from the operating system); and how long each took."""
    import asyncio
    import gc

    from tui.app import YosAuditApp
    from tui.session import Pipeline

    def rss() -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    sizes, blocks, seconds = [], [], []

    async def main() -> None:
        app = YosAuditApp([path], dt.date.fromisoformat(AS_OF), cursor_blink=False)
        async with app.run_test(size=(120, 40)) as pilot:
            for n in range(10):
                t0 = time.perf_counter()
                before = None  # held here only for a version without the action: its screen holds it too
                if n and hasattr(app, "action_reload"):
                    await app.run_action("reload")  # the view None at once: the loop waits for the new one
                elif n:
                    before = app.view
                    old = app.pipeline
                    app.pipeline = Pipeline(old.paths, old.config, old.waivers_path, old.catalogue, old.loader)
                    del old
                    app.recompute()
                for _ in range(100_000):
                    await pilot.pause()
                    if app.view is not None and app.view is not before and app.busy is None:
                        break
                del before  # only the app holds a view now
                await pilot.pause()
                seconds.append(time.perf_counter() - t0)
                sizes.append(rss())
                gc.collect()
                blocks.append(sys.getallocatedblocks())

    asyncio.run(main())
    return {"rss": sizes, "blocks": blocks, "seconds": seconds, "reload": hasattr(YosAuditApp, "action_reload")}


def child_engine(path: str, kind: str) -> dict:
    """``check --format json``'s work in one process, keeping outcomes or not: seconds of the audit and
    of the report, and a digest of the report (the same either way)."""
    import hashlib

    from rules.engine import audit
    from rules.load import load_paths
    from rules.perf import gc_paused
    from rules.report import CheckReport, output

    as_of = dt.date.fromisoformat(AS_OF)
    with gc_paused():
        result = load_paths([path])
        t0 = time.perf_counter()
        done = audit(result.caseload, as_of, outcomes=(kind == "outcomes"))
        t1 = time.perf_counter()
    report = CheckReport(as_of=as_of, findings=done.findings, problems=result.problems, rules=done.rules,
                         cases={c.case_id: c for c in result.caseload.cases}, outcomes=done.outcomes,
                         sources=result.sources)
    text = output(report, "json")
    data = text.encode() if isinstance(text, str) else b"".join(text)
    t2 = time.perf_counter()
    return {"audit_s": t1 - t0, "report_s": t2 - t1, "digest": hashlib.sha256(data).hexdigest(), "outcomes": len(done.outcomes)}


# -- the parent ----------------------------------------------------------------------------------


def machine() -> str:
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f", {int(line.split()[1]) / 1024**2:.0f} GiB RAM"
    except OSError:
        pass
    return (f"{dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs{mem}, Python {platform.python_version()}, "
            f"{platform.platform()}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        kind, *rest = argv[1:]
        print(json.dumps({"ui": child_ui, "engine": child_engine}[kind](*rest)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", action="append", metavar="NAME=PATH", help="a version to measure (default: new=.)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections, comma-separated ({', '.join(SECTIONS)})")
    parser.add_argument("--rounds", type=int, default=0, help="rounds of every section (default: each its own)")
    parser.add_argument("--data", metavar="DIR", help="keep the generated caseloads here (default: a temporary folder)")
    parser.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    rounds = {"example": 15, "10k": 5, "100k": 2, "ui": 1, "engine": 5}
    if args.rounds:
        rounds = dict.fromkeys(rounds, args.rounds)
    with tempfile.TemporaryDirectory(prefix="yos-speed-") as tmp:
        work = Path(tmp)
        trees = [Tree(*spec.split("=", 1), work / "pycache") for spec in (args.tree or ["new=."])]
        data = Path(args.data) if args.data else work
        data.mkdir(parents=True, exist_ok=True)
        print(f"machine: {machine()}")
        for t in trees:
            git = ["git", "-C", str(t.path)]
            rev = subprocess.run([*git, "log", "-1", "--format=%h %s"], check=False, capture_output=True, text=True).stdout.strip()
            dirty = subprocess.run([*git, "status", "--porcelain", "rules", "tui"], check=False, capture_output=True, text=True).stdout
            print(f"{t.name}: {t.path} ({rev}{', with changes not committed' if dirty.strip() else ''})")
            example = t.path / "examples" / "caseload.json"  # byte code written once, as an installed package has it
            run(t.cli("check", str(example), "--format", "json", "-o", str(work / "warm.json")), t.path, t.env)
        files = {}
        for size in (10_000, 100_000):
            if any(s in only for s in (("10k", "ui", "engine") if size == 10_000 else ("100k",))):
                f = data / f"demo-{size}-seed1.json"
                if not f.exists():
                    r = run(trees[-1].cli("demo", "--cases", str(size), "--seed", "1", "-o", str(f)), trees[-1].path, trees[-1].env)
                    assert r["rc"] == 0, "demo failed"
                files[size] = f
        report: dict = {"machine": machine(), "trees": {t.name: str(t.path) for t in trees}}
        names = [t.name for t in trees]
        if "example" in only:
            r = report["example"] = bench_example(trees, rounds["example"], work)
            print(f"\nexample end to end, {rounds['example']} rounds (target 0.2 s):")
            for n in names:
                print(f"  {n:>8}: min {r[n]['min_s']:.3f} s, median {r[n]['median_s']:.3f} s (cpu {r[n]['cpu_s']:.3f} s), peak {_mib(r[n]['rss'])}, "
                      f"same report as {names[0]}: {r[n]['same_as_first']}")
            if len(names) > 1:
                print(f"  {names[-1]}/{names[0]}: {r[names[-1]]['vs_first']:.2f}x (median of rounds), "
                      f"{r[names[-1]]['min_s'] / r[names[0]]['min_s']:.2f}x (minimums), "
                      f"cpu {r[names[-1]]['cpu_s'] / r[names[0]]['cpu_s']:.2f}x (medians)")
        if "10k" in only:
            r = report["10k"] = bench_10k(trees, rounds["10k"], work, files[10_000])
            print(f"\n10,000 cases, check --format json against naive.py, {rounds['10k']} rounds (target <= 1x, aim 0.8x, same rules):")
            print(f"  {'naive':>8}: median {r['naive']['median_s']:.2f} s (cpu {r['naive']['cpu_s']:.2f} s), min {r['naive']['min_s']:.2f} s, "
                  f"peak {_mib(r['naive']['rss'])}")
            for n in names:
                for kind, said in (("four", "same 4 rules"), ("all", "all rules")):
                    x = r[f"{n}:{kind}"]
                    print(f"  {n:>8}: {said:>12}: median {x['median_s']:.2f} s (cpu {x['cpu_s']:.2f} s), min {x['min_s']:.2f} s, "
                          f"peak {_mib(x['rss'])}: {x['ratio_median']:.2f}x naive (median of rounds), {x['ratio_of_min']:.2f}x (minimums), "
                          f"cpu {x['cpu_ratio']:.2f}x; same report: {x['same_as_first']}"
                          + (f"; {x['vs_first']:.2f}x {names[0]} (cpu {x['cpu_vs_first']:.2f}x)" if n != names[0] else ""))
        if "100k" in only:
            r = report["100k"] = bench_100k(trees, rounds["100k"], work, files[100_000])
            print(f"\n100,000 cases, check --format json against a bare json.load, {rounds['100k']} rounds (target <= 2x, under 2 GiB):")
            print(f"  json.load: median {r['json.load']['median_s']:.2f} s (cpu {r['json.load']['cpu_s']:.2f} s), min {r['json.load']['min_s']:.2f} s, "
                  f"peak {_mib(r['json.load']['rss'])}")
            for n in names:
                x = r[n]
                print(f"  {n:>8}: median {x['median_s']:.2f} s (cpu {x['cpu_s']:.2f} s), min {x['min_s']:.2f} s, peak {_mib(x['rss'])} "
                      f"({'under' if x['rss'] < TARGET_RSS else 'OVER'} 2 GiB): {x['ratio_median']:.2f}x json.load (cpu {x['cpu_ratio']:.2f}x); "
                      f"same report: {x['same_as_first']}"
                      + (f"; {x['vs_first']:.2f}x {names[0]} (cpu {x['cpu_vs_first']:.2f}x)" if n != names[0] else ""))
        if "ui" in only:
            r = report["ui"] = bench_ui(trees, rounds["ui"], work, files[10_000])
            print(f"\nterminal UI, 10,000 cases loaded ten times, {rounds['ui']} round(s) (target: the tenth within 10% of the first):")
            for n in names:
                x = r[n]
                print(f"  {n:>8}: RSS after the first {_mib(x['first'])}, after the tenth {_mib(x['tenth'])}: {x['ratio']:.2f}x "
                      f"({x['ratio_second']:.2f}x the second); Python's heap (blocks, collected) {x['blocks_ratio']:.3f}x the first; "
                      f"each load {', '.join(f'{s:.1f}' for s in x['seconds'][0])} s; "
                      + ("reloaded by its reload action" if x["reload"] else "no reload action: a new pipeline each time"))
        if "engine" in only:
            try:
                r = report["engine"] = bench_engine(trees, rounds["engine"], work, files[10_000])
            except RuntimeError as exc:
                print(f"\nengine: not measured ({exc})")
            else:
                print(f"\n{names[-1]}: check's work at 10,000 cases in one process, outcomes kept or not, {rounds['engine']} rounds:")
                for kind in ("outcomes", "findings"):
                    x = r[kind]
                    print(f"  {kind:>8}: {x['s']:.2f} s (audit {x['audit_s']:.2f} s, report {x['report_s']:.2f} s), peak {_mib(x['rss'])}")
                print(f"  findings only / with outcomes: {r['findings']['ratio']:.2f}x the process, {r['findings']['audit_ratio']:.2f}x the audit; "
                      f"same report: {r['same']}")
        if args.json:
            Path(args.json).write_text(json.dumps(report, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
