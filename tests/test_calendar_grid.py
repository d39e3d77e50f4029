"""`licensecli calendar`: month grids at 80 columns, in both languages, with every mark in the
text (nothing rests on colour), and the same facts in JSON.

The golden files were read against the State Council's 2026 notice (国办发明电〔2025〕7号): 春节
02-15…02-23 off, Saturdays 02-14 and 02-28 worked; 中秋 09-25…09-27; 国庆 10-01…10-07 off,
Sunday 09-20 and Saturday 10-10 worked. 2027 has no published schedule: its days off are the
estimate (statutory days only). The deadlines come from tests/data/calendar-licence.yaml
(FICTIONAL), each counted by hand in that file's comments.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from .conftest import run
from .test_cli_deadlines import check_golden

LICENCE = str(Path(__file__).parent / "data" / "calendar-licence.yaml")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def cells(text: str) -> int:
    """Terminal columns: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def calendar(*args: str, lang: str = "en", env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run(
        "calendar",
        *args,
        "-l",
        LICENCE,
        "--lang",
        lang,
        env={"COLUMNS": "80", "NO_COLOR": "1", **(env or {})},
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("calendar-2026-02", ["2026-02", "--as-of", "2026-01-10"]),
        ("calendar-2026-10", ["2026-10", "--as-of", "2026-09-01"]),
        ("calendar-2027-02", ["2027-02", "--as-of", "2026-11-28"]),
        ("calendar-2026-09-3", ["2026-09", "--months", "3", "--as-of", "2026-09-01"]),
    ],
)
def test_golden_calendar(name: str, args: list[str], lang: str) -> None:
    result = calendar(*args, lang=lang)
    assert result.exit_code == 0, result.stderr
    assert max(cells(line) for line in result.stdout.splitlines()) <= 80
    check_golden(f"{name}.{lang}.txt", result.stdout)


def grid_rows(text: str) -> list[str]:
    return [
        line
        for line in text.splitlines()
        if re.match(r"^[ \d*+#?]+$", line) and any(c.isdigit() for c in line)
    ]


def test_february_2026_marks_are_the_notice() -> None:
    out = calendar("2026-02", "--as-of", "2026-01-10").stdout
    cells = " ".join(grid_rows(out))
    # Saturdays 02-14 and 02-28 worked (+); 02-15…02-23 off (*); 02-27 the report's due day (#).
    assert "14+" in cells and "28+" in cells
    for day in range(15, 24):
        assert f"{day}*" in cells
    assert "27#" in cells
    assert "24*" not in cells and "13*" not in cells
    assert "# 2026-02-27 (Fri)  upcoming  illegal-info-report · 九" in out


def test_october_2026_three_months_across() -> None:
    out = calendar("2026-09", "--months", "3", "--as-of", "2026-09-01").stdout
    first = out.splitlines()[0]
    assert "September 2026" in first and "October 2026" in first and "November 2026" in first
    cells = " ".join(grid_rows(out))
    assert "20+" in cells and "10#" in cells and "16#" in cells  # 10-10 worked, and a deadline
    for day in (25, 26, 27, 1, 2, 3, 4, 5, 6, 7):
        assert f"{day:2d}*" in cells


def test_2027_is_marked_estimated() -> None:
    out = calendar("2027-02", "--as-of", "2026-11-28")
    assert "February 2027 (est.)" in out.stdout and "? day off, estimated" in out.stdout
    assert " 5?" in out.stdout and "[estimated]" in out.stdout
    assert "warning: no published holiday schedule for 2027" in out.stderr
    zh = calendar("2027-02", "--as-of", "2026-11-28", lang="zh").stdout
    assert "2027年2月（估算）" in zh and "[估算]" in zh


def test_colour_only_repeats_the_marks() -> None:
    plain = calendar("2026-02", "--as-of", "2026-01-10").stdout
    coloured = run(
        "calendar",
        "2026-02",
        "--as-of",
        "2026-01-10",
        "-l",
        LICENCE,
        "--lang",
        "en",
        env={"COLUMNS": "80", "FORCE_COLOR": "1", "TERM": "xterm-256color"},
    ).stdout
    assert ANSI.search(coloured), "a terminal gets colour"
    assert ANSI.sub("", coloured) == plain  # the same text, marks included, without colour


