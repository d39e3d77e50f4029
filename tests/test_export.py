"""export: iCalendar read back with icalendar, CSV read back with csv, atomic writes."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import icalendar

from .conftest import licence_text, run


def events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_ics_events_dates_and_alarms(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    result = run("export", "--format", "ics", "-o", str(target), "--as-of", "2025-06-01")
    assert result.exit_code == 0, result.stderr
    found = events(target)
    assert set(found) == {
        "B2-20210247.renewal-application@licensecli",
        "B2-20210247.license-expiry@licensecli",
        "B2-20210247.annual-report.2026@licensecli",
    }
    renewal = found["B2-20210247.renewal-application@licensecli"]
    assert renewal.decoded("dtstart") == dt.date(2025, 10, 23)
    assert renewal.decoded("dtend") == dt.date(2025, 10, 24)
    assert "B2-20210247" in str(renewal["summary"]) and "renewal-application" in str(renewal["summary"])
    description = str(renewal["description"])
    assert "提前90日向原发证机关提出续办申请" in description and "[R5]" in description
    triggers = sorted(a.decoded("trigger") for a in renewal.walk("VALARM"))
    assert triggers == [dt.timedelta(days=-30), dt.timedelta(days=-7), dt.timedelta(days=-1)]
    window = found["B2-20210247.annual-report.2026@licensecli"]
    assert (window.decoded("dtstart"), window.decoded("dtend")) == (dt.date(2026, 1, 1), dt.date(2026, 4, 1))
    alarm = next(iter(window.walk("VALARM")))
    assert alarm["trigger"].params["RELATED"] == "END"


def test_uids_are_stable_across_runs_and_estimates_say_so(tmp_path: Path) -> None:
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    run("export", "--format", "ics", "-o", str(first), "--as-of", "2026-11-28", "--remind", "5")
    run("export", "--format", "ics", "-o", str(second), "--as-of", "2026-11-28", "--remind", "5")
    assert set(events(first)) == set(events(second))
    report = events(first)["B2-20210247.annual-report.2027@licensecli"]
    assert str(report["summary"]).endswith("[estimated date]")
    assert [a.decoded("trigger") for a in report.walk("VALARM")] == [dt.timedelta(days=-6)]


def test_csv_reads_back(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.csv"
    assert (
        run("export", "--format", "csv", "-o", str(target), "--as-of", "2025-06-01", "--lang", "zh").exit_code
        == 0
    )
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["obligation"], r["due_date"], r["days_left"], r["status"]) for r in rows] == [
        ("renewal-application", "2025-10-23", "144", "upcoming"),
        ("license-expiry", "2026-01-21", "234", "upcoming"),
        ("annual-report", "2026-03-31", "303", "upcoming"),
    ]
    assert rows[0]["title"] == "提出续办申请" and rows[0]["estimated"] == "false"
    assert rows[2]["window_start"] == "2026-01-01"


def test_stdout_export() -> None:
    result = run("export", "--format", "csv", "-o", "-", "--as-of", "2025-06-01")
    assert result.stdout.startswith("\ufefflicense,obligation,")


def test_failed_export_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    target.write_bytes(b"old content \x00 exactly")
    bad = tmp_path / "bad.yaml"
    bad.write_text(licence_text(valid_until="2026-02-30"), encoding="utf-8")
    result = run("export", str(bad), "--format", "ics", "-o", str(target))
    assert result.exit_code == 1
    strict = run("export", "--format", "ics", "-o", str(target), "--as-of", "2026-11-28", "--strict-calendar")
    assert strict.exit_code == 1 and "2027" in strict.stderr
    assert target.read_bytes() == b"old content \x00 exactly"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "deadlines.ics"]  # no temp files


def test_bad_targets_and_options(tmp_path: Path) -> None:
    missing = run("export", "--format", "ics", "-o", str(tmp_path / "no" / "x.ics"))
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    folder = run("export", "--format", "ics", "-o", str(tmp_path))
    assert folder.exit_code == 1 and "is a folder" in folder.stderr
    assert run("export", "--format", "pdf", "-o", str(tmp_path / "x")).exit_code == 2
    assert run("export", "--format", "ics").exit_code == 2
