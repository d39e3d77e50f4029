"""People: rich tables and plain lines in Chinese or English. The only module that imports rich,
and only inside the functions that draw, so the other audiences never load it."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

from licensecli.output.words import (
    DAY_KINDS,
    STATUS_LABELS,
    citation,
    day_with_weekday,
    describe_rule,
    due_moment,
    estimated_mark,
    label,
    life_notice,
    renewal_words,
    source_line,
)
from licensecli.rules import quantity

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from licensecli.engine import Deadline, DueAnswer, EventRow, Report
    from licensecli.holidayimport import Change, Incoming
    from licensecli.models import License
    from licensecli.workdays import CalendarOverview, Counted, Dated, DayInfo, YearSchedule

STATUS_STYLES: dict[str, str] = {
    "overdue": "bold red",
    "missed": "bold red",
    "expired": "bold red",
    "grace": "bold magenta",
    "due_today": "bold red",
    "due_soon": "yellow",
    "open": "cyan",
    "pending": "cyan",
    "upcoming": "green",
    "passed": "dim",
    "done": "dim green",
}


def _console() -> Console:
    from rich.console import Console

    # highlight=False: rich would otherwise colour numbers and dates at random.
    console = Console(highlight=False, soft_wrap=False)
    # rich answers a closed pipe with exit 1 of its own; let the command line decide instead.
    console.on_broken_pipe = _reraise_broken_pipe  # type: ignore[method-assign]
    return console


def _reraise_broken_pipe() -> None:
    raise BrokenPipeError


def show_license(licenses: list[License], lang: str) -> None:
    """The licence header and a table of its clauses and obligations."""
    from rich.table import Table

    console = _console()
    for lic in licenses:
        head = Table.grid(padding=(0, 2))
        head.add_column(style="bold")
        head.add_column()
        services = "; ".join(f"{s.service} — {s.coverage}" for s in lic.services)
        rows = [
            ("number", lic.number),
            ("kind", lic.kind),
            ("holder", lic.holder),
            ("legal_representative", lic.legal_representative),
            ("services", services),
            ("issuer", lic.issuer),
            ("issued_on", lic.issued_on.isoformat()),
            ("valid_until", lic.valid_until.isoformat()),
        ]
        if lic.template:
            rows.append(
                ("template", lic.template + (f" (omit {', '.join(map(str, lic.omit))})" if lic.omit else ""))
            )
        if lic.first_granted_on:
            rows.append(("first_granted_on", lic.first_granted_on.isoformat()))
        if lic.reissued_on:
            rows.append(("reissued_on", ", ".join(d.isoformat() for d in lic.reissued_on)))
        for period in lic.periods()[1:]:
            rows.append(("periods", f"{period.start.isoformat()} … {period.end.isoformat()}"))
        for renewal in lic.renewal_records():
            rows.append(("renewal", renewal_words(renewal, lang)))
        for key, value in rows:
            head.add_row(label(key, lang), value)
        console.print(head)
        table = Table(title=label("clauses_title", lang), show_lines=False, expand=False)
        table.add_column(label("clause", lang), max_width=12, overflow="fold")
        table.add_column(label("title", lang), ratio=3, overflow="fold")
        table.add_column(label("obligations", lang), no_wrap=True)
        table.add_column(label("rule", lang), ratio=2, overflow="fold")
        for clause in lic.all_clauses():
            ref = clause.ref + (f" ({label('regulation', lang)})" if clause.source != "license" else "")
            obligations = clause.obligations or ()
            if not obligations:
                table.add_row(ref, clause.title.get(lang), "", "")
            for i, ob in enumerate(obligations):
                rule = describe_rule(ob.rule, lang)
                if ob.basis:  # a duty from a regulation, or a licence duty a regulation adds to
                    rule += "".join(f"\n{citation(b, lang)}" for b in ob.basis)
                table.add_row(ref if i == 0 else "", ob.title.get(lang), ob.id, rule)
        console.print(table)


def print_problems(problems: list[str], files: int, lang: str) -> None:
    """`validate`'s report: each problem on its own line on stderr, or a one-line OK on stdout."""
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    if problems:
        total = len(problems)
        sys.stderr.write(
            f"发现 {total} 个问题\n" if lang == "zh" else f"{quantity(total, 'problem')} found\n"
        )
    else:
        sys.stdout.write(f"{files} 个文件有效\n" if lang == "zh" else f"{quantity(files, 'file')} valid\n")


