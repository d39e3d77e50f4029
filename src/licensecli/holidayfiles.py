"""Holiday files: the schedules users supply (--holidays, $LICENSECLI_HOLIDAYS, the user config
folder), read safely and checked for plausibility before the calendar trusts them.

A year a file declares replaces the package's data for that year, so it must hold that year's
statutory holidays; files that disagree are refused. Format: docs/holiday-file.md.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from licensecli.errors import DataFileError, InputError, LicenseCliError
from licensecli.workdays import FIRST_YEAR, HOLIDAYS_ENV, LAST_YEAR, YearSchedule, statutory_days_off
from licensecli.yamlfile import Loc, kind_of, line_of, parse_document, read_document, shown, stat_path


def holiday_file_paths(explicit: Sequence[Path] = ()) -> list[Path]:
    """Holiday files: --holidays paths, then $LICENSECLI_HOLIDAYS, then the user config folder."""
    paths = list(explicit)
    env = os.environ.get(HOLIDAYS_ENV, "")
    if env.strip():  # unset, empty or blank: no files (as for $LICENSECLI_LICENSE)
        entries = env.split(os.pathsep)
        for n, entry in enumerate(entries, 1):
            if not entry.strip():
                raise InputError(
                    f"{HOLIDAYS_ENV}: entry {n} of {len(entries)} is empty; separate holiday files "
                    f"with '{os.pathsep}' and leave no empty entries (unset it to name none)"
                )
            paths.append(Path(entry))
    paths.extend(_folder_files(user_holiday_folder()))
    unique: list[Path] = []
    for path in paths:
        if path not in unique:
            unique.append(path)
    return unique


def user_holiday_folder() -> Path:
    """Where holiday files are picked up without being named: <user config>/licensecli/holidays."""
    if sys.platform.startswith("linux"):
        # The XDG rule, as platformdirs applies it on Linux, without its import (~5 ms of every
        # cron start): $XDG_CONFIG_HOME, else ~/.config.
        base = os.environ.get("XDG_CONFIG_HOME", "").strip() or os.path.expanduser("~/.config")
        return Path(base) / "licensecli" / "holidays"
    from platformdirs import user_config_dir

    return Path(user_config_dir("licensecli")) / "holidays"


def _folder_files(folder: Path) -> list[Path]:
    """The *.yaml files in the user holiday folder (hidden ones skipped); none if it does not exist.

    Each is checked to be a regular file when read: a named pipe or a dangling link here is an
    error naming it, never skipped in silence (a schedule the user put there would be ignored)."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".yaml") and not e.name.startswith("."))
    except FileNotFoundError:
        if folder.is_symlink():
            raise DataFileError(
                f"{folder}: the holiday folder is a link to a folder that does not exist"
            ) from None
        return []
    except NotADirectoryError:
        raise DataFileError(
            f"{folder}: should be a folder of holiday files (*.yaml), but is a file"
        ) from None
    except PermissionError:
        raise DataFileError(f"{folder}: the holiday folder cannot be read (permission denied)") from None
    except OSError as exc:
        raise DataFileError(f"{folder}: the holiday folder cannot be read ({exc.strerror or exc})") from None
    return [folder / name for name in names]


def require_regular_file(path: Path) -> None:
    """Refuse a path that is not a regular file (following links) before anything opens it: a named
    pipe or a device would block the read for ever or never end."""
    mode = stat_path(path).st_mode  # no such file, a broken link, a loop, permission: one message
    if stat.S_ISDIR(mode):
        raise DataFileError(f"{shown(path)}: is a folder, not a file (give a .yaml file)")
    if not stat.S_ISREG(mode):
        raise DataFileError(
            f"{shown(path)}: not a regular file ({kind_of(mode)}); a holiday file must be a regular file"
        )


_FILE_KEYS = {"source", "papers", "years", "days_off", "working_days"}
_LISTS = ("days_off", "working_days")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def read_holiday_file(path: Path) -> list[YearSchedule]:
    """Parse and check one holiday file (format: docs/holiday-file.md); one schedule per year.

    Raises DataFileError: its message is the first problem (and how many more), its details
    every problem as `file:line: what is wrong`."""
    schedules, problems = _read_holiday_file(path)
    if problems:
        raise DataFileError.listing(problems)
    return schedules


