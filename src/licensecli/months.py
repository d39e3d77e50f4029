"""Months as facts, for `licensecli calendar`: every day's kind (working day, weekend, day off,
adjusted working day), its holiday name, whether the calendar estimated it, and the deadlines
that fall on it. Pure: the calendar and the deadlines are passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from licensecli.engine import Deadline
from licensecli.errors import InputError
from licensecli.workdays import FIRST_YEAR, LAST_YEAR, Calendar

MAX_MONTHS = 36  # three years of grids: more is a scroll, not a calendar


class Day(NamedTuple):
    """One day of a month with what licensecli knows of it."""

    date: dt.date
    kind: str  # workday, weekend, holiday (a day off), adjusted_workday (调休上班)
    workday: bool
    name: str | None  # the holiday's name, for a day off or an adjusted working day
    estimated: bool  # the year has no published schedule: its days off are estimated
    deadlines: tuple[Deadline, ...]


class Month(NamedTuple):
    """One month: its days in order, and whether any of them is estimated."""

    year: int
    month: int
    days: tuple[Day, ...]

    @property
    def estimated(self) -> bool:
        """Whether the month's year has no published holiday schedule."""
        return any(d.estimated for d in self.days)


def parse_start(given: str | None, today: dt.date) -> tuple[int, int, int]:
    """`YEAR` (12 months from January), `YEAR-MM` (that month) or nothing (this month and the
    next two, as `cal -3` centres on today): (year, month, default count)."""
    if given is None:
        return today.year, today.month, 3
    text = given.strip()
    parts = text.split("-")
    try:
        if len(parts) == 1 and len(text) == 4 and text.isdigit():
            year, month, count = int(text), 1, 12
        elif (
            len(parts) == 2
            and len(parts[0]) == 4
            and len(parts[1]) in (1, 2)
            and text.replace("-", "").isdigit()
        ):
            year, month, count = int(parts[0]), int(parts[1]), 1
        else:
            raise ValueError
    except ValueError:
        raise InputError(f"'{given}': give a year (2026) or a month (2026-02)") from None
    if not 1 <= month <= 12:
        raise InputError(f"'{given}': {month} is not a month (01 to 12)")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(f"'{given}': give a year from {FIRST_YEAR} to {LAST_YEAR} (the calendar's range)")
    return year, month, count


def month_span(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """`count` months from year-month on, within the calendar's range."""
    if not 1 <= count <= MAX_MONTHS:
        raise InputError(f"--months {count}: give 1 to {MAX_MONTHS}")
    found = []
    for i in range(count):
        y, m = divmod(month - 1 + i, 12)
        if year + y > LAST_YEAR:
            raise InputError(
                f"{count} months from {year}-{month:02d} run past {LAST_YEAR}, where the calendar "
                "ends; show fewer (--months N)"
            )
        found.append((year + y, m + 1))
    return found


def first_and_last(span: Sequence[tuple[int, int]]) -> tuple[dt.date, dt.date]:
    """The first day of the first month and the last day of the last one."""
    (y0, m0), (y1, m1) = span[0], span[-1]
    following = dt.date(y1 + (m1 == 12), m1 % 12 + 1, 1)
    return dt.date(y0, m0, 1), following - dt.timedelta(days=1)


def months(span: Sequence[tuple[int, int]], calendar: Calendar, deadlines: Sequence[Deadline]) -> list[Month]:
    """The months of `span` with each day's facts and the deadlines due on it."""
    due: dict[dt.date, list[Deadline]] = {}
    for d in deadlines:
        due.setdefault(d.due_date, []).append(d)
    found = []
    for year, month in span:
        days = []
        day = dt.date(year, month, 1)
        while day.month == month:
            info = calendar.why(day)
            name = info.name if info.kind in ("holiday", "adjusted_workday") else None
            days.append(Day(day, info.kind, info.workday, name, info.estimated, tuple(due.get(day, ()))))
            day += dt.timedelta(days=1)
        found.append(Month(year, month, tuple(days)))
    return found


class Run(NamedTuple):
    """Consecutive days of the same kind and name (a holiday block), for the list under the grids."""

    first: dt.date
    last: dt.date
    kind: str
    name: str | None
    estimated: bool


def runs(shown: Sequence[Month]) -> list[Run]:
    """The days off and adjusted working days of the shown months, in blocks."""
    found: list[Run] = []
    for month in shown:
        for day in month.days:
            if day.kind not in ("holiday", "adjusted_workday"):
                continue
            last = found[-1] if found else None
            if (
                last is not None
                and last.kind == day.kind
                and last.name == day.name
                and last.last + dt.timedelta(days=1) == day.date
            ):
                found[-1] = last._replace(last=day.date, estimated=last.estimated or day.estimated)
            else:
                found.append(Run(day.date, day.date, day.kind, day.name, day.estimated))
    return found
