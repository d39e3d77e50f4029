"""The engine: the bundled licence's deadlines on chosen days, statuses, events, references."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from licensecli.engine import (
    Problem,
    deadlines,
    due,
    license_problems,
    refuse_future_filing,
    resolve_obligation,
)
from licensecli.errors import InputError, UnknownObligationError
from licensecli.loader import bundled_license_path, load_license
from licensecli.models import License
from licensecli.renewal import renewal_check
from licensecli.workdays import Calendar

from .conftest import licence_text, run

D = dt.date.fromisoformat
LIC = load_license(bundled_license_path())


def with_events(*events: dict[str, object], **fields: object) -> License:
    data = LIC.model_dump()
    data["events"] = list(events)
    data.update(fields)
    return License.model_validate(data)


def shown(as_of: str, lic: License = LIC, **kw: object) -> dict[str, tuple[str, str, bool]]:
    report = deadlines([lic], D(as_of), Calendar(), **kw)  # type: ignore[arg-type]
    return {
        f"{d.obligation}@{d.due_date}": (d.status, str(d.days_left), d.estimated) for d in report.deadlines
    }


def test_today_shows_the_lapsed_licence_and_no_2027_report() -> None:
    # R10: the licence lapsed on 2026-01-21, so it was not valid on 2026-12-31, the eve of the
    # 2027 window: it owes no 2027 report. The renewal deadline was missed until the lapse; now
    # the expiry says what happened and the deadline has only passed.
    assert shown("2026-11-28") == {
        "renewal-application@2025-10-23": ("passed", "-401", False),
        "license-expiry@2026-01-21": ("expired", "-311", False),
    }


def test_2025_06_01_renewal_is_144_days_away() -> None:
    result = shown("2025-06-01")
    assert result["renewal-application@2025-10-23"] == ("upcoming", "144", False)
    assert result["license-expiry@2026-01-21"] == ("upcoming", "234", False)
    # R10: the licence expires inside the 2026 window (valid until 2026-01-21, a Wednesday and a
    # working day), so the 2025 report is due by then, not 2026-03-31: 234 days, like the expiry.
    assert result["annual-report@2026-01-21"] == ("upcoming", "234", False)


def test_open_window_and_due_today() -> None:
    # A licence valid past the window (the bundled one lapses inside it, R10).
    lic = with_events(valid_until=D("2031-01-21"))
    assert shown("2026-02-10", lic)["annual-report@2026-03-31"][0] == "open"
    assert shown("2026-03-31", lic)["annual-report@2026-03-31"][0] == "due_today"
    assert "annual-report@2027-03-31" in shown("2026-04-01", lic)
    # The bundled licence: its 2026 report was due by its last valid day, 2026-01-21 (R10).
    assert shown("2026-01-10")["annual-report@2026-01-21"][0] == "open"
    assert shown("2026-01-21")["annual-report@2026-01-21"][0] == "due_today"
    assert shown("2026-02-10")["annual-report@2026-01-21"][0] == "passed"


def test_due_soon_and_within() -> None:
    assert shown("2025-10-01")["renewal-application@2025-10-23"][0] == "due_soon"
    assert shown("2025-10-23")["renewal-application@2025-10-23"][0] == "due_today"
    assert set(shown("2025-06-01", within=150)) == {"renewal-application@2025-10-23"}


def test_all_adds_past_reports_and_issue_anchored_duties() -> None:
    result = shown("2026-11-28", include_all=True)
    assert result["provincial-license-cancellation@2023-06-30"][0] == "passed"
    assert result["annual-report@2024-03-29"][0] == "passed"
    assert result["annual-report@2025-03-31"][0] == "passed"
    # R10: the 2026 report was due by the last valid day, 2026-01-21; no 2027 report is owed.
    assert result["annual-report@2026-01-21"][0] == "passed"
    assert not any(key.startswith("annual-report@2027") for key in result)


def test_recorded_events_are_dated_and_tracked() -> None:
    # The events lie in 2026, after the bundled licence lapsed (2026-01-21): they are recorded
    # on a licence still valid then (an event after the lapse is refused, below).
    lic = with_events(
        {"obligation": "illegal-info-report", "on": D("2026-11-20")},
        {"obligation": "entity-change-application", "on": D("2026-10-01"), "done_on": D("2026-10-20")},
        {"obligation": "security-assessment-report", "on": D("2026-09-01")},
        valid_until=D("2031-01-21"),
    )
    result = shown("2026-11-28", lic)
    assert result["illegal-info-report@2026-12-04"] == ("due_soon", "6", False)
    assert result["security-assessment-report@2026-10-08"][0] == "overdue"
    assert "entity-change-application@2026-10-31" not in result  # done: only with --all
    all_of_them = shown("2026-11-28", lic, include_all=True)
    assert all_of_them["entity-change-application@2026-11-02"][0] == "done"  # 10-31 Sat → 11-02
    with pytest.raises(ValueError, match=r"events\.0\.on.*after the licence lapsed"):
        with_events({"obligation": "illegal-info-report", "on": D("2026-11-20")})


def test_a_filing_on_the_90th_day_is_in_time_one_after_it_lapses_the_licence() -> None:
    # Valid until 2026-02-21: 90 days before is Sun 2025-11-23 (the 90th day; R6 moves the reminder
    # back to Fri 2025-11-21). In time means by the 90th day itself (docs: a licence's life), so a
    # filing on Sat 11-22 is pending and, past the expiry, the decision is deemed made (第五十条):
    # the licence has not lapsed and an event after the expiry is accepted.
    filed_saturday = {"valid_until": D("2026-02-21"), "renewal_filed_on": D("2025-11-22")}
    report = deadlines([with_events(**filed_saturday)], D("2026-03-05"), Calendar())
    assert [(number, now.state) for number, now in report.lives] == [("B2-20210247", "pending")]
    with_events({"obligation": "illegal-info-report", "on": D("2026-03-02")}, **filed_saturday)
    # Filed Mon 11-24, after the 90th day: late, so the licence lapsed after 2026-02-21 and an
    # event on 2026-03-02 is refused.
    filed_late = {"valid_until": D("2026-02-21"), "renewal_filed_on": D("2025-11-24")}
    report = deadlines([with_events(**filed_late)], D("2026-03-05"), Calendar())
    assert [(number, now.state) for number, now in report.lives] == [("B2-20210247", "lapsed")]
    with pytest.raises(ValueError, match=r"events\.0\.on.*after the licence lapsed"):
        with_events({"obligation": "illegal-info-report", "on": D("2026-03-02")}, **filed_late)


def test_recorded_renewal_filed_in_time_turns_the_deadline_pending() -> None:
    # Filed 2025-10-10, before the deadline 2025-10-23, no decision recorded: pending.
    lic = with_events(renewal_filed_on=D("2025-10-10"))
    assert shown("2025-10-20", lic)["renewal-application@2025-10-23"][0] == "pending"


def test_working_days_left_counts_the_calendar() -> None:
    report = deadlines([LIC], D("2025-10-01"), Calendar())
    renewal = next(d for d in report.deadlines if d.obligation == "renewal-application")
    # After 10-01: 10-09, 10, 11 (adjusted), 13…17, 20…23 → 3 + 5 + 4 = 12 working days.
    assert (renewal.days_left, renewal.working_days_left) == (22, 12)


def test_event_rules_are_the_undated_event_duties() -> None:
    report = deadlines([LIC], D("2026-11-28"), Calendar())
    assert {r.obligation for r in report.event_rules} == {
        "network-security-filing",
        "major-incident-report",
        "illegal-info-handling",  # 九: handle at once (立即), before the 10-working-day report
        "illegal-info-report",
        "entity-change-application",
        "local-office-change-report",
        "security-assessment-report",
        "registration-change-application",
        "illegal-app-handling",  # 十五（十一）: deal promptly (及时) with unlawful apps
    }


@pytest.mark.parametrize(
    ("reference", "obligation"),
    [
        ("11", "entity-change-application"),
        ("十一", "entity-change-application"),
        ("15.8", "security-assessment-report"),
        ("十五（八）", "security-assessment-report"),
        ("十五(八)", "security-assessment-report"),
        ("9", "illegal-info-report"),
        ("header", "license-expiry"),
        ("14", "annual-report"),
        ("一", "lawful-operation"),
        ("renewal-application", "renewal-application"),
    ],
)
def test_references(reference: str, obligation: str) -> None:
    assert resolve_obligation(LIC, reference)[1].id == obligation


def test_ambiguous_and_unknown_references() -> None:
    with pytest.raises(UnknownObligationError, match=r"local-office-change-report.*renewal-application"):
        resolve_obligation(LIC, "12")
    with pytest.raises(UnknownObligationError, match="pick a sub-item"):
        resolve_obligation(LIC, "15")
    with pytest.raises(UnknownObligationError, match="neither an obligation id nor a clause"):
        resolve_obligation(LIC, "no-such-thing")


def test_due_answers() -> None:
    cal = Calendar()
    assert due(LIC, "renewal-application", cal).due_date == D("2025-10-23")
    assert due(LIC, "11", cal, on=D("2025-12-02")).due_date == D("2026-01-04")
    assert due(LIC, "annual-report", cal, year=2024).due_date == D("2024-03-29")
    # R10: the licence lapses on 2026-01-21, inside the 2026 window: that report is due then;
    # it was not valid on 2026-12-31, so it owes no 2027 report.
    assert due(LIC, "annual-report", cal, year=2026).due_date == D("2026-01-21")
    with pytest.raises(InputError, match="owes no annual-report in 2027"):
        due(LIC, "annual-report", cal, as_of=D("2026-11-28"))
    assert due(LIC, "13", cal).due_date == D("2023-06-30")
    assert due(LIC, "6", cal).due_date is None


def test_due_input_errors() -> None:
    cal = Calendar()
    with pytest.raises(InputError, match="--on"):
        due(LIC, "illegal-info-report", cal)
    with pytest.raises(InputError, match=r"give no event date \(--on\)"):
        due(LIC, "renewal-application", cal, on=D("2025-01-01"))
    with pytest.raises(InputError, match="before licence B2-20210247 was issued"):
        due(LIC, "9", cal, on=D("2020-01-01"))
    with pytest.raises(InputError, match="--year"):
        due(LIC, "9", cal, on=D("2026-01-05"), year=2026)


def with_recurring_duty(*events: dict[str, object]) -> License:
    data = LIC.model_dump()
    data["clauses"] = [
        *data["clauses"],
        {
            "ref": "令11号 第十五条",
            "source": "regulation",
            "title": {"zh": "符合性评测", "en": "Conformity tests"},
            "text": "（摘要）三级以上网络单元每年进行一次符合性评测。",
            "obligations": [
                {
                    "id": "conformity-test",
                    "title": {"zh": "年度符合性评测", "en": "Yearly conformity test"},
                    "trigger": {"zh": "上次评测完成", "en": "the last test was completed"},
                    "rule": {
                        "kind": "after",
                        "days": 1,
                        "unit": "years",
                        "anchor": "event",
                        "rollover": "forward",
                        "every": 1,
                    },
                }
            ],
        },
    ]
    data["events"] = list(events)
    return License.model_validate(data)


def test_recurring_duty_comes_back_every_year_from_its_latest_event() -> None:
    lic = with_recurring_duty(
        {"obligation": "conformity-test", "on": D("2023-09-01")},
        {"obligation": "conformity-test", "on": D("2024-03-10")},  # the latest counts
    )
    # From 2024-03-10: 2025-03-10 (Mon), 2026-03-10 (Tue), 2027-03-10 (Wed, 2027 estimated).
    # 2024-09-01 (from the earlier event) is not listed: the later event replaced it.
    assert {k: v for k, v in shown("2026-03-01", lic).items() if k.startswith("conformity")} == {
        "conformity-test@2025-03-10": ("overdue", "-356", False),
        "conformity-test@2026-03-10": ("due_soon", "9", False),
    }
    assert shown("2026-11-28", lic)["conformity-test@2027-03-10"] == ("upcoming", "102", True)
    report = deadlines([lic], D("2026-03-01"), Calendar())
    steps = [d.steps for d in report.deadlines if d.obligation == "conformity-test"]
    assert [[s.rule for s in each] for each in steps] == [["R1, R9", "R9", "R3"], ["R1, R9", "R9", "R3"]]


LEAP_DAY_ROWS = {
    # 2025-02-28 Fri; 2026-02-28 Sat but an adjusted working day (春节调休), so it stays;
    # 2027-02-28 Sun → Mon 2027-03-01 (R3; 2027 estimated).
    "conformity-test@2025-02-28": ("overdue", "-458", False),
    "conformity-test@2026-02-28": ("overdue", "-93", False),
    "conformity-test@2027-03-01": ("upcoming", "273", True),
}


@pytest.mark.parametrize("include_all", [False, True])
def test_missed_occurrences_of_a_recurring_duty_are_overdue(include_all: bool) -> None:
    lic = with_recurring_duty({"obligation": "conformity-test", "on": D("2024-02-29")})
    rows = shown("2026-06-01", lic, include_all=include_all)
    assert {k: v for k, v in rows.items() if k.startswith("conformity")} == LEAP_DAY_ROWS


def test_recurring_duty_from_a_leap_day_keeps_the_month_end() -> None:
    lic = with_recurring_duty({"obligation": "conformity-test", "on": D("2024-02-29")})
    rows = shown("2026-02-01", lic)
    assert rows["conformity-test@2025-02-28"] == ("overdue", "-338", False)
    assert rows["conformity-test@2026-02-28"] == ("due_soon", "27", False)
    assert "conformity-test@2027-03-01" not in rows  # only the next one after the as-of day


RECURRING_CLAUSE = """  - ref: 令11号 第十五条
    source: regulation
    title: {zh: 符合性评测, en: Conformity tests}
    text: 三级以上网络单元每年进行一次符合性评测。
    obligations:
      - id: conformity-test
        title: {zh: 年度符合性评测, en: Yearly conformity test}
        rule: {kind: after, days: 1, unit: years, anchor: event, rollover: forward, every: 1}
