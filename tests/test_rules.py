"""Deadline rules R1–R9, case by case. Every expected date was worked out by hand from the State
Council holiday notices (see test_workdays.NOTICES) and docs/counting-rules.md — not taken from the code.

2024: off 01-01; 02-10…17; 04-04…06; 05-01…05; 06-10; 09-15…17; 10-01…07;
      worked 02-04 Su, 02-18 Su, 04-07 Su, 04-28 Su, 05-11 Sa, 09-14 Sa, 09-29 Su, 10-12 Sa.
2025: off 01-01; 01-28…02-04; 04-04…06; 05-01…05; 05-31…06-02; 10-01…08;
      worked 01-26 Su, 02-08 Sa, 04-27 Su, 09-28 Su, 10-11 Sa.
2026: off 01-01…03; 02-15…23; 04-04…06; 05-01…05; 06-19…21; 09-25…27; 10-01…07;
      worked 01-04 Su, 02-14 Sa, 02-28 Sa, 05-09 Sa, 09-20 Su, 10-10 Sa.
"""

from __future__ import annotations

import datetime as dt

import pytest

from licensecli import rules
from licensecli.errors import CalendarError, EstimateRefusedError
from licensecli.models import Rule
from licensecli.workdays import Calendar

D = dt.date.fromisoformat
CAL = Calendar()

AFTER_30 = Rule(kind="after", days=30, unit="days", anchor="event", rollover="forward")
WORK_10 = Rule(kind="workdays_after", days=10, unit="workdays", anchor="event")
BEFORE_90 = Rule(kind="before", days=90, unit="days", anchor="valid_until", rollover="backward")
Q1 = Rule.model_validate(
    {"kind": "window", "window": {"start": "01-01", "end": "03-31"}, "rollover": "backward"}
)


# The notice behind the 2026 dates (issue 14: --explain names it): its title, number and address
# on www.gov.cn, as published on 2025-11-04.
NOTICE_2026 = (
    "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）, "
    "https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"
)


def months(kind: str, n: int, unit: str = "months") -> Rule:
    return Rule.model_validate(
        {
            "kind": kind,
            "days": n,
            "unit": unit,
            "anchor": "event",
            "rollover": "forward" if kind == "after" else "backward",
        }
    )


