"""The working-day calendar against the State Council notices, typed in here as data.

2024: 国办发明电〔2023〕7号 · 2025: 国办发明电〔2024〕12号 · 2026: the notice of 2025-11-04
(as summarised in docs/counting-rules.md). Nothing here is read from chinese-calendar.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licensecli.errors import CalendarError, DataFileError, EstimateRefusedError
from licensecli.workdays import Calendar, estimate_year

D = dt.date


def days(first: str, last: str | None = None) -> list[dt.date]:
    start = D.fromisoformat(first)
    end = D.fromisoformat(last or first)
    return [start + dt.timedelta(n) for n in range((end - start).days + 1)]


NOTICES: dict[int, tuple[list[dt.date], list[dt.date]]] = {
    2024: (
        days("2024-01-01")
        + days("2024-02-10", "2024-02-17")
        + days("2024-04-04", "2024-04-06")
        + days("2024-05-01", "2024-05-05")
        + days("2024-06-10")
        + days("2024-09-15", "2024-09-17")
        + days("2024-10-01", "2024-10-07"),
        days("2024-02-04")
        + days("2024-02-18")
        + days("2024-04-07")
        + days("2024-04-28")
        + days("2024-05-11")
        + days("2024-09-14")
        + days("2024-09-29")
        + days("2024-10-12"),
    ),
    2025: (
        days("2025-01-01")
        + days("2025-01-28", "2025-02-04")
        + days("2025-04-04", "2025-04-06")
        + days("2025-05-01", "2025-05-05")
        + days("2025-05-31", "2025-06-02")
        + days("2025-10-01", "2025-10-08"),
        days("2025-01-26")
        + days("2025-02-08")
        + days("2025-04-27")
        + days("2025-09-28")
        + days("2025-10-11"),
    ),
    2026: (
        days("2026-01-01", "2026-01-03")
        + days("2026-02-15", "2026-02-23")
        + days("2026-04-04", "2026-04-06")
        + days("2026-05-01", "2026-05-05")
        + days("2026-06-19", "2026-06-21")
        + days("2026-09-25", "2026-09-27")
        + days("2026-10-01", "2026-10-07"),
        days("2026-01-04")
        + days("2026-02-14")
        + days("2026-02-28")
        + days("2026-05-09")
        + days("2026-09-20")
        + days("2026-10-10"),
    ),
}

CAL = Calendar()


def expected_workday(day: dt.date) -> bool:
    off, work = NOTICES[day.year]
    return day in work or (day not in off and day.weekday() < 5)


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_every_day_matches_the_notice(year: int) -> None:
    wrong = [d for d in days(f"{year}-01-01", f"{year}-12-31") if CAL.is_workday(d) != expected_workday(d)]
    assert wrong == []


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_schedule_lists_the_notice(year: int) -> None:
    off, work = NOTICES[year]
    schedule = CAL.schedule(year)
    assert sorted(schedule.days_off) == sorted(off)
    assert sorted(schedule.working_days) == sorted(work)
    assert not schedule.estimated


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # 调休 Saturdays are working days: Fri 02-13 + 1 → Sat 02-14 (adjusted), then the festival.
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-13", 2, "2026-02-24"),  # 02-15…02-23 off
        ("2026-02-27", 1, "2026-02-28"),  # adjusted Saturday
        ("2026-02-28", 1, "2026-03-02"),
        ("2026-10-09", 1, "2026-10-10"),  # adjusted Saturday after National Day
        ("2026-09-30", 1, "2026-10-08"),  # 10-01…10-07 off
        ("2025-12-31", 1, "2026-01-04"),  # year end: 01-01…01-03 off, 01-04 adjusted Sunday
        ("2024-12-31", 1, "2025-01-02"),
        ("2025-01-24", 1, "2025-01-26"),  # adjusted Sunday before Spring Festival 2025
        ("2025-09-30", 1, "2025-10-09"),  # 10-01…10-08 off
        ("2025-10-10", 1, "2025-10-11"),  # adjusted Saturday
        ("2024-02-09", 1, "2024-02-18"),  # adjusted Sunday right after the 2024 festival
        # negative n: counting back
        ("2026-02-24", -1, "2026-02-14"),
        ("2026-01-04", -1, "2025-12-31"),
        ("2026-03-02", -5, "2026-02-24"),
        ("2026-10-08", -1, "2026-09-30"),
        ("2026-01-05", 0, "2026-01-05"),
        ("2026-01-03", 0, "2026-01-03"),  # n = 0 is the day itself, working or not
    ],
)
def test_add_table(start: str, n: int, expected: str) -> None:
    assert CAL.add(D.fromisoformat(start), n) == (D.fromisoformat(expected), False)


def test_ten_working_days_across_spring_festival_2026_by_hand() -> None:
    # After Thu 02-12: 02-13 (1), Sat 02-14 adjusted (2), festival 02-15…02-23, 02-24 (3),
    # 25 (4), 26 (5), 27 (6), Sat 02-28 adjusted (7), 03-02 (8), 03 (9), 04 (10).
    assert CAL.add(D(2026, 2, 12), 10).date == D(2026, 3, 4)


def test_count_table() -> None:
    assert CAL.count(D(2026, 9, 30), D(2026, 10, 12)).count == 4
    assert CAL.count(D(2026, 2, 1), D(2026, 3, 1)).count == 16
    assert CAL.count(D(2026, 1, 1), D(2026, 1, 1)).count == 0
    assert CAL.count(D(2026, 10, 12), D(2026, 9, 30)).count == -4
    # 2026: 365 days, 104 weekend days; weekday days off 01-01, 01-02 (2), 02-16…02-20, 02-23 (6),
    # 04-06 (1), 05-01, 05-04, 05-05 (3), 06-19 (1), 09-25 (1), 10-01, 02, 05, 06, 07 (5) = 19;
    # 6 adjusted working days.
    assert CAL.count(D(2025, 12, 31), D(2026, 12, 31)).count == 365 - 104 - 19 + 6


@pytest.mark.parametrize(
    ("day", "kind", "name"),
    [
        ("2026-02-14", "adjusted_workday", "春节调休"),
        ("2026-02-17", "holiday", "春节"),
        ("2026-10-01", "holiday", "国庆节"),
        ("2026-11-28", "weekend", None),
        ("2026-11-27", "workday", None),
    ],
)
def test_why(day: str, kind: str, name: str | None) -> None:
    info = CAL.why(D.fromisoformat(day))
    assert (info.kind, info.name, info.estimated) == (kind, name, False)
    assert info.workday == (kind in ("workday", "adjusted_workday"))


def test_rollovers() -> None:
    assert CAL.roll_forward(D(2026, 1, 1)).date == D(2026, 1, 4)  # R3: adjusted Sunday
    assert CAL.roll_backward(D(2025, 10, 4)).date == D(2025, 9, 30)  # R6
    assert CAL.roll_backward(D(2026, 2, 14)).date == D(2026, 2, 14)  # a working Saturday stays


def test_counting_rules_worked_example_r3() -> None:
    # docs/counting-rules.md, R3: 2020's National Day and Mid-autumn holiday ran 10-01…10-08, so a
    # period whose last day is 10-01 ends on the day after the rest ends: Fri 10-09.
    assert not CAL.is_workday(D(2020, 10, 8))
    assert CAL.roll_forward(D(2020, 10, 1)).date == D(2020, 10, 9)


# --- years without a published schedule ---------------------------------------------------


def test_2027_is_estimated_from_statutory_holidays() -> None:
    schedule = estimate_year(2027)
    assert schedule.estimated and schedule.working_days == {}
    # Lunar new year 2027 is 02-06 (正月初一), so 除夕 is 02-05; 端午 06-09; 中秋 09-15; 清明 04-05.
    expected = (
        days("2027-01-01")
        + days("2027-02-05", "2027-02-08")
        + days("2027-04-05")
        + days("2027-05-01", "2027-05-02")
        + days("2027-06-09")
        + days("2027-09-15")
        + days("2027-10-01", "2027-10-03")
    )
    assert sorted(schedule.days_off) == expected


def test_add_into_2027_is_marked_estimated() -> None:
    calendar = Calendar()
    # After Fri 2026-12-25: 12-28, 29, 30, 31 (4), 2027-01-01 off, 01-04 … 01-08 (9), 01-11 (10).
    assert calendar.add(D(2026, 12, 25), 10) == (D(2027, 1, 11), True)
    assert calendar.estimated_years_used == {2027}
    assert calendar.add(D(2026, 12, 1), 3).estimated is False


def test_strict_calendar_refuses_estimates() -> None:
    with pytest.raises(EstimateRefusedError, match="2027"):
        Calendar(strict=True).add(D(2026, 12, 25), 10)


@pytest.mark.parametrize("day", [D(2003, 12, 31), D(2100, 1, 1)])
def test_years_outside_the_calendar_are_errors(day: dt.date) -> None:
    with pytest.raises(CalendarError):
        CAL.is_workday(day)


def test_adding_past_the_calendar_ends_is_an_error() -> None:
    with pytest.raises(CalendarError):
        Calendar().add(D(2026, 1, 1), 10**9)
    with pytest.raises(CalendarError, match="before 2004-01-01"):
        Calendar().add(D(2004, 1, 5), -10)


# --- user holiday files ----------------------------------------------------------------------

# FICTIONAL: made-up 2027 dates in the shape of a notice (the real 2027 notice is not out yet).
# Every statutory holiday of 2027 is a day off, so the file is plausible; 01-09 and 02-20 are
# Saturdays.
FILE_2027 = """\
source: 国务院办公厅关于2027年部分节假日安排的通知 (test data, made up)
years: [2027]
days_off:
  - {date: 2027-01-01, name: 元旦}
  - {from: 2027-02-05, to: 2027-02-11, name: 春节}
  - {from: 2027-04-03, to: 2027-04-05, name: 清明节}
  - {from: 2027-05-01, to: 2027-05-05, name: 劳动节}
  - {date: 2027-06-09, name: 端午节}
  - {date: 2027-09-15, name: 中秋节}
  - {from: 2027-10-01, to: 2027-10-07, name: 国庆节}
