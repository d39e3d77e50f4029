"""The engine: the bundled licence's deadlines on chosen days, statuses, events, references."""

from __future__ import annotations

import datetime as dt

import pytest

from licensecli.engine import deadlines, due, resolve_obligation
from licensecli.errors import InputError, UnknownObligationError
from licensecli.loader import bundled_license_path, load_license
from licensecli.models import License
from licensecli.workdays import Calendar

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


def test_today_shows_expired_licence_passed_renewal_and_2027_report() -> None:
    assert shown("2026-11-28") == {
        "renewal-application@2025-10-23": ("missed", "-401", False),
        "license-expiry@2026-01-21": ("expired", "-311", False),
        "annual-report@2027-03-31": ("upcoming", "123", True),
    }


def test_2025_06_01_renewal_is_144_days_away() -> None:
    result = shown("2025-06-01")
    assert result["renewal-application@2025-10-23"] == ("upcoming", "144", False)
    assert result["license-expiry@2026-01-21"] == ("upcoming", "234", False)
    assert result["annual-report@2026-03-31"] == ("upcoming", "303", False)


def test_open_window_and_due_today() -> None:
    assert shown("2026-02-10")["annual-report@2026-03-31"][0] == "open"
    assert shown("2026-03-31")["annual-report@2026-03-31"][0] == "due_today"
    assert "annual-report@2027-03-31" in shown("2026-04-01")


def test_due_soon_and_within() -> None:
    assert shown("2025-10-01")["renewal-application@2025-10-23"][0] == "due_soon"
    assert shown("2025-10-23")["renewal-application@2025-10-23"][0] == "due_today"
    assert set(shown("2025-06-01", within=150)) == {"renewal-application@2025-10-23"}


def test_all_adds_past_reports_and_issue_anchored_duties() -> None:
    result = shown("2026-11-28", include_all=True)
    assert result["provincial-license-cancellation@2023-06-30"][0] == "passed"
    assert result["annual-report@2024-03-29"][0] == "passed"
    assert result["annual-report@2025-03-31"][0] == "passed"
    assert result["annual-report@2026-03-31"][0] == "passed"


def test_recorded_events_are_dated_and_tracked() -> None:
    lic = with_events(
        {"obligation": "illegal-info-report", "on": D("2026-11-20")},
        {"obligation": "entity-change-application", "on": D("2026-10-01"), "done_on": D("2026-10-20")},
        {"obligation": "security-assessment-report", "on": D("2026-09-01")},
    )
    result = shown("2026-11-28", lic)
    assert result["illegal-info-report@2026-12-04"] == ("due_soon", "6", False)
    assert result["security-assessment-report@2026-10-08"][0] == "overdue"
    assert "entity-change-application@2026-10-31" not in result  # done: only with --all
    all_of_them = shown("2026-11-28", lic, include_all=True)
    assert all_of_them["entity-change-application@2026-11-02"][0] == "done"  # 10-31 Sat → 11-02


def test_recorded_renewal_turns_the_deadline_done() -> None:
    lic = with_events(renewal_filed_on=D("2025-10-10"))
    assert shown("2025-10-20", lic)["renewal-application@2025-10-23"][0] == "done"


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
        "illegal-info-report",
        "entity-change-application",
        "local-office-change-report",
        "security-assessment-report",
        "registration-change-application",
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
    assert due(LIC, "annual-report", cal, as_of=D("2026-11-28")).due_date == D("2027-03-31")
    assert due(LIC, "13", cal).due_date == D("2023-06-30")
    assert due(LIC, "6", cal).due_date is None


def test_due_input_errors() -> None:
    cal = Calendar()
    with pytest.raises(InputError, match="--on"):
        due(LIC, "illegal-info-report", cal)
    with pytest.raises(InputError, match="leave out --on"):
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
    assert shown("2026-03-01", lic)["conformity-test@2026-03-10"] == ("due_soon", "9", False)
    assert shown("2026-11-28", lic)["conformity-test@2027-03-10"] == ("upcoming", "102", True)
    report = deadlines([lic], D("2026-03-01"), Calendar())
    steps = next(d for d in report.deadlines if d.obligation == "conformity-test").steps
    assert [s.rule for s in steps] == ["R1, R9", "R9", "R3"]


def test_recurring_duty_from_a_leap_day_keeps_the_month_end() -> None:
    lic = with_recurring_duty({"obligation": "conformity-test", "on": D("2024-02-29")})
    # 2025-02-28 (Fri), 2026-02-28 (Sat, an adjusted working day: stays).
    assert "conformity-test@2026-02-28" in shown("2026-02-01", lic)


def test_every_only_with_an_event_started_after_rule() -> None:
    from pydantic import ValidationError

    from licensecli.models import Rule

    with pytest.raises(ValidationError, match="recurring duty"):
        Rule.model_validate(
            {"kind": "before", "days": 1, "unit": "years", "anchor": "valid_until", "every": 1}
        )
