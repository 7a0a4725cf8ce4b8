"""Working days over England and Wales bank holidays, and calendar-month arithmetic.

"Within N working days of D" means on or before the Nth working day after D (the catalogue's terms).
Bank holidays come from the maintained ``holidays`` package (subdivision England; Wales shares
England's bank holidays), so a new year's dates arrive with a package update, not with an edit here.

Importing the package loads every country it knows, which costs more than the rest of a small audit.
So the table it gives is built once and kept in a cache file (:func:`bank_holidays`): a run reads the
dates from there and imports the package only when the file is missing, covers too few years, or was
written from another installation or version of it (its files' sizes and times are part of the file),
so a package update still brings its dates. ``YOS_AUDIT_CACHE`` names the cache folder (default:
``$XDG_CACHE_HOME/yos-audit``, else ``~/.cache/yos-audit``); set empty, nothing is kept. A cache that
cannot be read or written is rebuilt or skipped, never an error.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import json
import os
from bisect import bisect_left, bisect_right
from functools import cache, lru_cache
from pathlib import Path

FIRST_YEAR = 2009
#: the environment variable naming the folder of the bank holiday cache (empty: no cache)
CACHE_ENV = "YOS_AUDIT_CACHE"
CACHE_NAME = "bank-holidays.json"


@cache
def bank_holidays(first: int, last: int) -> frozenset[dt.date]:
    """England and Wales bank holidays of the years ``first`` to ``last``, from the ``holidays`` package,
    through the cache file (see the module's text)."""
    path, source = cache_file(), package_identity()
    kept = _read_cache(path, source) if path is not None and source is not None else None
    if kept is not None and kept[0] <= first and last <= kept[1]:
        return frozenset(d for d in kept[2] if first <= d.year <= last)
    span = (first, last) if kept is None else (min(first, kept[0]), max(last, kept[1]))  # never narrower
    import holidays

    days = frozenset(holidays.country_holidays("GB", subdiv="ENG", years=range(span[0], span[1] + 1)))
    if path is not None and source is not None:
        _write_cache(path, source, span, days)
    return frozenset(d for d in days if first <= d.year <= last)


def cache_file() -> Path | None:
    """Where the table is kept (None: nowhere)."""
    folder = os.environ.get(CACHE_ENV)
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):  # no home to be found: never a folder named ~ where the run stands
            return None
        folder = os.path.join(base, "yos-audit")
    return Path(folder, CACHE_NAME) if folder else None


def package_identity() -> str | None:
    """The installed ``holidays`` package, without importing it: its folder, and the size and time of
    the files that state its version and England's holidays (None: not found)."""
    from importlib.util import find_spec

    try:
        spec = find_spec("holidays")
        root = Path(next(iter(spec.submodule_search_locations)))  # type: ignore[union-attr]
        stats = [(name, (root / name).stat()) for name in ("version.py", "countries/united_kingdom.py")]
    except (AttributeError, StopIteration, TypeError, ValueError, OSError):
        return None
    return " ".join([str(root), *(f"{name}:{st.st_size}:{st.st_mtime_ns}" for name, st in stats)])


