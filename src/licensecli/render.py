"""All output: rich tables for people, JSON for scripts. The only module that imports rich,
and only inside the functions that draw tables, so JSON output never loads it."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from licensecli.workdays import FIRST_YEAR, LAST_YEAR, Calendar, Counted, Dated, DayInfo, YearSchedule

if TYPE_CHECKING:
    from rich.console import Console

    from licensecli.engine import Deadline, DueAnswer, EventRule, RenewalCheck, Report
    from licensecli.models import License, Rule
    from licensecli.rules import Step

LABELS: dict[str, dict[str, str]] = {
    "number": {"zh": "许可证编号", "en": "Licence"},
    "kind": {"zh": "许可证类别", "en": "Kind"},
    "holder": {"zh": "公司名称", "en": "Holder"},
    "legal_representative": {"zh": "法定代表人", "en": "Legal representative"},
    "services": {"zh": "业务种类及覆盖范围", "en": "Services and coverage"},
    "issuer": {"zh": "发证机关", "en": "Issuer"},
    "issued_on": {"zh": "发证日期", "en": "Issued on"},
    "valid_until": {"zh": "有效期至", "en": "Valid until"},
    "renewal_filed_on": {"zh": "已提出续办申请", "en": "Renewal filed on"},
    "clause": {"zh": "条款", "en": "Clause"},
    "title": {"zh": "标题", "en": "Title"},
    "obligations": {"zh": "义务", "en": "Obligations"},
    "rule": {"zh": "规则", "en": "Rule"},
    "clauses_title": {"zh": "特别规定事项", "en": "Special provisions"},
    "regulation": {"zh": "法规", "en": "regulation"},
    "ongoing": {"zh": "持续义务", "en": "ongoing duty"},
    "promptly": {"zh": "及时（无固定期限）", "en": "promptly (no fixed count)"},
    "immediately": {"zh": "立即（当日）", "en": "immediately (same day)"},
    "events": {"zh": "已记录事件", "en": "Recorded events"},
}


def label(key: str, lang: str) -> str:
    """A table or message label in the chosen language."""
    entry = LABELS.get(key)
    return entry.get(lang, entry["en"]) if entry else key


def write_json(document: Any) -> None:
    """One JSON document on stdout (UTF-8, not escaped, stable key order as built)."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def _console() -> Console:
    from rich.console import Console

    # highlight=False: rich would otherwise colour numbers and dates at random.
    return Console(highlight=False, soft_wrap=False)


def describe_rule(rule: Any, lang: str) -> str:
    """A rule in words: '30 days after the event (R1–R3)'."""
    zh = lang == "zh"
    unit_names = {
        "days": ("日", "days"),
        "workdays": ("个工作日", "working days"),
        "months": ("个月", "months"),
        "years": ("年", "years"),
    }
    anchor_names = {
        "event": ("事件", "the event"),
        "issued_on": ("发证日期", "the issue date"),
        "valid_until": ("有效期届满", "the expiry"),
    }
    kind = rule.kind
    if kind in ("ongoing", "promptly", "immediately"):
        text = label(kind, lang)
        return text if kind == "ongoing" else f"{text} (R8)"
    anchor = anchor_names.get(rule.anchor or "", ("", ""))[0 if zh else 1]
    if kind == "on_anchor":
        return anchor
    if kind == "window":
        window = rule.window
        return (
            f"每年 {window.start} 至 {window.end} (R7)"
            if zh
            else f"each year {window.start} to {window.end} (R7)"
        )
    unit = unit_names[rule.effective_unit][0 if zh else 1]
    basis = {"after": "R1–R3", "workdays_after": "R4", "before": "R5–R6"}[kind]
    if rule.effective_unit in ("months", "years"):
        basis += ", R9"
    if kind == "before":
        return (
            f"{anchor}前{rule.days}{unit} ({basis})"
            if zh
            else (f"{rule.days} {unit} before {anchor} ({basis})")
        )
    return (
        f"{anchor}后{rule.days}{unit}内 ({basis})" if zh else (f"{rule.days} {unit} after {anchor} ({basis})")
    )


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
        if lic.renewal_filed_on:
            rows.append(("renewal_filed_on", lic.renewal_filed_on.isoformat()))
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
                table.add_row(
                    ref if i == 0 else "",
                    ob.title.get(lang),
                    ob.id,
                    describe_rule(ob.rule, lang),
                )
        console.print(table)


