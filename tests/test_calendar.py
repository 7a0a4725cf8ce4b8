import datetime as dt

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