working_days:
  - {date: 2027-02-20, name: 春节调休}
  - 2027-01-09
"""


def schedule_yaml(year: int, off: list[dt.date], work: list[dt.date], source: str = "a test") -> str:
    """A holiday file declaring `year` with these days off and adjusted working days."""
    lines = [f"source: {source}", f"years: [{year}]", "days_off:"]
    lines += [f"  - {day}" for day in sorted(off)]
    lines += ["working_days:"] + [f"  - {day}" for day in sorted(work)]
    if not work:
        lines[-1] = "working_days: []"
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, text: str, name: str = "h.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_holiday_file_replaces_the_estimate(tmp_path: Path) -> None:
    calendar = Calendar([write(tmp_path, FILE_2027)])
    # After Fri 2026-12-25: 12-28…12-31 (4), 01-01 off, 01-04…01-08 (9), Sat 01-09 adjusted (10).
    assert calendar.add(D(2026, 12, 25), 10) == (D(2027, 1, 9), False)
    assert calendar.why(D(2027, 2, 9)).kind == "holiday"
    assert calendar.why(D(2027, 2, 20)).name == "春节调休"
    assert calendar.why(D(2027, 1, 9)).name is None


def test_holiday_file_can_amend_a_known_year(tmp_path: Path) -> None:
    # The whole 2026 notice, plus a made-up day off on 12-31 (FICTIONAL, to see the file win).
    off, work = NOTICES[2026]
    text = schedule_yaml(2026, [*off, D(2026, 12, 31)], work, source="amendment")
    calendar = Calendar([write(tmp_path, text)])
    assert not calendar.is_workday(D(2026, 12, 31))
    assert calendar.is_workday(D(2026, 12, 30))
    assert not calendar.is_workday(D(2026, 2, 16))
    assert calendar.schedule(2026).source == "amendment"


def test_holiday_file_replaces_the_whole_year(tmp_path: Path) -> None:
    # The 2026 notice without its last adjusted working day, Sat 10-10: the file wins over the
    # package, so 10-10 is an ordinary Saturday again.
    off, work = NOTICES[2026]
    text = schedule_yaml(2026, off, [d for d in work if d != D(2026, 10, 10)])
    calendar = Calendar([write(tmp_path, text)])
    assert not calendar.is_workday(D(2026, 10, 10))
    assert CAL.is_workday(D(2026, 10, 10))


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("source: x\nyears: [2027]\ndays_off: [2028-01-01]\n", 3, "outside the years this file declares"),
        ("source: x\nyears: [1999]\n", 2, "is not a year from 2004"),
        ("years: [2027]\n", 1, "source: missing"),
        ("source: x\nyears: [2027]\nholidays: []\n", 3, "holidays: unknown key"),
        (
            "source: x\nyears: [2027]\ndays_off:\n  - {from: 2027-02-09, to: 2027-02-01}\n",
            4,
            "not a holiday block",
        ),
        ("source: x\nyears: [2027]\ndays_off: [2027-01-02]\nworking_days: [2027-01-02]\n", 4, "both"),
        ("source: x\nyears: [2027]\ndays_off: [2027-02-30]\n", 3, "not a real date"),
        ("- 2027-01-01\n", 1, "a holiday file is a mapping"),
    ],
)
def test_bad_holiday_files(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(DataFileError) as info:
        Calendar([path])
    assert info.value.message.startswith(f"{path}:{line}: ")
    assert message in info.value.message


def test_two_files_that_disagree_name_both(tmp_path: Path) -> None:
    first = write(tmp_path, FILE_2027, "a.yaml")
    second = write(tmp_path, FILE_2027.replace("2027-01-09", "2027-01-16"), "b.yaml")
    with pytest.raises(DataFileError) as info:
        Calendar([first, second])
    assert str(first) in info.value.message and str(second) in info.value.message
    assert "disagree on 2027" in info.value.message


def test_two_files_that_agree_are_fine(tmp_path: Path) -> None:
    Calendar([write(tmp_path, FILE_2027, "a.yaml"), write(tmp_path, FILE_2027, "b.yaml")])


# --- properties ------------------------------------------------------------------------------

PROPERTY_CAL = Calendar()
dates = st.dates(D(2004, 4, 1), D(2030, 9, 30))
steps = st.integers(min_value=-60, max_value=60)


def naive_add(day: dt.date, n: int) -> dt.date:
    """Day-by-day reference, using only `why` (the per-year data, not the index)."""
    step = dt.timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        day += step
        if PROPERTY_CAL.why(day).workday:
            left -= 1
    return day


@settings(max_examples=300, deadline=None)
@given(dates, steps)
def test_add_lands_on_a_working_day_and_matches_the_reference(day: dt.date, n: int) -> None:
    result = PROPERTY_CAL.add(day, n).date
    if n:
        assert PROPERTY_CAL.is_workday(result)
    assert result == naive_add(day, n)


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=0, max_value=300))
def test_count_inverts_add(day: dt.date, n: int) -> None:
    assert PROPERTY_CAL.count(day, PROPERTY_CAL.add(day, n).date).count == n


@settings(max_examples=200, deadline=None)
@given(dates, steps, steps)
def test_add_is_monotonic_in_n(day: dt.date, a: int, b: int) -> None:
    low, high = sorted((a, b))
    assert PROPERTY_CAL.add(day, low).date <= PROPERTY_CAL.add(day, high).date


@settings(max_examples=200, deadline=None)
@given(dates, st.integers(min_value=0, max_value=120))
def test_count_matches_the_reference(day: dt.date, span: int) -> None:
    end = day + dt.timedelta(days=span)
    expected = sum(1 for k in range(1, span + 1) if PROPERTY_CAL.why(day + dt.timedelta(k)).workday)
    assert PROPERTY_CAL.count(day, end).count == expected


def test_index_grows_backwards_and_forwards_from_the_first_question() -> None:
    calendar = Calendar()
    # After Mon 2026-01-05 counting back: Sun 01-04 adjusted (1), 01-01…03 off, 12-31 (2), 12-30 (3).
    assert calendar.add(D(2026, 1, 5), -3).date == D(2025, 12, 30)
    assert calendar.is_workday(D(2026, 2, 14))
    assert not calendar.is_workday(D(2005, 10, 3))  # National Day 2005, indexed after 2025/2026
    assert calendar.add(D(2026, 1, 5), -3).date == D(2025, 12, 30)  # still right after the rebase
    assert calendar.count(D(2025, 12, 31), D(2026, 12, 31)).count == 365 - 104 - 19 + 6


def test_the_user_folder_is_where_platformdirs_puts_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from platformdirs import user_config_dir

    from licensecli.holidayfiles import user_holiday_folder

    for value in (str(tmp_path / "cfg"), ""):
        monkeypatch.setenv("XDG_CONFIG_HOME", value)
        assert user_holiday_folder() == Path(user_config_dir("licensecli")) / "holidays"
