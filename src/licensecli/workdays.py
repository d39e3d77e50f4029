"""The Chinese working-day calendar. The only module that knows chinese-calendar; the holiday
files users supply are read and checked in holidayfiles.

A day is a working day if it is an adjusted working day (调休上班), else if it is not a day off,
else if it is Monday–Friday (docs/counting-rules.md, R3 and R4). Data per year comes from, in order of precedence:
user holiday files (a year they declare replaces everything else for it), chinese-calendar's
published schedules (2004–2026 in 1.11), and — for later years with no published schedule — an
estimate from weekends plus the statutory holidays of 《全国年节及纪念日放假办法》 (as amended,
effective 2025-01-01). Answers that touch an estimated day say so.

Queries are answered from an index built once per process, lazily and only over the years asked
about: `_cum[i]` is the number of working days from the index's first day to that day + i
inclusive, `_workdays` the ordinals (days since the first day) of the working days in order.
add/count/is are then O(1); the index grows a year at a time when a query reaches past it.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar, cast

from licensecli.errors import (
    CalendarError,
    EstimateRefusedError,
    InputError,
)

FIRST_YEAR = 2004  # chinese-calendar's first year
LAST_YEAR = 2099  # the last year the lunar-date library covers
FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(LAST_YEAR, 12, 31)
HOLIDAYS_ENV = "LICENSECLI_HOLIDAYS"
ESTIMATE_SOURCE = "estimate: weekends + statutory holidays (全国年节及纪念日放假办法, 2025)"

DayKind = Literal["workday", "weekend", "holiday", "adjusted_workday"]

_CC_NAMES = {  # chinese-calendar's English names → the names in the State Council notices
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class YearSchedule(NamedTuple):
    """One year's days off and adjusted working days, and where they come from."""

    year: int
    source: str
    estimated: bool
    days_off: dict[dt.date, str]
    working_days: dict[dt.date, str]
    origin: str  # "package", "estimate" or the holiday file's path
    papers: tuple[str, ...] = ()  # the notices' URLs, where the file gives them
    # Days of the December before that this year's notice arranges (元旦 of 2019 began on
    # 2018-12-30): date → (a day off?, name). They amend the previous year's schedule.
    amends: dict[dt.date, tuple[bool, str]] = {}  # noqa: RUF012 - a NamedTuple default, never mutated


class DayInfo(NamedTuple):
    """Why a day is or is not a working day."""

    date: dt.date
    workday: bool
    kind: DayKind
    name: str | None
    estimated: bool
    # For a holiday or an adjusted working day: the notice it comes from (title, number, URL),
    # or the holiday file's source; None for ordinary days and estimates.
    source: str | None = None


@functools.cache
def _notice_entries() -> dict[int, list[dict[str, Any]]]:
    import yaml

    from licensecli.loader import data_file

    text = data_file("notices.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {int(year): list(entries) for year, entries in data["notices"].items()}


@functools.cache
def notices() -> dict[int, tuple[str, ...]]:
    """The State Council's notices per year (data/notices.yaml), each as "title（number）, URL"."""
    return {
        year: tuple(
            str(e["title"])
            + (f"（{e['number']}）" if e.get("number") else "")
            + (f", {e['url']}" if e.get("url") else "")
            for e in entries
        )
        for year, entries in _notice_entries().items()
    }


def notice_for(day: dt.date) -> str | None:
    """The notice that arranged a holiday or adjusted working day of a published year: an
    amending notice for the days it `covers`, else the year's first notice; a December day off or
    worked is 元旦's, arranged by the next year's notice (the 2019 notice made 2018-12-29 a
    working day and 12-30, 12-31 days off)."""
    year = day.year + 1 if day.month == 12 else day.year
    entries = _notice_entries().get(year, [])
    texts = notices().get(year, ())
    for entry, text in zip(entries, texts, strict=True):
        covers = entry.get("covers")
        if covers and covers["from"] <= day <= covers["to"]:
            return text
    return texts[0] if texts else None


def notice_urls(year: int) -> tuple[str, ...]:
    """The addresses of a year's notices on www.gov.cn, where known."""
    return tuple(str(e["url"]) for e in _notice_entries().get(year, []) if e.get("url"))


class Dated(NamedTuple):
    """A computed date and whether it rests on estimated holiday data."""

    date: dt.date
    estimated: bool


class Counted:
    """A count of working days and whether it rests on estimated holiday data."""

    __slots__ = ("count", "estimated")

    def __init__(self, count: int, estimated: bool) -> None:
        self.count = count
        self.estimated = estimated

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Counted) and (self.count, self.estimated) == (other.count, other.estimated)

    def __hash__(self) -> int:
        return hash((self.count, self.estimated))

    def __repr__(self) -> str:
        return f"Counted(count={self.count}, estimated={self.estimated})"