CASES = [
    # --- R1–R3: 30 calendar days after an event ---
    ("new year 2026: 01-01 off, 01-02/03 off, 01-04 adjusted Sunday", AFTER_30, "2025-12-02", "2026-01-04"),
    ("lands in Spring Festival 2026, next working day after the block", AFTER_30, "2026-01-20", "2026-02-24"),
    ("lands on adjusted Saturday 02-14: stays", AFTER_30, "2026-01-15", "2026-02-14"),
    ("lands on adjusted Saturday 02-28: stays", AFTER_30, "2026-01-29", "2026-02-28"),
    ("lands on an ordinary Sunday", AFTER_30, "2026-01-30", "2026-03-02"),
    ("lands on National Day 2026", AFTER_30, "2026-09-01", "2026-10-08"),
    ("lands on adjusted Saturday 10-10: stays", AFTER_30, "2026-09-10", "2026-10-10"),
    ("lands on the Sunday after 10-10", AFTER_30, "2026-09-11", "2026-10-12"),
    ("lands on Mid-autumn 2026 (Fri–Sun)", AFTER_30, "2026-08-26", "2026-09-28"),
    ("lands on adjusted Sunday 09-20: stays", AFTER_30, "2026-08-21", "2026-09-20"),
    ("lands on the last day of Labour Day 2026", AFTER_30, "2026-04-05", "2026-05-06"),
    ("lands on adjusted Saturday 05-09: stays", AFTER_30, "2026-04-09", "2026-05-09"),
    ("year end: 2025-12-31 + 30 is a Friday", AFTER_30, "2025-12-31", "2026-01-30"),
    ("month end: 01-31 + 30 in a 28-day February", AFTER_30, "2026-01-31", "2026-03-02"),
    ("lands on National Day 2025 (8 days)", AFTER_30, "2025-09-01", "2025-10-09"),
    ("lands on adjusted Saturday 2025-10-11: stays", AFTER_30, "2025-09-11", "2025-10-11"),
    ("lands on New Year 2025 (one day)", AFTER_30, "2024-12-02", "2025-01-02"),
    ("lands in Spring Festival 2025", AFTER_30, "2025-01-01", "2025-02-05"),
    ("lands on adjusted Sunday 2025-01-26: stays", AFTER_30, "2024-12-27", "2025-01-26"),
    ("lands on an ordinary weekend 2024", AFTER_30, "2024-05-02", "2024-06-03"),
    ("lands on Dragon Boat 2024 (a Monday)", AFTER_30, "2024-05-11", "2024-06-11"),
    ("lands on adjusted Saturday 2024-09-14: stays", AFTER_30, "2024-08-15", "2024-09-14"),
    ("lands in Mid-autumn 2024", AFTER_30, "2024-08-16", "2024-09-18"),
    ("leap year: 2024-02-29 + 30 is a Saturday", AFTER_30, "2024-02-29", "2024-04-01"),
    # --- R4: 10 working days after an event ---
    ("across Spring Festival 2026 with both adjusted Saturdays", WORK_10, "2026-02-12", "2026-03-04"),
    ("an ordinary fortnight", WORK_10, "2026-11-20", "2026-12-04"),
    ("after National Day 2026, 10-10 counts", WORK_10, "2026-09-30", "2026-10-20"),
    ("across National Day 2025, 09-28 and 10-11 count", WORK_10, "2025-09-26", "2025-10-16"),
    ("across Spring Festival 2025, 01-26 and 02-08 count", WORK_10, "2025-01-24", "2025-02-13"),
    ("across the 2024/2025 year end", WORK_10, "2024-12-24", "2025-01-08"),
    ("across Labour Day 2026, 05-09 counts", WORK_10, "2026-04-30", "2026-05-18"),
    ("event on a Saturday", WORK_10, "2026-11-28", "2026-12-11"),
    # --- R5/R6: 90 days before an anchor ---
    ("renewal of B2-20210247: expiry 2026-01-21", BEFORE_90, "2026-01-21", "2025-10-23"),
    ("lands in National Day 2025: back to 09-30", BEFORE_90, "2026-01-05", "2025-09-30"),
    ("lands in Spring Festival 2026: back to adjusted Saturday 02-14", BEFORE_90, "2026-05-19", "2026-02-14"),
    ("lands on a National Day Sunday 2025", BEFORE_90, "2026-01-03", "2025-09-30"),
    ("lands on adjusted Saturday 2026-10-10: stays", BEFORE_90, "2027-01-08", "2026-10-10"),
    ("lands on an ordinary Sunday: back to Friday", BEFORE_90, "2027-02-27", "2026-11-27"),
    # --- R9: months and years ---
    ("3 months before 05-31 is 02-28, an adjusted Saturday", months("before", 3), "2026-05-31", "2026-02-28"),
    ("1 month after 01-31 is 02-28 (adjusted Saturday)", months("after", 1), "2026-01-31", "2026-02-28"),
    ("1 month after 2024-01-31 is 02-29 in a leap year", months("after", 1), "2024-01-31", "2024-02-29"),
    ("1 year after 2024-02-29 is 2025-02-28", months("after", 1, "years"), "2024-02-29", "2025-02-28"),
    ("1 month after 09-01 is National Day", months("after", 1), "2026-09-01", "2026-10-08"),
    # --- R8 ---
    (
        "immediately: the same day, even a holiday",
        Rule(kind="immediately", anchor="event"),
        "2026-02-17",
        "2026-02-17",
    ),
]


@pytest.mark.parametrize(("why", "rule", "anchor", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule_case(why: str, rule: Rule, anchor: str, expected: str) -> None:
    result = rules.compute(rule, D(anchor), CAL)
    assert result.due == D(expected)
    assert result.estimated is False


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, "2024-03-29"),  # 03-31 is a Sunday, 03-30 a Saturday
        (2025, "2025-03-31"),  # a Monday
        (2026, "2026-03-31"),  # a Tuesday
    ],
)
def test_first_quarter_window(year: int, expected: str) -> None:
    result = rules.window(Q1, year, CAL)
    assert (result.window_start, result.due, result.estimated) == (dt.date(year, 1, 1), D(expected), False)


