"""Month grids for people (`licensecli calendar`): like `cal`, Monday first, three months across
in 80 columns, each day followed by a one-character mark so that the meaning never rests on
colour alone (NO_COLOR, a pipe, a printout). Colour, where the terminal has it, only repeats the
mark. The lines are built here as (text, style) segments; tables.print_segments draws them, so
that rich keeps one importer.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from licensecli.output.words import STATUS_LABELS, day_with_weekday, due_moment, estimated_mark

if TYPE_CHECKING:
    from licensecli.engine import Deadline
    from licensecli.months import Day, Month

Segment = tuple[str, str | None]  # text and its style (None: plain; "status:NAME": a status's)
Line = list[Segment]

ACROSS = 3  # months side by side
CELL = 3  # two digits and the mark
GAP = "   "
WIDTH = 7 * CELL  # one month: 21 columns; three months and two gaps: 69

MARKS = {"deadline": "#", "holiday": "*", "estimated": "?", "adjusted_workday": "+"}
STYLES = {
    "deadline": "bold reverse",
    "holiday": "bold red",
    "estimated": "red",
    "adjusted_workday": "bold yellow",
    "weekend": "dim",
}
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
HEADER = {"en": "Mo Tu We Th Fr Sa Su ", "zh": "一 二 三 四 五 六 日 "}
LEGEND = {
    "en": ("# deadline", "* day off", "+ adjusted working day (调休上班)", "? day off, estimated"),
    "zh": ("# 期限", "* 放假", "+ 调休上班", "? 放假（估算：放假安排尚未公布）"),
}
DAY_WORDS = {  # what a deadline's day is, when its mark (#) hides it
    "holiday": ("on a day off", "该日放假"),
    "adjusted_workday": ("on an adjusted working day", "该日调休上班"),
}


def mark(day: Day) -> tuple[str, str | None]:
    """The day's mark and style: a deadline first, then a day off (estimated or not), then an
    adjusted working day; a plain weekend is only dimmed."""
    if day.deadlines:
        return MARKS["deadline"], STYLES["deadline"]
    if day.kind == "holiday":
        key = "estimated" if day.estimated else "holiday"
        return MARKS[key], STYLES[key]
    if day.kind == "adjusted_workday":
        return MARKS["adjusted_workday"], STYLES["adjusted_workday"]
    if day.kind == "weekend":
        return " ", STYLES["weekend"]
    return " ", None


def title(month: Month, lang: str) -> str:
    """February 2026, or 2026年2月; with an estimate said."""
    if lang == "zh":
        return f"{month.year}年{month.month}月" + ("（估算）" if month.estimated else "")
    return f"{MONTH_NAMES[month.month - 1]} {month.year}" + (" (est.)" if month.estimated else "")


def _cells(text: str) -> int:
    """Terminal columns of `text`: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _centred(text: str, width: int) -> str:
    spare = max(width - _cells(text), 0)
    return " " * (spare // 2) + text + " " * (spare - spare // 2)


def _weeks(month: Month) -> list[list[Day | None]]:
    """The month's days in weeks from Monday, blanks before the 1st and after the last day."""
    cells: list[Day | None] = [None] * month.days[0].date.weekday() + list(month.days)
    cells += [None] * (-len(cells) % 7)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def _week_line(week: Sequence[Day | None]) -> Line:
    line: Line = []
    for day in week:
        if day is None:
            line.append((" " * CELL, None))
            continue
        symbol, style = mark(day)
        line.append((f"{day.date.day:2d}", style))
        line.append((symbol, style if symbol != " " else None))
    return line


def _rstripped(line: Line) -> Line:
    """The line without trailing blanks (unstyled segments only carry them)."""
    while line and line[-1][1] is None and not line[-1][0].strip():
        line = line[:-1]
    if line and line[-1][1] is None:
        line = [*line[:-1], (line[-1][0].rstrip(), None)]
    return line


def across(width: int) -> int:
    """How many months fit side by side in `width` columns: three at 80, fewer when narrower."""
    return max(1, min(ACROSS, (width + len(GAP)) // (WIDTH + len(GAP))))


def grid_lines(shown: Sequence[Month], lang: str, width: int = 80) -> list[Line]:
    """The grids, up to ACROSS months a row (as many as `width` holds), each WIDTH columns wide."""
    lines: list[Line] = []
    per_row = across(width)
    for start in range(0, len(shown), per_row):
        row = shown[start : start + per_row]
        weeks = [_weeks(m) for m in row]
        height = max(len(w) for w in weeks)
        lines.append([(GAP.join(_centred(title(m, lang), WIDTH) for m in row).rstrip(), None)])
        lines.append([(GAP.join(HEADER[lang] for _ in row).rstrip(), None)])
        for i in range(height):
            line: Line = []
            for j, month_weeks in enumerate(weeks):
                if j:
                    line.append((GAP, None))
                line += _week_line(month_weeks[i]) if i < len(month_weeks) else [(" " * WIDTH, None)]
            lines.append(_rstripped(line))
        lines.append([])
    return lines


def _span(first: dt.date, last: dt.date, lang: str) -> str:
    if first == last:
        return day_with_weekday(first, lang)
    return f"{day_with_weekday(first, lang)} – {day_with_weekday(last, lang)}"


def calendar_lines(
    shown: Sequence[Month], lang: str, *, several: bool, width: int = 80, notices: Sequence[str] = ()
) -> list[Line]:
    """`licensecli calendar` for people: a lapsed licence or a pending renewal said first (as
    `deadlines` does), the grids, the legend, the days off and adjusted working days by block,
    then the deadlines of the shown months."""
    from licensecli.months import runs

    zh = lang == "zh"
    lines: list[Line] = [[(notice, "bold")] for notice in notices]
    lines += grid_lines(shown, lang, width)
    lines += _legend(lang, width)
    blocks = runs(shown)
    if blocks:
        lines.append([("放假与调休：" if zh else "Days off and adjusted working days:", None)])
    for block in blocks:
        if block.kind == "holiday":
            key = "estimated" if block.estimated else "holiday"
        else:
            key = "adjusted_workday"
        what = block.name or ""
        if block.kind == "adjusted_workday":
            what += "（调休上班）" if zh else " (adjusted working day)"
        if block.estimated:
            what += "，估算" if zh else ", estimated"
        lines.append(
            [
                ("  ", None),
                (MARKS[key], STYLES[key]),
                (f" {_span(block.first, block.last, lang)}  {what.strip()}", None),
            ]
        )
    deadlines = sorted(
        (d for m in shown for day in m.days for d in day.deadlines),
        key=lambda d: (d.due_at or dt.datetime.combine(d.due_date, dt.time.max), d.license, d.obligation),
    )
    heading = "本期间的期限：" if zh else "Deadlines in these months:"
    if not deadlines:
        heading = "本期间没有期限。" if zh else "No deadlines in these months."
    lines.append([(heading, None)])
    kinds = {day.date: day for m in shown for day in m.days}
    for d in deadlines:
        lines += _deadline_lines(d, lang, several, kinds[d.due_date])
    return lines


def _legend(lang: str, width: int) -> list[Line]:
    """The legend's entries, as many a line as `width` holds (a mark never apart from its word)."""
    lines: list[Line] = []
    current = ""
    for entry in LEGEND[lang]:
        candidate = f"{current}  {entry}" if current else entry
        if current and _cells(candidate) > width:
            lines.append([(current, None)])
            candidate = entry
        current = candidate
    lines.append([(current, None)])
    return lines


def _deadline_lines(d: Deadline, lang: str, several: bool, day: Day) -> list[Line]:
    """`# 2026-10-16 (Fri)  upcoming  illegal-info-report · 九`, then the duty's title, with what
    the day is when the grid's # hides it (a day off, an adjusted working day)."""
    zh = lang == "zh"
    en_label, zh_label = STATUS_LABELS[d.status]
    when = due_moment(d.due_date, d.due_at, lang) + estimated_mark(d.estimated, lang)
    head: Line = [
        (f"  {MARKS['deadline']} {when}  ", None),
        (zh_label if zh else en_label, f"status:{d.status}"),  # styled as the deadlines table does
        (f"  {d.obligation} · {d.clause}", None),
    ]
    who = f"{d.license}: " if several else ""
    lines: list[Line] = [head, [(f"      {who}{d.title.get(lang)}", None)]]
    if day.kind in DAY_WORDS:
        words = DAY_WORDS[day.kind][1 if zh else 0]
        name = f"：{day.name}" if zh and day.name else (f": {day.name}" if day.name else "")
        lines.append([(f"      （{words}{name}）" if zh else f"      ({words}{name})", None)])
    return lines
