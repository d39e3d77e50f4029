"""Files for other programs: an iCalendar file for calendars and a CSV sheet for spreadsheets."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from licensecli.output.documents import deadline_json
from licensecli.output.words import day_with_weekday, describe_rule, estimated_mark, status_label

if TYPE_CHECKING:
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
    "window_start",
    "event_date",
    "done_on",
    "rule_kind",
    "rule_days",
    "rule_unit",
    "rollover",
]


def deadline_uid(d: Deadline) -> str:
    """A UID that names the deadline, not its date, so a re-import updates the same event."""
    if d.window_start is not None:
        occurrence = f".{d.window_start.year}"
    elif d.event_date is not None:
        occurrence = f".event-{d.event_date.isoformat()}"
    else:
        occurrence = ""
    return f"{d.license}.{d.obligation}{occurrence}@licensecli"


def _summary(d: Deadline, lang: str) -> str:
    text = f"{d.license} {d.title.get(lang)} ({d.obligation})"
    if d.estimated:
        text += " [估算日期]" if lang == "zh" else " [estimated date]"
    return text


def _description(d: Deadline, lang: str) -> str:
    zh = lang == "zh"
    lines = [
        f"{'许可证' if zh else 'Licence'}: {d.license}",
        f"{'条款' if zh else 'Clause'} {d.clause}: {d.clause_text.strip()}",
        f"{'规则' if zh else 'Rule'}: {describe_rule(d.rule, lang)}",
        f"{'截止日期' if zh else 'Due'}: {day_with_weekday(d.due_date, lang)}{estimated_mark(d.estimated, lang)}",
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


def ics_document(report: Report, lang: str, reminders: list[int], stamp: dt.datetime) -> bytes:
    """An iCalendar (RFC 5545) file: one all-day event per deadline, with VALARM reminders."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//licensecli//licence deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "许可证期限" if lang == "zh" else "Licence deadlines")
    for d in report.deadlines:
        event = icalendar.Event()
        event.add("uid", deadline_uid(d))
        event.add("dtstamp", stamp)
        event.add("summary", _summary(d, lang))
        event.add("description", _description(d, lang))
        # A window spans its days; reminders then count back from its end (the due date).
        event.add("dtstart", d.window_start or d.due_date)
        event.add("dtend", d.due_date + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("categories", [d.status])
        for days in sorted(set(reminders), reverse=True):
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"{_summary(d, lang)}: {d.due_date.isoformat()}")
            if d.window_start is not None:
                alarm.add("trigger", dt.timedelta(days=-days - 1), parameters={"RELATED": "END"})
            else:
                alarm.add("trigger", dt.timedelta(days=-days))
            event.add_component(alarm)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def csv_document(report: Report, lang: str) -> bytes:
    """A CSV sheet, UTF-8 with a BOM so that Excel shows the Chinese text."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for d in report.deadlines:
        row = deadline_json(d, lang)
        writer.writerow(
            {
                **{k: row[k] for k in CSV_FIELDS if k in row},
                "title": d.title.get(lang),
                "estimated": "true" if d.estimated else "false",
                "window_start": row["window_start"] or "",
                "event_date": row["event_date"] or "",
                "done_on": row["done_on"] or "",
                "rule_kind": d.rule.kind,
                "rule_days": "" if d.rule.days is None else d.rule.days,
                "rule_unit": d.rule.effective_unit or "",
                "rollover": d.rule.rollover,
            }
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