def workday_info(info: DayInfo, lang: str) -> None:
    """`workdays is`."""
    zh = lang == "zh"
    kind = DAY_KINDS[info.kind][0 if zh else 1]
    name = f"（{info.name}）" if zh and info.name else (f" ({info.name})" if info.name else "")
    verb = "是" if zh else "is"
    sys.stdout.write(
        f"{day_with_weekday(info.date, lang)} {verb} {kind}{name}{estimated_mark(info.estimated, lang)}\n"
    )


def workday_sum(start: dt.date, days: int, result: Dated, lang: str) -> None:
    """`workdays add`."""
    sign = "+" if days >= 0 else "-"
    amount = f"{abs(days)}个工作日" if lang == "zh" else quantity(abs(days), "working day")
    sys.stdout.write(
        f"{start.isoformat()} {sign} {amount} = {day_with_weekday(result.date, lang)}"
        f"{estimated_mark(result.estimated, lang)}\n"
    )


def workday_count(start: dt.date, end: dt.date, result: Counted, lang: str) -> None:
    """`workdays count`."""
    text = (
        f"{start.isoformat()} 之后至 {end.isoformat()}：{result.count} 个工作日"
        if lang == "zh"
        else f"{quantity(result.count, 'working day')} after {start.isoformat()} up to {end.isoformat()}"
    )
    sys.stdout.write(text + estimated_mark(result.estimated, lang) + "\n")


def _blocks(days: dict[dt.date, str]) -> list[tuple[dt.date, dt.date, str]]:
    """Consecutive days with the same name, as (first, last, name)."""
    blocks: list[tuple[dt.date, dt.date, str]] = []
    for day, name in sorted(days.items()):
        if blocks and blocks[-1][2] == name and (day - blocks[-1][1]).days == 1:
            blocks[-1] = (blocks[-1][0], day, name)
        else:
            blocks.append((day, day, name))
    return blocks


def year_schedule(schedule: YearSchedule, lang: str) -> None:
    """`holidays YEAR`."""
    from rich.table import Table

    zh = lang == "zh"
    title = f"{schedule.year} 年放假安排" if zh else f"Holidays {schedule.year}"
    table = Table(title=title + estimated_mark(schedule.estimated, lang), caption=schedule.source)
    table.add_column("日期" if zh else "Dates", no_wrap=True)
    table.add_column("天数" if zh else "Days", justify="right")
    table.add_column("名称" if zh else "Name")
    table.add_column("类别" if zh else "Kind")
    rows = [(b, "holiday") for b in _blocks(schedule.days_off)]
    rows += [(b, "adjusted_workday") for b in _blocks(schedule.working_days)]
    for (first, last, name), kind in sorted(rows, key=lambda r: r[0][0]):
        span = day_with_weekday(first, lang)
        if last != first:
            span += f" – {day_with_weekday(last, lang)}"
        table.add_row(span, str((last - first).days + 1), name, DAY_KINDS[kind][0 if zh else 1])
    _console().print(table)


def calendar_overview(overview: CalendarOverview, lang: str) -> None:
    """`holidays` without a year: which years are known, from where, what will be estimated."""
    from rich.table import Table

    zh = lang == "zh"
    table = Table(title="已知放假安排" if zh else "Known holiday schedules")
    table.add_column("年份" if zh else "Years", no_wrap=True)
    table.add_column("来源" if zh else "Source")
    groups: list[tuple[int, int, str]] = []
    for s in overview.known:
        source = s.source if s.origin in ("package", "estimate") else f"{s.source} ({s.origin})"
        if groups and groups[-1][2] == source and groups[-1][1] == s.year - 1:
            groups[-1] = (groups[-1][0], s.year, source)
        else:
            groups.append((s.year, s.year, source))
    for first, last, source in groups:
        table.add_row(str(first) if first == last else f"{first}–{last}", source)
    console = _console()
    console.print(table)
    if overview.first_estimated is not None:
        console.print(
            f"{overview.first_estimated} 年起（至 {overview.last_year} 年）未收录的年份按周末和法定节假日估算。"
            if zh
            else f"Years from {overview.first_estimated} (to {overview.last_year}) without a schedule "
            "are estimated from weekends and statutory holidays."
        )
    console.print(("用户放假文件目录：" if zh else "User holiday folder: ") + str(overview.folder))


