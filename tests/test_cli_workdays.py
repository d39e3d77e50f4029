"""`workdays` and `holidays` through the command line, and China's date whatever the time zone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run
from .test_workdays import FILE_2027


def test_add_into_2027_is_estimated_with_one_warning() -> None:
    result = run("workdays", "add", "2026-12-25", "10", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "schema_version": 1,
        "start": "2026-12-25",
        "days": 10,
        "date": "2027-01-11",
        "estimated": True,
    }
    assert result.stderr.count("warning:") == 1
    assert "2027" in result.stderr and "licensecli holidays import" in result.stderr


def test_strict_calendar_refuses_and_names_the_year() -> None:
    result = run("workdays", "add", "2026-12-25", "10", "--json", "--strict-calendar")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: 2027 has no published holiday schedule")


def test_holiday_file_answers_for_2027(tmp_path: Path) -> None:
    path = tmp_path / "2027.yaml"
    path.write_text(FILE_2027, encoding="utf-8")
    for args in (["--holidays", str(path)], []):
        env = {} if args else {"LICENSECLI_HOLIDAYS": str(path)}
        result = run("workdays", "add", "2026-12-25", "10", "--json", "--strict-calendar", *args, env=env)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["estimated"] is False
        assert result.stderr == ""


def test_holiday_file_in_the_user_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    folder = tmp_path / "licensecli" / "holidays"
    folder.mkdir(parents=True)
    (folder / "2027.yaml").write_text(FILE_2027, encoding="utf-8")
    result = run("workdays", "is", "2027-02-20", "--json")
    assert json.loads(result.stdout) == {
        "schema_version": 1,
        "date": "2027-02-20",
        "workday": True,
        "kind": "adjusted_workday",
        "name": "春节调休",
        "estimated": False,
    }


def test_is_text_and_json() -> None:
    result = run("workdays", "is", "2026-02-14")
    assert result.stdout == "2026-02-14 (Sat) is an adjusted working day (春节调休)\n"
    result = run("workdays", "is", "2026-02-17", "--lang", "zh")
    assert result.stdout == "2026-02-17 (周二) 是 法定节假日（春节）\n"


def test_negative_add_and_count() -> None:
    assert (
        json.loads(run("workdays", "add", "--json", "--", "2026-03-02", "-5").stdout)["date"] == "2026-02-24"
    )
    result = run("workdays", "count", "2026-09-30", "2026-10-12", "--json")
    assert json.loads(result.stdout) == {
        "schema_version": 1,
        "start": "2026-09-30",
        "end": "2026-10-12",
        "count": 4,
        "estimated": False,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["workdays", "is", "2026-02-30"], "not a real date"),
        (["workdays", "is", "2026-13-01"], "not a real date"),
        (["workdays", "is", "20260101"], "write YYYY-MM-DD"),
        (["workdays", "is", "2003-12-31"], "before 2004"),
        (["workdays", "add", "2026-01-01", "1000000000"], "beyond the calendar"),
        (["holidays", "1999"], "before 2004"),
    ],
)
def test_bad_input_is_one_line_exit_1(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert message in result.stderr


def test_holidays_year_json_matches_the_notice() -> None:
    data = json.loads(run("holidays", "2026", "--json").stdout)
    assert data["year"] == 2026 and data["estimated"] is False
    assert len(data["days_off"]) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert [d["date"] for d in data["working_days"]] == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]


def test_holidays_2027_is_an_estimate() -> None:
    result = run("holidays", "2027", "--json")
    data = json.loads(result.stdout)
    assert data["estimated"] is True and data["working_days"] == []
    assert "warning:" in result.stderr
    assert run("holidays", "2027", "--strict-calendar").exit_code == 1


def test_overview_warns_from_october_when_next_year_is_missing() -> None:
    late = run("holidays", "--json", "--as-of", "2026-11-28")
    data = json.loads(late.stdout)
    assert data["next_year_missing"] is True and data["estimated_from"] == 2027
    assert [(y["year"], y["origin"]) for y in data["known_years"]] == [
        (year, "package") for year in range(2004, 2027)
    ]
    assert "warning:" in late.stderr
    early = run("holidays", "--json", "--as-of", "2026-09-30")
    assert json.loads(early.stdout)["warning"] is None and early.stderr == ""