def test_2027_window_is_estimated() -> None:
    result = rules.window(Q1, 2027, Calendar())
    assert (result.due, result.estimated) == (D("2027-03-31"), True)


def test_promptly_and_ongoing_have_no_date() -> None:
    for kind in ("promptly", "ongoing"):
        result = rules.compute(Rule(kind=kind), None, CAL)  # type: ignore[arg-type]
        assert result.due is None
    assert rules.compute(Rule(kind="promptly"), None, CAL).steps[0].rule == "R8"


def test_steps_cite_the_rules_in_order() -> None:
    result = rules.compute(AFTER_30, D("2025-12-02"), CAL, detail=True)
    assert [s.rule for s in result.steps] == ["R1", "R2", "R3", "R3"]
    assert "2026-01-01 – 2026-01-03: holiday 元旦" in result.steps[2].en
    assert "adjusted working day 元旦调休" in result.steps[3].en


def test_backward_rollover_states_both_dates_and_the_choice() -> None:
    result = rules.compute(BEFORE_90, D("2026-01-05"), CAL)
    text = result.steps[-1].en
    assert result.steps[-1].rule == "R6"
    assert "2025-09-30" in text and "2025-10-09" in text and "conservative" in text


def test_explain_lists_skipped_days_for_working_day_periods() -> None:
    result = rules.compute(WORK_10, D("2026-02-12"), CAL, detail=True)
    skipped = [s.en for s in result.steps if s.rule == "R4"][1:]
    assert skipped == [
        f"2026-02-14: a weekend day but an adjusted working day 春节调休, per {NOTICE_2026}, counted.",
        f"2026-02-15 – 2026-02-23: holiday 春节, per {NOTICE_2026}, a rest day.",
        f"2026-02-28: a weekend day but an adjusted working day 春节调休, per {NOTICE_2026}, counted.",
        "2026-03-01: weekend, a rest day.",
    ]


YEARLY = Rule(kind="after", days=1, unit="years", anchor="event", rollover="forward", every=1)


def recurring_rule(**update: object) -> Rule:
    return YEARLY.model_copy(update=update)


@pytest.mark.parametrize(
    ("why", "rule", "event", "expected"),
    [
        (
            "02-29 + 1 year: 02-28 in other years, 02-29 again in a leap year (R9)",
            YEARLY,
            "2024-02-29",
            ["2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29", "2029-02-28"],
        ),
        ("every 2 years", recurring_rule(every=2), "2025-03-10", ["2026-03-10", "2028-03-10", "2030-03-10"]),
        (
            "18 months, every 2 years: counted from the event in one go (18, 42, 66 months)",
            recurring_rule(days=18, unit="months", every=2),
            "2022-08-31",
            ["2024-02-29", "2026-02-28", "2028-02-29"],
        ),
        (
            "30 days, then yearly from the first due day (2024-01-30 + 30 = 02-29)",
            recurring_rule(days=30, unit="days"),
            "2024-01-30",
            ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"],
        ),
    ],
)
def test_occurrences_of_a_recurring_duty(why: str, rule: Rule, event: str, expected: list[str]) -> None:
    found = rules.occurrences(rule, D(event))
    assert [next(found) for _ in expected] == [(k, D(day)) for k, day in enumerate(expected)]


@pytest.mark.parametrize(
    ("rule", "as_of", "expected"),
    [
        # 2025-02-28 Fri; 2026-02-28 Sat, an adjusted working day (春节调休): stays; 2027-02-28 Sun
        # → Mon 2027-03-01 (2027 estimated: only 02-05…02-08 off around the festival).
        (YEARLY, "2026-06-01", [("2025-02-28", False), ("2026-02-28", False), ("2027-03-01", True)]),
        (YEARLY, "2026-02-28", [("2025-02-28", False), ("2026-02-28", False)]),  # due today: the next
        (YEARLY, "2026-03-01", [("2025-02-28", False), ("2026-02-28", False), ("2027-03-01", True)]),
        (YEARLY, "2024-03-01", [("2025-02-28", False)]),
        # Without rollover the dates need no holiday data: never estimated, even in 2027.
        (
            recurring_rule(rollover="none"),
            "2026-06-01",
            [("2025-02-28", False), ("2026-02-28", False), ("2027-02-28", False)],
        ),
    ],
)
def test_recurring_lists_every_occurrence_up_to_the_next(
    rule: Rule, as_of: str, expected: list[tuple[str, bool]]
) -> None:
    found = rules.recurring(rule, D("2024-02-29"), D(as_of), Calendar())
    assert [(c.due, c.estimated) for c in found] == [(D(day), est) for day, est in expected]