def _fixed_widths(report: Report, lang: str, compact: bool) -> int:
    """What the deadlines table needs besides the obligation column: the date, the day counts
    and the status word (compact: the date wrapped under its weekday, the headers wrapped), with
    their padding and the borders."""
    from rich.cells import cell_len

    zh = lang == "zh"
    statuses = [STATUS_LABELS[d.status][1 if zh else 0] for d in report.deadlines]
    days = [f"{d.days_left}*" for d in report.deadlines]
    working = [f"{d.working_days_left}*" for d in report.deadlines]
    widths = [
        11 if compact else cell_len(day_with_weekday(report.as_of, lang)) + 1,
        max([4, *map(len, days)]),
        max([5 if compact else cell_len("工作日" if zh else "Work days"), *map(len, working)]),
        max([4, *map(cell_len, statuses)]),
    ]
    return sum(widths) + 2 * 5 + 6  # one space of padding each side, six borders


def _what(d: Deadline, lang: str, several: bool) -> tuple[str, str]:
    """The obligation's title (with its window or event) and its `id · clause` line."""
    zh = lang == "zh"
    what = d.title.get(lang)
    if d.window_start is not None:
        what += (
            f"（{d.window_start.isoformat()} 至 {d.due_date.isoformat()}）"
            if zh
            else (f" (window {d.window_start.isoformat()} – {d.due_date.isoformat()})")
        )
    if d.grace_until is not None and d.status == "grace":
        until = d.grace_until.isoformat()
        what += f"（可补报至 {until}）" if zh else f" (late filing accepted until {until})"
    elif d.grace_until is not None and d.status == "missed":
        until = d.grace_until.isoformat()
        what += f"（补报期已于 {until} 结束）" if zh else f" (grace ended {until})"
    if d.event_date is not None:
        at = f" {d.event_at}" if d.event_at else ""
        what += (
            f"（事件 {d.event_date.isoformat()}{at}）" if zh else f" (event {d.event_date.isoformat()}{at})"
        )
    if several:
        what = f"{d.license}: {what}"
    origin = ("法规" if zh else "regulation") if d.source == "regulation" else ""
    return what, f"{d.obligation} · {d.clause}" + (f" ({origin})" if origin else "")


