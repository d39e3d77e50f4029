"""export --format ics as calendars read it: icalendar and an independent parser (vobject).

The state an update needs (SEQUENCE, LAST-MODIFIED) is carried through the previous file; the
reminders must ring at 09:00 on the day worked out by hand; a window is a deadline plus a marker.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

import icalendar
import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st

from licensecli.output import files

from .conftest import licence_text, run

RENEWAL = "B2-20210247.renewal-application@licensecli"
EXPIRY = "B2-20210247.license-expiry@licensecli"
REPORT_2026 = "B2-20210247.annual-report.2026@licensecli"
OPENS_2026 = "B2-20210247.annual-report.2026.opens@licensecli"
REPORT_2027 = "B2-20210247.annual-report.2027@licensecli"
OPENS_2027 = "B2-20210247.annual-report.2027.opens@licensecli"


class Seen(NamedTuple):
    """One event as a parser read it."""

    start: dt.date
    end: dt.date
    sequence: int
    last_modified: dt.datetime
    content_hash: str
    alarms: list[dt.datetime]  # when each reminder rings, in the viewer's local (floating) time


def rings_at(start: dt.date, trigger: dt.timedelta) -> dt.datetime:
    """A trigger relative to an all-day start rings at that day's 00:00 plus the trigger."""
    return dt.datetime.combine(start, dt.time()) + trigger


def read_icalendar(path: Path) -> dict[str, Seen]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    found = {}
    for event in calendar.walk("VEVENT"):
        start = event.decoded("dtstart")
        alarms = []
        for alarm in event.walk("VALARM"):
            assert alarm["trigger"].params.get("RELATED", "START") == "START"
            assert str(alarm["action"]) == "DISPLAY" and str(alarm["description"])
            alarms.append(rings_at(start, alarm.decoded("trigger")))
        found[str(event["uid"])] = Seen(
            start,
            event.decoded("dtend"),
            int(event["sequence"]),
            event.decoded("last-modified"),
            str(event["x-licensecli-hash"]),
            sorted(alarms),
        )
    return found


def read_vobject(path: Path) -> dict[str, Seen]:
    calendar = vobject.readOne(path.read_bytes().decode("utf-8"))
    found = {}
    for event in calendar.vevent_list:
        start = event.dtstart.value
        alarms = []
        for alarm in event.contents.get("valarm", []):
            assert alarm.trigger.params.get("RELATED", ["START"]) == ["START"]
            alarms.append(rings_at(start, alarm.trigger.value))
        found[event.uid.value] = Seen(
            start,
            event.dtend.value,
            int(event.sequence.value),
            event.last_modified.value,
            event.contents["x-licensecli-hash"][0].value,
            sorted(alarms),
        )
    return found


def read_both(path: Path) -> dict[str, Seen]:
    """The events, after checking that both parsers read the same thing."""
    ours, theirs = read_icalendar(path), read_vobject(path)
    assert ours.keys() == theirs.keys()
    for uid, seen in ours.items():
        other = theirs[uid]
        assert seen._replace(last_modified=other.last_modified) == other, uid
        assert seen.last_modified == other.last_modified  # aware datetimes compare across tz types
    return ours


def export(target: Path, *args: str, now: str) -> Any:
    result = run("export", "--format", "ics", "-o", str(target), *args, env={"LICENSECLI_NOW": now})
    assert result.exit_code == 0, result.stderr
    return result


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)  # type: ignore[misc]