def test_recurring_stops_where_the_calendar_ends() -> None:
    # 2098-03-10 + 1 year = 2099-03-10, a Tuesday (an estimate: a working day); 2100 cannot be dated.
    found = rules.recurring(YEARLY, D("2098-03-10"), D("2099-06-01"), Calendar())
    assert [c.due for c in found] == [D("2099-03-10")]
    with pytest.raises(CalendarError):
        rules.recurring(YEARLY, D("2099-03-10"), D("2099-06-01"), Calendar())


def test_recurring_steps_name_the_occurrence() -> None:
    found = rules.recurring(YEARLY, D("2024-02-29"), D("2026-06-01"), CAL)
    assert [s.en for s in found[1].steps] == [
        "The first period after 2024-02-29 (1 year) ends on 2025-02-28.",
        "The duty recurs every year; its 2nd occurrence is 2026-02-28.",
        f"2026-02-28 is a weekend day but an adjusted working day 春节调休, per {NOTICE_2026}, so it stays.",
    ]
    every_two = rules.recurring(recurring_rule(every=2, days=2), D("2024-02-29"), D("2026-01-01"), CAL)
    assert (
        every_two[0].steps[1].en == "The duty recurs every 2 years; this is its first occurrence, 2026-02-28."
    )
    assert every_two[0].steps[0].en == "The first period after 2024-02-29 (2 years) ends on 2026-02-28."


# --- certain dates: no holiday data needed, never estimated, accepted by --strict-calendar ------

CERTAIN = [
    (
        "30 calendar days without rollover",
        Rule(kind="after", days=30, unit="days", anchor="event"),
        "2027-01-05",
        "2027-02-04",
    ),
    (
        "90 days before, without rollover (2031-01-21 − 21 − 31 − 30 − 8)",
        Rule(kind="before", days=90, unit="days", anchor="valid_until"),
        "2031-01-21",
        "2030-10-23",
    ),
    (
        "1 month after 01-31, without rollover (R9)",
        months("after", 1).model_copy(update={"rollover": "none"}),
        "2027-01-31",
        "2027-02-28",
    ),
    (
        "the licence's expiry (on_anchor)",
        Rule(kind="on_anchor", anchor="valid_until"),
        "2031-01-21",
        "2031-01-21",
    ),
    (
        "immediately (R8), on an estimated holiday",
        Rule(kind="immediately", anchor="event"),
        "2027-02-06",
        "2027-02-06",
    ),
    (
        "0 working days: the day itself",
        Rule(kind="workdays_after", days=0, anchor="event"),
        "2027-02-06",
        "2027-02-06",
    ),
]


@pytest.mark.parametrize(("why", "rule", "anchor", "expected"), CERTAIN, ids=[c[0] for c in CERTAIN])
def test_a_certain_date_is_never_estimated(why: str, rule: Rule, anchor: str, expected: str) -> None:
    strict = Calendar(strict=True)  # would refuse any use of an estimated year
    result = rules.compute(rule, D(anchor), strict)
    assert (result.due, result.estimated) == (D(expected), False)
    assert strict.estimated_years_used == set()


def test_a_window_without_rollover_is_certain() -> None:
    rule = Q1.model_copy(update={"rollover": "none"})
    strict = Calendar(strict=True)
    result = rules.window(rule, 2029, strict)  # 2029-03-31 is a Saturday: it stays
    assert (result.due, result.estimated, strict.estimated_years_used) == (D("2029-03-31"), False, set())


