"""All output: rich tables for people, JSON for scripts. The only module that imports rich,
and only inside the functions that draw tables, so JSON output never loads it."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from licensecli.models import License

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
