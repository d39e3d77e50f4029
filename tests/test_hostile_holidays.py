"""Hostile holiday files (issue 12): declared years left empty, special files, bad lists and folders.

The 2026 schedule is the State Council's notice of 2025-11-04 as typed in tests/test_workdays.py
(NOTICES); every 2027 schedule here is FICTIONAL (tests/test_workdays.py FILE_2027), made up in the
shape of a notice because the real one is not out yet.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest

from licensecli import holidayfiles
from licensecli.errors import DataFileError, InputError
from licensecli.holidayfiles import HolidayCheck, check_holiday_files, holiday_file_paths, read_holiday_file
from licensecli.workdays import Calendar, describe_years, statutory_days_off, year_ranges

from .conftest import run, run_process
from .test_workdays import FILE_2027, NOTICES, days, schedule_yaml

D = dt.date
NOT_FILLED_2026 = (
    "years[0]: 2026 is declared, so this file replaces all of 2026, but it does not give the statutory "
    "holidays 2026-01-01 元旦, 2026-02-16 春节（除夕）, 2026-02-17 春节, 2026-02-18 春节 and 6 more off; "
    "list every day off and working day of the 2026 notice, or remove 2026 from years"
)


def write(tmp_path: Path, text: str, name: str = "h.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- a declared year must be filled in ---------------------------------------------------------


def test_a_declared_but_empty_year_is_refused_by_every_command(tmp_path: Path) -> None:
    # Declares 2026 and 2027 but lists 2027's days only (FICTIONAL 2027): before, 2026 lost its
    # holidays and `due 11 --on 2026-09-01` said 2026-10-01, National Day, with exit 0.
    path = write(tmp_path, FILE_2027.replace("years: [2027]", "years: [2026, 2027]"))
    # 2026's statutory days on a weekday are missing: 01-01 Thu, 02-16 Mon (除夕) … 02-19 Thu,
    # 05-01 Fri, 06-19 Fri (端午), 09-25 Fri (中秋), 10-01 Thu, 10-02 Fri — ten in all. 清明 04-05
    # (Sun), 05-02 (Sat) and 10-03 (Sat) are rest days anyway.
    line = f"{path}:2: {NOT_FILLED_2026}"
    result = run("due", "11", "--on", "2026-09-01", "--holidays", str(path))
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {line}\n")
    check = run("renew-check", "--as-of", "2026-09-01", "--holidays", str(path))
    assert check.exit_code == 3 and check.stderr == ""
    assert check.stdout.startswith(f"LICENSE UNKNOWN - {line}")
    env = run("workdays", "is", "2026-10-01", env={"LICENSECLI_HOLIDAYS": str(path)})
    assert (env.exit_code, env.stderr) == (1, f"error: {line}\n")


def test_the_filled_in_year_gives_the_right_date(tmp_path: Path) -> None:
    # The 2026 notice typed in + the FICTIONAL 2027 in one file each. 30 days after 2026-09-01 is
    # Thu 10-01; 10-01 … 10-07 are off (国庆), so the period ends on the next working day, Thu 10-08.
    notice = write(tmp_path, schedule_yaml(2026, *NOTICES[2026]), "2026.yaml")
    fictional = write(tmp_path, FILE_2027, "2027.yaml")
    result = run(
        "due", "11", "--on", "2026-09-01", "--json", "--holidays", str(notice), "--holidays", str(fictional)
    )
    assert result.exit_code == 0, result.stderr
    assert '"due_date": "2026-10-08"' in result.stdout


@pytest.mark.parametrize("year", range(2004, 2027))
def test_every_year_of_the_package_passes_as_a_holiday_file(tmp_path: Path, year: int) -> None:
    # Each published schedule chinese-calendar has, written out as a holiday file, must be accepted
    # (2012's data leaves out Sat 06-23, 端午 itself: a weekend day not listed is a rest day anyway).
    schedule = Calendar().schedule(year)
    assert schedule.origin == "package"
    path = write(tmp_path, schedule_yaml(year, list(schedule.days_off), list(schedule.working_days)))
    [read] = read_holiday_file(path)
    assert (read.days_off.keys(), read.working_days.keys()) == (
        schedule.days_off.keys(),
        schedule.working_days.keys(),
    )


def test_the_2026_notice_typed_in_passes_and_matches_the_package(tmp_path: Path) -> None:
    off, work = NOTICES[2026]
    [read] = read_holiday_file(write(tmp_path, schedule_yaml(2026, off, work)))
    assert sorted(read.days_off) == sorted(off) and sorted(read.working_days) == sorted(work)
    package = Calendar().schedule(2026)
    assert sorted(package.days_off) == sorted(off) and sorted(package.working_days) == sorted(work)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # 1999 version: 春节 初一–初三, 劳动节 05-01–03, no 清明/端午/中秋. Lunar new year 2007: 02-18.
        (2007, days("2007-01-01") + days("2007-02-18", "2007-02-20") + days("2007-05-01", "2007-05-03")),
        # 2008–2013: 春节 除夕–初二; 清明, 端午, 中秋 added; 劳动节 05-01 only.
        # 2010: new year 02-14 (除夕 02-13), 清明 04-05, 端午 06-16, 中秋 09-22.
        (
            2010,
            days("2010-01-01")
            + days("2010-02-13", "2010-02-15")
            + days("2010-04-05")
            + days("2010-05-01")
            + days("2010-06-16")
            + days("2010-09-22"),
        ),
        # 2014–2024: 春节 初一–初三. 2020: new year 01-25, 清明 04-04, 端午 06-25, 中秋 10-01 (国庆).
        (
            2020,
            days("2020-01-01")
            + days("2020-01-25", "2020-01-27")
            + days("2020-04-04")
            + days("2020-05-01")
            + days("2020-06-25"),
        ),
        # From 2025: 春节 除夕–初三, 劳动节 05-01–02. 2025: new year 01-29, 清明 04-04, 端午 05-31,
        # 中秋 10-06.
        (
            2025,
            days("2025-01-01")
            + days("2025-01-28", "2025-01-31")
            + days("2025-04-04")
            + days("2025-05-01", "2025-05-02")
            + days("2025-05-31")
            + days("2025-10-06"),
        ),
    ],
)
def test_statutory_days_of_each_version_of_the_measures(year: int, expected: list[dt.date]) -> None:
    national_day = days(f"{year}-10-01", f"{year}-10-03")
    assert list(statutory_days_off(year)) == sorted(expected + national_day)


def test_a_coinciding_mid_autumn_is_named_national_day() -> None:
    assert statutory_days_off(2020)[D(2020, 10, 1)] == "国庆节"


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        # A statutory day left out (FICTIONAL 2027: 端午 is Wed 06-09).
        (
            "  - {date: 2027-06-09, name: 端午节}\n",
            "",
            2,
            "years[0]: 2027 is declared, so this file replaces all of 2027, but it does not give the "
            "statutory holiday 2027-06-09 端午节 off; list every day off and working day of the 2027 "
            "notice, or remove 2027 from years",
        ),
        # An adjusted working day on a weekday (2027-01-08 is a Friday).
        (
            "  - 2027-01-09\n",
            "  - 2027-01-08\n",
            13,
            "working_days[1]: 2027-01-08 is a Friday; adjusted working days (调休上班) are Saturdays and "
            "Sundays (a Monday to Friday is a working day anyway)",
        ),
        # A day listed twice: 02-11 in the 春节 block and again alone.
        (
            "  - {date: 2027-06-09, name: 端午节}\n",
            "  - {date: 2027-06-09, name: 端午节}\n  - 2027-02-11\n",
            9,
            "days_off[5]: 2027-02-11 is already listed in days_off[1]",
        ),
        # A day both off and working (Sat 2027-04-03 is in the 清明 block).
        (
            "  - 2027-01-09\n",
            "  - 2027-01-09\n  - 2027-04-03\n",
            14,
            "working_days[2]: 2027-04-03 is listed both as a day off and as a working day",
        ),
        ("years: [2027]", "years: [2027, 2027]", 2, "years[1]: 2027 is listed twice"),
    ],
)
def test_implausible_files_are_refused_with_the_line(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    assert old in FILE_2027
    path = write(tmp_path, FILE_2027.replace(old, new))
    with pytest.raises(DataFileError) as info:
        read_holiday_file(path)
    assert info.value.message == f"{path}:{line}: {message}"
    result = run("workdays", "is", "2027-01-04", "--holidays", str(path))
    assert (result.exit_code, result.stderr) == (1, f"error: {path}:{line}: {message}\n")


def test_a_statutory_day_on_a_weekend_must_not_be_a_working_day(tmp_path: Path) -> None:
    # 劳动节 05-02 is a Sunday in 2027: left out of days_off it is still a rest day, but listed as
    # an adjusted working day it is not (FICTIONAL 2027).
    text = FILE_2027.replace("  - {from: 2027-05-01, to: 2027-05-05, name: 劳动节}\n", "  - 2027-05-01\n")
    read_holiday_file(write(tmp_path, text, "left-out.yaml"))
    path = write(tmp_path, text.replace("  - 2027-01-09\n", "  - 2027-01-09\n  - 2027-05-02\n"))
    with pytest.raises(DataFileError) as info:
        read_holiday_file(path)
    assert info.value.message == (
        f"{path}:2: years[0]: 2027 is declared, so this file replaces all of 2027, but it does not give "
        "the statutory holiday 2027-05-02 劳动节 off; list every day off and working day of the 2027 "
        "notice, or remove 2027 from years"
    )


def test_every_problem_is_listed_and_the_first_is_the_message(tmp_path: Path) -> None:
    text = "source: x\nyears: [2027]\ndays_off: [2027-01-01, 2027-01-01]\nworking_days: [2027-01-04]\n"
    path = write(tmp_path, text)
    with pytest.raises(DataFileError) as info:
        read_holiday_file(path)
    details = (
        f"{path}:3: days_off[1]: 2027-01-01 is already listed in days_off[0]",
        f"{path}:4: working_days[0]: 2027-01-04 is a Monday; adjusted working days (调休上班) are "
        "Saturdays and Sundays (a Monday to Friday is a working day anyway)",
        f"{path}:2: years[0]: 2027 is declared, so this file replaces all of 2027, but it does not give "
        "the statutory holidays 2027-02-05 春节（除夕）, 2027-02-08 春节, 2027-04-05 清明节, 2027-06-09 "
        "端午节 and 2 more off; list every day off and working day of the 2027 notice, or remove 2027 "
        "from years",
    )
    assert info.value.details == details
    assert info.value.message == f"{details[0]} (and 2 more)"


def test_a_year_is_not_judged_empty_while_an_entry_cannot_be_read(tmp_path: Path) -> None:
    path = write(tmp_path, FILE_2027.replace("2027-06-09", "2027-06-31"))
    with pytest.raises(DataFileError) as info:
        read_holiday_file(path)
    assert info.value.details == (
        f"{path}:8: days_off[4].date: '2027-06-31' is not a real date (YYYY-MM-DD)",
    )


# --- only regular files ---------------------------------------------------------------------------


def test_a_named_pipe_is_refused_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "schedule.yaml"
    os.mkfifo(fifo)
    message = f"error: {fifo}: not a regular file (a FIFO); a holiday file must be a regular file\n"
    config = tmp_path / "config"
    folder = config / "licensecli" / "holidays"
    folder.mkdir(parents=True)
    os.mkfifo(folder / "2027.yaml")
    in_folder = message.replace(str(fifo), str(folder / "2027.yaml"))
    cases = [
        (["--holidays", str(fifo)], {}, message),
        ([], {"LICENSECLI_HOLIDAYS": str(fifo)}, message),
        ([], {"XDG_CONFIG_HOME": str(config)}, in_folder),
    ]
    for args, env, expected in cases:
        result = run_process("workdays", "is", "2026-10-01", *args, env=env)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", expected), (args, env)
    check = run_process("renew-check", "--holidays", str(fifo))
    assert check.returncode == 3 and check.stdout.startswith(f"LICENSE UNKNOWN - {fifo}: not a regular file")


def test_a_device_and_a_folder_are_refused(tmp_path: Path) -> None:
    result = run("workdays", "is", "2026-10-01", "--holidays", "/dev/null")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: /dev/null: not a regular file (a character device); a holiday file must be a regular file\n",
    )
    result = run("workdays", "is", "2026-10-01", env={"LICENSECLI_HOLIDAYS": str(tmp_path)})
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {tmp_path}: is a folder, not a file (give a .yaml file)\n",
    )


def test_the_user_folder_skips_hidden_files_and_names_a_dangling_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    folder = tmp_path / "licensecli" / "holidays"
    folder.mkdir(parents=True)
    (folder / "2027.yaml").write_text(FILE_2027, encoding="utf-8")
    (folder / ".2027.yaml").write_text("not: a holiday file\n", encoding="utf-8")  # an editor's copy
    (folder / "._2027.yaml").write_bytes(b"\x00\x05\x16\x07")  # macOS resource fork
    assert holiday_file_paths() == [folder / "2027.yaml"]
    assert run("workdays", "is", "2027-02-20").exit_code == 0
    (folder / "2028.yaml").symlink_to(tmp_path / "gone.yaml")
    result = run("workdays", "is", "2027-02-20")
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {folder / '2028.yaml'}: a broken symlink (it points to {tmp_path / 'gone.yaml'}, "
        "which does not exist)\n",
    )


def test_an_unreadable_user_folder_is_one_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, who reads any folder: the refusal is simulated where the folder is read.
    folder = tmp_path / "holidays"
    folder.mkdir()
    monkeypatch.setattr(holidayfiles, "user_holiday_folder", lambda: folder)
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(holidayfiles.os, "scandir", scandir)
    result = run("workdays", "is", "2026-10-01")
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {folder}: the holiday folder cannot be read (permission denied)\n",
    )
    check = run("renew-check")
    assert check.exit_code == 3 and "the holiday folder cannot be read" in check.stdout


def test_a_file_where_the_user_folder_should_be(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "licensecli").mkdir()
    folder = tmp_path / "licensecli" / "holidays"
    folder.write_text(FILE_2027, encoding="utf-8")
    result = run("workdays", "is", "2026-10-01")
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {folder}: should be a folder of holiday files (*.yaml), but is a file\n",
    )


# --- $LICENSECLI_HOLIDAYS --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "entry"),
    [
        (":", "entry 1 of 2"),
        ("a.yaml::b.yaml", "entry 2 of 3"),
        ("a.yaml:", "entry 2 of 2"),
        ("a.yaml: :b.yaml", "entry 2 of 3"),
    ],
)
def test_an_empty_entry_in_the_variable_is_an_error(value: str, entry: str) -> None:
    message = (
        f"LICENSECLI_HOLIDAYS: {entry} is empty; separate holiday files with ':' and leave no empty "
        "entries (unset it to name none)"
    )
    result = run("workdays", "is", "2026-10-01", env={"LICENSECLI_HOLIDAYS": value})
    assert (result.exit_code, result.stderr) == (1, f"error: {message}\n")
    os.environ["LICENSECLI_HOLIDAYS"] = value  # restored by conftest's monkeypatch.delenv
    with pytest.raises(InputError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        holiday_file_paths()


def test_an_empty_variable_names_no_files() -> None:
    result = run("workdays", "is", "2026-10-01", env={"LICENSECLI_HOLIDAYS": ""})
    assert (result.exit_code, result.stderr) == (0, "")


# --- checking holiday files (for `validate --holidays`) ----------------------------------------------


def test_check_holiday_files_lists_every_problem_of_every_file(tmp_path: Path) -> None:
    good = write(tmp_path, FILE_2027, "good.yaml")
    wiped = write(tmp_path, FILE_2027.replace("years: [2027]", "years: [2026, 2027]"), "wiped.yaml")
    other = write(tmp_path, FILE_2027.replace("2027-01-09", "2027-01-16"), "other.yaml")
    missing = tmp_path / "missing.yaml"
    result = check_holiday_files([good, wiped, other, missing], environment=False)
    assert result == HolidayCheck(
        [good, wiped, other, missing],
        [
            f"{wiped}:2: {NOT_FILLED_2026}",
            f"{good} and {other} disagree on 2027: 2027-01-09 is a working day in {good} only; "
            "keep one file per year or make them agree",
            f"{missing}: no such file",
        ],
    )
    assert check_holiday_files([good, good], environment=False) == HolidayCheck([good], [])


def test_check_holiday_files_reads_what_the_commands_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    folder = tmp_path / "licensecli" / "holidays"
    folder.mkdir(parents=True)
    in_folder = write(folder, FILE_2027, "2027.yaml")
    named = write(tmp_path, schedule_yaml(2026, *NOTICES[2026]), "2026.yaml")
    monkeypatch.setenv("LICENSECLI_HOLIDAYS", str(named))
    assert check_holiday_files() == HolidayCheck([named, in_folder], [])
    monkeypatch.setenv("LICENSECLI_HOLIDAYS", f"{named}::")
    assert check_holiday_files().problems == [
        "LICENSECLI_HOLIDAYS: entry 2 of 3 is empty; separate holiday files with ':' and leave no empty "
        "entries (unset it to name none)"
    ]


def test_check_holiday_files_does_not_wait_on_a_named_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    found: list[HolidayCheck] = []
    worker = threading.Thread(
        target=lambda: found.append(check_holiday_files([fifo], environment=False)), daemon=True
    )
    worker.start()
    worker.join(timeout=30)
    assert found == [
        HolidayCheck([fifo], [f"{fifo}: not a regular file (a FIFO); a holiday file must be a regular file"])
    ]


# --- one warning line for many estimated years -------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "ranges", "text"),
    [
        ([2027], [(2027, 2027)], "2027"),
        (range(2027, 2100), [(2027, 2099)], "2027–2099"),
        ([2031, 2027, 2028, 2029], [(2027, 2029), (2031, 2031)], "2027–2029, 2031"),
        ([2027, 2027, 2029], [(2027, 2027), (2029, 2029)], "2027, 2029"),
        ([], [], ""),
    ],
)
def test_year_ranges(years: list[int], ranges: list[tuple[int, int]], text: str) -> None:
    assert year_ranges(years) == ranges
    assert describe_years(years) == text


def test_counting_the_whole_calendar_estimates_one_range() -> None:
    calendar = Calendar()
    assert calendar.count(D(2004, 1, 1), D(2099, 12, 31)).estimated
    assert len(calendar.estimated_years_used) == 73
    assert describe_years(calendar.estimated_years_used) == "2027–2099"