@pytest.mark.parametrize(
    ("rule", "anchor"),
    [
        (Rule(kind="after", days=30, unit="days", anchor="event", rollover="forward"), "2027-01-05"),
        (Rule(kind="on_anchor", anchor="valid_until", rollover="forward"), "2031-01-21"),
        (WORK_10, "2027-01-05"),
    ],
)
def test_a_date_that_needs_the_calendar_is_still_refused_when_strict(rule: Rule, anchor: str) -> None:
    with pytest.raises(EstimateRefusedError, match=r"^20(27|31) has no published holiday schedule"):
        rules.compute(rule, D(anchor), Calendar(strict=True))


@pytest.mark.parametrize(
    ("rule", "anchor", "message"),
    [
        (Rule(kind="after", days=3660, unit="days", anchor="event"), "2099-12-01", "2109 is after 2099"),
        (
            Rule(kind="before", days=10, unit="years", anchor="valid_until"),
            "2010-01-21",
            "2000 is before 2004",
        ),
        (Rule(kind="immediately", anchor="event"), "2100-01-01", "2100 is after 2099"),
    ],
)
def test_a_certain_date_outside_the_calendar_is_refused(rule: Rule, anchor: str, message: str) -> None:
    with pytest.raises(CalendarError, match=message):
        rules.compute(rule, D(anchor), CAL)


# --- words: singular and plural ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "anchor", "text"),
    [
        (
            Rule(kind="after", days=1, unit="days", anchor="event"),
            "2026-03-02",
            "Within 1 day includes day 1: 2026-03-03.",
        ),
        (AFTER_30, "2026-03-02", "Within 30 days includes day 30: 2026-04-01."),
        (
            months("after", 1),
            "2026-01-31",
            "1 month after 2026-01-31 ends on the same-numbered day (or the month's last day): 2026-02-28.",
        ),
        (
            months("after", 1, "years"),
            "2024-02-29",
            "1 year after 2024-02-29 ends on the same-numbered day (or the month's last day): 2025-02-28.",
        ),
        (
            months("before", 1, "years"),
            "2026-05-31",
            "Counting back from 2026-05-31, which is not counted: 1 year before it is 2025-05-31, "
            "the last permissible day.",
        ),
        (
            Rule(kind="before", days=1, unit="days", anchor="valid_until"),
            "2026-05-31",
            "Counting back from 2026-05-31, which is not counted: 1 day before it is 2026-05-30, "
            "the last permissible day.",
        ),
    ],
)
def test_counts_in_steps_are_singular_for_one(rule: Rule, anchor: str, text: str) -> None:
    assert text in [s.en for s in rules.compute(rule, D(anchor), CAL).steps]


WORDS = "Counting only working days (adjusted working weekend days count, holidays and weekends do not), "


@pytest.mark.parametrize(
    ("days", "anchor", "tail"),
    [
        (
            1,
            "2026-02-13",
            "the 1st working day after 2026-02-13 is 2026-02-14; no rest day in between was skipped.",
        ),
        (
            1,
            "2024-12-31",
            "the 1st working day after 2024-12-31 is 2025-01-02; 1 rest day in between was skipped.",
        ),
        (
            2,
            "2026-02-13",
            "the 2nd working day after 2026-02-13 is 2026-02-24; 9 rest days in between were skipped.",
        ),
        (
            3,
            "2026-11-20",
            "the 3rd working day after 2026-11-20 is 2026-11-25; 2 rest days in between were skipped.",
        ),
        (
            11,
            "2026-11-20",
            "the 11th working day after 2026-11-20 is 2026-12-07; 6 rest days in between were skipped.",
        ),
    ],
)
def test_working_day_steps_use_ordinals_and_plurals(days: int, anchor: str, tail: str) -> None:
    rule = Rule(kind="workdays_after", days=days, anchor="event")
    assert rules.compute(rule, D(anchor), CAL).steps[1].en == WORDS + tail


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (2500, "2500th"),
    ],
)
def test_ordinal(number: int, expected: str) -> None:
    assert rules.ordinal(number) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 days"), (1, "1 day"), (2, "2 days"), (-1, "-1 day"), (-2, "-2 days")],
)
def test_quantity(count: int, expected: str) -> None:
    assert rules.quantity(count, "day") == expected
