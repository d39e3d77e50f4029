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
    # 十三 runs from obtaining the licence: first_granted_on (= issued_on when not recorded).
    "provincial-license-cancellation": ("十三", "after", 30, "days", "first_granted_on", "forward"),
    "entity-change-application": ("十一", "after", 30, "days", "event", "forward"),
    "registration-change-application": ("令42号 第二十九条", "after", 30, "days", "event", "forward"),
    "local-office-change-report": ("十二", "after", 30, "days", "event", "forward"),
    "illegal-info-handling": ("九", "immediately", None, None, "event", "none"),  # 立即进行处置
    "illegal-info-report": ("九", "workdays_after", 10, "workdays", "event", "none"),
    "security-assessment-report": ("十五（八）", "after", 30, "days", "event", "forward"),
    "major-incident-report": ("八", "immediately", None, None, "event", "none"),
    "network-security-filing": ("六", "promptly", None, None, None, "none"),
    "illegal-app-handling": ("十五（十一）", "promptly", None, None, None, "none"),  # 及时依法处理
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


# --- what the model refuses (the files and messages: test_hostile_models.py) -------------------


def test_the_models_date_range_is_the_calendars() -> None:
    from licensecli import models, workdays

    assert (models.FIRST_DAY, models.LAST_DAY) == (workdays.FIRST_DAY, workdays.LAST_DAY)


@pytest.mark.parametrize(
    ("text", "multiline", "problem"),
    [
        ("北京怡生乐居信息服务有限公司", False, None),
        ("B2-20210247", False, None),
        ("第一行\n第二行\t制表", True, None),
        ("a\u2028b", True, None),  # a separator is no control character: allowed in running text
        ("a\nb", False, "must be one line: it has a line break (U+000A) at character 2"),
        (
            "ab\r",
            True,
            "has a control character (U+000D) at character 3; control characters are "
            "not allowed in a licence file (line breaks and tabs are)",
        ),
        (
            "a\tb",
            False,
            "has a control character (U+0009 TAB) at character 2; control characters "
            "are not allowed in a licence file",
        ),
        (
            "\x1b[2J",
            True,
            "has a control character (U+001B ESC) at character 1; control characters "
            "are not allowed in a licence file (line breaks and tabs are)",
        ),
        (
            "x\x7f",
            False,
            "has a control character (U+007F DEL) at character 2; control characters "
            "are not allowed in a licence file",
        ),
        (
            "x\x80",
            False,
            "has a control character (U+0080) at character 2; control characters "
            "are not allowed in a licence file",
        ),
        (
            "x\x9f",
            False,
            "has a control character (U+009F) at character 2; control characters "
            "are not allowed in a licence file",
        ),
        ("x\xa0y", False, None),  # no-break space: the first character after C1
        (
            "x\x1f",
            True,
            "has a control character (U+001F) at character 2; control characters "
            "are not allowed in a licence file (line breaks and tabs are)",
        ),
        ("x\u2029", False, "must be one line: it has a line break (U+2029) at character 2"),
    ],
)
def test_control_characters(text: str, multiline: bool, problem: str | None) -> None:
    from licensecli.models import control_problem

    assert control_problem(text, multiline=multiline) == problem


@pytest.mark.parametrize(
    ("unit", "kind", "largest"),
    [
        ("days", "after", 3660),
        ("months", "before", 120),
        ("years", "after", 10),
        ("workdays", "workdays_after", 2500),
    ],
)
def test_period_sizes_are_bounded_per_unit(unit: str, kind: str, largest: int) -> None:
    def rule(days: int) -> Rule:
        return Rule.model_validate({"kind": kind, "days": days, "unit": unit, "anchor": "event"})

    assert rule(largest).days == largest
    with pytest.raises(ValidationError) as refused:
        rule(largest + 1)
    assert refused.value.errors()[0]["msg"] == (
        f"Value error, @days: {largest + 1} {unit} is longer than any licence period; at most "
        f"{largest} {unit} (ten years; the calendar ends on 2099-12-31)"
    )