def test_json_has_the_same_facts_per_day() -> None:
    data = json.loads(calendar("2026-10", "--as-of", "2026-09-01", "--json").stdout)
    (month,) = data["months"]
    days = {d["date"]: d for d in month["days"]}
    assert len(days) == 31 and month["estimated"] is False
    assert (days["2026-10-01"]["kind"], days["2026-10-01"]["name"]) == ("holiday", "国庆节")
    assert (days["2026-10-10"]["kind"], days["2026-10-10"]["workday"]) == ("adjusted_workday", True)
    assert [d["obligation"] for d in days["2026-10-10"]["deadlines"]] == ["entity-change-application"]
    assert [d["obligation"] for d in days["2026-10-16"]["deadlines"]] == ["illegal-info-report"]
    assert days["2026-10-11"]["kind"] == "weekend"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2026-13"], "13 is not a month"),
        (["26-02"], "give a year (2026) or a month (2026-02)"),
        (["2100"], "give a year from 2004 to 2099"),
        (["2026-02", "--months", "0"], "--months 0: give 1 to 36"),
        (["2099-11", "--months", "3"], "3 months from 2099-11 run past 2099, where the calendar ends"),
    ],
)
def test_bad_arguments_say_what_to_give(args: list[str], message: str) -> None:
    result = calendar(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr


def test_a_year_is_twelve_months_in_rows_of_three() -> None:
    out = calendar("2026", "--as-of", "2026-01-10").stdout
    names = "January February March April May June July August September October November December"
    rows = [[n for n in names.split() if f"{n} 2026" in line] for line in out.splitlines()]
    assert [r for r in rows if r] == [
        ["January", "February", "March"],
        ["April", "May", "June"],
        ["July", "August", "September"],
        ["October", "November", "December"],
    ]


@pytest.mark.parametrize(
    ("columns", "across"), [("80", 3), ("69", 3), ("68", 2), ("45", 2), ("44", 1), ("30", 1)]
)
def test_a_narrow_terminal_gets_fewer_months_across(columns: str, across: int) -> None:
    # Each month is 21 columns and the gap between two is 3: three need 69, two need 45.
    out = calendar("2026-09", "--months", "3", "--as-of", "2026-09-01", env={"COLUMNS": columns}).stdout
    titles = [line for line in out.splitlines() if "2026" in line and "Mo" not in line and "#" not in line]
    first_row = titles[0]
    assert sum(name in first_row for name in ("September", "October", "November")) == across
    grid = [line for line in out.splitlines()[: 9 if across == 3 else 6] if line.strip()]
    assert all(len(line) <= max(int(columns), 21) for line in grid)


def test_a_deadline_on_a_day_off_says_so() -> None:
    # 2026-10-10 is a worked Saturday (调休) and the 30-day deadline from 09-10: the grid shows #,
    # and the deadline's line says what the day is.
    out = calendar("2026-10", "--as-of", "2026-09-01").stdout
    assert "Apply for a change of operating entity\n      (on an adjusted working day: 国庆节调休)\n" in out
    zh = calendar("2026-10", "--as-of", "2026-09-01", lang="zh").stdout
    assert "经营主体变更申请\n      （该日调休上班：国庆节调休）\n" in zh


def test_a_lapsed_licence_is_said_first() -> None:
    result = run("calendar", "2026-01", "--as-of", "2026-11-28", env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.stdout.startswith("B2-20210247 has lapsed: its last valid day was 2026-01-21")
    data = json.loads(run("calendar", "2026-01", "--as-of", "2026-11-28", "--json").stdout)
    assert [(lic["number"], lic["state"]) for lic in data["licenses"]] == [("B2-20210247", "lapsed")]


def test_the_legend_never_parts_a_mark_from_its_word() -> None:
    out = calendar("2026-02", "--as-of", "2026-01-10", env={"COLUMNS": "60"}).stdout
    legend = [line for line in out.splitlines() if "day off, estimated" in line or "# deadline" in line]
    assert legend == ["# deadline  * day off  + adjusted working day (调休上班)", "? day off, estimated"]