def deadlines_table(report: Report, lang: str, quiet: bool = False) -> None:
    """`deadlines` for people: dated deadlines, then the event-triggered rules.

    An obligation id is what people copy into `due`, so it is never broken: on a narrow
    terminal (cron mail is 80 columns) the date wraps under its weekday and the headers wrap;
    narrower still, each deadline becomes a short block of lines instead of a table row.
    """
    from rich.table import Table
    from rich.text import Text as RichText

    zh = lang == "zh"
    console = _console()
    several = len({d.license for d in report.deadlines}) > 1
    title = f"截至 {report.as_of.isoformat()} 的期限" if zh else f"Deadlines as of {report.as_of.isoformat()}"
    for number, now in report.lives:  # a lapsed or pending licence says so first, in plain words
        notice = life_notice(number, now, lang)
        if notice is not None:
            style = "bold red" if now.state == "lapsed" or now.decision_overdue else "cyan"
            console.print(RichText(notice, style=style, overflow="fold"))
    id_width = max((len(d.obligation) for d in report.deadlines), default=0)
    compact = _fixed_widths(report, lang, compact=False) + id_width > console.width
    stacked = compact and _fixed_widths(report, lang, compact=True) + id_width > console.width
    # `*` marks what rests on an estimated year: the date itself, or only the count of working
    # days left (calendar days are plain arithmetic and never estimated).
    any_estimate = any(d.estimated or d.working_days_left_estimated for d in report.deadlines)
    if stacked:
        console.print(title)
        for d in report.deadlines:
            mark = "*" if d.estimated else ""
            wmark = "*" if d.working_days_left_estimated else ""
            en_label, zh_label = STATUS_LABELS[d.status]
            head = RichText(f"{due_moment(d.due_date, d.due_at, lang)}{mark}  ")
            head.append(zh_label if zh else en_label, style=STATUS_STYLES[d.status])
            counts = (
                f"  {d.days_left} 天，{d.working_days_left}{wmark} 个工作日"
                if zh
                else f"  {quantity(d.days_left, 'day')}, {quantity(d.working_days_left, 'working day')}{wmark}"
            )
            what, ref = _what(d, lang, several)
            console.print(head)
            console.print(RichText(counts, overflow="fold"))
            console.print(RichText(f"  {what}", overflow="fold"))
            console.print(RichText(f"  {ref}", overflow="fold"))
    else:
        table = Table(title=title, title_justify="left")
        table.add_column("截止日期" if zh else "Due", max_width=11 if compact else None)
        table.add_column("天数" if zh else "Days", justify="right", no_wrap=True)
        table.add_column("工作日" if zh else "Work days", justify="right", max_width=5 if compact else None)
        table.add_column("状态" if zh else "Status", no_wrap=True)
        table.add_column("义务（条款）" if zh else "Obligation (clause)", overflow="fold")
        for d in report.deadlines:
            mark = "*" if d.estimated else ""
            wmark = "*" if d.working_days_left_estimated else ""
            en_label, zh_label = STATUS_LABELS[d.status]
            what, ref = _what(d, lang, several)
            table.add_row(
                f"{due_moment(d.due_date, d.due_at, lang)}{mark}",
                str(d.days_left),
                f"{d.working_days_left}{wmark}",
                RichText(zh_label if zh else en_label, style=STATUS_STYLES[d.status]),
                f"{what}\n{ref}",
            )
        console.print(table)
    if any_estimate:
        console.print(
            "* 估算：依赖尚未公布的放假安排" + ("。" if quiet else "（见 stderr 的提示）。")
            if zh
            else "* estimated: rests on a holiday schedule not yet published"
            + ("." if quiet else " (see the warning on stderr).")
        )
    if not report.deadlines:
        console.print("没有符合条件的期限。" if zh else "No deadlines match.")
    if report.event_rules:
        _event_rules_table(report, lang, console)


def import_report(
    incoming: Incoming, stored: Path | None, target: Path, changes: list[Change], lang: str
) -> None:
    """`holidays import|diff` for people: what was read, where it went, and what it moves."""
    from rich.text import Text as RichText

    zh = lang == "zh"
    console = _console()
    years = ", ".join(str(s.year) for s in incoming.schedules)
    papers = sorted({p for s in incoming.schedules for p in s.papers})
    if stored is not None:
        head = (
            f"已导入 {years} 年放假安排（{incoming.format}）：{stored}"
            if zh
            else (f"imported the {years} schedule ({incoming.format}) into {stored}")
        )
    else:
        head = (
            f"{years} 年放假安排（{incoming.format}）检查通过；未保存（将保存为 {target}）"
            if zh
            else (
                f"the {years} schedule ({incoming.format}) is plausible; nothing stored (it would go to {target})"
            )
        )
    console.print(RichText(head, overflow="fold"))
    for paper in papers:
        console.print(RichText(f"  {paper}", overflow="fold"))
    if not changes:
        console.print("没有期限因此改变。" if zh else "No deadline changes.")
        return
    console.print(
        f"{len(changes)} 个期限改变："
        if zh
        else f"{len(changes)} deadline{'s' if len(changes) != 1 else ''} change:"
    )
    for c in changes:
        mark_before = "*" if c.estimated_before else ""
        mark_after = "*" if c.estimated_after else ""
        event = f" ({'事件' if zh else 'event'} {c.event_date})" if c.event_date else ""
        console.print(RichText(f"  {c.license} {c.obligation} · {c.clause}{event}", overflow="fold"))
        console.print(RichText(f"    {c.before}{mark_before} → {c.after}{mark_after}", overflow="fold"))
        console.print(RichText(f"    {c.because_zh if zh else c.because_en}", overflow="fold"))
    if any(c.estimated_before or c.estimated_after for c in changes):
        console.print("* 估算" if zh else "* estimated")


