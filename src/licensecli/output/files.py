"""Files for other programs: an iCalendar file for calendars and a CSV sheet for spreadsheets."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from licensecli.output.documents import deadline_json
from licensecli.output.words import (
    day_with_weekday,
    describe_rule,
    due_moment,
    estimated_mark,
    source_line,
    status_label,
)

if TYPE_CHECKING:
    import icalendar

    from licensecli.engine import Deadline, Report


CSV_FIELDS = [
    "license",
    "obligation",
    "clause",
    "title",
    "due_date",
    "weekday",
    "days_left",
    "working_days_left",
    "status",
    "estimated",
    "working_days_left_estimated",
    "window_start",
    "event_date",
    "done_on",
    "rule_kind",
    "rule_days",
    "rule_unit",
    "rollover",
    # Added with the regulation pack, at the end so that columns read by position stay put.
    "due_time",
    "grace_until",
    "source",
]

PRODID = "-//licensecli//licence deadlines//EN"
MAX_SEQUENCE = 2**31 - 1  # RFC 5545 (3.3.8): SEQUENCE is an INTEGER, at most 2147483647
HASH_PROPERTY = "X-LICENSECLI-HASH"
REMINDER_HOUR = 9  # reminders ring at 09:00 on their day, a working hour, not at midnight


# --- iCalendar -------------------------------------------------------------------------------


class EventState(NamedTuple):
    """What an earlier export said of one event: the bookkeeping an update carries forward."""

    sequence: int
    last_modified: dt.datetime | None
    content_hash: str


class _Content(NamedTuple):
    """The meaningful part of one event: what a calendar shows or rings for."""

    uid: str
    summary: str
    description: str
    day: dt.date
    status: str  # CONFIRMED, or TENTATIVE for an estimated date
    category: str
    alarms: tuple[tuple[dt.timedelta, str], ...]

    def digest(self) -> str:
        """A hash of everything but the UID: equal hashes mean an unchanged event."""
        fields = [
            self.summary,
            self.description,
            self.day.isoformat(),
            self.status,
            self.category,
            [[int(trigger.total_seconds()), text] for trigger, text in self.alarms],
        ]
        canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def deadline_uid(d: Deadline, part: str = "") -> str:
    """A UID that names the deadline, not its date, so a re-import updates the same event.

    `part` names a second event of the same deadline, e.g. "opens" for a window's first day.
    """
    if d.window_start is not None:
        occurrence = f".{d.window_start.year}"
    elif d.event_date is not None:
        occurrence = f".event-{d.event_date.isoformat()}"
        if d.event_at is not None:  # two incidents on one day are two deadlines
            occurrence += f"T{d.event_at.replace(':', '')}"
    else:
        occurrence = ""
    suffix = f".{part}" if part else ""
    return f"{d.license}.{d.obligation}{occurrence}{suffix}@licensecli"


def alarm_trigger(days_before: int) -> dt.timedelta:
    """The trigger, relative to an all-day event's start (00:00), that rings at 09:00
    `days_before` days earlier: -P(N-1)DT15H for N ≥ 1, PT9H on the day itself."""
    return dt.timedelta(days=-days_before, hours=REMINDER_HOUR)


def _summary(d: Deadline, lang: str) -> str:
    text = f"{d.license} {d.title.get(lang)} ({d.obligation})"
    if d.due_at is not None:  # a duty counted in hours: the hour matters more than the day
        text += f" {d.due_at.strftime('%H:%M')}"
    if d.estimated:
        text += " [估算日期]" if lang == "zh" else " [estimated date]"
    return text


def _description(d: Deadline, lang: str) -> str:
    zh = lang == "zh"
    lines = [
        f"{'许可证' if zh else 'Licence'}: {d.license}",
        f"{'条款' if zh else 'Clause'} {d.clause}: {d.clause_text.strip()}",
        f"{'规则' if zh else 'Rule'}: {describe_rule(d.rule, lang)}",
        f"{'来源' if zh else 'Source'}: {source_line(d.clause, d.source, d.basis, lang)}",
    ]
    if d.window_start is not None:
        lines.append(f"{'办理期开始' if zh else 'Window opens'}: {day_with_weekday(d.window_start, lang)}")
    lines += [
        f"{'截止日期' if zh else 'Due'}: {due_moment(d.due_date, d.due_at, lang)}{estimated_mark(d.estimated, lang)}",
        f"{'状态' if zh else 'Status'}: {status_label(d.status, lang)}",
        "计算过程：" if zh else "How it was counted:",
    ]
    lines += [f"{i}. [{s.rule}] {s.text(lang)}" for i, s in enumerate(d.steps, 1)]
    if d.note is not None:
        lines.append(("注：" if zh else "Note: ") + d.note.get(lang))
    if d.estimated:
        lines.append(
            "此日期依赖尚未公布的放假安排，为估算值；公布后请用 --holidays 提供并重新导出。"
            if zh
            else "This date rests on a holiday schedule not yet published: it is an estimate. Supply "
            "the schedule with --holidays once published and export again."
        )
    return "\n".join(lines)


def _deadline_events(d: Deadline, lang: str, reminders: list[int]) -> list[_Content]:
    """The deadline on its due date with its reminders; a window also gets an "opens" marker."""
    summary = _summary(d, lang)
    description = _description(d, lang)
    status = "TENTATIVE" if d.estimated else "CONFIRMED"
    # Reminders days ahead at 09:00 mean nothing for a duty counted in hours: it has none.
    alarms = tuple(
        (alarm_trigger(days), f"{summary}: {d.due_date.isoformat()}")
        for days in sorted(set(reminders), reverse=True)
        if d.due_at is None
    )
    found = [_Content(deadline_uid(d), summary, description, d.due_date, status, d.status, alarms)]
    if d.window_start is not None and d.window_start < d.due_date:
        opens = "：办理期开始" if lang == "zh" else ": window opens"
        found.append(
            _Content(
                deadline_uid(d, "opens"),
                f"{d.license} {d.title.get(lang)} ({d.obligation}){opens}",
                description,
                d.window_start,
                "CONFIRMED",  # a window's first day is a fixed date, never estimated
                d.status,
                (),  # the reminders belong to the deadline, not to the window's first day
            )
        )
    return found


def previous_events(data: bytes | None) -> dict[str, EventState]:
    """The events of an earlier licensecli export (UID → state); empty for anything else."""
    if not data:
        return {}
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, TypeError, KeyError, IndexError, UnicodeError):
        return {}  # not a calendar (or not one icalendar reads): the export starts afresh
    if not isinstance(calendar, icalendar.Calendar) or "licensecli" not in str(calendar.get("prodid", "")):
        return {}
    found: dict[str, EventState] = {}
    for event in calendar.walk("VEVENT"):
        uid = event.get("uid")
        if uid is not None:
            found[str(uid)] = _event_state(event)
    return found


def _event_state(event: icalendar.Component) -> EventState:
    """One event's bookkeeping; a value that does not read counts as changed content."""
    readable = True
    try:
        sequence = min(max(int(event.get("sequence", 0)), 0), MAX_SEQUENCE)
    except (TypeError, ValueError):
        sequence, readable = 0, False
    stamp = getattr(event.get("last-modified"), "dt", None)
    last_modified = stamp if isinstance(stamp, dt.datetime) and stamp.tzinfo is not None else None
    content_hash = str(event.get(HASH_PROPERTY, "")) if readable and last_modified is not None else ""
    return EventState(sequence, last_modified, content_hash)


