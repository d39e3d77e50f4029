"""The bundled licence as data: every clause, every contract obligation id with its rule."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from licensecli.loader import bundled_license_path, load_license
from licensecli.models import License, Rule, chinese_number, normalize_ref

LIC = load_license(bundled_license_path())

# From the command contract (docs/commands.md): id → (clause reference, rule kind, days, unit, anchor, rollover).
CONTRACT_OBLIGATIONS = {
    "license-expiry": ("正文", "on_anchor", None, None, "valid_until", "none"),
    "renewal-application": ("十二", "before", 90, "days", "valid_until", "backward"),
    "annual-report": ("十四", "window", None, None, None, "backward"),
    "provincial-license-cancellation": ("十三", "after", 30, "days", "issued_on", "forward"),
    "entity-change-application": ("十一", "after", 30, "days", "event", "forward"),
    "registration-change-application": ("令42号 第二十九条", "after", 30, "days", "event", "forward"),
    "local-office-change-report": ("十二", "after", 30, "days", "event", "forward"),
    "illegal-info-report": ("九", "workdays_after", 10, "workdays", "event", "none"),
    "security-assessment-report": ("十五（八）", "after", 30, "days", "event", "forward"),
    "major-incident-report": ("八", "immediately", None, None, "event", "none"),
    "network-security-filing": ("六", "promptly", None, None, None, "none"),
}

NUMERALS = [
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
]


def test_header_matches_the_licence_document() -> None:
    assert LIC.number == "B2-20210247"
    assert LIC.kind == "跨地区增值电信业务经营许可证"
    assert LIC.holder == "北京怡生乐居信息服务有限公司"
    assert LIC.legal_representative == "俞志强"
    assert [(s.service, s.coverage) for s in LIC.services] == [("信息服务业务（不含互联网信息服务）", "全国")]
    assert LIC.issuer == "工业和信息化部"
    assert LIC.issued_on == dt.date(2023, 5, 31)
    assert LIC.valid_until == dt.date(2026, 1, 21)


def test_all_fifteen_provisions_and_fourteen_sub_items_in_order() -> None:
    refs = [c.ref for c in LIC.all_clauses() if c.source == "license" and c.ref != "正文"]
    expected = NUMERALS + [f"十五（{n}）" for n in NUMERALS[:14]]
    assert refs == expected
    for clause in LIC.all_clauses():
        assert clause.text.strip() and clause.title.zh and clause.title.en


def test_every_clause_has_a_duty_or_sub_items() -> None:
    for clause in LIC.all_clauses():
        assert clause.obligations or clause.items, clause.ref


@pytest.mark.parametrize("obligation_id", sorted(CONTRACT_OBLIGATIONS))
def test_contract_obligation_present_with_its_rule(obligation_id: str) -> None:
    ref, kind, days, unit, anchor, rollover = CONTRACT_OBLIGATIONS[obligation_id]
    found = LIC.obligation(obligation_id)
    assert found is not None
    clause, ob = found
    assert clause.ref == ref
    assert (ob.rule.kind, ob.rule.days, ob.rule.effective_unit, ob.rule.anchor, ob.rule.rollover) == (
        kind,
        days,
        unit,
        anchor,
        rollover,
    )


def test_regulation_duty_says_where_it_comes_from() -> None:
    clause, _ = LIC.obligation("registration-change-application")  # type: ignore[misc]
    assert clause.source == "regulation"
    assert "令42号" in clause.text or "第42号" in clause.text


def test_annual_report_window_is_the_first_quarter() -> None:
    _, ob = LIC.obligation("annual-report")  # type: ignore[misc]
    assert ob.rule.window is not None
    assert (ob.rule.window.start, ob.rule.window.end) == ("01-01", "03-31")


def test_clause_text_is_the_licence_text() -> None:
    by_ref = {c.ref: c for c in LIC.all_clauses()}
    assert "处置后的10个工作日内向电信主管部门上报" in by_ref["九"].text
    assert "应当提前90日向原发证机关提出续办申请" in by_ref["十二"].text
    assert "控制影响范围" in by_ref["八"].text  # joined across the page break
    assert "安全评估完成30日内" in by_ref["十五（八）"].text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一", 1),
        ("十", 10),
        ("十一", 11),
        ("十五", 15),
        ("二十", 20),
        ("九十九", 99),
        ("", None),
        ("百", None),
        ("十十", None),
        ("一一", None),
    ],
)
def test_chinese_number(text: str, expected: int | None) -> None:
    assert chinese_number(text) == expected


@pytest.mark.parametrize(
    ("ref", "key"),
    [
        ("十一", "11"),
        ("11", "11"),
        ("十五（八）", "15.8"),
        ("15.8", "15.8"),
        ("15(8)", "15.8"),
        ("十五(十四)", "15.14"),
        (" 九 ", "9"),
        ("令42号 第二十九条", "令42号 第二十九条"),
    ],
)
def test_normalize_ref(ref: str, key: str) -> None:
    assert normalize_ref(ref) == key


def test_models_are_frozen_and_strict() -> None:
    with pytest.raises(ValidationError):
        LIC.number = "x"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Rule.model_validate({"kind": "after", "days": "30", "unit": "days", "anchor": "event"})
    with pytest.raises(ValidationError, match="needs days"):
        Rule.model_validate({"kind": "after", "unit": "days", "anchor": "event"})
    with pytest.raises(ValidationError, match="Extra inputs"):
        Rule.model_validate({"kind": "ongoing", "colour": "red"})


def test_events_are_checked_against_the_licence() -> None:
    data = LIC.model_dump()
    data["events"] = [{"obligation": "illegal-info-report", "on": dt.date(2020, 1, 1)}]
    with pytest.raises(ValidationError, match="before the licence was issued"):
        License.model_validate(data)
    data["events"] = [{"obligation": "no-such-duty", "on": dt.date(2025, 1, 1)}]
    with pytest.raises(ValidationError, match="no obligation 'no-such-duty'"):
        License.model_validate(data)
    data["events"] = [{"obligation": "illegal-info-report", "on": dt.date(2025, 1, 1)}]
    assert License.model_validate(data).events[0].on == dt.date(2025, 1, 1)