def _read_holiday_file(path: Path, raw: bytes | None = None) -> tuple[list[YearSchedule], list[str]]:
    """The file's schedules and every problem found in it (a file with problems is not used);
    `raw` is a file's would-be content (an import, checked before it is stored)."""
    if raw is None:
        require_regular_file(path)
        data, lines, unreadable = read_document(path)
    else:
        data, lines, unreadable = parse_document(raw, path)
    problems = [p.describe(path) for p in unreadable]
    reported = {p.loc[:2] for p in unreadable}

    def problem(loc: Loc, message: str) -> None:
        line = line_of(lines, loc)
        problems.append(f"{path}:{line if line is not None else 1}: {message}")

    if not isinstance(data, dict):
        problem((), "a holiday file is a mapping with source:, years:, days_off:, working_days:")
        return [], problems
    for key in data:
        if key not in _FILE_KEYS:
            problem((key,), f"{key}: unknown key (expected {', '.join(sorted(_FILE_KEYS))})")
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        problem(("source",), "source: missing; say where the schedule comes from (the notice)")
    papers = data.get("papers", [])
    if not isinstance(papers, list) or not all(isinstance(p, str) and p.strip() for p in papers):
        problem(("papers",), "papers: should be a list of the notices' addresses (URLs)")
        papers = []
    declared = _declared_years(data.get("years"), reported, problem)
    if declared is None:
        return [], problems
    # A notice may arrange the last days of the December before its year (2019's 元旦 began on
    # 2018-12-30): such days amend that year, which the file need not declare.
    eves = {year - 1 for year in declared.values()} - set(declared.values())
    lists: dict[str, dict[dt.date, str]] = {}
    where: dict[str, dict[dt.date, int]] = {}  # the entry that first lists each day
    entries_ok = not unreadable
    for key in _LISTS:
        entries = data.get(key) or []
        if not isinstance(entries, list):
            problem((key,), f"{key}: should be a list of dates or {{from:, to:, name:}} entries")
            entries_ok = False
            continue
        found: dict[dt.date, str] = {}
        first: dict[dt.date, int] = {}
        for i, entry in enumerate(entries):
            if (key, i) in reported:
                continue  # a date that does not exist: already said
            days, wrong = _entry_days(entry, f"{key}[{i}]")
            if wrong:
                problem((key, i), wrong)
                entries_ok = False
                continue
            outside = next(
                (
                    day
                    for day, _ in days
                    if day.year not in declared.values() and not (day.year in eves and day.month == 12)
                ),
                None,
            )
            if outside is not None:
                problem(
                    (key, i),
                    f"{key}[{i}]: {outside} is outside the years this file declares "
                    f"({', '.join(map(str, sorted(declared.values())))}) and their Decembers before; "
                    f"add {outside.year} to years",
                )
                entries_ok = False
                continue
            twice = next((day for day, _ in days if day in first), None)
            if twice is not None:
                problem((key, i), f"{key}[{i}]: {twice} is already listed in {key}[{first[twice]}]")
            weekday = next((day for day, _ in days if day.weekday() < 5), None)
            if key == "working_days" and weekday is not None:
                problem(
                    (key, i),
                    f"{key}[{i}]: {weekday} is a {_WEEKDAYS[weekday.weekday()]}; adjusted working days "
                    "(调休上班) are Saturdays and Sundays (a Monday to Friday is a working day anyway)",
                )
            for day, name in days:
                first.setdefault(day, i)
                found.setdefault(day, name)
        lists[key] = found
        where[key] = first
    days_off, working_days = lists.get("days_off", {}), lists.get("working_days", {})
    for day in sorted(set(days_off) & set(working_days)):
        i = where["working_days"][day]
        problem(
            ("working_days", i), f"working_days[{i}]: {day} is listed both as a day off and as a working day"
        )
    if entries_ok:  # a year is judged complete only once every entry could be read
        for i, year in declared.items():
            missing = _missing_statutory_days(year, days_off, working_days)
            if missing:
                problem(("years", i), f"years[{i}]: {missing}")
    schedules = [
        YearSchedule(
            year,
            source.strip() if isinstance(source, str) else "",
            False,
            {d: n for d, n in sorted(days_off.items()) if d.year == year},
            {d: n for d, n in sorted(working_days.items()) if d.year == year},
            str(path),
            tuple(p.strip() for p in papers),
            {
                d: (d in days_off, days_off.get(d) or working_days.get(d, ""))
                for d in sorted({*days_off, *working_days})
                if d.year == year - 1 and year - 1 in eves
            },
        )
        for year in sorted(declared.values())
    ]
    return schedules, problems


def _declared_years(
    years: Any, reported: set[Loc], problem: Callable[[Loc, str], None]
) -> dict[int, int] | None:
    """The `years:` list as {index: year}; None (with problems said) when it cannot be used."""
    if not isinstance(years, list) or not years:
        problem(("years",), "years: missing; list the years this file describes, e.g. [2027]")
        return None
    declared: dict[int, int] = {}
    usable = True
    for i, year in enumerate(years):
        if ("years", i) in reported:
            usable = False
        elif isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
            problem(("years", i), f"years[{i}]: {year!r} is not a year from {FIRST_YEAR} to {LAST_YEAR}")
            usable = False
        elif year in declared.values():
            problem(("years", i), f"years[{i}]: {year} is listed twice")
        else:
            declared[i] = year
    return declared if usable else None