"""


def test_deadlines_json_lists_the_missed_occurrences(tmp_path: Path) -> None:
    path = tmp_path / "lic.yaml"
    events = "[{obligation: conformity-test, on: 2024-02-29}]"
    path.write_text(licence_text(events=events) + RECURRING_CLAUSE, encoding="utf-8")
    result = run("deadlines", "--all", "--json", "--as-of", "2026-06-01", str(path))
    assert result.exit_code == 0, result.stderr
    rows = [
        (d["due_date"], d["status"], d["days_left"], d["estimated"])
        for d in json.loads(result.stdout)["deadlines"]
        if d["obligation"] == "conformity-test"
    ]
    assert rows == [
        ("2025-02-28", "overdue", -458, False),
        ("2026-02-28", "overdue", -93, False),
        ("2027-03-01", "upcoming", 273, True),
    ]


# --- estimated: the date, and apart from it the working days left ----------------------------


def flags(as_of: str, lic: License = LIC, **kw: object) -> dict[str, tuple[str, bool, bool]]:
    report = deadlines([lic], D(as_of), Calendar(), **kw)  # type: ignore[arg-type]
    return {
        f"{d.obligation}@{d.due_date}": (d.status, d.estimated, d.working_days_left_estimated)
        for d in report.deadlines
    }


def test_a_certain_date_is_not_estimated_though_its_working_days_left_are() -> None:
    lic = with_events(valid_until=D("2031-01-21"))
    assert flags("2026-06-01", lic) == {
        # 2031-01-21 needs no holiday data (on_anchor, no rollover); 2027…2031 are counted
        "license-expiry@2031-01-21": ("upcoming", False, True),
        # 2030-10-23 (Wed) is checked for rest days with R6: 2030 has no published schedule
        "renewal-application@2030-10-23": ("upcoming", True, True),
        "annual-report@2027-03-31": ("upcoming", True, True),
    }


def test_a_past_row_does_not_turn_estimated_by_its_working_day_count() -> None:
    # As of 2027-06-01 the counts back to 2025 and 2026 cross 2027, which is estimated.
    rows = flags("2027-06-01", include_all=True)
    assert rows["renewal-application@2025-10-23"] == ("passed", False, True)  # lapsed: passed, not missed
    assert rows["license-expiry@2026-01-21"] == ("expired", False, True)
    assert rows["provincial-license-cancellation@2023-06-30"] == ("passed", False, True)
    assert rows["annual-report@2026-01-21"] == ("passed", False, True)  # R10: the last valid day
    assert "annual-report@2027-03-31" not in rows  # R10: lapsed before 2026-12-31, none owed
    # On a licence valid in 2027 the 2027 row is estimated: R7 asked 2027's data.
    later = flags("2027-06-01", with_events(valid_until=D("2031-01-21")), include_all=True)
    assert later["annual-report@2027-03-31"] == ("passed", True, True)
    # The same rows as of a day in a published year: nothing estimated.
    earlier = flags("2026-06-01", include_all=True)
    assert earlier["renewal-application@2025-10-23"] == ("passed", False, False)  # lapsed on 01-21
    assert earlier["license-expiry@2026-01-21"] == ("expired", False, False)


def test_an_immediate_duty_in_an_estimated_year_is_certain() -> None:
    # valid_until: a 2027 event needs a licence valid then (the bundled one lapsed in 2026).
    lic = with_events(
        {"obligation": "major-incident-report", "on": D("2027-01-05")}, valid_until=D("2031-01-21")
    )
    assert flags("2026-12-01", lic)["major-incident-report@2027-01-05"] == ("upcoming", False, True)


def test_due_with_strict_calendar_accepts_certain_dates() -> None:
    lic = with_events(valid_until=D("2031-01-21"))
    strict = Calendar(strict=True)
    expiry = due(lic, "license-expiry", strict)
    incident = due(LIC, "8", strict, on=D("2027-01-05"))
    assert (expiry.due_date, expiry.estimated) == (D("2031-01-21"), False)
    assert (incident.due_date, incident.estimated) == (D("2027-01-05"), False)
    assert strict.estimated_years_used == set()


@pytest.mark.parametrize(
    ("args", "code", "stdout", "stderr"),
    [
        (["due", "license-expiry", "--strict-calendar"], 0, "Due: 2031-01-21 (Tue)", ""),
        (["due", "8", "--on", "2027-01-05", "--strict-calendar"], 0, "Due: 2027-01-05 (Tue)", ""),
        (
            ["due", "renewal-application", "--strict-calendar"],
            1,
            "",
            "error: 2030 has no published holiday schedule here and --strict-calendar refuses "
            "estimates; import it (licensecli holidays import FILE) or give it with --holidays FILE\n",
        ),
    ],
)
def test_strict_calendar_on_the_command_line(
    tmp_path: Path, args: list[str], code: int, stdout: str, stderr: str
) -> None:
    path = tmp_path / "lic.yaml"
    path.write_text(licence_text(valid_until="2031-01-21"), encoding="utf-8")
    result = run(*args, "-l", str(path))
    assert (result.exit_code, result.stderr) == (code, stderr)
    assert stdout in result.stdout


# --- problems the model cannot see: today, and the calendar's end ----------------------------

FUTURE = "2025-10-20 is in the future (after 2025-10-19); record the filing once it has happened"


def test_a_filing_recorded_in_the_future_is_a_problem() -> None:
    lic = with_events(renewal_filed_on=D("2025-10-20"))
    assert license_problems(lic, D("2025-10-19"), Calendar()) == [Problem(("renewal_filed_on",), FUTURE)]
    assert license_problems(lic, D("2025-10-20"), Calendar()) == []
    with pytest.raises(InputError) as refused:
        refuse_future_filing(lic, D("2025-10-19"))
    assert refused.value.message == f"licence B2-20210247: renewal_filed_on: {FUTURE}"


def test_as_of_before_a_recorded_filing_sees_the_licence_as_it_was() -> None:
    # Filed 2025-10-20; asked about 2025-09-01 (--as-of), the filing had not happened yet: the
    # filing deadline 2025-10-23 is 52 days away (WARNING below 60), not done.
    lic = with_events(renewal_filed_on=D("2025-10-20"))
    before = renewal_check(lic, D("2025-09-01"), Calendar())
    assert (before.status, before.renewal_filed_on, before.watched) == (
        "WARNING",
        None,
        "days_to_renewal_deadline",
    )
    after = renewal_check(lic, D("2025-10-20"), Calendar())
    assert (after.status, after.renewal_filed_on, after.watched) == ("OK", D("2025-10-20"), "days_to_expiry")
    rows = {d.obligation: d for d in deadlines([lic], D("2025-09-01"), Calendar()).deadlines}
    assert (rows["renewal-application"].status, rows["renewal-application"].done_on) == ("upcoming", None)
    rows = {
        d.obligation: d for d in deadlines([lic], D("2025-10-21"), Calendar(), include_all=True).deadlines
    }
    # Filed on 2025-10-20, before the deadline 2025-10-23, no decision yet: pending.
    assert (rows["renewal-application"].status, rows["renewal-application"].done_on) == (
        "pending",
        D("2025-10-20"),
    )


@pytest.mark.parametrize(
    ("command", "code", "stdout", "stderr"),
    [
        (["deadlines"], 1, "", f"error: licence B2-20210247: renewal_filed_on: {FUTURE}\n"),
        (["deadlines", "--json"], 1, "", f"error: licence B2-20210247: renewal_filed_on: {FUTURE}\n"),
        (["renew-check"], 3, f"LICENSE UNKNOWN - licence B2-20210247: renewal_filed_on: {FUTURE}", ""),
    ],
)
def test_computing_commands_refuse_a_filing_in_the_future(
    tmp_path: Path, command: list[str], code: int, stdout: str, stderr: str
) -> None:
    # "Today" is 2025-10-19 (the real clock, LICENSECLI_NOW in tests): a filing recorded for
    # 2025-10-20 cannot have been made yet, whatever --as-of asks about.
    path = tmp_path / "lic.yaml"
    path.write_text(licence_text(renewal_filed_on="2025-10-20"), encoding="utf-8")
    for as_of in ("2025-10-19", "2025-12-01"):
        result = run(
            *command, "--as-of", as_of, str(path), env={"LICENSECLI_NOW": "2025-10-19T12:00:00+08:00"}
        )
        assert (result.exit_code, result.stderr) == (code, stderr)
        assert result.stdout.startswith(stdout)


def test_a_deadline_after_the_calendar_end_is_a_problem() -> None:
    # Clause 十三 (index 13, its only obligation) counts from first_granted_on, which is the issue
    # date when not recorded: 30 days after 2099-12-20 is
    # 2100-01-19. Clause 九: after 2099-12-24 (Thu) December has 5 working days left (12-25,
    # 12-28 … 12-31), so the 10th falls in 2100. 立即 on 2099-12-31 is that day: fine.
    lic = with_events(
        {"obligation": "illegal-info-report", "on": D("2099-12-24")},
        {"obligation": "major-incident-report", "on": D("2099-12-31")},  # the day itself: fine
        issued_on=D("2099-12-20"),
        valid_until=D("2099-12-31"),
    )
    assert license_problems(lic, D("2099-12-31"), Calendar()) == [
        Problem(
            ("clauses", 13, "obligations", 0, "rule"),
            "the deadline from first_granted_on (2099-12-20) would fall after 2099-12-31, where the "
            "calendar ends; it cannot be dated",
        ),
        Problem(
            ("events", 0, "on"),
            "the deadline of this event (2099-12-24) would fall after 2099-12-31, where the "
            "calendar ends; it cannot be dated",
        ),
    ]


def test_a_backward_deadline_before_the_calendar_start_is_a_problem() -> None:
    data = LIC.model_dump()
    data.update(issued_on=D("2004-01-01"), valid_until=D("2004-02-01"))
    # renewal-application: 90 days before 2004-02-01 is 2003-11-03.
    lic = License.model_validate(data)
    assert license_problems(lic, D("2004-01-10"), Calendar()) == [
        Problem(
            ("clauses", 12, "obligations", 1, "rule"),
            "the deadline from valid_until (2004-02-01) would fall before 2004-01-01, where the "
            "calendar starts; it cannot be dated",
        )
    ]


def test_license_problems_ignores_estimates_and_leaves_the_calendar_as_it_was() -> None:
    # valid_until: a 2027 event needs a licence valid then (the bundled one lapsed in 2026).
    lic = with_events(
        {"obligation": "illegal-info-report", "on": D("2027-05-01")}, valid_until=D("2031-01-21")
    )
    strict = Calendar(strict=True)
    assert license_problems(lic, D("2026-06-01"), strict) == []
    assert strict.strict and strict.estimated_years_used == set()


def test_the_bundled_licence_has_no_problems() -> None:
    assert license_problems(LIC, D("2026-06-01"), Calendar()) == []


def test_every_only_with_an_event_started_after_rule() -> None:
    from pydantic import ValidationError

    from licensecli.models import Rule

    with pytest.raises(ValidationError, match="recurring duty"):
        Rule.model_validate(
            {"kind": "before", "days": 1, "unit": "years", "anchor": "valid_until", "every": 1}
        )
