import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.calendar import WorkingDays, add_months, add_working_days, working_days

D = dt.date


def test_weekends_are_skipped():
    # Friday 5 June 2026 + 1 working day is Monday 8 June
    assert add_working_days(D(2026, 6, 5), 1) == D(2026, 6, 8)
    # a Saturday start counts from Monday
    assert add_working_days(D(2026, 6, 6), 1) == D(2026, 6, 8)


def test_easter_2026_is_skipped():
    # Thursday 2 April 2026; Good Friday 3 April and Easter Monday 6 April are bank holidays
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)


def test_christmas_2026_substitute_day():
    # Boxing Day 2026 is a Saturday: Monday 28 December is the substitute bank holiday
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)


def test_bank_holidays_from_2009():
    wd = working_days()
    assert wd.is_holiday(D(2009, 5, 4))  # early May bank holiday 2009
    assert wd.is_holiday(D(2012, 6, 4)) and wd.is_holiday(D(2012, 6, 5))  # Diamond Jubilee
    assert wd.is_holiday(D(2022, 9, 19))  # state funeral of Queen Elizabeth II
    assert not wd.is_holiday(D(2026, 3, 17))  # St Patrick's Day is Northern Ireland's only


def test_zero_and_negative():
    assert add_working_days(D(2026, 6, 6), 0) == D(2026, 6, 6)
    # Monday 8 June - 1 working day is Friday 5 June
    assert add_working_days(D(2026, 6, 8), -1) == D(2026, 6, 5)
    # Tuesday 7 April 2026 - 1 is Thursday 2 April (Easter)
    assert add_working_days(D(2026, 4, 7), -1) == D(2026, 4, 2)


def test_far_future_grows_the_table():
    wd = WorkingDays(last_year=2026)
    assert wd.add(D(2040, 12, 31), 1) == D(2041, 1, 2)  # 1 Jan 2041 is a bank holiday


@given(st.dates(min_value=D(2009, 1, 1), max_value=D(2035, 12, 31)), st.integers(1, 400))
def test_add_lands_on_the_nth_working_day(day, n):
    wd = working_days()
    end = wd.add(day, n)
    assert wd.is_working_day(end)
    assert wd.between(day, end) == n
    assert wd.add(end, -n) <= day or not wd.is_working_day(day) or wd.add(end, -n) == day


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2045, 12, 31)), st.integers(-300, 300))
def test_a_remembered_answer_is_the_answer_worked_out_afresh(day, n):
    fresh, shared = WorkingDays(last_year=2026), working_days()
    first = shared.add(day, n)  # worked out, or remembered from an earlier question
    assert shared.add(day, n) == first == fresh.add(day, n) == fresh._add(day, n)


def test_counting_back_from_past_the_table_grows_it_first():
    far = D(2045, 6, 1)  # past a table built to 2026, and more than 500 working days back
    assert WorkingDays(last_year=2026).add(far, -600) == WorkingDays(last_year=2070).add(far, -600) == D(2043, 1, 15)


def test_months_clamp_to_month_end():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert add_months(D(2026, 5, 31), -3) == D(2026, 2, 28)
    assert add_months(D(2026, 12, 15), 1) == D(2027, 1, 15)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 1, 1)), st.integers(-36, 36))
def test_months_are_calendar_months(day, n):
    out = add_months(day, n)
    assert (out.year * 12 + out.month) - (day.year * 12 + day.month) == n
    assert out.day == day.day or out.day < day.day and (out + dt.timedelta(days=1)).day == 1


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31)), st.integers(-36, 36))
def test_add_months_clamps_to_the_last_day_of_the_month(day, n):
    import calendar

    month0 = day.month - 1 + n
    year, month = day.year + month0 // 12, month0 % 12 + 1
    assert add_months(day, n) == dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# -- the bank holiday table, kept between runs ---------------------------------------------------


def _package_table(first: int, last: int) -> frozenset:
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=range(first, last + 1)))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A cache folder of the test's own, and no table remembered in this process."""
    from rules.calendar import CACHE_ENV, bank_holidays

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    bank_holidays.cache_clear()
    yield tmp_path / "cache" / "bank-holidays.json"
    bank_holidays.cache_clear()


def test_the_table_is_the_packages_and_a_later_run_reads_it_without_the_package(cache):
    from rules.calendar import bank_holidays

    assert bank_holidays(2009, 2030) == _package_table(2009, 2030)
    assert cache.is_file() and oct(cache.stat().st_mode & 0o777) == "0o600"
    WorkingDays()  # the years a new process's calendar asks for (they run on from today)
    code = (
        "import datetime as dt, sys\n"
        "from rules.calendar import add_working_days\n"
        "print(add_working_days(dt.date(2026, 4, 2), 1), add_working_days(dt.date(2012, 6, 1), 1), 'holidays' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=os.environ)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["2026-04-07", "2012-06-06", "False"]  # Easter; the Diamond Jubilee


@pytest.mark.parametrize("text", [
    '{"package": "another installation", "first": 2009, "last": 2040, "dates": ["2026-06-08"]}',
    '{"first": 2009, "last": 2040, "dates": ["2026-06-08"]',  # cut short
    "",
])
def test_a_cache_from_another_package_or_damaged_is_built_again(cache, text):
    from rules.calendar import bank_holidays, package_identity

    cache.parent.mkdir()
    cache.write_text(text)
    days = bank_holidays(2009, 2030)
    assert days == _package_table(2009, 2030) and D(2026, 6, 8) not in days
    assert json.loads(cache.read_text())["package"] == package_identity()


def test_a_cache_of_fewer_years_is_widened_never_narrowed(cache):
    from rules.calendar import bank_holidays

    bank_holidays(2009, 2030)
    bank_holidays.cache_clear()
    assert bank_holidays(2020, 2045) == _package_table(2020, 2045)
    doc = json.loads(cache.read_text())
    assert (doc["first"], doc["last"]) == (2009, 2045)


def test_no_cache_when_the_variable_is_empty_and_none_where_it_cannot_be_written(tmp_path, monkeypatch):
    from rules.calendar import CACHE_ENV, bank_holidays, cache_file

    blocked = tmp_path / "a file"
    blocked.write_text("")
    for folder in ("", str(blocked / "cache")):
        monkeypatch.setenv(CACHE_ENV, folder)
        bank_holidays.cache_clear()
        assert bank_holidays(2025, 2027) == _package_table(2025, 2027)
    assert cache_file() == blocked / "cache" / "bank-holidays.json" and list(tmp_path.iterdir()) == [blocked]
    bank_holidays.cache_clear()


def test_the_cache_is_in_the_users_cache_folder_and_nowhere_without_a_home(monkeypatch):
    from rules.calendar import CACHE_ENV, cache_file

    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert cache_file() == Path("/somewhere/cache/yos-audit/bank-holidays.json")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "/home/someone")
    assert cache_file() == Path("/home/someone/.cache/yos-audit/bank-holidays.json")
    monkeypatch.setattr("os.path.expanduser", lambda path: path)  # no home: ~ stays ~
    assert cache_file() is None
