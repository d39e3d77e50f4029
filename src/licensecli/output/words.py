"""Words shared by every audience: labels in both languages, weekday names, status words, a rule
in words and the estimate warning. Plain strings only: no rich, no JSON."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from licensecli.rules import quantity

if TYPE_CHECKING:
    from licensecli.life import Life
    from licensecli.models import Basis

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
    "template": {"zh": "条款模板", "en": "Template"},
    "first_granted_on": {"zh": "首次取得许可", "en": "First granted on"},
    "reissued_on": {"zh": "换发证书", "en": "Reissued on"},
    "state": {"zh": "状态", "en": "State"},
    "periods": {"zh": "有效期", "en": "Validity periods"},
    "renewal": {"zh": "续办", "en": "Renewal"},
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
        "first_granted_on": ("取得许可", "obtaining the licence"),
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
        if window.grace_until is not None:
            return (
                f"每年 {window.start} 至 {window.end}，补报至 {window.grace_until} (R7, R14)"
                if zh
                else f"each year {window.start} to {window.end}, late until {window.grace_until} (R7, R14)"
            )
        return (
            f"每年 {window.start} 至 {window.end} (R7)"
            if zh
            else f"each year {window.start} to {window.end} (R7)"
        )
    if kind == "hours_after":
        return (
            f"{anchor}后{rule.hours}小时内 (R12)"
            if zh
            else f"{quantity(rule.hours, 'hour')} after {anchor} (R12)"
        )
    if kind == "workdays_before":
        end_zh, end_en = anchor, anchor
        if rule.term is not None:
            term_zh = f"{rule.term.count}{unit_names[rule.term.unit][0]}"
            term_en = f"{rule.term.count}-{unit_names[rule.term.unit][1]}"
            end_zh, end_en = f"{anchor}起{term_zh}期限届满", f"the end of a {term_en} term from {anchor}"
        if zh:
            return f"{end_zh}前{rule.days}个工作日{'内' if rule.opens else ''} (R11)"
        days = quantity(rule.days, "working day")
        return f"within {days} before {end_en} (R11)" if rule.opens else f"{days} before {end_en} (R11)"
    unit = unit_names[rule.effective_unit][0 if zh else 1]
    if not zh:
        unit = quantity(rule.days, unit).partition(" ")[2]  # 1 day, 30 days
    basis = {"after": "R1–R3", "workdays_after": "R4", "before": "R5–R6"}[kind]
    if rule.rollover == "none" and kind != "workdays_after":  # nothing moves off a rest day
        basis = {"after": "R1, R2", "before": "R5"}[kind]
    if rule.effective_unit in ("months", "years"):
        basis = basis.replace(", R2", "") + ", R9"
    if kind == "before":
        return (
            f"{anchor}前{rule.days}{unit} ({basis})"
            if zh
            else (f"{rule.days} {unit} before {anchor} ({basis})")
        )
    text = (
        f"{anchor}后{rule.days}{unit}内 ({basis})" if zh else f"{rule.days} {unit} after {anchor} ({basis})"
    )
    if rule.every is not None and rule.recur_from == "done":
        every = f"{rule.every}年" if zh else ("year" if rule.every == 1 else f"{rule.every} years")
        text += (
            f"，此后自每次完成起每{every}一次 (R13)"
            if zh
            else f", then every {every} from each completion (R13)"
        )
    elif rule.every is not None:
        every = f"{rule.every}年" if zh else ("year" if rule.every == 1 else f"{rule.every} years")
        text += f"，每{every}重复 (R9)" if zh else f", recurring every {every} (R9)"
    return text


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


def citation(basis: Basis, lang: str) -> str:
    """A legal basis in one line: 《document》（number） article, in force …, confidence."""
    sure = {"confirmed": ("confirmed", "已核实"), "secondary": ("secondary sources", "二手资料")}[
        basis.confidence
    ]
    since = basis.in_force.isoformat() if basis.in_force is not None else None
    if lang == "zh":
        return basis.cite() + (f"，{since} 起施行" if since else "") + f"（{sure[1]}）"
    return basis.cite() + (f", in force from {since}" if since else "") + f" ({sure[0]})"


def source_line(clause: str, source: str, basis: tuple[Basis, ...], lang: str) -> str:
    """Where a duty comes from: the licence clause, and any regulation behind it."""
    zh = lang == "zh"
    cited = ("；" if zh else "; ").join(citation(b, lang) for b in basis)
    if source == "regulation":  # the citation names the document and article better than the ref
        return (f"法规 {cited}" if zh else f"regulation {cited}") if cited else clause
    head = f"许可证条款 {clause}" if zh else f"licence clause {clause}"
    if not cited:
        return head
    return f"{head}；{cited}" if zh else f"{head}; {cited}"


def due_moment(day: dt.date, moment: dt.datetime | None, lang: str) -> str:
    """2026-11-29 (Sun), or 2026-11-29 02:30 (Sun) for a period in hours (China time)."""
    if moment is None:
        return day_with_weekday(day, lang)
    return f"{day.isoformat()} {moment.strftime('%H:%M')} ({weekday(day, lang)})"


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
            f"国务院公布后请导入：licensecli holidays import FILE（见 licensecli holidays import --help）。"
        )
    return (
        f"warning: no published holiday schedule for {years}; dates that depend on it are "
        f"estimated from weekends and statutory holidays (no 调休). Import the schedule once the "
        f"State Council publishes it: licensecli holidays import FILE (see `licensecli holidays import --help`)."
    )


# status → (en, zh). One enumerated set: the JSON value is the key, tables show the word.
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "overdue": ("OVERDUE", "已逾期"),
    "missed": ("MISSED", "已错过"),
    "expired": ("EXPIRED", "已过期"),
    "grace": ("LATE, ACCEPTED", "补报期内"),
    "due_today": ("DUE TODAY", "今日到期"),
    "due_soon": ("due soon", "即将到期"),
    "open": ("open", "进行中"),
    "pending": ("pending", "待审批"),
    "upcoming": ("upcoming", "未到期"),
    "passed": ("passed", "已过"),
    "done": ("done", "已完成"),
}
# The statuses that ask for action now.
ATTENTION = frozenset({"overdue", "missed", "expired", "grace", "due_today", "due_soon", "open"})


# A licence's state on a day (life.State); JSON keeps the English value.
STATE_LABELS: dict[str, tuple[str, str]] = {
    "not_yet_valid": ("not yet valid", "尚未生效"),
    "valid": ("valid", "有效"),
    "pending": ("renewal pending", "续办待审批"),
    "lapsed": ("LAPSED", "已失效"),
}


def life_notice(number: str, now: Life, lang: str) -> str | None:
    """What a licence's state means, in plain words, when it is more than "valid": shown first
    by `deadlines`, and as `message` in its JSON. None for a licence simply in force."""
    end, filed = now.expiry.isoformat(), now.filed_on.isoformat() if now.filed_on else ""
    if now.state == "lapsed":
        late = (
            (
                f"（{filed}提出的续办申请已逾期，不予续办）"
                if lang == "zh"
                else f" (the renewal filed on {filed} was late and is not renewed)"
            )
            if now.filed_on
            else ""
        )
        if lang == "zh":
            return (
                f"{number}已失效：有效期至{end}，未续办{late}。如需继续经营，须重新申请经营许可证；"
                "无证经营电信业务违法（电信条例第七条、第六十九条）。如已续办，请记录："
                " licensecli renewal granted --valid-until 日期"
            )
        return (
            f"{number} has lapsed: its last valid day was {end} and it was not renewed{late}. To go on "
            "operating, a new licence must be applied for; operating without one is unlawful (电信条例 "
            "第七条, 第六十九条). If it was renewed, record that: licensecli renewal granted --valid-until DATE"
        )
    if now.state == "pending" and now.decision_overdue:
        if lang == "zh":
            return (
                f"{number}已于{filed}按期提出续办申请，有效期{end}已届满而未记录审批决定；依行政许可法"
                "第五十条，逾期未作决定的视为准予延续。请记录新的有效期： licensecli renewal granted --valid-until 日期"
            )
        return (
            f"{number}: the renewal was filed in time on {filed}, and its last valid day {end} has passed "
            "with no decision recorded; 行政许可法 第五十条: no decision by the expiry counts as approval. "
            "Record the new validity: licensecli renewal granted --valid-until DATE"
        )
    if now.state == "pending":
        if lang == "zh":
            return (
                f"{number}已于{filed}按期提出续办申请，待审批；发证机关应在有效期届满（{end}）前作出决定，"
                "逾期未作决定的视为准予延续（行政许可法第五十条）。"
            )
        return (
            f"{number}: renewal filed in time on {filed}, decision pending; the authority decides before "
            f"the expiry ({end}), and no decision by then counts as approval (行政许可法 第五十条)."
        )
    if now.state == "not_yet_valid":
        start = now.periods[0].start.isoformat()
        return (
            f"{number}尚未生效（自{start}起）。"
            if lang == "zh"
            else f"{number} is not valid yet (from {start})."
        )
    return None


def renewal_words(renewal: Any, lang: str) -> str:
    """One recorded renewal in words: "filed 2025-10-20, granted 2025-12-01, valid until 2031-01-21"."""
    zh = lang == "zh"
    parts = []
    if renewal.filed_on is not None:
        parts.append(f"{renewal.filed_on} 提出" if zh else f"filed {renewal.filed_on}")
    if renewal.valid_until is None:
        parts.append("待审批" if zh else "decision pending")
    else:
        if renewal.granted_on is not None:
            parts.append(f"{renewal.granted_on} 准予" if zh else f"granted {renewal.granted_on}")
        parts.append(f"有效期至 {renewal.valid_until}" if zh else f"valid until {renewal.valid_until}")
    if renewal.ref:
        parts.append(renewal.ref)
    return ("，" if zh else ", ").join(parts)


def status_label(status: str, lang: str) -> str:
    """The status word people read (the JSON keeps the English enum)."""
    en, zh = STATUS_LABELS[status]
    return zh if lang == "zh" else en


def missing_schedule_warning(next_year: int, lang: str) -> str:
    """Next year's schedule is not known yet (from 1 November of the last year the data covers)."""
    if lang == "zh":
        return (
            f"{next_year} 年放假安排尚未收录；国务院通常在 11 月前后公布，公布后请导入："
            f"licensecli holidays import {next_year}.json（holiday-cn 格式或 licensecli 放假文件）。"
        )
    return (
        f"the {next_year} holiday schedule is not known yet; the State Council usually publishes it "
        f"around November. Once it is out: licensecli holidays import {next_year}.json (holiday-cn "
        f"or a licensecli holiday file)."
    )
