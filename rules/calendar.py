"""Working days over England and Wales bank holidays, and calendar-month arithmetic.

"Within N working days of D" means on or before the Nth working day after D (the catalogue's terms).
Bank holidays come from the maintained ``holidays`` package (subdivision England; Wales shares
England's bank holidays), so a new year's dates arrive with a package update, not with an edit here.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from bisect import bisect_left, bisect_right
from functools import lru_cache

import holidays as _holidays

FIRST_YEAR = 2009


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
        self._holidays.update(_holidays.country_holidays("GB", subdiv="ENG", years=years))
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