def test_thresholds_warn_before_they_turn_critical() -> None:
    from licensecli.models import Thresholds

    assert Thresholds(warning=30, critical=30).warning == 30
    with pytest.raises(ValidationError, match=r"warning \(10 days\) must be at least critical \(30 days\)"):
        Thresholds(warning=10, critical=30)


@pytest.mark.parametrize("field", ["services", "clauses"])
def test_an_empty_list_is_one_problem(field: str) -> None:
    data = LIC.model_dump()
    data[field] = []
    with pytest.raises(ValidationError) as refused:
        License.model_validate(data)
    assert [(e["loc"], e["msg"]) for e in refused.value.errors()] == [
        ((field,), "Value error, at least one is required")
    ]


def test_one_bad_service_is_one_problem() -> None:
    data = LIC.model_dump()
    data["services"] = [{"service": "信息\x07服务", "coverage": "全国"}]
    with pytest.raises(ValidationError) as refused:
        License.model_validate(data)
    assert [e["loc"] for e in refused.value.errors()] == [("services", 0, "service")]


def test_notes_may_run_over_lines_titles_may_not() -> None:
    from licensecli.models import Note, Text

    assert Note(zh="一\n二", en="one\ntwo").en == "one\ntwo"
    with pytest.raises(ValidationError, match="must be one line"):
        Text(zh="一\n二", en="one")


def test_the_schema_tells_editors_the_bounds() -> None:
    schema = License.model_json_schema()
    assert schema["properties"]["services"]["minItems"] == 1
    assert schema["properties"]["clauses"]["minItems"] == 1
    days = schema["$defs"]["Rule"]["properties"]["days"]
    assert days["maximum"] == 3660  # beside anyOf: it applies to the number, not to null


@pytest.mark.parametrize(
    ("filed", "problem"),
    [
        ("2025-10-23", None),  # on the filing deadline
        ("2026-01-21", None),  # the last valid day (late, but this period's)
        ("2024-10-23", None),  # 365 days before the filing deadline 2025-10-23
        ("2024-10-22", "2024-10-22 is more than 365 days before the filing deadline (2025-10-23)"),
        ("2023-05-30", "before this licence was issued (2023-05-31)"),
        ("2026-01-22", "after the licence expired (2026-01-21)"),
    ],
)
def test_a_renewal_filing_belongs_to_this_period(filed: str, problem: str | None) -> None:
    data = LIC.model_dump()
    data["renewal_filed_on"] = dt.date.fromisoformat(filed)
    if problem is None:
        assert License.model_validate(data).renewal_filed_on == dt.date.fromisoformat(filed)
        return
    with pytest.raises(ValidationError) as refused:
        License.model_validate(data)
    message = refused.value.errors()[0]["msg"]
    assert message.startswith("Value error, @renewal_filed_on: ") and problem in message


def test_the_filing_window_follows_the_licences_own_rule() -> None:
    from licensecli.models import renewal_deadline_unrolled

    assert renewal_deadline_unrolled(LIC) == dt.date(2025, 10, 23)  # 90 days before 2026-01-21
    data = LIC.model_dump()
    for clause in data["clauses"]:
        for ob in clause["obligations"]:
            if ob["id"] == "renewal-application":
                ob["rule"].update(days=3, unit="months")
    # 3 months before 2026-01-21 is 2025-10-21; 365 days before that is 2024-10-21.
    data["renewal_filed_on"] = dt.date(2024, 10, 21)
    assert renewal_deadline_unrolled(License.model_validate(data)) == dt.date(2025, 10, 21)
    data["renewal_filed_on"] = dt.date(2024, 10, 20)
    with pytest.raises(
        ValidationError, match=r"more than 365 days before the filing deadline \(2025-10-21\)"
    ):
        License.model_validate(data)
