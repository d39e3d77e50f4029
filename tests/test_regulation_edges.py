"""Edges of the regulation pack and R11–R14 found in review: batch answers with a time, filings
of reports with no grace, recurring duties recorded ahead of --as-of, exports of duties counted
in hours, a licence that lapses inside the grace month, and the records that cannot be true.

Dates are counted by hand from the 2026 State Council notice (see test_regulation_rules.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run
from .test_regulation_pack import licence_file


def batch(path: Path, *lines: dict[str, object]) -> list[dict[str, object]]:
    text = "".join(json.dumps(line) + "\n" for line in lines)
    result = run("due", "--batch", "-", "-l", str(path), input=text)
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_batch_answers_each_time_of_day(tmp_path: Path) -> None:
    path = licence_file(tmp_path, "profile: {}")
    first, second, untimed = batch(
        path,
        {"obligation": "incident-report", "on": "2026-11-28", "at": "08:00"},
        {"obligation": "incident-report", "on": "2026-11-28", "at": "22:30"},
        {"obligation": "incident-report", "on": "2026-11-28"},
    )
    assert first["due_at"] == "2026-11-28T12:00:00+08:00"
    assert second["due_at"] == "2026-11-29T02:30:00+08:00"  # not the first line's answer again
    assert "--at" in str(untimed["error"])


def test_an_unfiled_report_without_grace_is_missed_under_a_profile(tmp_path: Path) -> None:
    # The number-resources report is due by 03-31 (a Tuesday in 2026) and has no grace month.
    path = licence_file(tmp_path, "profile: {number_resources: true}")

    def status(as_of: str) -> str:
        data = json.loads(run("deadlines", "--json", "--all", "--as-of", as_of, str(path)).stdout)
        (row,) = [
            d
            for d in data["deadlines"]
            if d["obligation"] == "number-resources-annual-report" and d["due_date"] == "2026-03-31"
        ]
        return str(row["status"])

    assert status("2026-03-31") == "due_today"
    assert status("2026-04-01") == "missed"
    check = run("check", "--as-of", "2026-04-01", str(path))
    assert check.exit_code == 2 and "number-resources-annual-report" in check.stdout
    filed = licence_file(
        tmp_path,
        "profile: {number_resources: true}",
        events="[{obligation: number-resources-annual-report, on: 2026-03-20}]",
    )
    data = json.loads(run("deadlines", "--json", "--all", "--as-of", "2026-04-01", str(filed)).stdout)
    row = next(
        d
        for d in data["deadlines"]
        if d["obligation"] == "number-resources-annual-report" and d["due_date"] == "2026-03-31"
    )
    assert (row["status"], row["done_on"]) == ("done", "2026-03-20")


def test_without_a_profile_a_past_report_is_still_passed(tmp_path: Path) -> None:
    path = licence_file(tmp_path, None)
    data = json.loads(run("deadlines", "--json", "--all", "--as-of", "2026-04-01", str(path)).stdout)
    assert {d["status"] for d in data["deadlines"] if d["obligation"] == "annual-report"} == {
        "passed",
        "upcoming",
    }


def test_a_recurring_duty_counts_from_the_latest_event_by_the_as_of_day(tmp_path: Path) -> None:
    # Tested 2025-03-10 (level 3: yearly, from the completion), due 2026-03-10; done late on
    # 2026-05-20, and that day starts the next cycle, recorded as a second event.
    events = (
        "[{obligation: conformity-test, on: 2025-03-10, done_on: 2026-05-20},"
        " {obligation: conformity-test, on: 2026-05-20}]"
    )
    path = licence_file(tmp_path, "profile: {protection_level: 3}", events=events)
    for command in (["deadlines", "--json", str(path)], ["event", "list", "--json", "-l", str(path)]):
        data = json.loads(run(*command[:1] + command[1:] + ["--as-of", "2026-04-01"]).stdout)
        rows = data["deadlines"] if "deadlines" in data else data["events"][:1]
        (row,) = [r for r in rows if r["obligation"] == "conformity-test"]
        assert (row["due_date"], row["status"]) == ("2026-03-10", "overdue"), command
    check = run("check", "--as-of", "2026-04-01", str(path))
    assert check.exit_code == 2 and "conformity-test" in check.stdout


def test_a_filing_after_the_as_of_day_does_not_count_yet(tmp_path: Path) -> None:
    path = licence_file(tmp_path, "profile: {}", events="[{obligation: annual-report, on: 2026-04-20}]")
    listed = json.loads(run("event", "list", "--json", "--as-of", "2026-04-10", "-l", str(path)).stdout)
    assert listed["events"][0]["status"] == "grace"
    later = json.loads(run("event", "list", "--json", "--as-of", "2026-04-21", "-l", str(path)).stdout)
    assert later["events"][0]["status"] == "done"


def test_grace_cut_by_the_licence_lands_on_a_working_day(tmp_path: Path) -> None:
    # Valid until Sunday 2026-04-12: the late filing must be made by Friday 04-10.
    path = licence_file(tmp_path, "profile: {}")
    text = path.read_text(encoding="utf-8").replace("valid_until: 2029-03-01", "valid_until: 2026-04-12")
    path.write_text(text, encoding="utf-8")
    data = json.loads(run("deadlines", "--json", "--as-of", "2026-04-05", str(path)).stdout)
    row = next(d for d in data["deadlines"] if d["obligation"] == "annual-report")
    assert (row["status"], row["grace_until"]) == ("grace", "2026-04-10")


def test_exports_of_duties_counted_in_hours(tmp_path: Path) -> None:
    import icalendar

    events = (
        "[{obligation: incident-report, on: 2026-11-28, at: '08:00'},"
        " {obligation: incident-report, on: 2026-11-28, at: '22:30'}]"
    )
    path = licence_file(tmp_path, "profile: {}", events=events)
    ics = run("export", "--format", "ics", "-o", "-", "--as-of", "2026-11-28", str(path))
    assert ics.exit_code == 0, ics.stderr
    calendar = icalendar.Calendar.from_ical(ics.stdout.encode())
    incidents = [e for e in calendar.walk("VEVENT") if "incident-report" in str(e["uid"])]
    assert len({str(e["uid"]) for e in incidents}) == 2
    assert all(not e.walk("VALARM") for e in incidents)  # no reminders days ahead of a 4-hour duty
    assert {str(e["summary"]).rsplit(" ", 1)[-1] for e in incidents} == {"12:00", "02:30"}
    csv = run("export", "--format", "csv", "--no-bom", "-o", "-", "--as-of", "2026-11-28", str(path))
    rows = [line.split(",") for line in csv.stdout.splitlines()]
    header = rows[0]
    times = {
        r[header.index("due_time")] for r in rows[1:] if r[header.index("obligation")] == "incident-report"
    }
    assert times == {"12:00", "02:30"}
    assert {r[header.index("source")] for r in rows[1:]} >= {"license", "regulation"}


def test_records_that_cannot_be_true_are_refused(tmp_path: Path) -> None:
    path = licence_file(tmp_path, "profile: {}", events="[{obligation: annual-report, on: 2026-03-20}]")
    now = {"LICENSECLI_NOW": "2026-11-28T10:00+08:00"}
    # A second filing of the 2026 report.
    again = run("event", "add", "annual-report", "--on", "2026-04-02", "-l", str(path), env=now)
    assert again.exit_code == 1 and "already recorded as filed on 2026-03-20 (event #1)" in again.stderr
    # An incident later today has not happened yet.
    later = run(
        "event", "add", "incident-report", "--on", "2026-11-28", "--at", "11:00", "-l", str(path), env=now
    )
    assert later.exit_code == 1 and "later than now (10:00" in later.stderr
    assert (
        run(
            "event", "add", "incident-report", "--on", "2026-11-28", "--at", "09:59", "-l", str(path), env=now
        ).exit_code
        == 0
    )
    # A time on a duty counted in days, written in the file.
    timed = licence_file(
        tmp_path, "profile: {}", events="[{obligation: illegal-info-report, on: 2026-11-20, at: '10:00'}]"
    )
    result = run("validate", str(timed))
    assert result.exit_code == 1 and "counted in days, not hours" in result.stderr


def test_an_empty_profile_opts_in(tmp_path: Path) -> None:
    path = licence_file(tmp_path, "profile:")
    data = json.loads(run("show", "--json", str(path)).stdout)["licenses"][0]
    assert data["profile"] == {
        "number_resources": False,
        "personal_information_over_10m": False,
        "critical_information_infrastructure": False,
        "cross_border": [],
    }
    assert any(c["source"] == "regulation" and c["ref"].startswith("网络安全事件") for c in data["clauses"])


def test_due_takes_the_day_and_the_time_apart_too(tmp_path: Path) -> None:
    path = licence_file(tmp_path, "profile: {}")
    result = run("due", "incident-report", "--on", "2026-11-28", "--at", "22:30", "-l", str(path), "--json")
    assert json.loads(result.stdout)["due_at"] == "2026-11-29T02:30:00+08:00"


def test_a_misspelt_profile_is_the_one_problem_named(tmp_path: Path) -> None:
    path = licence_file(
        tmp_path,
        "profile: {protection_levle: 3}",
        events="[{obligation: incident-report, on: 2026-11-28, at: '09:00'}]",
    )
    result = run("validate", str(path))
    assert result.exit_code == 1
    (problem,) = [line for line in result.stderr.splitlines() if "profile" in line or "events" in line]
    assert "profile.protection_levle: unknown profile key (the keys are: protection_level" in problem
    check = run("check", str(path))
    assert check.exit_code == 3 and "profile.protection_levle" in check.stdout


def test_the_template_regulation_clause_is_a_regulation_with_its_basis(tmp_path: Path) -> None:
    path = licence_file(
        tmp_path, None, events="[{obligation: registration-change-application, on: 2026-11-20}]"
    )
    check = run("check", "--as-of", "2026-11-28", str(path), "-vv")
    assert (
        "registration-change-application (regulation 《电信业务经营许可管理办法》（工业和信息化部令第42号） 第二十九条)"
        in check.stdout
    )


@pytest.mark.parametrize("command", ["check", "renew-check"])
def test_prometheus_unknown_says_why_in_a_comment(tmp_path: Path, command: str) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    missing = tmp_path / "nowhere.yaml"
    result = run(command, "--format", "prometheus", str(missing))
    assert result.exit_code == 3
    first = result.stdout.splitlines()[0]
    assert first.startswith("# UNKNOWN: ") and "nowhere.yaml" in first
    assert list(text_string_to_metric_families(result.stdout))  # still a valid exposition


@pytest.mark.parametrize(
    ("profile", "events", "field"),
    [
        ("profile: {cross_border: security_assessment}", "[]", "profile.cross_border"),
        ("profile: {}", "", "events"),  # `events:` left empty after the last one was deleted
    ],
)
def test_a_list_written_as_one_value_says_how_to_write_a_list(
    tmp_path: Path, profile: str, events: str, field: str
) -> None:
    path = licence_file(tmp_path, profile, events=events)
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert f"{field}: should be a list: [a, b] on one line, or one `- item` per line" in result.stderr
