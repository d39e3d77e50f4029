"""Rules R11–R14 (docs/counting-rules.md): N working days before, hours from an event's time,
recurrence from the last completion, a yearly window with a grace period.

Every expected date was counted by hand from the State Council's holiday notices for 2025
(2024-11-12) and 2026 (2025-11-04), not from the code: 2026 国庆 is 10-01…10-07 off with
Sunday 09-20 and Saturday 10-10 worked, 中秋 09-25…09-27 off; 春节 02-15…02-23 off with
Saturdays 02-14 and 02-28 worked. The count for each row is written beside it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from licensecli import engine, rules
from licensecli.models import License, Rule
from licensecli.workdays import Calendar

from .conftest import BUNDLED

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def calendar() -> Calendar:
    return Calendar()


# --- R11: N working days before an anchor -------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "anchor", "expected"),
    [
        # 10-08, 09-30, 09-29, 09-28, then 09-24: 10-01…10-07 (国庆) and 09-25…09-27 (中秋) skipped.
        (5, "2026-10-09", "2026-09-24"),
        # 10-10 (a worked Saturday) is the 1st, 10-09 and 10-08 the 2nd and 3rd, 09-30…09-28 the
        # 4th–6th, 09-24…09-21 the 7th–10th.
        (10, "2026-10-12", "2026-09-21"),
        # Across 国庆 and 中秋, counting 10-10 (4th) and the worked Sunday 09-20 (14th).
        (60, "2026-10-15", "2026-07-17"),
        # 02-14 (a worked Saturday) is the 1st after 02-15…02-23 off; 02-13, 02-12 the 2nd and 3rd.
        (3, "2026-02-24", "2026-02-12"),
        # 10-10 is the 37th and 09-20 the 47th working day counted back from 12-01.
        (60, "2026-12-01", "2026-09-02"),
    ],
)
def test_r11_working_days_before(calendar: Calendar, days: int, anchor: str, expected: str) -> None:
    rule = Rule(kind="workdays_before", days=days, anchor="event")
    computed = rules.compute(rule, D(anchor), calendar, detail=True)
    assert computed.due == D(expected)
    assert not computed.estimated
    assert next(s.rule for s in computed.steps) == "R11"
    # Counting forward again from the answer lands on the anchor (each anchor is a working day).
    assert calendar.add(D(expected), days).date == D(anchor)


def test_r11_opens_a_period_that_ends_before_a_term_expires(calendar: Calendar) -> None:
    # A result issued 2023-10-15, valid 3 years: last valid day 2026-10-15 (R1, R9). The
    # extension is applied for within the 60 working days before it: from 2026-07-17 (above) to
    # the last working day before 10-15, which is 10-14 (a Wednesday).
    rule = Rule.model_validate(
        {
            "kind": "workdays_before",
            "days": 60,
            "anchor": "event",
            "term": {"count": 3, "unit": "years"},
            "opens": True,
            "rollover": "backward",
        }
    )
    computed = rules.compute(rule, D("2023-10-15"), calendar)
    assert (computed.window_start, computed.due) == (D("2026-07-17"), D("2026-10-14"))
    assert [s.rule for s in computed.steps] == ["R1, R9", "R11", "R11"]
    assert "2026-10-15" in computed.steps[0].en


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "workdays_before", "days": 5, "anchor": "event", "unit": "days"},
        {"kind": "after", "days": 5, "unit": "days", "anchor": "event", "opens": True},
        {
            "kind": "after",
            "days": 5,
            "unit": "days",
            "anchor": "event",
            "term": {"count": 3, "unit": "years"},
        },
        {"kind": "hours_after", "hours": 4, "anchor": "valid_until"},
        {"kind": "hours_after", "anchor": "event"},
        {"kind": "after", "days": 1, "unit": "years", "anchor": "event", "recur_from": "done"},
    ],
)
def test_new_rule_fields_go_only_where_they_mean_something(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Rule.model_validate(bad)


# --- R12: hours from an event's time ------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "at", "expected"),
    [
        (4, "2026-11-28 22:30", "2026-11-29 02:30"),  # across midnight, into a Sunday
        (1, "2026-11-28 23:30", "2026-11-29 00:30"),
        (4, "2026-09-30 21:00", "2026-10-01 01:00"),  # into 国庆: hours do not stop for holidays
        (4, "2026-12-31 23:00", "2027-01-01 03:00"),  # into 2027: no schedule needed, no estimate
        (4, "2026-11-28 14:05", "2026-11-28 18:05"),
    ],
)
def test_r12_hours_after_an_events_time(calendar: Calendar, hours: int, at: str, expected: str) -> None:
    rule = Rule(kind="hours_after", hours=hours, anchor="event")
    moment = dt.datetime.fromisoformat(at)
    computed = rules.compute(rule, moment.date(), calendar, at=moment.time())
    assert computed.due_at == dt.datetime.fromisoformat(expected)
    assert computed.due == computed.due_at.date()
    assert computed.estimated is False
    assert computed.steps[0].rule == "R12" and expected in computed.steps[0].en


# --- R13: recurrence from the last completion ---------------------------------------------------


def licence(**changes: object) -> License:
    """The bundled licence with a profile-free, long validity (2024-03-01 … 2029-03-01)."""
    from licensecli import loader

    text = BUNDLED.read_text(encoding="utf-8")
    text = text.replace("issued_on: 2023-05-31", "issued_on: 2024-03-01").replace(
        "valid_until: 2026-01-21", "valid_until: 2029-03-01"
    )
    for key, value in changes.items():
        text = (
            text.replace("events: []", f"{key}: {value}\nevents: []")
            if key != "events"
            else text.replace("events: []", f"events: {value}")
        )
    return loader.license_from_text(text, Path("test.yaml"))


YEARLY_FROM_DONE = (
    "[{ref: 自定义, title: {zh: 年度测试, en: Yearly test}, text: 自定义义务。, obligations: "
    "[{id: yearly-test, title: {zh: 年度测试, en: Yearly test}, rule: {kind: after, days: 1, unit: years, "
    "anchor: event, every: 1, recur_from: done, rollover: forward}}]}]"
)


def rows(lic: License, as_of: str, obligation: str, calendar: Calendar) -> list[tuple[str, str, bool]]:
    found = engine.license_deadlines(lic, D(as_of), calendar)
    return [(d.due_date.isoformat(), d.status, shown) for d, shown in found if d.obligation == obligation]


def test_r13_a_late_completion_moves_the_next_occurrence(calendar: Calendar) -> None:
    # Started 2024-09-10: first due 2025-09-10 (a Wednesday, a working day). Done late on
    # 2025-10-01; the next is due a year after the completion, 2026-10-01, which is 国庆:
    # forward to the first working day after 10-01…10-07, 2026-10-08.
    lic = licence(
        clauses=YEARLY_FROM_DONE,
        events="[{obligation: yearly-test, on: 2024-09-10, done_on: 2025-10-01}]",
    )
    assert rows(lic, "2025-09-20", "yearly-test", calendar) == [("2025-09-10", "overdue", True)]
    assert rows(lic, "2025-10-02", "yearly-test", calendar) == [
        ("2025-09-10", "done", False),
        ("2026-10-08", "upcoming", True),
    ]
    assert rows(lic, "2026-10-09", "yearly-test", calendar)[-1] == ("2026-10-08", "overdue", True)
    (_, following) = [
        d
        for d, _ in engine.license_deadlines(lic, D("2025-10-02"), calendar)
        if d.obligation == "yearly-test"
    ]
    assert following.event_date == D("2025-10-01")  # the cycle runs from the completion
    assert [s.rule for s in following.steps] == ["R13", "R3"]


def test_r13_from_event_still_counts_from_the_event(calendar: Calendar) -> None:
    # The same rule without recur_from: occurrences every year after the event, whatever the
    # completion: 2025-09-10, then 2026-09-10 (a Thursday).
    lic = licence(
        clauses=YEARLY_FROM_DONE.replace(", recur_from: done", ""),
        events="[{obligation: yearly-test, on: 2024-09-10, done_on: 2025-10-01}]",
    )
    assert rows(lic, "2025-10-02", "yearly-test", calendar)[-1] == ("2026-09-10", "upcoming", True)


# --- R14: a yearly window with a grace period ---------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-03-31", [("2026-03-31", "due_today", True)]),  # Q1 ends on a Tuesday, a working day
        ("2026-04-01", [("2026-03-31", "grace", True)]),
        ("2026-04-30", [("2026-03-31", "grace", True)]),  # 04-30 is a Thursday, a working day
        # The grace is over: the 2026 report is missed (不良名单) and the 2027 one is next.
        ("2026-05-01", [("2026-03-31", "missed", True), ("2027-03-31", "upcoming", True)]),
    ],
)
def test_r14_grace_then_missed(calendar: Calendar, as_of: str, expected: list[tuple[str, str, bool]]) -> None:
    lic = licence(profile="{}")
    got = [row for row in rows(lic, as_of, "annual-report", calendar) if row[2]]
    assert got == expected


def test_r14_a_recorded_filing_is_done(calendar: Calendar) -> None:
    lic = licence(profile="{}", events="[{obligation: annual-report, on: 2026-04-20}]")
    found = [
        (d, s)
        for d, s in engine.license_deadlines(lic, D("2026-05-01"), calendar)
        if d.obligation == "annual-report"
    ]
    by_year = {d.due_date.year: (d.status, d.done_on, shown) for d, shown in found}
    assert by_year[2026] == ("done", D("2026-04-20"), False)
    assert by_year[2027][0] == "upcoming"


def test_r14_grace_ends_with_the_licence(calendar: Calendar) -> None:
    # Valid until 2026-04-10: the Q1 window is inside the validity, the grace is cut at 04-10.
    lic = licence(profile="{}")
    lic = lic.model_copy(update={"valid_until": D("2026-04-10")})
    (d,) = [
        d
        for d, shown in engine.license_deadlines(lic, D("2026-04-05"), calendar)
        if d.obligation == "annual-report" and shown
    ]
    assert (d.status, d.grace_until) == ("grace", D("2026-04-10"))


def test_without_a_profile_the_annual_report_has_no_grace(calendar: Calendar) -> None:
    lic = licence()
    assert [row for row in rows(lic, "2026-04-15", "annual-report", calendar) if row[2]] == [
        ("2027-03-31", "upcoming", True)
    ]
    statuses = {row[1] for row in rows(lic, "2026-04-15", "annual-report", calendar)}
    assert "grace" not in statuses and "missed" not in statuses


def test_r14_due_explains_the_grace(calendar: Calendar) -> None:
    lic = licence(profile="{}")
    answer = engine.due(lic, "annual-report", calendar, year=2026, as_of=D("2026-04-15"))
    assert (answer.due_date, answer.grace_until) == (D("2026-03-31"), D("2026-04-30"))
    assert answer.steps[-1].rule == "R14"
    assert answer.source == "license" and {b.article for b in answer.basis} == {"第三十五条", "第三十八条"}
