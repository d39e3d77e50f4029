"""Words shared by every audience: labels in both languages, weekday names, status words, a rule
in words and the estimate warning. Plain strings only: no rich, no JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from licensecli.rules import quantity

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


def describe_rule(rule: Any, lang: str) -> str:
    """A rule in words: '30 days after the event (R1–R3)'."""
    zh = lang == "zh"
    unit_names = {
        "days": ("日", "day"),
        "workdays": ("个工作日", "working day"),
        "months": ("个月", "month"),
        "years": ("年", "year"),
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
    if not zh:
        unit = quantity(rule.days, unit).partition(" ")[2]  # 1 day, 30 days
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


def estimate_warning(years: str, lang: str) -> str:
    """The one stderr line that says which years were estimated ("2027", "2027–2099") and how to
    fix it."""
    if lang == "zh":
        return (
            f"warning: {years} 年的放假安排尚未收录，相关日期按周末和法定节假日估算（不含调休）；"
            f"国务院公布后请用 --holidays 文件提供（见 licensecli holidays --help）。"
        )
    return (
        f"warning: no published holiday schedule for {years}; dates that depend on it are "
        f"estimated from weekends and statutory holidays (no 调休). Supply the schedule with "
        f"--holidays FILE once the State Council publishes it (see `licensecli holidays --help`)."
    )


# status → (en, zh). One enumerated set: the JSON value is the key, tables show the word.
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "overdue": ("OVERDUE", "已逾期"),
    "missed": ("MISSED", "已错过"),
    "expired": ("EXPIRED", "已过期"),
    "due_today": ("DUE TODAY", "今日到期"),
    "due_soon": ("due soon", "即将到期"),
    "open": ("open", "进行中"),
    "upcoming": ("upcoming", "未到期"),
    "passed": ("passed", "已过"),
    "done": ("done", "已完成"),
}
# The statuses that ask for action now.
ATTENTION = frozenset({"overdue", "missed", "expired", "due_today", "due_soon", "open"})


def status_label(status: str, lang: str) -> str:
    """The status word people read (the JSON keeps the English enum)."""
    en, zh = STATUS_LABELS[status]
    return zh if lang == "zh" else en


def missing_schedule_warning(next_year: int, lang: str) -> str:
    """`holidays`: next year's schedule is not known yet (from October on)."""
    if lang == "zh":
        return f"{next_year} 年放假安排尚未收录；国务院通常在 11 月前后公布，公布后请用 --holidays 提供。"
    return (
        f"the {next_year} schedule is not known yet; the State Council usually publishes "
        f"it around November: supply it with --holidays when it does."
    )