def _read_cache(path: Path, source: str) -> tuple[int, int, list[dt.date]] | None:
    """(first year, last year, dates) of a cache written from this package, or None."""
    try:
        doc = json.loads(path.read_bytes())
        first, last = doc["first"], doc["last"]
        days = [dt.date.fromisoformat(d) for d in doc["dates"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if doc.get("package") != source or not (type(first) is type(last) is int and first <= last):
        return None
    if not all(first <= d.year <= last for d in days):
        return None
    return first, last, days


def _write_cache(path: Path, source: str, span: tuple[int, int], days: frozenset[dt.date]) -> None:
    from rules.output import OutputError, write_file

    doc = {"package": source, "first": span[0], "last": span[1], "dates": sorted(d.isoformat() for d in days)}
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_file(path, json.dumps(doc, indent=0) + "\n")
    except (OSError, OutputError):
        pass  # a read-only home, a full disk: the next run builds the table again


class WorkingDays:
    """Working-day arithmetic over a sorted table of working days, grown on demand."""

    def __init__(self, first_year: int = FIRST_YEAR, last_year: int | None = None) -> None:
        self._first = first_year
        self._last = first_year - 1
        self._days: list[int] = []  # ordinals of working days, ascending
        self._holidays: set[dt.date] = set()
        #: (day, n) -> the answer of :meth:`add`: an audit asks the same few thousand questions millions of times
        self._added: dict[tuple[dt.date, int], dt.date] = {}
        self._ensure(last_year or dt.date.today().year + 5)

    def _ensure(self, year: int) -> None:
        """Cover every year up to ``year`` (and the one after, for look-ahead over a year's end)."""
        year += 1
        if year <= self._last:
            return
        years = range(self._last + 1, year + 1)
        self._holidays.update(bank_holidays(years.start, years.stop - 1))
        start = dt.date(years.start, 1, 1).toordinal()
        end = dt.date(years.stop - 1, 12, 31).toordinal()
        self._days.extend(
            o for o in range(start, end + 1)
            if (o % 7) not in (6, 0) and dt.date.fromordinal(o) not in self._holidays
        )  # date.toordinal() % 7: 6 is Saturday, 0 is Sunday
        self._last = year

    def is_holiday(self, day: dt.date) -> bool:
        self._ensure(day.year)
        return day in self._holidays

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def add(self, day: dt.date, n: int) -> dt.date:
        """The ``n``th working day after ``day`` (``n`` may be negative: before; 0: ``day`` itself)."""
        try:
            return self._added[day, n]
        except KeyError:
            found = self._added[day, n] = self._add(day, n)
            return found

    def _add(self, day: dt.date, n: int) -> dt.date:
        if n == 0:
            return day
        if day.year < self._first:  # before the table: plain weekdays are near enough for 1990s dates
            return _add_weekdays(day, n)
        last = day.year + max(0, n // 250) + 1  # forward: a year a 250 working days; back: the table reaches day
        if last >= dt.MAXYEAR:  # no date so far on: fail now, not after building a table of millennia
            raise OverflowError(f"{n} working days after {day} is beyond the last date there is")
        self._ensure(last)
        o = day.toordinal()
        if n > 0:
            i = bisect_right(self._days, o) + n - 1
        else:
            i = bisect_left(self._days, o) + n
        if i < 0:
            return _add_weekdays(day, n)
        return dt.date.fromordinal(self._days[i])

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
        self._ensure(max(start.year, end.year))
        a, b = start.toordinal(), end.toordinal()
        if b >= a:
            return bisect_right(self._days, b) - bisect_right(self._days, a)
        return -(bisect_right(self._days, a) - bisect_right(self._days, b))


def _add_weekdays(day: dt.date, n: int) -> dt.date:
    step = 1 if n > 0 else -1
    left = abs(n)
    while left:
        day += dt.timedelta(days=step)
        if day.weekday() < 5:
            left -= 1
    return day


@lru_cache(maxsize=1)
def working_days() -> WorkingDays:
    """The shared calendar (built once, on first use)."""
    return WorkingDays()


def add_working_days(day: dt.date, n: int) -> dt.date:
    return working_days().add(day, n)


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: dt.date, n: int) -> dt.date:
    """Calendar months, clamped to the month's end: 2026-01-31 + 1 month = 2026-02-28."""
    month0 = day.month - 1 + n
    year, month = day.year + month0 // 12, month0 % 12 + 1
    d = day.day
    if d > 28:  # only the 29th to the 31st can overrun a month (calendar.monthrange is slower than this)
        d = min(d, 29 if month == 2 and _calendar.isleap(year) else _MONTH_DAYS[month])
    return dt.date(year, month, d)
