"""A published holiday schedule brought in by one command, and what it moves.

`holidays import FILE` takes our own holiday YAML (docs/holiday-file.md) or a year file of the
community dataset holiday-cn (NateScarlet/holiday-cn: `{"year", "papers", "days": [{"name",
"date", "isOffDay"}]}`), checks it as strictly as a holiday file — every statutory holiday of
《全国年节及纪念日放假办法》 a day off, adjusted working days on weekends, no day twice — and
stores it in the user holiday folder as a licensecli holiday file, atomically. `impact` lists the
deadlines whose date or estimated flag the schedule changes, and the day that made each change.

holiday-cn's semantics, as its README states them: `isOffDay: false` is an adjusted working
day (调休上班); ordinary weekends, even inside a holiday block, are not listed; a file is named
after its notice's year and may hold days of the December before (2019.json holds 2018-12-29 …
31); several papers mean a schedule amended during the year; an empty `days` list means the
notice is not out yet — never "no holidays".
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from licensecli.errors import DataFileError
from licensecli.holidayfiles import _WEEKDAYS
from licensecli.models import License
from licensecli.workdays import FIRST_YEAR, LAST_YEAR, Calendar, YearSchedule
from licensecli.yamlfile import excerpt, one_line, shown

_HOLIDAY_CN_KEYS = {"year", "papers", "days"}


class Incoming(NamedTuple):
    """A schedule to import: what it is, its years, and the holiday file to store."""

    name: str  # the file as given, for messages ("-" is standard input)
    format: str  # "holiday-cn" or "licensecli"
    schedules: list[YearSchedule]
    text: str  # the licensecli holiday file that will be stored
    filename: str  # its name in the user holiday folder


def read_incoming(raw: bytes, name: str, today: dt.date) -> Incoming:
    """Parse and check an import; DataFileError (every problem in `details`) when it is refused."""
    from licensecli import holidayfiles

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError(f"{name}: not UTF-8 text") from None
    if not text.strip():
        raise DataFileError(f"{name}: the file is empty")
    if text.lstrip().startswith(("{", "[")):
        text = _from_holiday_cn(_json(text, name), name, today)
        form = "holiday-cn"
    elif not any(key in text for key in ("source:", "years:", "days_off:", "working_days:")):
        # an .ics, a .csv, prose: not a schedule we read (a holiday file with a key wrong is one)
        raise DataFileError(
            f"{name}: neither a holiday-cn year file (JSON, e.g. holiday-cn's 2027.json; not its .ics) "
            "nor a licensecli holiday file (YAML with source:, years:, days_off:)"
        )
    else:
        form = "licensecli"
    schedules, problems = holidayfiles._read_holiday_file(Path(name), text.encode("utf-8"))
    if problems and form == "holiday-cn":  # said about the converted file: say it about theirs
        problems = [
            f"{name}: {_bare(p)}".replace(f", or remove {y} from years", "")
            for p in problems
            for y in [_year_of(p)]
        ]
    if problems:
        raise DataFileError.listing(problems)
    years = [s.year for s in schedules]
    filename = f"{years[0]}.yaml" if len(years) == 1 else f"{years[0]}-{years[-1]}.yaml"
    return Incoming(name, form, schedules, text, filename)


def _year_of(problem: str) -> str:
    """The year a statutory-day problem is about ("… remove 2027 from years")."""
    tail = problem.rsplit("or remove ", 1)
    return tail[1].split(" ", 1)[0] if len(tail) == 2 else ""


def _bare(problem: str) -> str:
    """A holiday-file problem without its `file:line:` and `years[0]:` prefixes."""
    rest = problem.split(": ", 1)[1] if ": " in problem else problem
    return rest.split(": ", 1)[1] if rest.startswith(("years[", "days_off[", "working_days[")) else rest


def _json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{name}:{exc.lineno}: not valid JSON: {exc.msg}") from None


def _from_holiday_cn(data: Any, name: str, today: dt.date) -> str:
    """A holiday-cn year file as the text of a licensecli holiday file, or DataFileError."""
    if not isinstance(data, dict) or not set(data) >= _HOLIDAY_CN_KEYS:
        what = "a list" if isinstance(data, list) else "JSON without year, papers and days"
        raise DataFileError(
            f'{name}: {what}: not a holiday-cn year file ({{"year", "papers", "days": [{{"name", '
            '"date", "isOffDay"}]}) nor a licensecli holiday file (YAML); another dataset\'s format '
            "is not read"
        )
    year, papers, days = data["year"], data["papers"], data["days"]
    if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise DataFileError(
            f"{name}: year: {excerpt(repr(year))} is not a year from {FIRST_YEAR} to {LAST_YEAR}"
        )
    if not isinstance(papers, list) or not all(isinstance(p, str) for p in papers):
        raise DataFileError(f"{name}: papers: should be a list of the notices' addresses")
    if not isinstance(days, list):
        raise DataFileError(f"{name}: days: should be a list of {{name, date, isOffDay}}")
    if not days:
        raise DataFileError(
            f"{name}: the {year} file lists no days: holiday-cn's placeholder for a schedule not published "
            f"yet (an empty list never means 'no holidays'); import it once the State Council's notice for "
            f"{year} is out and the file has its days"
        )
    problems: list[str] = []
    seen: dict[dt.date, tuple[int, bool]] = {}
    entries: list[tuple[dt.date, bool, str]] = []
    for i, entry in enumerate(days):
        where = f"{name}: days[{i}]"
        if not isinstance(entry, dict) or not {"name", "date", "isOffDay"} <= set(entry):
            problems.append(f'{where}: should be {{"name", "date", "isOffDay"}}')
            continue
        label, off = entry["name"], entry["isOffDay"]
        try:
            if not isinstance(entry["date"], str) or len(entry["date"]) != 10:
                raise ValueError
            day = dt.date.fromisoformat(entry["date"])
        except ValueError:
            problems.append(f"{where}: date {excerpt(repr(entry['date']))} is not a date (YYYY-MM-DD)")
            continue
        if not isinstance(label, str) or not isinstance(off, bool):
            problems.append(f"{where}: name should be text and isOffDay true or false")
            continue
        if not (day.year == year or (day.year == year - 1 and day.month == 12)):
            problems.append(f"{where}: {day} is neither in {year} nor in the December before it")
            continue
        if not off and day.weekday() < 5 and not _back_to_work(days, day, label):
            problems.append(
                f"{where}: {day} is a {_WEEKDAYS[day.weekday()]}; an adjusted working day (isOffDay: false) "
                "is a Saturday or Sunday"
            )
        if day in seen:
            first, was_off = seen[day]
            if was_off != off:
                problems.append(f"{where}: {day} is both a day off and a working day (see days[{first}])")
            else:
                problems.append(f"{where}: {day} is listed twice (see days[{first}])")
            continue
        seen[day] = (i, off)
        entries.append((day, off, label))
    if problems:
        raise DataFileError.listing(problems)
    # A weekday marked as worked is a working day anyway: nothing to store (see _back_to_work).
    entries = [(day, off, label) for day, off, label in entries if off or day.weekday() >= 5]
    return _holiday_file_text(year, papers, sorted(entries), name, today)


def _back_to_work(days: list[Any], day: dt.date, label: str) -> bool:
    """Whether a weekday marked `isOffDay: false` is the first day back after a block of days off
    of the same name: how holiday-cn records a notice's "起正常上班" (2020.json: 2020-02-03, the
    Monday after the extended 春节). It is a working day anyway, so it is accepted and dropped;
    any other weekday marked as worked is not a plausible adjusted working day."""
    before = (day - dt.timedelta(days=1)).isoformat()
    return any(
        isinstance(e, dict)
        and e.get("date") == before
        and e.get("isOffDay") is True
        and e.get("name") == label
        for e in days
    )


def _holiday_file_text(
    year: int, papers: Sequence[str], entries: list[tuple[dt.date, bool, str]], name: str, today: dt.date
) -> str:
    """Our holiday file for one year: days off in blocks of consecutive same-named days."""
    blocks: list[tuple[dt.date, dt.date, str]] = []
    for day, off, label in entries:
        if not off:
            continue
        if blocks and blocks[-1][2] == label and (day - blocks[-1][1]).days == 1:
            blocks[-1] = (blocks[-1][0], day, label)
        else:
            blocks.append((day, day, label))
    lines = [
        f"# Imported by `licensecli holidays import` on {today} from {shown(name)} (holiday-cn format).",
        "# The notices the dates come from are listed under papers. Weekends that merely adjoin a",
        "# holiday block are not listed: they are rest days anyway.",
        f"source: {one_line(f'holiday-cn {year}.json')}",
        f"papers: {one_line(list(papers))}",
        f"years: [{year}]",
        "days_off:",
    ]
    for start, end, label in blocks:
        if start == end:
            lines.append(f"  - {{date: {start}, name: {one_line(label)}}}")
        else:
            lines.append(f"  - {{from: {start}, to: {end}, name: {one_line(label)}}}")
    working = [(day, label) for day, off, label in entries if not off]
    lines.append("working_days:" if working else "working_days: []")
    lines += [f"  - {{date: {day}, name: {one_line(label + '调休')}}}" for day, label in working]
    return "\n".join(lines) + "\n"


# --- storing ---------------------------------------------------------------------------------


def store(incoming: Incoming, folder: Path) -> Path:
    """Write the holiday file into the user holiday folder (made if missing), atomically; a file
    there that declares the same years under another name is refused, not silently doubled."""
    from licensecli.writing import write_atomic

    refuse_doubles(incoming, folder)
    target = folder / incoming.filename
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataFileError(
            f"{shown(folder)}: the holiday folder cannot be made ({exc.strerror or exc})"
        ) from None
    write_atomic(str(target), incoming.text.encode("utf-8"))
    return target


def refuse_doubles(incoming: Incoming, folder: Path) -> None:
    """DataFileError when another file in the folder declares a year of the import: one file
    holds each year (import and diff say so before anything else)."""
    from licensecli import holidayfiles

    target = folder / incoming.filename
    years = {s.year for s in incoming.schedules}
    for other in holidayfiles._folder_files(folder):  # the files every command reads there
        if other.name == target.name:
            continue
        try:
            theirs = {s.year for s in holidayfiles.read_holiday_file(other)}
        except DataFileError:
            continue  # a broken file is reported by every command that reads the folder
        both = sorted(years & theirs)
        if both:
            raise DataFileError(
                f"{shown(other)} already declares {', '.join(map(str, both))}; remove it (or move it "
                f"away) and import again, so that one file holds each year"
            )


def refuse_named_doubles(incoming: Incoming, named: Sequence[Path]) -> None:
    """DataFileError when a holiday file named with --holidays or in $LICENSECLI_HOLIDAYS declares
    a year of the import: it would be read beside the imported one."""
    from licensecli import holidayfiles

    years = {s.year for s in incoming.schedules}
    for other in named:
        try:
            both = sorted(years & {s.year for s in holidayfiles.read_holiday_file(other)})
        except DataFileError:
            continue  # reported by the calendar that reads it
        if both:
            raise DataFileError(
                f"{shown(other)} (named with --holidays or in $LICENSECLI_HOLIDAYS) declares "
                f"{', '.join(map(str, both))} too; drop it there, so that one file holds each year"
            )


# --- impact ----------------------------------------------------------------------------------


class Change(NamedTuple):
    """A deadline the new schedule moves, or whose estimated flag it changes."""

    license: str
    obligation: str
    clause: str
    title_en: str
    title_zh: str
    event_date: dt.date | None
    before: dt.date
    after: dt.date
    estimated_before: bool
    estimated_after: bool
    day: dt.date | None  # the first day the two calendars see differently, in the span counted
    because_en: str
    because_zh: str


def impact(licenses: Sequence[License], as_of: dt.date, before: Calendar, after: Calendar) -> list[Change]:
    """Every deadline of `licenses` (dated and of recorded events, past ones included) whose
    date or estimated flag differs between the two calendars, in date order."""
    from licensecli.engine import license_deadlines

    changes: list[Change] = []
    for lic in licenses:
        old = _keyed(license_deadlines(lic, as_of, before))
        new = _keyed(license_deadlines(lic, as_of, after))
        for key, was in old.items():
            now = new.get(key)
            if now is None or (was.due_date, was.estimated) == (now.due_date, now.estimated):
                continue
            day, en, zh = _because(was, now, before, after)
            changes.append(
                Change(
                    lic.number,
                    was.obligation,
                    was.clause,
                    was.title.en,
                    was.title.zh,
                    was.event_date,
                    was.due_date,
                    now.due_date,
                    was.estimated,
                    now.estimated,
                    day,
                    en,
                    zh,
                )
            )
    changes.sort(key=lambda c: (c.before, c.license, c.obligation))
    return changes


def _keyed(found: list[Any]) -> dict[tuple[object, ...], Any]:
    """Deadlines by what they are (licence, obligation, event, which occurrence), not by date."""
    keyed: dict[tuple[object, ...], Any] = {}
    for deadline, _ in found:
        base = (
            deadline.obligation,
            deadline.event_date,
            deadline.window_start and deadline.window_start.year,
        )
        n = 0
        while (*base, n) in keyed:
            n += 1
        keyed[(*base, n)] = deadline
    return keyed


def _because(was: Any, now: Any, before: Calendar, after: Calendar) -> tuple[dt.date | None, str, str]:
    """The day that made the difference, in words: where the two calendars first disagree on the
    days the rule looks at — the working days counted (R4), the last day and the days it rolls
    over (R3, R6, R7). A date that stays put changed only its estimated flag."""
    if was.due_date == now.due_date:
        year = was.due_date.year
        if was.estimated and not now.estimated:
            return None, f"{year} is published now: no longer estimated", f"{year} 年安排已公布，不再是估算"
        return None, f"{year} rests on estimated data now", f"{year} 年改为估算"
    lo, hi = sorted((was.due_date, now.due_date))
    kind = was.rule.kind
    if kind == "workdays_after" and was.event_date is not None:
        lo = was.event_date + dt.timedelta(days=1)
    days = [lo + dt.timedelta(days=n) for n in range((hi - lo).days + 1)]
    backward = kind in ("before", "window")
    if backward:  # rolled back: the cause is at the late end
        days.reverse()
    # Only a change of working day moves a date, and only one that pulls the way it moved: a
    # forward count goes later when a working day is lost, a backward roll goes earlier then.
    later = now.due_date > was.due_date
    lost = later != backward
    for day in days:
        a, b = before.why(day), after.why(day)
        if a.workday != b.workday and a.workday == lost:
            return day, _contrast(a, b, "en"), _contrast(a, b, "zh")
    return None, "the schedules differ on a day it counts", "所计算的日期中放假安排不同"


def _contrast(a: Any, b: Any, lang: str) -> str:
    def what(info: Any) -> str:
        if lang == "zh":
            kind = {
                "workday": "工作日",
                "weekend": "周末",
                "holiday": "节假日",
                "adjusted_workday": "调休上班日",
            }
            return f"{kind[info.kind]}{(' ' + info.name) if info.name else ''}"
        kind = {
            "workday": "a working day",
            "weekend": "a weekend day",
            "holiday": "a holiday",
            "adjusted_workday": "an adjusted working day",
        }
        return f"{kind[info.kind]}{(' ' + info.name) if info.name else ''}"

    if lang == "zh":
        return f"{a.date} 原{'估算为' if a.estimated else '为'}{what(a)}；现为{what(b)}"
    return f"{a.date} was {'estimated as ' if a.estimated else ''}{what(a)}; it is {what(b)}"