def license_json(lic: License) -> dict[str, Any]:
    """The licence as JSON-ready data, with each clause's normalised key added."""
    data: dict[str, Any] = lic.model_dump(mode="json", exclude_none=True)
    data["clause_count"] = sum(1 for c in lic.all_clauses() if c.source == "license")
    return data


def print_problems(problems: list[str], files: int, lang: str) -> None:
    """`validate`'s report: each problem on its own line on stderr, or a one-line OK on stdout."""
    for problem in problems:
        sys.stderr.write(f"{problem}\n")
    if problems:
        total = len(problems)
        sys.stderr.write(f"发现 {total} 个问题\n" if lang == "zh" else f"{total} problem(s) found\n")
    else:
        sys.stdout.write(f"{files} 个文件有效\n" if lang == "zh" else f"{files} file(s) valid\n")


# --- the calendar ---------------------------------------------------------------------------

WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}
DAY_KINDS = {
    "workday": ("工作日", "a working day"),
    "weekend": ("周末休息日", "a weekend rest day"),
    "holiday": ("法定节假日", "a holiday"),
    "adjusted_workday": ("调休上班日", "an adjusted working day"),
}


def weekday(day: dt.date, lang: str) -> str:
    """The short weekday name."""
    return WEEKDAYS["zh" if lang == "zh" else "en"][day.weekday()]


def day_with_weekday(day: dt.date, lang: str) -> str:
    """2026-02-14 (Sat)."""
    return f"{day.isoformat()} ({weekday(day, lang)})"


def estimated_mark(estimated: bool, lang: str) -> str:
    """The mark after an estimated value in tables and lines."""
    if not estimated:
        return ""
    return " [估算]" if lang == "zh" else " [estimated]"


def estimate_warning(year: int, lang: str) -> str:
    """The one stderr line that says a year was estimated and how to fix it."""
    if lang == "zh":
        return (
            f"warning: {year} 年的放假安排尚未收录，相关日期按周末和法定节假日估算（不含调休）；"
            f"国务院公布后请用 --holidays 文件提供（见 licensecli holidays --help）。"
        )
    return (
        f"warning: no published holiday schedule for {year}; dates that depend on it are "
        f"estimated from weekends and statutory holidays (no 调休). Supply the schedule with "
        f"--holidays FILE once the State Council publishes it (see `licensecli holidays --help`)."
    )


def workday_info(info: DayInfo, as_json: bool, lang: str) -> None:
    """`workdays is`."""
    if as_json:
        write_json(
            {
                "date": info.date.isoformat(),
                "workday": info.workday,
                "kind": info.kind,
                "name": info.name,
                "estimated": info.estimated,
            }
        )
        return
    zh = lang == "zh"
    kind = DAY_KINDS[info.kind][0 if zh else 1]
    name = f"（{info.name}）" if zh and info.name else (f" ({info.name})" if info.name else "")
    verb = "是" if zh else "is"
    sys.stdout.write(
        f"{day_with_weekday(info.date, lang)} {verb} {kind}{name}{estimated_mark(info.estimated, lang)}\n"
    )