def _missing_statutory_days(
    year: int, days_off: dict[dt.date, str], working_days: dict[dt.date, str]
) -> str | None:
    """What is wrong if a declared year makes a working day of a day 《全国年节及纪念日放假办法》 gives
    off (the year was declared but not filled in); None when every statutory day is a rest day.

    A statutory day on a weekend that the file does not list is still a rest day and so is fine:
    chinese-calendar itself leaves out Sat 2012-06-23 (端午, in the 2012 notice's 06-22 to 06-24)."""
    missing = [
        f"{day} {name}"
        for day, name in statutory_days_off(year).items()
        if day in working_days or (day not in days_off and day.weekday() < 5)
    ]
    if not missing:
        return None
    shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
    return (
        f"{year} is declared, so this file replaces all of {year}, but it does not give the "
        f"statutory {'holiday' if len(missing) == 1 else 'holidays'} {shown} off; list every day off "
        f"and working day of the {year} notice, or remove {year} from years"
    )


def _entry_days(entry: Any, where: str) -> tuple[list[tuple[dt.date, str]], str | None]:
    """The days one days_off/working_days entry lists, or what is wrong with it."""
    if isinstance(entry, dt.date):
        return [(entry, "")], None
    if not isinstance(entry, dict):
        return [], f"{where}: give a date (YYYY-MM-DD), {{date:, name:}} or {{from:, to:, name:}}"
    unknown = set(entry) - {"date", "from", "to", "name"}
    if unknown:
        return [], f"{where}: unknown key {sorted(unknown)[0]} (date, from, to, name)"
    name = entry.get("name", "")
    if not isinstance(name, str):
        return [], f"{where}: name should be text"
    if "date" in entry:
        if "from" in entry or "to" in entry:
            return [], f"{where}: give either date or from/to, not both"
        if not isinstance(entry["date"], dt.date):
            return [], f"{where}: date should be written YYYY-MM-DD"
        return [(entry["date"], name)], None
    start, end = entry.get("from"), entry.get("to")
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        return [], f"{where}: from and to should both be dates written YYYY-MM-DD"
    if end < start or (end - start).days > 60:
        return [], f"{where}: from {start} to {end} is not a holiday block (0–60 days, in order)"
    return [(start + dt.timedelta(days=i), name) for i in range((end - start).days + 1)], None


class HolidayCheck(NamedTuple):
    """What `validate --holidays` reports: the holiday files checked and every problem found."""

    files: list[Path]
    problems: list[str]


def check_holiday_files(paths: Sequence[Path] = (), *, environment: bool = True) -> HolidayCheck:
    """Every problem in the holiday files a computing command would read, one `file:line: …` each.

    `paths` are the --holidays files; with `environment`, $LICENSECLI_HOLIDAYS and the user
    folder are added as every computing command does. Files that each read well but disagree on a
    year are a problem too. Nothing is raised for a bad file: this is for `validate`."""
    try:
        files = holiday_file_paths(paths) if environment else list(dict.fromkeys(paths))
    except LicenseCliError as exc:  # an empty $LICENSECLI_HOLIDAYS entry, an unreadable folder
        return HolidayCheck([], [exc.message])
    problems: list[str] = []
    seen: dict[int, YearSchedule] = {}
    for path in files:
        try:
            schedules, found = _read_holiday_file(path)
        except DataFileError as exc:  # the file could not be read at all
            problems.extend(exc.details or (exc.message,))
            continue
        problems.extend(found)
        if found:
            continue
        for schedule in schedules:
            first = seen.setdefault(schedule.year, schedule)
            try:
                _check_agree(first, schedule)
            except DataFileError as exc:
                problems.append(exc.message)
    return HolidayCheck(files, problems)


def load_user_schedules(paths: Sequence[Path]) -> dict[int, YearSchedule]:
    """The years the given holiday files declare; two files that disagree on a year are an error."""
    result: dict[int, YearSchedule] = {}
    for path in paths:
        for schedule in read_holiday_file(path):
            other = result.get(schedule.year)
            if other is not None:
                _check_agree(other, schedule)
                continue
            result[schedule.year] = schedule
    return result


def _check_agree(first: YearSchedule, second: YearSchedule) -> None:
    for kind in ("days_off", "working_days"):
        a: dict[dt.date, str] = getattr(first, kind)
        b: dict[dt.date, str] = getattr(second, kind)
        differ = sorted(set(a) ^ set(b))
        if differ:
            day = differ[0]
            label = "a day off" if kind == "days_off" else "a working day"
            has, lacks = (first, second) if day in a else (second, first)
            raise DataFileError(
                f"{has.origin} and {lacks.origin} disagree on {first.year}: {day} is {label} in "
                f"{has.origin} only; keep one file per year or make them agree"
            )