T = TypeVar("T")
MEMO_SIZE = 100_000  # answers a calendar remembers (Calendar.remember) before it starts afresh

DATA_UNTIL_ENV = "LICENSECLI_DATA_UNTIL"


@functools.cache
def _package_range() -> tuple[int, int]:
    from chinese_calendar import holidays

    years = [day.year for day in holidays]
    return min(years), max(years)


def package_years() -> tuple[int, int]:
    """The first and last year chinese-calendar has published schedules for.

    $LICENSECLI_DATA_UNTIL=YYYY pretends the package stops at that year (later years are then
    estimated): to reproduce an answer given before a newer chinese-calendar, and to keep the
    tests' expectations about "the next, unpublished year" true when the package learns it.
    """
    first, last = _package_range()
    until = os.environ.get(DATA_UNTIL_ENV, "").strip()
    if until:
        if not (until.isascii() and until.isdigit() and len(until) <= 4 and first <= int(until)):
            raise InputError(f"{DATA_UNTIL_ENV}={until!r}: give a year from {first} on")
        last = min(last, int(until))
    return first, last


def package_version() -> str:
    """chinese-calendar's version, for naming the source of its data."""
    import chinese_calendar

    return str(getattr(chinese_calendar, "__version__", "?"))


def _package_schedules() -> dict[int, YearSchedule]:
    from chinese_calendar import holidays, workdays

    source = f"chinese-calendar {package_version()} (国务院办公厅 notices)"
    first, last = package_years()
    offs: dict[int, dict[dt.date, str]] = {y: {} for y in range(first, last + 1)}
    works: dict[int, dict[dt.date, str]] = {y: {} for y in range(first, last + 1)}
    for day, name in holidays.items():
        if day.year in offs:
            offs[day.year][day] = _CC_NAMES.get(name, name)
    for day, name in workdays.items():
        if day.year in works:
            works[day.year][day] = _CC_NAMES.get(name, name) + "调休"
    return {
        year: YearSchedule(year, source, False, offs[year], works[year], "package")
        for year in range(first, last + 1)
    }


def from_package(schedule: YearSchedule) -> bool:
    """Whether a year's schedule is the package's data (its December perhaps amended by a file);
    a holiday file's origin is its path, which may itself begin with "package"."""
    return schedule.origin == "package" or schedule.origin.startswith("package + ")


def _amended(schedule: YearSchedule, following: YearSchedule) -> YearSchedule:
    """`schedule` with the days of its December that next year's notice arranges."""
    days_off, working_days = dict(schedule.days_off), dict(schedule.working_days)
    for day, (off, name) in following.amends.items():
        days_off.pop(day, None)
        working_days.pop(day, None)
        (days_off if off else working_days)[day] = name
    origin = f"{schedule.origin} + {following.origin} (December)"
    return schedule._replace(
        days_off=dict(sorted(days_off.items())),
        working_days=dict(sorted(working_days.items())),
        origin=origin,
    )


def estimate_year(year: int) -> YearSchedule:
    """A year with no published schedule: the statutory holidays only, no 调休 (docs/counting-rules.md)."""
    return YearSchedule(year, ESTIMATE_SOURCE, True, statutory_days_off(year), {}, "estimate")