def test_events_dates_and_alarms_at_nine(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    export(target, "--as-of", "2025-06-01", now="2025-06-01T10:00:00+08:00")
    seen = read_both(target)
    assert set(seen) == {RENEWAL, EXPIRY, REPORT_2026, OPENS_2026}
    renewal = seen[RENEWAL]
    assert (renewal.start, renewal.end) == (dt.date(2025, 10, 23), dt.date(2025, 10, 24))
    # Default reminders 30, 7 and 1 days before Thu 2025-10-23, each at 09:00 on its day.
    assert renewal.alarms == [
        dt.datetime(2025, 9, 23, 9, 0),
        dt.datetime(2025, 10, 16, 9, 0),
        dt.datetime(2025, 10, 22, 9, 0),
    ]
    assert seen[EXPIRY].alarms == [
        dt.datetime(2025, 12, 22, 9, 0),
        dt.datetime(2026, 1, 14, 9, 0),
        dt.datetime(2026, 1, 20, 9, 0),
    ]
    assert {s.sequence for s in seen.values()} == {0}
    assert {s.last_modified for s in seen.values()} == {utc(2025, 6, 1, 2, 0, 0)}


def test_trigger_text_is_relative_to_the_all_day_start(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    export(
        target, "--as-of", "2025-06-01", "--remind", "7", "--remind", "1", "--remind", "0", now="2025-06-01"
    )
    text = target.read_bytes().decode("utf-8")
    # -P(N-1)DT15H for N days before at 09:00; PT9H is 09:00 on the day itself.
    assert text.count("TRIGGER:-P6DT15H\r\n") == 3  # renewal, expiry, annual report; not the marker
    assert text.count("TRIGGER:-PT15H\r\n") == 3
    assert text.count("TRIGGER:PT9H\r\n") == 3
    assert "RELATED" not in text and "TRIGGER:-P7D\r\n" not in text


def licence_valid_until_mid_2027(tmp_path: Path) -> Path:
    """A licence valid on 2026-12-31, so it owes the 2027 report (R10); the bundled one lapsed on
    2026-01-21 and owes none. Its renewal deadline: 90 days before 2027-06-30 is Thu 2027-04-01."""
    licence = tmp_path / "lic.yaml"
    licence.write_text(licence_text(valid_until="2027-06-30"), encoding="utf-8")
    return licence


def test_the_annual_report_window_is_a_deadline_and_an_opens_marker(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    export(target, "--as-of", "2026-11-28", "--remind", "7", now="2026-11-28T12:00:00+08:00")
    assert REPORT_2027 not in read_both(target)  # R10: the bundled licence owes no 2027 report
    licence = licence_valid_until_mid_2027(tmp_path)
    export(target, str(licence), "--as-of", "2026-11-28", "--remind", "7", now="2026-11-28T12:00:00+08:00")
    seen = read_both(target)
    report, opens = seen[REPORT_2027], seen[OPENS_2027]
    # Due Wed 2027-03-31 (estimated: 2027's schedule is not published); one day, not 90.
    assert (report.start, report.end) == (dt.date(2027, 3, 31), dt.date(2027, 4, 1))
    assert report.alarms == [dt.datetime(2027, 3, 24, 9, 0)]
    assert (opens.start, opens.end, opens.alarms) == (dt.date(2027, 1, 1), dt.date(2027, 1, 2), [])
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    marker = next(e for e in calendar.walk("VEVENT") if str(e["uid"]) == OPENS_2027)
    assert (
        str(marker["summary"]) == "B2-20210247 File the annual licence report (annual-report): window opens"
    )
    assert str(marker["status"]) == "CONFIRMED"


def test_sequence_rises_only_for_events_that_changed(tmp_path: Path) -> None:
    # Valid until 2027-01-21 (a year past the bundled licence), so that moving the expiry by a
    # month leaves the 2026 report alone: due Tue 2026-03-31 either way. (Moving the bundled
    # licence's expiry would move its 2026 report too: R10, due by the last valid day.)
    # Renewal: 90 days before 2027-01-21 is Fri 2026-10-23, a working day.
    licence = tmp_path / "lic.yaml"
    licence.write_text(licence_text(valid_until="2027-01-21"), encoding="utf-8")
    target = tmp_path / "deadlines.ics"
    export(target, str(licence), "--as-of", "2025-06-01", now="2025-06-01T10:00:00+08:00")
    first_bytes = target.read_bytes()
    first = read_both(target)
    created = utc(2025, 6, 1, 2, 0, 0)

    # Nothing changed, a day later: every event keeps SEQUENCE and LAST-MODIFIED; same bytes.
    export(target, str(licence), "--as-of", "2025-06-01", now="2025-06-02T10:00:00+08:00")
    assert target.read_bytes() == first_bytes

    # The licence is extended by a month: its expiry and renewal deadline move.
    licence.write_text(licence_text(valid_until="2027-02-21"), encoding="utf-8")
    export(target, str(licence), "--as-of", "2025-06-01", now="2025-06-03T09:30:00+08:00")
    second = read_both(target)
    changed = utc(2025, 6, 3, 1, 30, 0)
    assert first[RENEWAL].start == dt.date(2026, 10, 23)
    assert second[EXPIRY].start == dt.date(2027, 2, 21)
    # 90 days before 2027-02-21 is Mon 2026-11-23, a working day.
    assert second[RENEWAL].start == dt.date(2026, 11, 23)
    assert second[REPORT_2026].start == dt.date(2026, 3, 31)
    assert [(second[u].sequence, second[u].last_modified) for u in (EXPIRY, RENEWAL)] == [(1, changed)] * 2
    assert [(second[u].sequence, second[u].last_modified) for u in (REPORT_2026, OPENS_2026)] == [
        (0, created)
    ] * 2
    assert second[EXPIRY].content_hash != first[EXPIRY].content_hash
    assert second[REPORT_2026].content_hash == first[REPORT_2026].content_hash

    # Back to the first date: a change again, so SEQUENCE goes on rising (never back to 0).
    licence.write_text(licence_text(valid_until="2027-01-21"), encoding="utf-8")
    export(target, str(licence), "--as-of", "2025-06-01", now="2025-06-04T09:30:00+08:00")
    third = read_both(target)
    assert (third[EXPIRY].sequence, third[EXPIRY].last_modified) == (2, utc(2025, 6, 4, 1, 30, 0))
    assert third[EXPIRY].content_hash == first[EXPIRY].content_hash
    assert third[REPORT_2026].sequence == 0


def test_a_published_schedule_updates_the_estimated_event(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    licence = licence_valid_until_mid_2027(tmp_path)
    export(target, str(licence), "--as-of", "2026-11-28", "--remind", "7", now="2026-11-28T12:00:00+08:00")
    before = read_both(target)
    schedule = tmp_path / "2027.yaml"
    schedule.write_text(
        "source: a fictional 2027 schedule (test data, not the State Council notice)\n"
        "years: [2027]\n"
        "days_off:\n"
        "  - {date: 2027-01-01, name: 元旦}\n"
        "  - {from: 2027-02-05, to: 2027-02-08, name: 春节}\n"
        "  - {from: 2027-03-29, to: 2027-03-31, name: test days off}\n"
        "  - {date: 2027-04-05, name: 清明节}\n"
        "  - {from: 2027-05-01, to: 2027-05-02, name: 劳动节}\n"
        "  - {date: 2027-06-09, name: 端午节}\n"
        "  - {date: 2027-09-15, name: 中秋节}\n"
        "  - {from: 2027-10-01, to: 2027-10-03, name: 国庆节}\n",
        encoding="utf-8",
    )
    result = export(
        target,
        str(licence),
        "--as-of",
        "2026-11-28",
        "--remind",
        "7",
        "--holidays",
        str(schedule),
        now="2026-11-29T12:00:00+08:00",
    )
    assert result.stderr == ""  # 2027 is no longer estimated
    after = read_both(target)
    # Mon–Wed 2027-03-29..31 off: the window's last working day is Fri 2027-03-26.
    assert after[REPORT_2027].start == dt.date(2027, 3, 26)
    assert after[REPORT_2027].alarms == [dt.datetime(2027, 3, 19, 9, 0)]
    moved = utc(2026, 11, 29, 4, 0, 0)
    assert (after[REPORT_2027].sequence, after[REPORT_2027].last_modified) == (1, moved)
    # The marker's own day is fixed, but its description names the due date: it changed too.
    assert (after[OPENS_2027].start, after[OPENS_2027].sequence) == (dt.date(2027, 1, 1), 1)
    # The renewal deadline Thu 2027-04-01 is a working day in the schedule too: same day, but no
    # longer estimated, so it changed (confirmed). The expiry (no rollover) did not change.
    assert (after[RENEWAL].start, after[RENEWAL].sequence) == (dt.date(2027, 4, 1), 1)
    assert before[RENEWAL].start == dt.date(2027, 4, 1)
    assert (after[EXPIRY].sequence, after[EXPIRY].last_modified) == (0, before[EXPIRY].last_modified)
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    report = next(e for e in calendar.walk("VEVENT") if str(e["uid"]) == REPORT_2027)
    assert str(report["status"]) == "CONFIRMED" and "estimated" not in str(report["summary"])


def test_the_state_is_read_from_the_file_itself(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    export(target, "--as-of", "2025-06-01", now="2025-06-01T10:00:00+08:00")
    text = target.read_bytes().decode("utf-8")
    # Someone's earlier exports reached SEQUENCE 5 on every event; one event's hash differs.
    text = text.replace("SEQUENCE:0\r\n", "SEQUENCE:5\r\n")
    expiry_hash = read_icalendar(target)[EXPIRY].content_hash
    target.write_bytes(text.replace(expiry_hash, "0" * 32).encode("utf-8"))
    export(target, "--as-of", "2025-06-01", now="2025-06-05T10:00:00+08:00")
    seen = read_both(target)
    assert seen[EXPIRY].sequence == 6 and seen[EXPIRY].last_modified == utc(2025, 6, 5, 2, 0, 0)
    assert seen[RENEWAL].sequence == 5 and seen[RENEWAL].last_modified == utc(2025, 6, 1, 2, 0, 0)


def test_another_programs_calendar_is_not_carried_forward(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    export(target, "--as-of", "2025-06-01", now="2025-06-01T10:00:00+08:00")
    text = target.read_bytes().decode("utf-8").replace("SEQUENCE:0", "SEQUENCE:5")
    foreign = text.replace("PRODID:-//licensecli//licence deadlines//EN", "PRODID:-//Other//Calendar//EN")
    target.write_bytes(foreign.encode("utf-8"))
    export(target, "--as-of", "2025-06-01", now="2025-06-02T10:00:00+08:00")
    assert {(s.sequence, s.last_modified) for s in read_both(target).values()} == {(0, utc(2025, 6, 2, 2))}


@pytest.mark.parametrize(
    ("days", "text", "rings"),
    [
        (0, "PT9H", dt.datetime(2027, 3, 31, 9)),
        (1, "-PT15H", dt.datetime(2027, 3, 30, 9)),
        (7, "-P6DT15H", dt.datetime(2027, 3, 24, 9)),
        (31, "-P30DT15H", dt.datetime(2027, 2, 28, 9)),
        (366, "-P365DT15H", dt.datetime(2026, 3, 30, 9)),
    ],
)
def test_alarm_trigger(days: int, text: str, rings: dt.datetime) -> None:
    trigger = files.alarm_trigger(days)
    assert icalendar.vDDDTypes(trigger).to_ical().decode() == text
    assert rings_at(dt.date(2027, 3, 31), trigger) == rings


@given(st.binary(max_size=300))
def test_any_previous_bytes_are_read_or_ignored(data: bytes) -> None:
    assert isinstance(files.previous_events(data), dict)


_LINES = st.sampled_from(
    [
        "BEGIN:VEVENT",
        "END:VEVENT",
        "BEGIN:VALARM",
        "END:VALARM",
        "UID:x@licensecli",
        "SEQUENCE:abc",
        "SEQUENCE:-3",
        "SEQUENCE:4",
        "LAST-MODIFIED:20250601T020000Z",
        "LAST-MODIFIED:20250601",
        "LAST-MODIFIED:yesterday",
        "X-LICENSECLI-HASH:abc",
        "DTSTART;VALUE=DATE:2025",
        "BEGIN:VCALENDAR",
        "END:VCALENDAR",
        " folded",
        "",
    ]
)


@given(st.lists(_LINES, max_size=12))
def test_a_damaged_earlier_export_is_read_or_ignored(lines: list[str]) -> None:
    body = "\r\n".join(["BEGIN:VCALENDAR", "PRODID:-//licensecli//x//EN", *lines, "END:VCALENDAR", ""])
    for state in files.previous_events(body.encode()).values():
        assert state.sequence >= 0
        assert state.content_hash == "" or state.last_modified is not None