def event_list(number: str, as_of: dt.date, rows: list[EventRow], lang: str) -> None:
    """`event list` for people: each recorded event, numbered, with its deadline and status."""
    from rich.table import Table
    from rich.text import Text as RichText

    zh = lang == "zh"
    console = _console()
    if not rows:
        console.print(f"{number}：没有记录的事件。" if zh else f"{number}: no events recorded.")
        return
    title = f"{number} 已记录事件（截至 {as_of}）" if zh else f"{number}: recorded events as of {as_of}"
    if console.width < 100:  # cron mail, a split terminal: a short block of lines per event
        console.print(title)
        for row in rows:
            d = row.deadline
            console.print(
                RichText(
                    f"#{row.number}  {_when(row)}  {row.event.obligation} · {row.clause}", overflow="fold"
                )
            )
            console.print(RichText(f"    {row.title.get(lang)}", overflow="fold"))
            if d is not None:
                due_text = due_moment(d.due_date, d.due_at, lang) if d.due_at else str(d.due_date)
                line = RichText(f"    {'截止' if zh else 'due'} {due_text}{'*' if d.estimated else ''}  ")
                en_label, zh_label = STATUS_LABELS[d.status]
                line.append(zh_label if zh else en_label, style=STATUS_STYLES[d.status])
                if d.status == "done" and row.event.done_on is not None:
                    line.append(f" {row.event.done_on}")
                console.print(line)
            note = " · ".join(part for part in (row.event.note, row.event.ref) if part)
            if note:
                console.print(RichText(f"    {note}", overflow="fold"))
        return
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("事件日期" if zh else "On", no_wrap=True)
    # An obligation id is copied into commands: its column is never narrower than the longest.
    widest = max(len(row.event.obligation) for row in rows)
    table.add_column("义务（条款）" if zh else "Obligation (clause)", overflow="fold", min_width=widest)
    table.add_column("截止日期" if zh else "Due", no_wrap=True)
    table.add_column("状态" if zh else "Status", overflow="fold")
    table.add_column("备注" if zh else "Note", overflow="fold")
    for row in rows:
        d = row.deadline
        status = RichText("—")
        due = "—"
        if d is not None:
            en_label, zh_label = STATUS_LABELS[d.status]
            label_text = zh_label if zh else en_label
            if d.status == "done" and row.event.done_on is not None:
                label_text += f"\n{row.event.done_on}"
            status = RichText(label_text, style=STATUS_STYLES[d.status])
            due_text = d.due_at.strftime("%Y-%m-%d %H:%M") if d.due_at else str(d.due_date)
            due = f"{due_text}{'*' if d.estimated else ''}"
        note = " · ".join(part for part in (row.event.note, row.event.ref) if part)
        table.add_row(
            str(row.number),
            _when(row),
            f"{row.title.get(lang)}\n{row.event.obligation} · {row.clause}",
            due,
            status,
            note,
        )
    console.print(table)