# 《全国年节及纪念日放假办法》 第二条 (全体公民放假的节日) as in force in each year. A year's notice may add
# days off around these (调休, and 补假 on a weekday under 第六条 when one falls on a weekend) but
# never takes one away, so every one of them is a day off in every published schedule; a holiday
# file that declares a year without them has not been filled in. The versions:
#   - 1999 (国务院令第270号), in force until 2007: 元旦 1 day; 春节 3 days (正月初一、初二、初三);
#     劳动节 3 days (5月1日、2日、3日); 国庆节 3 days (10月1日、2日、3日);
#   - 2007 decision (国务院令第513号), in force 2008-01-01: 春节 农历除夕、正月初一、初二; 清明节 (农历
#     清明当日), 端午节 (农历端午当日) and 中秋节 (农历中秋当日) added, 1 day each; 劳动节 5月1日 only;
#   - 2013 decision, in force 2014-01-01: 春节 正月初一、初二、初三 (除夕 no longer);
#   - 2024 decision, in force 2025-01-01: 春节 4 days (农历除夕、正月初一至初三); 劳动节 5月1日、2日.
# How sure we are: the 2007, 2013 and 2024 wording is checked against reproductions of the
# decisions' text (not the printed gazette); the 1999 wording rests on secondary sources (commentary
# quoting 第二条). Every year of chinese-calendar's data (2004–2026) has all of these days off
# (tests/test_hostile_holidays.py), which is also a check on this table.
REVISED_2008 = 2008  # the first year under each revision
REVISED_2014 = 2014
REVISED_2025 = 2025


def statutory_days_off(year: int) -> dict[dt.date, str]:
    """The days 《全国年节及纪念日放假办法》 gives every citizen off in `year`, with their names."""
    new_year = _lunar(year, 1, 1)
    one = dt.timedelta(days=1)
    spring = [new_year, new_year + one]
    if not REVISED_2008 <= year < REVISED_2014:
        spring.append(new_year + 2 * one)  # 初三
    labour = [dt.date(year, 5, 1)]
    if year < REVISED_2008:
        labour += [dt.date(year, 5, 2), dt.date(year, 5, 3)]
    elif year >= REVISED_2025:
        labour.append(dt.date(year, 5, 2))
    days: dict[dt.date, str] = {dt.date(year, 1, 1): "元旦"}
    if REVISED_2008 <= year < REVISED_2014 or year >= REVISED_2025:
        days[new_year - one] = "春节（除夕）"
    days.update((day, "春节") for day in spring)
    if year >= REVISED_2008:  # 清明, 端午 and 中秋 became holidays
        days[_qingming(year)] = "清明节"
    days.update((day, "劳动节") for day in labour)
    if year >= REVISED_2008:
        days[_lunar(year, 5, 5)] = "端午节"
        days[_lunar(year, 8, 15)] = "中秋节"
    days.update((dt.date(year, 10, d), "国庆节") for d in (1, 2, 3))  # 国庆 wins when 中秋 is 10-01
    return dict(sorted(days.items()))


def _lunar(year: int, month: int, day: int) -> dt.date:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # lunardate's own old API
        from lunardate import LunarDate

    solar: dt.date = LunarDate(year, month, day).to_solar_date()
    return solar


def _qingming(year: int) -> dt.date:
    from chinese_calendar import get_solar_terms

    terms = get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 30))
    qingming: dt.date = next(day for day, name in terms if name == "清明")
    return qingming


# --- the calendar ---------------------------------------------------------------------------


class CalendarOverview(NamedTuple):
    """Which years the calendar knows, where from, and what it will estimate (`holidays`)."""

    today: dt.date
    known: list[YearSchedule]
    first_year: int
    last_year: int
    first_estimated: int | None
    next_year: int
    next_year_missing: bool
    holiday_files: list[Path]
    folder: Path

    @property
    def warn_next_year(self) -> bool:
        """From 1 November of the last year the data covers, the missing next year deserves a
        warning (the State Council publishes it around then)."""
        return stale_from(self.published_through) <= self.today

    @property
    def published_through(self) -> int:
        """The last year of the unbroken run of published years (package or holiday files)."""
        years = {s.year for s in self.known}
        last = self.first_year
        while last + 1 in years:
            last += 1
        return last


def stale_from(published_through: int) -> dt.date:
    """From this day on, the year after the data ends deserves a warning: 1 November of its last
    year, when the State Council's next notice is due or out."""
    return dt.date(published_through, 11, 1)