def _bookkeeping(content_hash: str, before: EventState | None, now: dt.datetime) -> tuple[int, dt.datetime]:
    """SEQUENCE and LAST-MODIFIED: kept when the content is unchanged, else raised and now."""
    if before is None:
        return 0, now
    if before.content_hash == content_hash and before.last_modified is not None:
        return before.sequence, before.last_modified
    return min(before.sequence + 1, MAX_SEQUENCE), now


def _event(content: _Content, before: EventState | None, now: dt.datetime) -> icalendar.Event:
    import icalendar

    content_hash = content.digest()
    sequence, last_modified = _bookkeeping(content_hash, before, now)
    event = icalendar.Event()
    event.add("uid", content.uid)
    # Without a METHOD, DTSTAMP is when the event was last revised (RFC 5545 3.8.7.2): the same
    # instant as LAST-MODIFIED, so an export of unchanged deadlines is byte-identical.
    event.add("dtstamp", last_modified)
    event.add("last-modified", last_modified)
    event.add("sequence", sequence)
    event.add("summary", content.summary)
    event.add("description", content.description)
    event.add("dtstart", content.day)
    event.add("dtend", content.day + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("status", content.status)
    event.add("categories", [content.category])
    event.add(HASH_PROPERTY, content_hash)
    for trigger, text in content.alarms:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", text)
        alarm.add("trigger", trigger)  # relative to DTSTART, the all-day event's 00:00
        event.add_component(alarm)
    return event


def ics_document(
    report: Report, lang: str, reminders: list[int], now: dt.datetime, previous: bytes | None = None
) -> bytes:
    """An iCalendar (RFC 5545) file: one all-day event per deadline (two for a window).

    `previous` is the file being replaced, if any: its events' SEQUENCE and LAST-MODIFIED are
    carried forward, raised for events whose content changed. `now` is a UTC time.
    """
    import icalendar

    before = previous_events(previous)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "许可证期限" if lang == "zh" else "Licence deadlines")
    for d in report.deadlines:
        for content in _deadline_events(d, lang, reminders):
            calendar.add_component(_event(content, before.get(content.uid), now))
    data: bytes = calendar.to_ical()
    return data


# --- CSV -------------------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """`value`, with a leading ' if it is text a spreadsheet would run as a formula.

    Numbers (days_left -5) are left as they are, so that they stay numbers.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_document(report: Report, lang: str, bom: bool = True) -> bytes:
    """A CSV sheet in UTF-8; with `bom` (for Excel, which otherwise guesses a legacy code page)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for d in report.deadlines:
        row = deadline_json(d, lang)
        cells = {
            **{k: row[k] for k in CSV_FIELDS if k in row},
            "title": d.title.get(lang),
            "estimated": "true" if d.estimated else "false",
            "working_days_left_estimated": "true" if d.working_days_left_estimated else "false",
            "window_start": row["window_start"] or "",
            "event_date": row["event_date"] or "",
            "done_on": row["done_on"] or "",
            "rule_kind": d.rule.kind,
            "rule_days": "" if d.rule.days is None else d.rule.days,
            "rule_unit": d.rule.effective_unit or "",
            "rollover": d.rule.rollover,
            "due_time": d.due_at.strftime("%H:%M") if d.due_at is not None else "",
            "grace_until": row["grace_until"] or "",
            "source": d.source,
        }
        writer.writerow({k: spreadsheet_safe(v) for k, v in cells.items()})
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")