def workday_sum(start: dt.date, days: int, result: Dated, as_json: bool, lang: str) -> None:
    """`workdays add`."""
    if as_json:
        write_json(
            {
                "start": start.isoformat(),
                "days": days,
                "date": result.date.isoformat(),
                "estimated": result.estimated,
            }
        )
        return
    sign = "+" if days >= 0 else "-"
    unit = "个工作日" if lang == "zh" else " working days"
    sys.stdout.write(
        f"{start.isoformat()} {sign} {abs(days)}{unit} = {day_with_weekday(result.date, lang)}"
        f"{estimated_mark(result.estimated, lang)}\n"
    )


def workday_count(start: dt.date, end: dt.date, result: Counted, as_json: bool, lang: str) -> None:
    """`workdays count`."""
    if as_json:
        write_json(
            {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "count": result.count,
                "estimated": result.estimated,
            }
        )
        return
    text = (
        f"{start.isoformat()} 之后至 {end.isoformat()}：{result.count} 个工作日"
        if lang == "zh"
        else f"{result.count} working days after {start.isoformat()} up to {end.isoformat()}"
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


def year_schedule(schedule: YearSchedule, as_json: bool, lang: str) -> None:
    """`holidays YEAR`."""
    if as_json:
        write_json(
            {
                "year": schedule.year,
                "source": schedule.source,
                "origin": schedule.origin,
                "estimated": schedule.estimated,
                "days_off": [{"date": d.isoformat(), "name": n} for d, n in schedule.days_off.items()],
                "working_days": [
                    {"date": d.isoformat(), "name": n} for d, n in schedule.working_days.items()
                ],
            }
        )
        return
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


def calendar_overview(calendar: Calendar, today: dt.date, folder: Path, as_json: bool, lang: str) -> None:
    """`holidays` without a year: which years are known, from where, what will be estimated."""
    known = calendar.known_years()
    years = [s.year for s in known]
    next_year = today.year + 1
    missing_next = next_year not in years
    warn = missing_next and today.month >= 10
    zh = lang == "zh"
    warning = None
    if warn:
        warning = (
            f"{next_year} 年放假安排尚未收录；国务院通常在 11 月前后公布，公布后请用 --holidays 提供。"
            if zh
            else f"the {next_year} schedule is not known yet; the State Council usually publishes "
            f"it around November: supply it with --holidays when it does."
        )
    first_estimated = next((y for y in range(max(years) + 1, LAST_YEAR + 1) if y not in years), None)
    if warning:
        sys.stderr.write(f"warning: {warning}\n")
    if as_json:
        write_json(
            {
                "as_of": today.isoformat(),
                "known_years": [{"year": s.year, "source": s.source, "origin": s.origin} for s in known],
                "first_year": FIRST_YEAR,
                "last_year": LAST_YEAR,
                "estimated_from": first_estimated,
                "next_year": next_year,
                "next_year_missing": missing_next,
                "holiday_files": [str(p) for p in calendar.holiday_files],
                "user_holiday_folder": str(folder),
                "warning": warning,
            }
        )
        return
    from rich.table import Table

    table = Table(title="已知放假安排" if zh else "Known holiday schedules")
    table.add_column("年份" if zh else "Years", no_wrap=True)
    table.add_column("来源" if zh else "Source")
    groups: list[tuple[int, int, str]] = []
    for s in known:
        source = s.source if s.origin in ("package", "estimate") else f"{s.source} ({s.origin})"
        if groups and groups[-1][2] == source and groups[-1][1] == s.year - 1:
            groups[-1] = (groups[-1][0], s.year, source)
        else:
            groups.append((s.year, s.year, source))
    for first, last, source in groups:
        table.add_row(str(first) if first == last else f"{first}–{last}", source)
    console = _console()
    console.print(table)
    if first_estimated is not None:
        console.print(
            f"{first_estimated} 年起（至 {LAST_YEAR} 年）未收录的年份按周末和法定节假日估算。"
            if zh
            else f"Years from {first_estimated} (to {LAST_YEAR}) without a schedule are estimated "
            "from weekends and statutory holidays."
        )
    console.print(("用户放假文件目录：" if zh else "User holiday folder: ") + str(folder))


# --- deadlines and due ----------------------------------------------------------------------

STATUS_LABELS: dict[str, tuple[str, str, str]] = {  # status → (en, zh, rich style)
    "overdue": ("OVERDUE", "已逾期", "bold red"),
    "due_today": ("DUE TODAY", "今日到期", "bold red"),
    "due_soon": ("due soon", "即将到期", "yellow"),
    "open": ("open", "进行中", "cyan"),
    "upcoming": ("upcoming", "未到期", "green"),
    "passed": ("passed", "已过", "dim"),
    "done": ("done", "已完成", "dim green"),
}
SCHEMA_VERSION = 1


def rule_json(rule: Rule) -> dict[str, Any]:
    """The rule as the contract shows it: kind, days, unit, rollover (+ anchor, window, every)."""
    data: dict[str, Any] = {
        "kind": rule.kind,
        "days": rule.days,
        "unit": rule.effective_unit,
        "rollover": rule.rollover,
        "anchor": rule.anchor,
    }
    if rule.window is not None:
        data["window"] = {"start": rule.window.start, "end": rule.window.end}
    if rule.every is not None:
        data["every"] = rule.every
    return data


def steps_json(steps: tuple[Step, ...], lang: str) -> list[dict[str, Any]]:
    """Numbered steps for JSON."""
    return [
        {"n": i, "rule": s.rule, "text": s.text(lang), "date": s.date.isoformat() if s.date else None}
        for i, s in enumerate(steps, 1)
    ]


def _iso_or_none(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def deadline_json(d: Deadline, lang: str) -> dict[str, Any]:
    """One deadline for JSON."""
    return {
        "license": d.license,
        "obligation": d.obligation,
        "clause": d.clause,
        "title": {"zh": d.title.zh, "en": d.title.en},
        "due_date": d.due_date.isoformat(),
        "weekday": WEEKDAYS["en"][d.due_date.weekday()],
        "days_left": d.days_left,
        "working_days_left": d.working_days_left,
        "status": d.status,
        "estimated": d.estimated,
        "window_start": _iso_or_none(d.window_start),
        "event_date": _iso_or_none(d.event_date),
        "done_on": _iso_or_none(d.done_on),
        "rule": rule_json(d.rule),
        "steps": steps_json(d.steps, lang),
    }


def event_rule_json(r: EventRule, lang: str) -> dict[str, Any]:
    """One event-triggered rule for JSON."""
    return {
        "license": r.license,
        "obligation": r.obligation,
        "clause": r.clause,
        "title": {"zh": r.title.zh, "en": r.title.en},
        "trigger": {"zh": r.trigger.zh, "en": r.trigger.en} if r.trigger else None,
        "rule": rule_json(r.rule),
        "summary": describe_rule(r.rule, lang),
    }


def report_json(report: Report, calendar: Calendar, lang: str) -> dict[str, Any]:
    """The `deadlines --json` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": report.as_of.isoformat(),
        "calendar": {
            "estimated_years": report.estimated_years,
            "holiday_files": [str(p) for p in calendar.holiday_files],
        },
        "deadlines": [deadline_json(d, lang) for d in report.deadlines],
        "event_rules": [event_rule_json(r, lang) for r in report.event_rules],
    }


def status_label(status: str, lang: str) -> str:
    """The status word people read (the JSON keeps the English enum)."""
    en, zh, _ = STATUS_LABELS[status]
    return zh if lang == "zh" else en


def deadlines_table(report: Report, lang: str) -> None:
    """`deadlines` for people: dated deadlines, then the event-triggered rules."""
    from rich.table import Table
    from rich.text import Text as RichText

    zh = lang == "zh"
    console = _console()
    several = len({d.license for d in report.deadlines}) > 1
    title = f"截至 {report.as_of.isoformat()} 的期限" if zh else f"Deadlines as of {report.as_of.isoformat()}"
    table = Table(title=title, title_justify="left")
    table.add_column("截止日期" if zh else "Due", no_wrap=True)
    table.add_column("天数" if zh else "Days", justify="right", no_wrap=True)
    table.add_column("工作日" if zh else "Work days", justify="right", no_wrap=True)
    table.add_column("状态" if zh else "Status", no_wrap=True)
    table.add_column("义务（条款）" if zh else "Obligation (clause)", overflow="fold", ratio=1)
    any_estimate = False
    for d in report.deadlines:
        mark = "*" if d.estimated else ""
        any_estimate = any_estimate or d.estimated
        what = d.title.get(lang)
        if d.window_start is not None:
            what += (
                f"（{d.window_start.isoformat()} 至 {d.due_date.isoformat()}）"
                if zh
                else (f" (window {d.window_start.isoformat()} – {d.due_date.isoformat()})")
            )
        if d.event_date is not None:
            what += f"（事件 {d.event_date.isoformat()}）" if zh else f" (event {d.event_date.isoformat()})"
        if several:
            what = f"{d.license}: {what}"
        what += f"\n{d.obligation} · {d.clause}"
        en_label, zh_label, style = STATUS_LABELS[d.status]
        if d.rule.anchor == "valid_until" and d.status == "passed":
            # The licence's own lifecycle: a passed expiry or renewal deadline is not history.
            style = "bold red"
            if d.rule.kind == "on_anchor":
                en_label, zh_label = "EXPIRED", "已过期"
        table.add_row(
            f"{day_with_weekday(d.due_date, lang)}{mark}",
            f"{d.days_left}{mark}",
            f"{d.working_days_left}{mark}",
            RichText(zh_label if zh else en_label, style=style),
            what,
        )
    console.print(table)
    if any_estimate:
        console.print(
            "* 估算：依赖尚未公布的放假安排（见 stderr 的提示）。"
            if zh
            else "* estimated: rests on a holiday schedule not yet published (see the warning on stderr)."
        )
    if not report.deadlines:
        console.print("没有符合条件的期限。" if zh else "No deadlines match.")
    if report.event_rules:
        events = Table(
            title="事件触发的义务（事件发生后才有期限）"
            if zh
            else "Event-triggered rules (dated once the event happens)",
            title_justify="left",
        )
        events.add_column("义务（条款）" if zh else "Obligation (clause)", overflow="fold", ratio=3)
        events.add_column("起算事件" if zh else "Starts when", overflow="fold", ratio=2)
        events.add_column("期限" if zh else "Deadline", overflow="fold", ratio=2)
        for r in report.event_rules:
            trigger = r.trigger.get(lang) if r.trigger else ""
            events.add_row(
                f"{r.title.get(lang)}\n{r.obligation} · {r.clause}", trigger, describe_rule(r.rule, lang)
            )
        console.print(events)


def due_json(answer: DueAnswer, lang: str) -> dict[str, Any]:
    """The `due --json` document (also one line of `due --batch`)."""
    return {
        "license": answer.license,
        "obligation": answer.obligation,
        "clause": answer.clause,
        "title": {"zh": answer.title.zh, "en": answer.title.en},
        "event_date": _iso_or_none(answer.event_date),
        "window_start": _iso_or_none(answer.window_start),
        "due_date": _iso_or_none(answer.due_date),
        "estimated": answer.estimated,
        "rule": rule_json(answer.rule),
        "steps": steps_json(answer.steps, lang),
    }


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
        due = day_with_weekday(answer.due_date, lang) + estimated_mark(answer.estimated, lang)
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
    if explain:
        lines.append("计算过程：" if zh else "How it was counted:")
        lines.extend(f"  {i}. [{s.rule}] {s.text(lang)}" for i, s in enumerate(answer.steps, 1))
        if answer.note is not None:
            lines.append(("注：" if zh else "Note: ") + answer.note.get(lang))
    sys.stdout.write("\n".join(lines) + "\n")


def write_json_line(document: dict[str, Any]) -> str:
    """One compact JSON line (for --batch)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


# --- renew-check ---------------------------------------------------------------------------


def _perfdata(checks: list[RenewalCheck]) -> str:
    parts = []
    for c in checks:
        prefix = f"{c.number}_" if len(checks) > 1 else ""
        parts.append(
            f"'{prefix}days_to_renewal_deadline'={c.days_to_renewal_deadline}d;{c.warning};{c.critical};;"
        )
        parts.append(f"'{prefix}days_to_expiry'={c.days_to_expiry}d;;;;")
    return " ".join(parts)


def renew_check_text(status: str, checks: list[RenewalCheck]) -> str:
    """The monitoring-plugin output: a status line with perfdata, then a line per licence."""
    if len(checks) == 1:
        return f"LICENSE {status} - {checks[0].message} | {_perfdata(checks)}\n"
    counts: dict[str, int] = {}
    for c in checks:
        counts[c.status] = counts.get(c.status, 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items(), key=lambda kv: kv[0]))
    lines = [f"LICENSE {status} - {len(checks)} licences: {summary} | {_perfdata(checks)}"]
    lines.extend(f"{c.status}: {c.message}" for c in checks)
    return "\n".join(lines) + "\n"


def renew_check_json(
    status: str, code: int, checks: list[RenewalCheck], message: str | None = None
) -> dict[str, Any]:
    """The `renew-check --json` document."""
    document: dict[str, Any] = {
        "status": status,
        "exit_code": code,
        "licenses": [
            {
                "number": c.number,
                "status": c.status,
                "valid_until": c.valid_until.isoformat(),
                "renewal_deadline": c.renewal_deadline.isoformat(),
                "days_to_renewal_deadline": c.days_to_renewal_deadline,
                "days_to_expiry": c.days_to_expiry,
                "estimated": c.estimated,
                "message": c.message,
                "renewal_filed_on": _iso_or_none(c.renewal_filed_on),
                "warning": c.warning,
                "critical": c.critical,
            }
            for c in checks
        ],
    }
    if message is not None:
        document["message"] = message
    return document


def _label_value(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def renew_check_prometheus(status: str, code: int, checks: list[RenewalCheck]) -> str:
    """A node_exporter textfile-collector snippet."""
    from licensecli.engine import CHECK_CODES

    metrics: list[tuple[str, str, list[int]]] = [
        (
            "licensecli_days_to_renewal_deadline",
            "Days from today (China) to the renewal filing deadline.",
            [c.days_to_renewal_deadline for c in checks],
        ),
        (
            "licensecli_days_to_expiry",
            "Days from today (China) to the licence's last valid day.",
            [c.days_to_expiry for c in checks],
        ),
        (
            "licensecli_renewal_filed",
            "1 if a renewal filing is recorded in the licence file.",
            [int(c.renewal_filed_on is not None) for c in checks],
        ),
        (
            "licensecli_renewal_status",
            "0 OK, 1 WARNING, 2 CRITICAL (monitoring-plugin codes).",
            [CHECK_CODES[c.status] for c in checks],
        ),
        (
            "licensecli_renewal_estimated",
            "1 if the deadline rests on estimated holiday data.",
            [int(c.estimated) for c in checks],
        ),
    ]
    lines: list[str] = []
    for name, help_text, values in metrics:
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
        lines += [
            f'{name}{{license="{_label_value(c.number)}"}} {v}' for c, v in zip(checks, values, strict=True)
        ]
    lines += [
        "# HELP licensecli_renew_check_status Overall result: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
        "# TYPE licensecli_renew_check_status gauge",
        f"licensecli_renew_check_status {code}",
    ]
    return "\n".join(lines) + "\n"


# --- export: iCalendar and CSV ----------------------------------------------------------------

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
