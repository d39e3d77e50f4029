"""check: every dated duty of every licence, renewal included, as one monitoring check.

Dates are worked out by hand from the State Council's 2026 notice (国办发明电〔2025〕7号): 国庆节
and 中秋节 off Thu 2026-10-01 – Wed 2026-10-07, Sat 2026-10-10 an adjusted working day; no
holiday in November. The licence files are the bundled licence with its dates edited:
valid until 2031-01-21 (renewal filing deadline 2030-10-23, far away and estimated), so that
only the duties under test can raise an alert.

- entity-change-application (十一): 30 days after the event, rolled forward off rest days (R1–R3).
  Event Tue 2026-09-01: day 30 is Thu 2026-10-01, a holiday until 10-07 → due Thu 2026-10-08.
- illegal-info-report (九): 10 working days after the event (R4). Event Mon 2026-09-28: 09-29 (1),
  09-30 (2), 10-01..07 off, 10-08 (3), 10-09 (4), Sat 10-10 adjusted (5), 10-12..16 (6..10) →
  due Fri 2026-10-16. Event Fri 2026-11-13: 11-16..20 (1..5), 11-23..27 (6..10) → due Fri 2026-11-27.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from .conftest import BUNDLED, REPO, licence_text, run

CHANGE = "[{obligation: entity-change-application, on: 2026-09-01}]"  # due Thu 2026-10-08
REPORT = "[{obligation: illegal-info-report, on: 2026-09-28}]"  # due Fri 2026-10-16
STATUS = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}


def write(folder: Path, name: str = "lic.yaml", **fields: str) -> Path:
    path = folder / name
    path.write_text(licence_text(**{"valid_until": "2031-01-21", **fields}), encoding="utf-8")
    return path


def check(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run("check", *args, env=env)


def status_line(result: Any) -> str:
    return str(result.stdout.splitlines()[0])


# --- the boundaries of a duty's days left ---------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "extra", "code", "left"),
    [
        ("2026-09-08", [], 0, "in 30 days"),  # exactly -w 30 (default): 30: holds 30, OK
        ("2026-09-09", [], 1, "in 29 days"),  # w-1: WARNING
        ("2026-09-28", ["-w", "10", "-c", "0"], 0, "in 10 days"),  # exactly -w 10
        ("2026-09-29", ["-w", "10", "-c", "0"], 1, "in 9 days"),
        ("2026-10-08", [], 1, "today"),  # due today: still in time, WARNING (critical 0: holds 0)
        ("2026-10-09", [], 2, "1 day late"),  # overdue by one day: CRITICAL
        ("2026-10-02", ["-w", "10", "-c", "7"], 2, "in 6 days"),  # inside -c: CRITICAL before the day
    ],
)
def test_a_duty_at_the_threshold_boundaries(
    tmp_path: Path, as_of: str, extra: list[str], code: int, left: str
) -> None:
    lic = write(tmp_path, events=CHANGE)
    result = check(str(lic), "--as-of", as_of, *extra)
    assert (result.exit_code, result.stderr) == (code, "")
    status = next(s for s, c in STATUS.items() if c == code)
    assert status_line(result).startswith(f"LICENSE {status} - ")
    if code:
        problem = result.stdout.splitlines()[1]
        assert problem.startswith(f"{status}: B2-20210247 entity-change-application (licence clause 十一) ")
        assert f"due 2026-10-08 (Thu), {left}: " in problem
    else:
        assert len(result.stdout.splitlines()) == 1  # no problem lines when OK
        assert f"entity-change-application {left} (2026-10-08)" in status_line(result)


def test_overdue_names_the_status_word_and_counts_in_perfdata(tmp_path: Path) -> None:
    lic = write(tmp_path, events=CHANGE)
    result = check(str(lic), "--as-of", "2026-10-09")
    assert result.stdout.splitlines()[1].endswith("1 day late: overdue")
    assert "'days_to_next_due'=-1;30:;0:;; 'overdue'=1;;~:0;0; 'due_soon'=0;;;0;" in status_line(result)


def test_a_done_duty_is_not_an_alert(tmp_path: Path) -> None:
    done = "[{obligation: entity-change-application, on: 2026-09-01, done_on: 2026-09-20}]"
    lic = write(tmp_path, events=done)
    assert check(str(lic), "--as-of", "2026-10-09").exit_code == 0
    # Done after the as-of day: not done yet on that day.
    assert check(str(lic), "--as-of", "2026-09-15").exit_code == 1


def test_a_recorded_report_due_tomorrow_warns_today(tmp_path: Path) -> None:
    lic = write(tmp_path, events=REPORT)
    assert check(str(lic), "--as-of", "2026-10-15").exit_code == 1
    today = check(str(lic), "--as-of", "2026-10-15")
    assert today.stdout.splitlines()[1] == (
        "WARNING: B2-20210247 illegal-info-report (licence clause 九) due 2026-10-16 (Fri), in 1 day: due soon"
    )
    assert check(str(lic), "--as-of", "2026-10-17").exit_code == 2  # the day after: overdue
    # Across no holiday: the event of Fri 2026-11-13 is due Fri 2026-11-27; WARNING on the 26th.
    later = write(tmp_path, "later.yaml", events="[{obligation: illegal-info-report, on: 2026-11-13}]")
    result = check(str(later), "--as-of", "2026-11-26")
    assert result.exit_code == 1 and "due 2026-11-27 (Fri), in 1 day" in result.stdout


# --- the renewal: renew-check's judgement -----------------------------------------------------


def test_a_lapsed_licence_is_critical() -> None:
    # The bundled licence's last valid day was 2026-01-21.
    result = check("--as-of", "2026-11-28")
    assert result.exit_code == 2
    assert status_line(result).startswith(
        "LICENSE CRITICAL - B2-20210247 has lapsed: its last valid day was 2026-01-21 (311 days ago)"
    )
    assert "'days_to_renewal_deadline'=-401;60:;14:;; 'days_to_expiry'=-311;;;;" in status_line(result)


def test_a_pending_renewal_watches_the_expiry(tmp_path: Path) -> None:
    # Valid until 2026-01-21, filed in time on 2025-10-10 (deadline Thu 2025-10-23): pending. As
    # of 2025-11-23 the expiry is 59 days away: WARNING (-w 60); as of 2025-11-22, 60: OK.
    lic = write(tmp_path, valid_until="2026-01-21", renewal_filed_on="2025-10-10")
    warning = check(str(lic), "--as-of", "2025-11-23")
    assert warning.exit_code == 1
    assert "WARNING: B2-20210247 renewal filed in time on 2025-10-10, decision outstanding" in warning.stdout
    assert "'days_to_expiry'=59;60:;0:;;" in status_line(warning)
    assert check(str(lic), "--as-of", "2025-11-22").exit_code == 0


def test_renewal_thresholds_are_renew_checks(tmp_path: Path) -> None:
    # Valid until 2027-01-21: the filing deadline is 90 days before, Fri 2026-10-23 (a working
    # day: not moved). As of 2026-08-24 it is 60 days away (OK with -w 60), on 08-25 59 (WARNING).
    lic = write(tmp_path, valid_until="2027-01-21")
    assert "'days_to_renewal_deadline'=60;60:;14:;;" in status_line(check(str(lic), "--as-of", "2026-08-24"))
    assert check(str(lic), "--as-of", "2026-08-24").exit_code == 0
    assert check(str(lic), "--as-of", "2026-08-25").exit_code == 1
    own = write(tmp_path, "own.yaml", valid_until="2027-01-21", renew_check="{warning: 90, critical: 30}")
    assert "'days_to_renewal_deadline'=60;90:;30:;;" in status_line(check(str(own), "--as-of", "2026-08-24"))
    # -w alone below the renewal's critical (14) is refused with the reason, as renew-check does.
    refused = check(str(lic), "--as-of", "2026-08-24", "-w", "10")
    assert refused.exit_code == 3 and "give -c as well" in refused.stdout
    # -c alone above the duties' default warning (30) likewise.
    refused = check(str(lic), "--as-of", "2026-08-24", "-c", "40")
    assert refused.exit_code == 3 and "the duties' thresholds: " in refused.stdout
    assert "give -w as well" in refused.stdout
    assert check(str(lic), "--as-of", "2026-08-24", "-c", "40", "-w", "90").exit_code == 1


# --- several licences, duplicates, bad input --------------------------------------------------


def test_two_licences_worst_wins_and_each_problem_has_its_line(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", events=CHANGE)
    write(tmp_path, "b.yaml", number="B2-20990001", events=REPORT)
    result = check(str(tmp_path), "--as-of", "2026-10-09")  # a: 1 day late; b: due in 7 days
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines[0].startswith("LICENSE CRITICAL - 2 problems in 2 licences (1 CRITICAL, 1 WARNING); worst: ")
    assert (
        "'B2-20210247_overdue'=1;;~:0;0;" in lines[0]
        and "'B2-20990001_days_to_next_due'=7;30:;0:;;" in lines[0]
    )
    assert lines[1].startswith("CRITICAL: B2-20210247 entity-change-application")
    assert lines[2].startswith("WARNING: B2-20990001 illegal-info-report") and "in 7 days" in lines[2]
    assert len(lines) == 3
    assert check(str(tmp_path / "b.yaml"), "--as-of", "2026-10-09").exit_code == 1


def test_two_files_with_one_licence_number_are_unknown(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml")
    write(tmp_path, "b.yaml")
    result = check(str(tmp_path), "--as-of", "2026-10-09")
    assert result.exit_code == 3
    assert status_line(result).startswith("LICENSE UNKNOWN - B2-20210247 is in 2 files: ")
    document = json.loads(check(str(tmp_path), "--as-of", "2026-10-09", "--json").stdout)
    assert document["status"] == "UNKNOWN" and len(document["licenses"]) == 2
    assert_valid(document)


@pytest.mark.parametrize("fmt", ["text", "json", "prometheus"])
def test_a_bad_file_is_unknown_in_the_format_asked_for(tmp_path: Path, fmt: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(licence_text(valid_until="2026-02-30"), encoding="utf-8")
    result = check(str(bad), "--format", fmt)
    assert (result.exit_code, result.stderr) == (3, "")
    if fmt == "text":
        assert result.stdout.count("\n") == 1 and result.stdout.startswith("LICENSE UNKNOWN - ")
        assert "valid_until" in result.stdout
    elif fmt == "json":
        document = json.loads(result.stdout)
        assert (document["status"], document["exit_code"], document["as_of"]) == ("UNKNOWN", 3, None)
        assert "valid_until" in document["message"]
        assert_valid(document)
    else:
        assert families(result.stdout)["licensecli_check_status"] == [({"scope": str(bad)}, 3.0)]


@pytest.mark.parametrize("args", [["--bogus"], ["-w", "abc"], ["--format", "xml"], ["-t", "0"]])
def test_usage_errors_are_unknown_not_two(args: list[str]) -> None:
    result = check(*args)
    assert (result.exit_code, result.stderr) == (3, "")
    assert result.stdout.startswith("LICENSE UNKNOWN - bad usage: ")
    as_json = check("--json", *args)
    assert as_json.exit_code == 3 and json.loads(as_json.stdout)["status"] == "UNKNOWN"


def test_missing_file_and_strict_calendar_are_unknown(tmp_path: Path) -> None:
    assert check(str(tmp_path / "none.yaml")).exit_code == 3
    # The renewal deadline 2030-10-23 rests on an estimated year: refused with --strict-calendar.
    lic = write(tmp_path)
    strict = check(str(lic), "--as-of", "2026-10-09", "--strict-calendar")
    assert strict.exit_code == 3 and strict.stdout.startswith("LICENSE UNKNOWN - ")
    relaxed = check(str(lic), "--as-of", "2026-10-09")
    assert relaxed.exit_code == 0 and "(estimated" in relaxed.stdout and relaxed.stderr == ""


# --- quiet, version, -o, verbosity --------------------------------------------------------------


def test_quiet_prints_nothing_when_ok_and_everything_otherwise(tmp_path: Path) -> None:
    lic = write(tmp_path, events=CHANGE)
    ok = check(str(lic), "-q", "--as-of", "2026-09-08")
    assert (ok.exit_code, ok.stdout, ok.stderr) == (0, "", "")
    warning = check(str(lic), "--quiet", "--as-of", "2026-09-09")
    assert warning.exit_code == 1 and warning.stdout.startswith("LICENSE WARNING - ")


def test_version() -> None:
    result = check("-V")
    assert result.exit_code == 0 and result.stdout.startswith("licensecli ")


def test_output_file_is_written_whatever_the_status(tmp_path: Path) -> None:
    lic = write(tmp_path, events=CHANGE)
    target = tmp_path / "out" / "check.prom"
    target.parent.mkdir()
    result = check(str(lic), "--as-of", "2026-10-09", "--format", "prometheus", "-o", str(target))
    assert (result.exit_code, result.stdout) == (2, "")
    assert families(target.read_text(encoding="utf-8"))["licensecli_check_status"] == [
        ({"scope": str(lic)}, 2.0)
    ]
    assert [p.name for p in target.parent.iterdir()] == ["check.prom"]  # no temporary file left
    refused = check(str(lic), "--as-of", "2026-10-09", "-o", str(lic))
    assert refused.exit_code == 3 and "LICENSE UNKNOWN" in refused.stdout


def test_verbose_lines(tmp_path: Path) -> None:
    lic = write(tmp_path, events=CHANGE)
    one = check(str(lic), "--as-of", "2026-09-09", "-v").stdout.splitlines()
    assert one[2].startswith(
        "WARNING: B2-20210247: 2 dated duties owed, 0 late, 1 due soon [duties: warning 30:"
    )
    assert one[-1].startswith("estimated: ")  # the renewal deadline in 2030
    two = check(str(lic), "--as-of", "2026-09-09", "-vv").stdout
    assert (
        "OK: B2-20210247 annual-report (licence clause 十四) due 2027-03-31 (Wed, estimated), in 203 days"
        in two
    )
    assert "calendar: chinese-calendar" in two


# --- the outputs read back the way their users read them -------------------------------------


def schema() -> Draft202012Validator:
    document = json.loads((REPO / "data" / "schemas" / "check.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    return Draft202012Validator(document)


def assert_valid(document: Any) -> None:
    errors = sorted(schema().iter_errors(document), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_json_document(tmp_path: Path) -> None:
    lic = write(tmp_path, events=REPORT)
    result = check(str(lic), "--as-of", "2026-10-15", "--json")
    assert (result.exit_code, result.stderr) == (1, "")
    document = json.loads(result.stdout)
    assert_valid(document)
    assert next(iter(document)) == "schema_version"
    assert (document["status"], document["exit_code"], document["as_of"]) == ("WARNING", 1, "2026-10-15")
    assert document["problems"] == [
        {
            "status": "WARNING",
            "license": "B2-20210247",
            "message": "B2-20210247 illegal-info-report (licence clause 九) due 2026-10-16 (Fri), in 1 day: due soon",
        }
    ]
    (licence,) = document["licenses"]
    assert (licence["status"], licence["days_to_next_due"], licence["overdue"], licence["due_soon"]) == (
        "WARNING",
        1,
        0,
        1,
    )
    report = next(d for d in licence["duties"] if d["obligation"] == "illegal-info-report")
    assert report["due_date"] == "2026-10-16" and report["event_date"] == "2026-09-28"
    assert (report["working_days_left"], report["deadline_status"], report["source"]) == (
        1,
        "due_soon",
        "license",
    )
    assert licence["renewal"]["status"] == "OK" and licence["renewal"]["renewal_deadline"] == "2030-10-23"


def test_the_schema_rejects_a_wrong_document(tmp_path: Path) -> None:
    document = json.loads(
        check(str(write(tmp_path, events=REPORT)), "--as-of", "2026-10-15", "--json").stdout
    )
    document["licenses"][0]["duties"][0]["status"] = "late"
    with pytest.raises(AssertionError):
        assert_valid(document)


def families(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    from prometheus_client.parser import text_string_to_metric_families

    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        assert family.type == "gauge" and family.documentation, family.name
        found[family.name] = [(dict(s.labels), s.value) for s in family.samples]
    return found


def test_prometheus_exposition(tmp_path: Path) -> None:
    lic = write(tmp_path, events=CHANGE)
    result = check(str(lic), "--as-of", "2026-10-09", "--format", "prometheus")
    assert (result.exit_code, result.stderr) == (2, "")
    found = families(result.stdout)
    labels = {
        "license": "B2-20210247",
        "file": str(lic),
        "obligation": "entity-change-application",
        "source": "license",
    }
    # Due Thu 2026-10-08, ending at 24:00 China time = 2026-10-08 16:00 UTC.
    end = dt.datetime(2026, 10, 8, 16, tzinfo=dt.UTC).timestamp()
    assert (labels, end) in found["licensecli_check_due_timestamp_seconds"]
    assert (labels, 2.0) in found["licensecli_check_duty_status"]
    assert (labels, 1.0) in found["licensecli_check_duty_owed"]
    renewal = {**labels, "obligation": "renewal-application"}
    assert (renewal, 0.0) in found["licensecli_check_duty_status"]
    assert (renewal, 1.0) in found["licensecli_check_duty_estimated"]  # 2030: estimated
    own = {"license": "B2-20210247", "file": str(lic)}
    assert found["licensecli_check_license_status"] == [(own, 2.0)]
    assert found["licensecli_check_expiry_timestamp_seconds"] == [
        (own, dt.datetime(2031, 1, 21, 16, tzinfo=dt.UTC).timestamp())
    ]
    assert found["licensecli_check_status"] == [({"scope": str(lic)}, 2.0)]


def test_prometheus_names_do_not_collide_with_renew_check() -> None:
    ours = set(families(check("--as-of", "2025-06-01", "--format", "prometheus").stdout))
    theirs = set(families(run("renew-check", "--as-of", "2025-06-01", "--format", "prometheus").stdout))
    assert ours and theirs and not ours & theirs  # two .prom files in one textfile folder


# Perfdata read by a small parser of the Monitoring Plugins development guidelines, written here
# apart from licensecli.thresholds: `[@]start:end`, start ~ for -inf, a bare N meaning 0:N (the
# guidelines' reading; perfdata always carries the explicit form, so ours never differs).
_ITEM = re.compile(r"'([^']*)'=(-?\d+(?:\.\d+)?)([^;\s]*);([^;\s]*);([^;\s]*);([^;\s]*);([^;\s]*)")


def _alerts(spec: str, value: float) -> bool:
    if not spec:
        return False
    inside = spec.startswith("@")
    spec = spec.removeprefix("@")
    start_text, _, end_text = spec.rpartition(":") if ":" in spec else ("0", ":", spec)
    start = -math.inf if start_text == "~" else float(start_text or 0)
    end = math.inf if end_text == "" else float(end_text)
    outside = value < start or value > end
    return (not outside) if inside else outside


def guideline_status(perfdata: str) -> int:
    worst = 0
    items = _ITEM.findall(perfdata)
    assert len(items) == perfdata.count("'=") and items, perfdata
    for _label, value, unit, warn, crit, _min, _max in items:
        assert unit == ""
        number = float(value)
        worst = max(worst, 2 if _alerts(crit, number) else 1 if _alerts(warn, number) else 0)
    return worst


@pytest.mark.parametrize(
    ("events", "as_of", "extra"),
    [
        (CHANGE, "2026-09-08", []),
        (CHANGE, "2026-09-09", []),
        (CHANGE, "2026-10-08", []),
        (CHANGE, "2026-10-09", []),
        (CHANGE, "2026-09-29", ["-w", "10", "-c", "0"]),
        (CHANGE, "2026-10-02", ["-w", "10", "-c", "7"]),
        (REPORT, "2026-10-15", []),
        (REPORT, "2026-10-17", []),
        ("[]", "2026-09-08", []),
    ],
)
def test_perfdata_alone_gives_our_status(tmp_path: Path, events: str, as_of: str, extra: list[str]) -> None:
    write(tmp_path, "a.yaml", events=events)
    result = check(str(tmp_path / "a.yaml"), "--as-of", as_of, *extra)
    assert guideline_status(status_line(result).split(" | ", 1)[1]) == result.exit_code
    write(tmp_path, "b.yaml", number="B2-20990001")
    several = check(str(tmp_path), "--as-of", as_of, *extra)
    assert guideline_status(status_line(several).split(" | ", 1)[1]) == several.exit_code == result.exit_code


def test_the_bundled_lapsed_licence_perfdata() -> None:
    result = check(str(BUNDLED), "--as-of", "2026-11-28")
    assert guideline_status(status_line(result).split(" | ", 1)[1]) == 2


# --- a duty counted in hours (R12): late once its hour has passed ------------------------------

INCIDENT = (
    '[{obligation: incident-report, on: 2026-11-27, at: "23:30"}, '  # 1 hour (CII): due 11-28 00:30
    "{obligation: annual-report, on: 2026-03-01}]"  # the 2026 report filed: only 2027's is owed
)


def _hours_licence(tmp_path: Path) -> Path:
    return write(tmp_path, profile="{critical_information_infrastructure: true}", events=INCIDENT)


@pytest.mark.parametrize(
    ("now", "code", "left"),
    [
        ("2026-11-28T00:20:00+08:00", 1, "in 10 minutes: due today"),
        ("2026-11-28T00:30:00+08:00", 1, "in less than a minute: due today"),  # the moment itself: in time
        ("2026-11-28T00:31:00+08:00", 2, "1 minute late: overdue"),
        ("2026-11-27T16:31:00+00:00", 2, "1 minute late: overdue"),  # the same moment in UTC
        ("2026-11-28T09:00:00+08:00", 2, "8 hours late: overdue"),
    ],
)
def test_an_hour_report_across_midnight_is_late_once_its_hour_has_passed(
    tmp_path: Path, now: str, code: int, left: str
) -> None:
    lic = _hours_licence(tmp_path)
    result = check(str(lic), env={"LICENSECLI_NOW": now})
    assert result.exit_code == code, result.stdout
    (problem,) = result.stdout.splitlines()[1:]
    assert problem.startswith("WARNING: " if code == 1 else "CRITICAL: ")
    assert "B2-20210247 incident-report (regulation 《国家网络安全事件报告管理办法》 第四条)" in problem
    assert problem.endswith(f"due 2026-11-28 00:30 China time (Sat), {left}")
    # The perfdata says it too: a late duty counts in 'overdue', whose threshold is ~:0.
    assert guideline_status(status_line(result).split(" | ", 1)[1]) == code


def test_an_hour_report_with_as_of_is_judged_by_its_day(tmp_path: Path) -> None:
    lic = _hours_licence(tmp_path)
    today = check(str(lic), "--as-of", "2026-11-28", "--json")
    assert today.exit_code == 1
    document = json.loads(today.stdout)
    assert_valid(document)
    duty = next(d for d in document["licenses"][0]["duties"] if d["obligation"] == "incident-report")
    assert (duty["due_at"], duty["source"], duty["late"]) == (
        "2026-11-28T00:30:00+08:00",
        "regulation",
        False,
    )
    assert check(str(lic), "--as-of", "2026-11-29").exit_code == 2


def test_an_annual_report_in_its_grace_month_is_critical(tmp_path: Path) -> None:
    # With a profile the annual report has a grace month (R14): window 2026-01-01..03-31, due Tue
    # 2026-03-31, still accepted until Thu 2026-04-30. The 2025 report is recorded as filed.
    lic = write(tmp_path, profile="{}", events="[{obligation: annual-report, on: 2025-03-01}]")
    result = check(str(lic), "--as-of", "2026-04-15")
    assert result.exit_code == 2
    (problem,) = result.stdout.splitlines()[1:]
    assert problem.startswith("CRITICAL: B2-20210247 annual-report (")
    assert problem.endswith(
        "due 2026-03-31 (Tue), 15 days late: grace (late, still accepted until 2026-04-30)"
    )
    assert "'overdue'=1;;~:0;0;" in status_line(result)
    # Inside the window, 29 days before its last day: WARNING (fewer than 30 days left).
    assert check(str(lic), "--as-of", "2026-03-02").exit_code == 1


# --- output failures (real processes: real pipes and devices) ----------------------------------


def test_a_closed_pipe_is_unknown_and_quiet() -> None:
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "licensecli", "check", "--as-of", "2025-06-01"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr) == (3, "")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_device_is_unknown_with_one_line() -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "licensecli", "check", "--as-of", "2025-06-01"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    assert proc.returncode == 3
    assert proc.stderr == "error: cannot write the output: No space left on device\n"
