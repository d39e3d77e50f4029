"""renew-check: statuses at the boundaries, several licences, recorded renewals, quiet, UNKNOWN.

The bundled licence: valid until 2026-01-21, renewal filing deadline 2025-10-23 (R5; a Thursday).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import licence_text, run


def check(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run("renew-check", *args, env=env)


@pytest.mark.parametrize(
    ("as_of", "code", "status", "days"),
    [
        ("2025-06-01", 0, "OK", 144),
        ("2025-08-23", 0, "OK", 61),
        ("2025-08-24", 1, "WARNING", 60),  # exactly -w
        ("2025-09-01", 1, "WARNING", 52),
        ("2025-10-08", 1, "WARNING", 15),
        ("2025-10-09", 2, "CRITICAL", 14),  # exactly -c
        ("2025-10-15", 2, "CRITICAL", 8),
        ("2025-10-23", 2, "CRITICAL", 0),  # the deadline day: still in time
        ("2025-10-24", 2, "CRITICAL", -1),  # the day after: passed
        ("2026-01-21", 2, "CRITICAL", -90),  # expiry day
        ("2026-01-22", 2, "CRITICAL", -91),  # expired
    ],
)
def test_status_at_the_boundaries(as_of: str, code: int, status: str, days: int) -> None:
    result = check("--as-of", as_of)
    assert result.exit_code == code
    line = result.stdout.splitlines()[0]
    assert line.startswith(f"LICENSE {status} - B2-20210247 ")
    assert line.endswith(f"| 'days_to_renewal_deadline'={days}d;60;14;; 'days_to_expiry'={days + 90}d;;;;")


def test_messages_say_what_happened() -> None:
    assert "due today, by 2025-10-23" in check("--as-of", "2025-10-23").stdout
    passed = check("--as-of", "2025-10-24").stdout
    assert "passed 1 days ago" in passed and "令42号 第二十七条" in passed and "not renewed" in passed
    assert "expired on 2026-01-21 (1 days ago)" in check("--as-of", "2026-01-22").stdout
    assert "expired on 2026-01-21" in check(env={"LICENSECLI_NOW": "2026-11-28T08:00:00+08:00"}).stdout


def test_thresholds_from_the_command_line_and_the_licence_file(tmp_path: Path) -> None:
    assert check("--as-of", "2025-06-01", "-w", "150", "-c", "10").exit_code == 1
    assert check("--as-of", "2025-06-01", "-w", "150", "-c", "144").exit_code == 2
    own = tmp_path / "own.yaml"
    own.write_text(licence_text(renew_check="{warning: 150, critical: 20}"), encoding="utf-8")
    result = check(str(own), "--as-of", "2025-06-01")
    assert result.exit_code == 1 and "=144d;150;20;;" in result.stdout
    assert check(str(own), "--as-of", "2025-06-01", "-w", "100").exit_code == 0


def write_licence(folder: Path, name: str, **fields: str) -> Path:
    path = folder / name
    path.write_text(licence_text(**fields), encoding="utf-8")
    return path


def test_recorded_renewal_turns_off_the_filing_alert_but_not_the_expiry(tmp_path: Path) -> None:
    filed = write_licence(tmp_path, "filed.yaml", renewal_filed_on="2025-10-10")
    ok = check(str(filed), "--as-of", "2025-10-20")
    assert ok.exit_code == 0 and "renewal filed on 2025-10-10" in ok.stdout
    assert check(str(filed), "--as-of", "2025-12-01").exit_code == 0
    assert check(str(filed), "--as-of", "2026-01-21").exit_code == 1  # expires today
    expired = check(str(filed), "--as-of", "2026-01-22")
    assert expired.exit_code == 2 and "expired on 2026-01-21" in expired.stdout


def test_several_licences_worst_wins(tmp_path: Path) -> None:
    write_licence(tmp_path, "a.yaml")
    write_licence(tmp_path, "b.yaml", number="B2-20990001", valid_until="2030-06-28")
    result = check(str(tmp_path), "--as-of", "2025-09-01")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("LICENSE WARNING - 2 licences: 1 OK, 1 WARNING | ")
    assert "'B2-20210247_days_to_renewal_deadline'=52d;60;14;;" in lines[0]
    assert "'B2-20990001_days_to_expiry'=" in lines[0]
    assert lines[1].startswith("WARNING: B2-20210247") and lines[2].startswith("OK: B2-20990001")
    assert check(str(tmp_path), "--as-of", "2026-02-01").exit_code == 2


def test_quiet_prints_nothing_when_ok() -> None:
    ok = check("--quiet", "--as-of", "2025-06-01")
    assert (ok.exit_code, ok.stdout, ok.stderr) == (0, "", "")
    warning = check("--quiet", "--as-of", "2025-09-01")
    assert warning.exit_code == 1 and warning.stdout.startswith("LICENSE WARNING")


def test_json_output() -> None:
    result = check("--json", "--as-of", "2025-06-01")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "schema_version": 1,
        "status": "OK",
        "exit_code": 0,
        "licenses": [
            {
                "number": "B2-20210247",
                "status": "OK",
                "valid_until": "2026-01-21",
                "renewal_deadline": "2025-10-23",
                "days_to_renewal_deadline": 144,
                "days_to_expiry": 234,
                "estimated": False,
                "message": "B2-20210247 renewal application due in 144 days, by 2025-10-23 (licence valid until 2026-01-21)",
                "renewal_filed_on": None,
                "warning": 60,
                "critical": 14,
            }
        ],
    }


def test_prometheus_output() -> None:
    result = check("--format", "prometheus", "--as-of", "2025-06-01")
    assert result.exit_code == 0
    samples = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert samples == [
        'licensecli_days_to_renewal_deadline{license="B2-20210247"} 144',
        'licensecli_days_to_expiry{license="B2-20210247"} 234',
        'licensecli_renewal_filed{license="B2-20210247"} 0',
        'licensecli_renewal_status{license="B2-20210247"} 0',
        'licensecli_renewal_estimated{license="B2-20210247"} 0',
        "licensecli_renew_check_status 0",
    ]


def test_estimated_deadline_is_said_and_strict_makes_it_unknown(tmp_path: Path) -> None:
    # Valid until 2027-06-30: 90 days before is 2027-04-01, in a year with no published schedule.
    later = write_licence(tmp_path, "later.yaml", valid_until="2027-06-30")
    result = check(str(later), "--as-of", "2026-11-28")
    assert result.exit_code == 0 and "(estimated" in result.stdout
    strict = check(str(later), "--as-of", "2026-11-28", "--strict-calendar")
    assert strict.exit_code == 3 and strict.stdout.startswith("LICENSE UNKNOWN - 2027 has no published")


@pytest.mark.parametrize(
    "args",
    [
        ["/no/such/file.yaml"],
        ["--bogus"],
        ["-w", "x"],
        ["-w", "-5"],
        ["-w", "10", "-c", "20"],
        ["--as-of", "2026-02-30"],
        ["--format", "xml"],
        ["a", "b", "--as-of"],
    ],
)
def test_problems_are_unknown(args: list[str]) -> None:
    result = check(*args)
    assert result.exit_code == 3
    assert result.stdout.startswith("LICENSE UNKNOWN - ")
    assert "Traceback" not in result.stderr


def test_bad_files_and_empty_folders_are_unknown(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("number: [\n", encoding="utf-8")
    assert check(str(tmp_path / "bad.yaml")).exit_code == 3
    empty = tmp_path / "empty"
    empty.mkdir()
    result = check(str(empty))
    assert result.exit_code == 3 and "no licence files" in result.stdout
    json_result = check(str(empty), "--json")
    assert json.loads(json_result.stdout)["status"] == "UNKNOWN"