def _event_rules_table(report: Report, lang: str, console: Console) -> None:
    """The rules that have no date until their event happens."""
    from rich.table import Table
    from rich.text import Text as RichText

    zh = lang == "zh"
    title = (
        "事件触发的义务（事件发生后才有期限）"
        if zh
        else "Event-triggered rules (dated once the event happens)"
    )
    rows = [
        (
            f"{r.title.get(lang)}\n{r.obligation} · {r.clause}",
            r.trigger.get(lang) if r.trigger else "",
            describe_rule(r.rule, lang),
        )
        for r in report.event_rules
    ]
    id_width = max(len(r.obligation) for r in report.event_rules)
    natural = max(cell_width(row[0]) for row in rows) + max(cell_width(row[1]) for row in rows)
    natural += max(cell_width(row[2]) for row in rows) + 3 * 2 + 4
    spare = console.width - (3 * 2 + 4) - id_width  # padding and borders of three columns
    if natural > console.width and spare < 2 * 12:
        console.print(title)
        for what, trigger, rule in rows:
            name, ref = what.split("\n")
            console.print(RichText(name, overflow="fold"))
            for line in (ref, trigger, rule):
                console.print(RichText(f"  {line}", overflow="fold"))
        return
    table = Table(title=title, title_justify="left")
    if natural > console.width:  # the id column exactly as wide as the longest id, the rest shared
        widths: list[int | None] = [id_width, spare // 2, spare - spare // 2]
    else:
        widths = [None, None, None]
    table.add_column("义务（条款）" if zh else "Obligation (clause)", overflow="fold", width=widths[0])
    table.add_column("起算事件" if zh else "Starts when", overflow="fold", width=widths[1])
    table.add_column("期限" if zh else "Deadline", overflow="fold", width=widths[2])
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _when(row: EventRow) -> str:
    """An event's day, with its time when recorded (2026-11-28 22:30)."""
    return f"{row.event.on} {row.event.at}" if row.event.at else row.event.on.isoformat()


def console_width() -> int:
    """The width people's output is drawn at (the terminal's, $COLUMNS, else 80)."""
    return _console().width


def print_segments(lines: list[list[tuple[str, str | None]]]) -> None:
    """Lines of (text, style) segments (the calendar grids), each style a rich style or
    "status:NAME" for a deadline status's; folded, never cut, on a narrow terminal."""
    from rich.text import Text as RichText

    console = _console()
    for segments in lines:
        line = RichText()
        for text, style in segments:
            if style is not None and style.startswith("status:"):
                style = STATUS_STYLES[style.removeprefix("status:")]
            line.append(text, style=style)
        console.print(line, overflow="fold")


def cell_width(text: str) -> int:
    """The widest line of `text` in terminal columns (a Chinese character takes two)."""
    from rich.cells import cell_len

    return max(cell_len(line) for line in text.split("\n"))


def due_text(answer: DueAnswer, explain: bool, lang: str) -> None:
    """`due` for people: the answer in one line, then the numbered steps with --explain."""
    zh = lang == "zh"
    head = (
        f"{answer.license} {answer.obligation}（{answer.clause}）{answer.title.get(lang)}"
        if zh
        else (f"{answer.license} {answer.obligation} ({answer.clause}): {answer.title.get(lang)}")
    )
    lines = [head]
    if answer.due_date is None:
        lines.append(("期限：" if zh else "Due: ") + describe_rule(answer.rule, lang))
    else:
        due = due_moment(answer.due_date, answer.due_at, lang) + estimated_mark(answer.estimated, lang)
        if answer.window_start is not None:
            due += (
                f"（期间 {answer.window_start.isoformat()} 起）"
                if zh
                else f" (window opens {answer.window_start.isoformat()})"
            )
        if answer.event_date is not None:
            due += (
                f"（事件日 {answer.event_date.isoformat()}）"
                if zh
                else f" (event on {answer.event_date.isoformat()})"
            )
        lines.append(("截止：" if zh else "Due: ") + due)
        if answer.grace_until is not None:
            lines.append(
                f"补报：逾期的可至 {day_with_weekday(answer.grace_until, lang)} 补报（R14）"
                if zh
                else f"Late filing: still accepted until {day_with_weekday(answer.grace_until, lang)} (R14)"
            )
    if explain or answer.source == "regulation":
        lines.append(
            ("来源：" if zh else "Source: ") + source_line(answer.clause, answer.source, answer.basis, lang)
        )
    if explain:
        lines.append("计算过程：" if zh else "How it was counted:")
        lines.extend(f"  {i}. [{s.rule}] {s.text(lang)}" for i, s in enumerate(answer.steps, 1))
        if answer.note is not None:
            lines.append(("注：" if zh else "Note: ") + answer.note.get(lang))
    sys.stdout.write("\n".join(lines) + "\n")
