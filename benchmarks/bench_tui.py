"""Terminal UI benchmark: open a large caseload, the Cases screen, and type a search, headless.

Run by hand (never collected by pytest)::

    .venv/bin/python benchmarks/bench_tui.py            # 10,000 cases
    .venv/bin/python benchmarks/bench_tui.py 20000

It prints the time to the first audited dashboard, then for opening the Cases screen and for typing an
11-character search the time until the table is complete and the longest stall of the event loop (the
longest gap between ticks of a 10 ms timer): what a manager feels as the screen not answering.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


async def run(size: int) -> None:
    from textual.widgets import DataTable
    from tui_helpers import make_app, settle

    from rules.demo import generate, write

    with tempfile.TemporaryDirectory(prefix="yos-bench-tui-") as folder:
        path = Path(folder) / "caseload.json"
        write(generate(size, 2012, dt.date(2026, 11, 20)), path)
        app = make_app(Path(folder), paths=(path,))
        t0 = time.perf_counter()
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            t1 = time.perf_counter()
            print(f"{size:,} cases: load, audit, scores and dashboard {t1 - t0:.2f} s")
            gaps: list[float] = []
            last = time.perf_counter()

            async def ticker() -> None:
                nonlocal last
                while True:
                    await asyncio.sleep(0.01)
                    now = time.perf_counter()
                    gaps.append(now - last)
                    last = now

            task = asyncio.create_task(ticker())

            async def until_rows(n: int | None) -> None:
                for _ in range(2000):
                    await pilot.pause()
                    found = app.screen.query(DataTable)
                    if found and not any(w.is_running for w in app.workers) and (n is None or found.first().row_count == n):
                        break
                await pilot.pause(0.5)

            await pilot.press("c")
            await until_rows(size)
            t2 = time.perf_counter()
            print(f"  Cases screen: {t2 - t1 - 0.5:.2f} s to fill, longest stall {max(gaps):.2f} s")
            gaps.clear()
            last = time.perf_counter()
            await pilot.press("slash", *"CM-North-01", "enter")
            await until_rows(None)
            t3 = time.perf_counter()
            print(f"  search 'CM-North-01': {t3 - t2 - 0.5:.2f} s, longest stall {max(gaps):.2f} s, "
                  f"{app.screen.query_one(DataTable).row_count:,} rows")
            task.cancel()


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
