"""Hostile licence files the model refuses, each with the one line `validate` prints for it
(`file:line: field: what is wrong`) and the same refusal from a computing command.

Every string field refuses control characters (a line break in `number` would forge a second
Nagios status line, an escape sequence in `holder` would reach the terminal raw); dates lie in
the calendar (2004-01-01 … 2099-12-31); periods are bounded per unit; thresholds are ordered;
a recorded renewal filing belongs to this licence period.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import licence_text, run

OUTSIDE = "is outside the calendar (2004-01-01 … 2099-12-31); no deadline can be counted from it"
CONTROL = "control characters are not allowed in a licence file"
MULTI = CONTROL + " (line breaks and tabs are)"
RULE_11 = "rule: {kind: after, days: 30, unit: days, anchor: event, rollover: forward}"  # clause 十一 first
RULE_9 = "rule: {kind: workdays_after, days: 10, unit: workdays, anchor: event, rollover: none}"


def top(**replace: str) -> str:
    return licence_text(**replace)


def edit(old: str, new: str, **replace: str) -> str:
    text = licence_text(**replace)
    assert old in text
    return text.replace(old, new, 1)


def rule_11(days: int, unit: str) -> str:
    return edit(
        RULE_11, f"rule: {{kind: after, days: {days}, unit: {unit}, anchor: event, rollover: forward}}"
    )


# (id, file text, the text that marks the reported line, field, message)
REFUSED = [
    ("year 0001", top(issued_on="0001-01-01"), "issued_on:", "issued_on", f"0001-01-01 {OUTSIDE}"),
    ("the day before 2004", top(issued_on="2003-12-31"), "issued_on:", "issued_on", f"2003-12-31 {OUTSIDE}"),
    ("year 9999", top(valid_until="9999-12-31"), "valid_until:", "valid_until", f"9999-12-31 {OUTSIDE}"),
    (
        "the day after 2099",
        top(valid_until="2100-01-01"),
        "valid_until:",
        "valid_until",
        f"2100-01-01 {OUTSIDE}",
    ),
    (
        "a filing in 1999",
        top(renewal_filed_on="1999-01-01"),
        "renewal_filed_on:",
        "renewal_filed_on",
        f"1999-01-01 {OUTSIDE}",
    ),
    (
        "an event in 2100",
        top(events="[{obligation: illegal-info-report, on: 2100-01-01}]"),
        "events:",
        "events[0].on",
        f"2100-01-01 {OUTSIDE}",
    ),
    (
        "valid only on its issue day",
        top(valid_until="2023-05-31"),
        "valid_until:",
        "valid_until",
        "the licence would be valid only on its issue day (2023-05-31); valid_until is the last "
        "valid day and must be after issued_on",
    ),
    (
        "warning below critical",
        top(renew_check="{warning: 10, critical: 30}"),
        "renew_check:",
        "renew_check",
        "warning (10 days) must be at least critical (30 days): WARNING comes before CRITICAL",
    ),
    (
        "filed before the issue",
        top(renewal_filed_on="2023-05-30"),
        "renewal_filed_on:",
        "renewal_filed_on",
        "the renewal was filed (2023-05-30) before this licence was issued (2023-05-31); that "
        "filing belongs to an earlier licence",
    ),
    (
        "filed after the expiry",
        top(renewal_filed_on="2026-01-22"),
        "renewal_filed_on:",
        "renewal_filed_on",
        "the renewal was filed (2026-01-22) after the licence expired (2026-01-21); a licence "
        "cannot be renewed once expired (apply for a new one)",
    ),
    (
        # The filing deadline is 2025-10-23 (R5); 2024-10-22 is 366 days before it.
        "filed years before the window",
        top(renewal_filed_on="2024-10-22"),
        "renewal_filed_on:",
        "renewal_filed_on",
        "2024-10-22 is more than 365 days before the filing deadline (2025-10-23); a filing that "
        "early is not this period's renewal (a date from an earlier licence?)",
    ),
    (
        "36500 days",
        rule_11(36500, "days"),
        "days: 36500",
        "clauses[11].obligations[0].rule.days",
        "36500 days is longer than any licence period; at most 3660 days (ten years; the calendar "
        "ends on 2099-12-31)",
    ),
    (
        "3661 days",
        rule_11(3661, "days"),
        "days: 3661",
        "clauses[11].obligations[0].rule.days",
        "3661 days is longer than any licence period; at most 3660 days (ten years; the calendar "
        "ends on 2099-12-31)",
    ),
    (
        "121 months",
        rule_11(121, "months"),
        "days: 121",
        "clauses[11].obligations[0].rule.days",
        "121 months is longer than any licence period; at most 120 months (ten years; the calendar "
        "ends on 2099-12-31)",
    ),
    (
        "11 years",
        rule_11(11, "years"),
        "days: 11,",
        "clauses[11].obligations[0].rule.days",
        "11 years is longer than any licence period; at most 10 years (ten years; the calendar "
        "ends on 2099-12-31)",
    ),
    (
        "2501 working days",
        edit(RULE_9, RULE_9.replace("days: 10,", "days: 2501,")),
        "days: 2501",
        "clauses[9].obligations[1].rule.days",  # 九: [0] is illegal-info-handling (立即处置)
        "2501 workdays is longer than any licence period; at most 2500 workdays (ten years; the "
        "calendar ends on 2099-12-31)",
    ),
    (
        "a newline in number forges a Nagios line",
        top(number='"B2-1\\nLICENSE OK - fake"'),
        "number:",
        "number",
        "must be one line: it has a line break (U+000A) at character 5",
    ),
    (
        "a carriage return in number",
        top(number='"B2-1|x\\r"'),
        "number:",
        "number",
        "must be one line: it has a line break (U+000D) at character 7",
    ),
    (
        "NEL in number",
        top(number='"B2\\N"'),
        "number:",
        "number",
        "must be one line: it has a line break (U+0085) at character 3",
    ),
    (
        "a line separator in holder",
        top(holder='"北京\\L公司"'),
        "holder:",
        "holder",
        "must be one line: it has a line break (U+2028) at character 3",
    ),
    (
        "an escape sequence in holder",
        top(holder='"\\e[31m北京\\e[0m"'),
        "holder:",
        "holder",
        f"has a control character (U+001B ESC) at character 1; {CONTROL}",
    ),
    (
        "a tab in holder (one line)",
        top(holder='"北京\\t公司"'),
        "holder:",
        "holder",
        f"has a control character (U+0009 TAB) at character 3; {CONTROL}",
    ),
    (
        "DEL in kind",
        top(kind='"跨地区\\x7f"'),
        "kind:",
        "kind",
        f"has a control character (U+007F DEL) at character 4; {CONTROL}",
    ),
    (
        "C1 CSI in issuer",
        top(issuer='"工业\\x9b2J"'),
        "issuer:",
        "issuer",
        f"has a control character (U+009B CSI) at character 3; {CONTROL}",
    ),
    (
        "NUL in legal_representative",
        top(legal_representative='"俞\\0志强"'),
        "legal_representative:",
        "legal_representative",
        f"has a control character (U+0000 NUL) at character 2; {CONTROL}",
    ),
    (
        "BEL in a service",
        edit("  - service: 信息服务业务（不含互联网信息服务）", '  - service: "信息\\a服务"'),
        '  - service: "信息',
        "services[0].service",
        f"has a control character (U+0007 BEL) at character 3; {CONTROL}",
    ),
    (
        "a newline in a clause reference",
        edit("  - ref: 正文", '  - ref: "正\\n文"'),
        '  - ref: "正',
        "clauses[0].ref",
        "must be one line: it has a line break (U+000A) at character 2",
    ),
    (
        "a newline in a title",
        edit(
            "title: {zh: 许可证正文, en: Licence header}", 'title: {zh: 许可证正文, en: "Licence\\nheader"}'
        ),
        'en: "Licence',
        "clauses[0].title.en",
        "must be one line: it has a line break (U+000A) at character 8",
    ),
    (
        "an escape sequence in clause text (multi-line)",
        edit(
            "    text: （摘要）许可证正文载明的有效期（valid_until）届满之日。", '    text: "有效期至\\e[2J"'
        ),
        '    text: "有效期至',
        "clauses[0].text",
        f"has a control character (U+001B ESC) at character 5; {MULTI}",
    ),
    (
        "BEL in an event note (multi-line)",
        top(events='[{obligation: illegal-info-report, on: 2025-11-20, note: "a\\ab"}]'),
        "events:",
        "events[0].note",
        f"has a control character (U+0007 BEL) at character 2; {MULTI}",
    ),
]

ACCEPTED = [
    ("the first day of the calendar", top(issued_on="2004-01-01")),
    ("the last day of the calendar", top(valid_until="2099-12-31")),
    ("warning equal to critical", top(renew_check="{warning: 30, critical: 30}")),
    ("filed on the issue day", top(issued_on="2025-10-01", renewal_filed_on="2025-10-01")),
    ("filed on the last valid day", top(renewal_filed_on="2026-01-21")),
    ("filed exactly 365 days before the deadline", top(renewal_filed_on="2024-10-23")),
    ("3660 days", rule_11(3660, "days")),
    ("120 months", rule_11(120, "months")),
    ("10 years", rule_11(10, "years")),
    ("2500 working days", edit(RULE_9, RULE_9.replace("days: 10,", "days: 2500,"))),
    (
        "line breaks and tabs in clause text",
        edit(
            "    text: （摘要）许可证正文载明的有效期（valid_until）届满之日。",
            '    text: "有效期至\\n\\t2026年"',
        ),
    ),
    (
        "a multi-line event note",
        top(events='[{obligation: illegal-info-report, on: 2025-11-20, note: "a\\nb"}]'),
    ),
    (
        "a multi-line obligation note",
        edit(
            "          en: This duty comes from Order 42, not from the licence text.",
            '          en: "This duty comes from Order 42,\\nnot from the licence text."',
        ),
    ),
]


def line_marked(text: str, mark: str) -> int:
    """The number of the first line (not a comment) with `mark` in it."""
    lines = enumerate(text.splitlines(), 1)
    return next(n for n, line in lines if mark in line and not line.lstrip().startswith("#"))


@pytest.mark.parametrize(
    ("text", "mark", "field", "message"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_validate_refuses_with_file_line_and_field(
    tmp_path: Path, text: str, mark: str, field: str, message: str
) -> None:
    path = tmp_path / "lic.yaml"
    path.write_text(text, encoding="utf-8")
    expected = f"{path}:{line_marked(text, mark)}: {field}: {message}"
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == expected
    assert result.stdout == ""
    shown = run("deadlines", "--as-of", "2025-06-01", str(path))  # a computing command: the same line
    assert (shown.exit_code, shown.stdout, shown.stderr) == (1, "", f"error: {expected}\n")


@pytest.mark.parametrize("text", [c[1] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED])
def test_validate_accepts_the_edges(tmp_path: Path, text: str) -> None:
    path = tmp_path / "lic.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", str(path))
    assert (result.exit_code, result.stderr) == (0, "")


def test_a_forged_nagios_line_never_reaches_the_output(tmp_path: Path) -> None:
    path = tmp_path / "lic.yaml"
    path.write_text(top(number='"B2-1\\nLICENSE OK - fake"'), encoding="utf-8")
    result = run("renew-check", "--as-of", "2025-06-01", str(path))
    assert result.exit_code == 3
    assert result.stdout.splitlines()[0].startswith("LICENSE UNKNOWN - ")
    assert "LICENSE OK" not in result.stdout