def overview(calendar: Calendar, today: dt.date) -> CalendarOverview:
    """The calendar's known years as of `today`."""
    from licensecli import holidayfiles

    known = calendar.known_years()
    years = [s.year for s in known]
    next_year = today.year + 1
    first_estimated = next((y for y in range(max(years) + 1, LAST_YEAR + 1) if y not in years), None)
    return CalendarOverview(
        today=today,
        known=known,
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
        first_estimated=first_estimated,
        next_year=next_year,
        next_year_missing=next_year not in years,
        holiday_files=list(calendar.holiday_files),
        folder=holidayfiles.user_holiday_folder(),
    )


class Calendar:
    """Working days in China from FIRST_DAY to LAST_DAY, with user files and estimates."""

    def __init__(self, holiday_files: Sequence[Path] = (), *, strict: bool = False) -> None:
        self.strict = strict
        self.holiday_files = list(holiday_files)
        from licensecli import holidayfiles  # it builds on this module's schedules

        self._user = holidayfiles.load_user_schedules(self.holiday_files)
        published = self._package_last = package_years()[1]
        while published + 1 in self._user:
            published += 1
        self._published_through = published  # every year up to this one has a published schedule
        self._estimated_spans: dict[tuple[int, int], tuple[int, ...]] = {}  # see note_estimates
        self._package: dict[int, YearSchedule] | None = None
        self._schedules: dict[int, YearSchedule] = {}
        self._base_day = FIRST_DAY  # the index covers _base_day … 31 Dec of _built_through
        self._cum: list[int] = []
        self._workdays: list[int] = []
        self._built_through = FIRST_YEAR - 1
        self.estimated_years_used: set[int] = set()
        self._memo: dict[tuple[object, ...], tuple[Any, frozenset[int]]] = {}

    @classmethod
    def from_environment(cls, holiday_files: Sequence[Path] = (), *, strict: bool = False) -> Calendar:
        """A calendar with --holidays files, $LICENSECLI_HOLIDAYS and the user config folder."""
        from licensecli import holidayfiles

        return cls(holidayfiles.holiday_file_paths(holiday_files), strict=strict)

    # -- per-year data --

    def schedule(self, year: int) -> YearSchedule:
        """The schedule in force for `year` (user file, package data or estimate)."""
        check_year(year)
        found = self._schedules.get(year)
        if found is None:
            found = self._user.get(year)
            if found is None:
                if self._package is None:
                    self._package = _package_schedules()
                found = self._package.get(year) or estimate_year(year)
            if year in self._user:  # the file holds its notice's year; the next notice's December stays
                december = {
                    d: (off, (self._package_schedule_name(year, d)))
                    for d, off in self._package_december(year).items()
                    if d not in found.days_off and d not in found.working_days
                }
                if december:
                    carried = found._replace(amends=december, origin="package")
                    found = _amended(found, carried)._replace(origin=found.origin, amends=found.amends)
            following = self._user.get(year + 1)
            if following is not None and following.amends:
                found = _amended(found, following)
            self._schedules[year] = found
        return found

    @property
    def published_through(self) -> int:
        """The last year of the unbroken run of published years, holiday files included."""
        return self._published_through

    def is_estimated(self, year: int) -> bool:
        """True when `year` has no published schedule here (package or holiday file)."""
        if year in self._user:
            return False
        check_year(year)
        return year > self._package_last

    def note_estimates(self, first: dt.date, last: dt.date) -> bool:
        """True if a day from `first` to `last` is estimated (recorded); refused when strict."""
        if last.year <= self._published_through:  # the common case, asked thousands of times
            return False
        # The estimated years of a span of years, worked out once per span (a folder's deadlines
        # in the unpublished years ask again and again).
        span = (first.year, last.year)
        years = self._estimated_spans.get(span)
        if years is None:
            years = tuple(y for y in range(first.year, last.year + 1) if self.is_estimated(y))
            self._estimated_spans[span] = years
        if years and self.strict:
            raise EstimateRefusedError(
                f"{years[0]} has no published holiday schedule here and --strict-calendar refuses "
                f"estimates; import it (licensecli holidays import FILE) or give it with --holidays FILE"
            )
        self.estimated_years_used.update(years)
        return bool(years)

    def remember(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """`compute()` once for `key` with this calendar (a rule's answer from its parameters and
        day; see Rule.memo_key): a folder of licences asks the same questions again and again.
        The estimated years an answer rests on are noted at each use, and --strict-calendar
        refuses it at each use, as computing it again would. Bounded: cleared past MEMO_SIZE."""
        found = self._memo.get(key)
        if found is not None:
            value, years = found
            if not years:
                return cast(T, value)
            if not self.strict:
                self.estimated_years_used.update(years)
                return cast(T, value)
        # The years this computation rests on, whether or not another noted them first.
        outer, self.estimated_years_used = self.estimated_years_used, set()
        try:
            value = compute()
            years = frozenset(self.estimated_years_used)
        finally:
            outer |= self.estimated_years_used
            self.estimated_years_used = outer
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = (value, years)
        return value

    # -- the index --

    def _extend(self) -> None:
        """Append the year after the last one indexed."""
        year = self._built_through + 1
        if year > LAST_YEAR:
            raise CalendarError(
                f"the calendar ends on {LAST_DAY} (the last year with lunar data); "
                "the answer would fall after it"
            )
        schedule = self.schedule(year)
        offs, works = schedule.days_off, schedule.working_days
        total = self._cum[-1] if self._cum else 0
        ordinal = (dt.date(year, 1, 1) - self._base_day).days
        day = dt.date(year, 1, 1)
        one = dt.timedelta(days=1)
        while day.year == year:
            if day in works or (day not in offs and day.weekday() < 5):
                total += 1
                self._workdays.append(ordinal)
            self._cum.append(total)
            ordinal += 1
            day += one
        self._built_through = year

    def _rebase(self, year: int) -> int:
        """Start the index at `year` (earlier than now); returns how many working days that added."""
        before = len(self._workdays)
        through = self._built_through
        self._base_day = dt.date(year, 1, 1)
        self._cum, self._workdays = [], []
        self._built_through = year - 1
        while self._built_through < max(through, year):
            self._extend()
        return len(self._workdays) - before

    def _ensure_day(self, day: dt.date) -> int:
        """The index of `day`, indexing more years (before or after) as needed."""
        check_date(day)
        if not self._cum:
            self._rebase(day.year)  # start where the first question is, not at FIRST_YEAR
        elif day < self._base_day:
            self._rebase(day.year)
        while self._built_through < day.year:
            self._extend()
        return (day - self._base_day).days

    def _workday_at(self, index: int) -> dt.date:
        """The index-th working day (0-based) from the index's first day; may index more years."""
        while index >= len(self._workdays):
            self._extend()
        while index < 0:
            if self._base_day.year == FIRST_YEAR:
                raise CalendarError(f"the answer would fall before {FIRST_DAY}, where the calendar starts")
            index += self._rebase(self._base_day.year - 1)
        return self._base_day + dt.timedelta(days=self._workdays[index])

    # -- queries --

    def is_workday(self, day: dt.date) -> bool:
        """Is `day` a working day (adjusted working days included)?"""
        i = self._ensure_day(day)
        self.note_estimates(day, day)
        return self._cum[i] - (self._cum[i - 1] if i else 0) == 1

    def why(self, day: dt.date) -> DayInfo:
        """Why `day` is or is not a working day: holiday name, weekend, adjusted working day."""
        check_date(day)
        schedule = self.schedule(day.year)
        estimated = self.note_estimates(day, day)
        if day in schedule.working_days:
            name = schedule.working_days[day] or None
            return DayInfo(day, True, "adjusted_workday", name, estimated, self._source(schedule, day))
        if day in schedule.days_off:
            name = schedule.days_off[day] or None
            return DayInfo(day, False, "holiday", name, estimated, self._source(schedule, day))
        if day.weekday() >= 5:
            return DayInfo(day, False, "weekend", None, estimated)
        return DayInfo(day, True, "workday", None, estimated)

    def _source(self, schedule: YearSchedule, day: dt.date) -> str | None:
        """Where a holiday or adjusted working day comes from: the notice(s), a holiday file's
        source, or None for an estimate (DayInfo.estimated says so)."""
        following = self._user.get(day.year + 1)
        if following is not None and day in following.amends:  # a December day of next year's notice
            schedule = following
        if schedule.estimated:
            return None
        if from_package(schedule) or day in self._package_december(schedule.year):
            return notice_for(day) or schedule.source
        official = {
            url.split("://", 1)[-1] for url in notice_urls(day.year + 1 if day.month == 12 else day.year)
        }
        if official and official & {p.split("://", 1)[-1] for p in schedule.papers}:
            return notice_for(day)  # an imported copy of a notice licensecli knows: name it
        return schedule.source + (f", {'; '.join(schedule.papers)}" if schedule.papers else "")

    def _package_schedule_name(self, year: int, day: dt.date) -> str:
        known = (self._package or {}).get(year)
        if known is None:
            return ""
        return known.days_off.get(day) or known.working_days.get(day, "")

    def _package_december(self, year: int) -> dict[dt.date, bool]:
        """The package's December days of `year` that the next year's notice arranged (元旦's):
        date → a day off? A holiday file for `year` does not hold them (they are the next notice's),
        so they are kept unless a file for the next year amends them."""
        if self._package is None:
            self._package = _package_schedules()
        known = self._package.get(year)
        if known is None:
            return {}
        found = {d: True for d in known.days_off if d.month == 12}
        found.update({d: False for d in known.working_days if d.month == 12})
        return found

    def add(self, day: dt.date, n: int) -> Dated:
        """The n-th working day after `day` (before it for negative n); n = 0 gives `day`."""
        if n == 0:
            check_date(day)
            return Dated(day, self.note_estimates(day, day))
        if abs(n) > 40_000:
            raise CalendarError(
                f"{n} working days is beyond the calendar ({FIRST_DAY} to {LAST_DAY} holds fewer)"
            )
        i = self._ensure_day(day)
        if n > 0:
            result = self._workday_at(self._cum[i] + n - 1)
        else:
            before = self._cum[i - 1] if i else 0  # working days strictly before `day`
            result = self._workday_at(before + n)
        low, high = sorted((day, result))
        return Dated(result, self.note_estimates(low, high))

    def count(self, start: dt.date, end: dt.date) -> Counted:
        """Working days d with start < d ≤ end (negative when end is before start)."""
        if end < start:
            counted = self.count(end, start)
            return Counted(-counted.count, counted.estimated)
        i, j = self._ensure_day(start), self._ensure_day(end)  # end ≥ start: no rebase in between
        return Counted(self._cum[j] - self._cum[i], self.note_estimates(start, end))

    def roll_forward(self, day: dt.date) -> Dated:
        """`day` if it is a working day, else the next working day (R3)."""
        return self.add(day - dt.timedelta(days=1), 1) if day > FIRST_DAY else self.add(day, 0)

    def roll_backward(self, day: dt.date) -> Dated:
        """`day` if it is a working day, else the previous working day (R6, R7)."""
        return self.add(day + dt.timedelta(days=1), -1)

    def known_years(self) -> list[YearSchedule]:
        """Every year with a published schedule (package or file), in order."""
        first, last = package_years()
        years = sorted(set(range(first, last + 1)) | set(self._user))
        return [self.schedule(y) for y in years]


def check_year(year: int) -> None:
    """Raise CalendarError for a year the calendar cannot answer for."""
    if year < FIRST_YEAR:
        raise CalendarError(
            f"{year} is before {FIRST_YEAR}, the first year with holiday data (chinese-calendar)"
        )
    if year > LAST_YEAR:
        raise CalendarError(f"{year} is after {LAST_YEAR}, the last year the calendar can estimate")


def check_date(day: dt.date) -> None:
    """Raise CalendarError for a day the calendar cannot answer for."""
    check_year(day.year)


def year_ranges(years: Iterable[int]) -> list[tuple[int, int]]:
    """Years as runs of consecutive years, in order: {2027, 2028, 2030} → [(2027, 2028), (2030, 2030)]."""
    runs: list[tuple[int, int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return runs


def describe_years(years: Iterable[int]) -> str:
    """Years for one line of text: "2027", "2027–2099", "2027–2029, 2031" (en dash)."""
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in year_ranges(years))
