"""renew-check: statuses at the boundaries, several licences, recorded renewals, quiet, UNKNOWN.

The bundled licence: valid until 2026-01-21, renewal filing deadline 2025-10-23 (R5; a Thursday).
Thresholds are monitoring-plugin ranges: -w 60 is 60:, which alerts below 60 (60 itself is OK).
Perfdata and Prometheus output are also checked by independent parsers in test_monitoring*.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import BUNDLED, licence_text, run


def check(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return run("renew-check", *args, env=env)


@pytest.mark.parametrize(
    ("as_of", "code", "status", "days"),
    [
        ("2025-06-01", 0, "OK", 144),
        ("2025-08-23", 0, "OK", 61),
        ("2025-08-24", 0, "OK", 60),  # exactly -w: the boundary is inside the range 60:
        ("2025-08-25", 1, "WARNING", 59),
        ("2025-09-01", 1, "WARNING", 52),
        ("2025-10-08", 1, "WARNING", 15),
        ("2025-10-09", 1, "WARNING", 14),  # exactly -c
        ("2025-10-10", 2, "CRITICAL", 13),
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
    assert line.endswith(f"| 'days_to_renewal_deadline'={days};60:;14:;; 'days_to_expiry'={days + 90};;;;")
    assert result.stderr == ""


def test_messages_say_what_happened() -> None:
    assert "due today, by 2025-10-23" in check("--as-of", "2025-10-23").stdout
    passed = check("--as-of", "2025-10-24").stdout
    assert "passed 1 day ago" in passed and "令42号 第二十七条" in passed and "not renewed" in passed
    # Past the last valid day with no renewal: the licence has lapsed (not merely "expired").
    lapsed = check("--as-of", "2026-01-22").stdout
    assert "has lapsed: its last valid day was 2026-01-21 (1 day ago)" in lapsed
    assert (
        "has lapsed: its last valid day was 2026-01-21 (311 days ago)"
        in check(env={"LICENSECLI_NOW": "2026-11-28T08:00:00+08:00"}).stdout
    )


def test_thresholds_from_the_command_line_and_the_licence_file(tmp_path: Path) -> None:
    assert check("--as-of", "2025-06-01", "-w", "150", "-c", "10").exit_code == 1
    assert check("--as-of", "2025-06-01", "-w", "150", "-c", "144").exit_code == 1  # 144 is not below 144
    assert check("--as-of", "2025-06-01", "-w", "150", "-c", "145").exit_code == 2
    own = tmp_path / "own.yaml"
    own.write_text(licence_text(renew_check="{warning: 150, critical: 20}"), encoding="utf-8")
    result = check(str(own), "--as-of", "2025-06-01")
    assert result.exit_code == 1 and "'days_to_renewal_deadline'=144;150:;20:;; " in result.stdout
    assert check(str(own), "--as-of", "2025-06-01", "-w", "100").exit_code == 0


def write_licence(folder: Path, name: str, **fields: str) -> Path:
    path = folder / name
    path.write_text(licence_text(**fields), encoding="utf-8")
    return path


def test_recorded_renewal_turns_off_the_filing_alert_and_watches_the_expiry(tmp_path: Path) -> None:
    # Filed 2025-10-10, in time (deadline 2025-10-23), no decision: the days to the expiry
    # (2026-01-21) are watched with -w (default 60:) and critical 0:.
    filed = write_licence(tmp_path, "filed.yaml", renewal_filed_on="2025-10-10")
    ok = check(str(filed), "--as-of", "2025-10-20")  # 93 days to the expiry
    assert ok.exit_code == 0 and "renewal filed in time on 2025-10-10" in ok.stdout
    assert check(str(filed), "--as-of", "2025-11-22").exit_code == 0  # 60 days: inside 60:
    assert check(str(filed), "--as-of", "2025-11-23").exit_code == 1  # 59 days: WARNING
    assert check(str(filed), "--as-of", "2025-12-01").exit_code == 1  # 51 days: WARNING
    assert check(str(filed), "--as-of", "2026-01-21").exit_code == 1  # expires today: 0 is inside 0:
    # Expiry passed, filed in time, no decision recorded: CRITICAL, citing 行政许可法 第五十条.
    overdue = check(str(filed), "--as-of", "2026-01-22")
    assert overdue.exit_code == 2 and "行政许可法 第五十条" in overdue.stdout
    assert "2026-01-21" in overdue.stdout and "has lapsed" not in overdue.stdout
    # Filed a day after the deadline: late (令42号 第二十七条), CRITICAL; lapsed after the expiry.
    late = write_licence(tmp_path, "late.yaml", renewal_filed_on="2025-10-24")
    late_check = check(str(late), "--as-of", "2025-11-01")
    assert late_check.exit_code == 2 and "after the filing deadline 2025-10-23" in late_check.stdout
    lapsed = check(str(late), "--as-of", "2026-01-22")
    assert lapsed.exit_code == 2 and "has lapsed" in lapsed.stdout


def test_recorded_renewal_reports_the_thresholds_it_applied(tmp_path: Path) -> None:
    # Filed in time: the filing deadline (2025-10-23) no longer alerts; the expiry (2026-01-21,
    # 32 days after 2025-12-20) is watched with -w (default 60:, so WARNING) and 0: (CRITICAL after).
    filed = write_licence(tmp_path, "filed.yaml", renewal_filed_on="2025-10-10")
    text = check(str(filed), "--as-of", "2025-12-20")
    assert text.exit_code == 1
    assert text.stdout.endswith("| 'days_to_renewal_deadline'=-58;;;; 'days_to_expiry'=32;60:;0:;;\n")
    (lic,) = json.loads(check(str(filed), "--as-of", "2025-12-20", "--json").stdout)["licenses"]
    assert (lic["thresholds_on"], lic["warning"], lic["critical"], lic["state"]) == (
        "days_to_expiry",
        "60:",
        "0:",
        "pending",
    )
    # The user's -w applies to the expiry too: 32 days is inside 30:.
    assert check(str(filed), "--as-of", "2025-12-20", "-w", "30").exit_code == 0


def test_several_licences_worst_wins(tmp_path: Path) -> None:
    write_licence(tmp_path, "a.yaml")
    write_licence(tmp_path, "b.yaml", number="B2-20990001", valid_until="2030-06-28")
    result = check(str(tmp_path), "--as-of", "2025-09-01")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("LICENSE WARNING - 2 licences: 1 OK, 1 WARNING | ")
    assert "'B2-20210247_days_to_renewal_deadline'=52;60:;14:;;" in lines[0]
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
                "file": str(BUNDLED),
                "status": "OK",
                "valid_until": "2026-01-21",
                "renewal_deadline": "2025-10-23",
                "days_to_renewal_deadline": 144,
                "days_to_expiry": 234,
                "estimated": False,
                "message": "B2-20210247 renewal application due in 144 days, by 2025-10-23 (licence valid until 2026-01-21)",
                "renewal_filed_on": None,
                "state": "valid",  # the licence's life state (new)
                "thresholds_on": "days_to_renewal_deadline",
                "warning": "60:",
                "critical": "14:",
            }
        ],
    }


def test_prometheus_output() -> None:
    result = check("--format", "prometheus", "--as-of", "2025-06-01")
    assert result.exit_code == 0 and result.stderr == ""
    file = str(BUNDLED)
    samples = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    # Deadline 2025-10-23 and expiry 2026-01-21, each ending at 24:00 China time (16:00 UTC):
    # 1761235200 and 1769011200 seconds after 1970-01-01 UTC.
    assert samples == [
        f'licensecli_renewal_deadline_timestamp_seconds{{file="{file}",license="B2-20210247"}} 1.7612352e+09',
        f'licensecli_expiry_timestamp_seconds{{file="{file}",license="B2-20210247"}} 1.7690112e+09',
        f'licensecli_renewal_filed{{file="{file}",license="B2-20210247"}} 0.0',
        f'licensecli_renewal_status{{file="{file}",license="B2-20210247"}} 0.0',
        f'licensecli_renewal_estimated{{file="{file}",license="B2-20210247"}} 0.0',
        'licensecli_renew_check_status{scope="bundled"} 0.0',
    ]


def test_estimated_deadline_is_said_and_strict_makes_it_unknown(tmp_path: Path) -> None:
    # Valid until 2027-06-30: 90 days before is 2027-04-01, in a year with no published schedule.
    later = write_licence(tmp_path, "later.yaml", valid_until="2027-06-30")
    result = check(str(later), "--as-of", "2026-11-28")
    assert result.exit_code == 0 and "(estimated" in result.stdout
    assert result.stderr == ""  # Icinga 2 merges stderr into the service output: no warning lines
    for fmt in ("json", "prometheus"):
        assert check(str(later), "--as-of", "2026-11-28", "--format", fmt).stderr == ""
    verbose = check(str(later), "--as-of", "2026-11-28", "-v")
    assert verbose.stderr == ""
    assert verbose.stdout.splitlines()[-1].startswith(
        "estimated: no published holiday schedule for 2027; dates that depend on it are estimated"
    )
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
        ["-w", "20:10"],
        ["-w", "@5"],
        ["-c", "1e3"],
        ["-t", "0"],
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


# --- ranges, usage errors, version, timeout, verbosity -------------------------------------


@pytest.mark.parametrize(
    ("warning", "critical", "code", "perf"),
    [
        ("150", "10", 1, "144;150:;10:;;"),
        ("150:", "10:", 1, "144;150:;10:;;"),
        ("145", "144", 1, "144;145:;144:;;"),  # 144 left, critical below 144: not yet
        ("~:100", "14", 1, "144;~:100;14:;;"),  # more than 100 days left alerts
        ("60", "@140:150", 2, "144;60:;@140:150;;"),  # inside 140..150 alerts
        ("60", "@145:150", 0, "144;60:;@145:150;;"),
        ("100:200", "0:300", 0, "144;100:200;0:300;;"),
        ("100:143", "0:300", 1, "144;100:143;0:300;;"),
        ("0.5", "0", 0, "144;0.5:;0:;;"),
    ],
)
def test_range_thresholds(warning: str, critical: str, code: int, perf: str) -> None:
    result = check("--as-of", "2025-06-01", "-w", warning, "-c", critical)
    assert result.exit_code == code
    status = ["OK", "WARNING", "CRITICAL"][code]
    assert result.stdout.startswith(f"LICENSE {status} - B2-20210247 renewal application due in 144 days")
    assert result.stdout.splitlines()[0].endswith(
        f"| 'days_to_renewal_deadline'={perf} 'days_to_expiry'=234;;;;"
    )


def test_a_passed_deadline_is_critical_whatever_the_thresholds_say() -> None:
    result = check("--as-of", "2025-10-24", "-w", "~:1000", "-c", "@100:200")
    assert result.exit_code == 2 and "passed 1 day ago" in result.stdout


BAD_RANGE = "bad usage: Invalid value for '-w' / '--warning': 'abc': not a threshold; give a number of days (60) or a range: 60: ~:10 10:20 @10:20"


def test_usage_errors_answer_in_the_format_asked_for() -> None:
    text = check("-w", "abc")
    assert (text.exit_code, text.stdout, text.stderr) == (3, f"LICENSE UNKNOWN - {BAD_RANGE}\n", "")
    for args in (["--json", "-w", "abc"], ["-w", "abc", "--format", "json"], ["--format=json", "-w", "abc"]):
        result = check(*args)
        assert result.exit_code == 3, args
        assert json.loads(result.stdout) == {
            "schema_version": 1,
            "status": "UNKNOWN",
            "exit_code": 3,
            "licenses": [],
            "message": BAD_RANGE,
        }
    bogus = check("--json", "--bogus")
    assert (bogus.exit_code, bogus.stderr) == (3, "")  # no usage block for Icinga 2 to append
    assert json.loads(bogus.stdout)["message"].startswith("bad usage: No such option: --bogus")
    prom = check("--format", "prometheus", "-c", "x", "a.yaml", "b.yaml")
    assert prom.exit_code == 3
    samples = [line for line in prom.stdout.splitlines() if not line.startswith("#")]
    assert samples == ['licensecli_renew_check_status{scope="a.yaml,b.yaml"} 3.0']
    assert check("--format", "xml").stdout == (
        "LICENSE UNKNOWN - bad usage: Invalid value for '--format': 'xml': use text, json or prometheus\n"
    )


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("-5", "'-5': days cannot be negative"),
        ("@5", "'@5': write @START:END, e.g. @0:5"),
        ("20:10", "'20:10': the start 20 is above the end 10"),
        ("1e3", "'1e3': not a threshold"),
        ("", "'': not a threshold"),
    ],
)
def test_bad_ranges_say_what_is_wrong(value: str, why: str) -> None:
    result = check("-c", value)
    assert result.exit_code == 3
    assert result.stdout.startswith(
        f"LICENSE UNKNOWN - bad usage: Invalid value for '-c' / '--critical': {why}"
    )


def test_critical_above_warning_is_refused() -> None:
    result = check("-w", "10", "-c", "20")
    assert (result.exit_code, result.stdout) == (
        3,
        "LICENSE UNKNOWN - the critical threshold 20: (alert below 20 days) is above the warning one "
        "10: (below 10 days); critical must be the smaller number\n",
    )


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag: str) -> None:
    from licensecli import __version__

    result = check(flag)
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"licensecli {__version__}\n", "")


@pytest.mark.parametrize(
    ("fmt", "expected"), [("text", "LICENSE UNKNOWN - timed out after 1 s\n"), ("json", None)]
)
def test_timeout_is_unknown(monkeypatch: pytest.MonkeyPatch, fmt: str, expected: str | None) -> None:
    import time

    from licensecli import loader

    monkeypatch.setattr(loader, "load_license", lambda path: time.sleep(5))
    started = time.monotonic()
    result = check("-t", "1", "--format", fmt)
    assert time.monotonic() - started < 4
    assert result.exit_code == 3
    if expected is not None:
        assert result.stdout == expected
    else:
        assert json.loads(result.stdout)["message"] == "timed out after 1 s"


def test_the_alarm_is_cleared_after_the_check() -> None:
    import signal

    assert check("-t", "5", "--as-of", "2025-06-01").exit_code == 0
    assert signal.alarm(0) == 0  # no alarm left behind
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL


def test_verbosity_levels() -> None:
    file = str(BUNDLED)
    quiet = check("--as-of", "2025-06-01").stdout.splitlines()
    one = check("--as-of", "2025-06-01", "-v").stdout.splitlines()
    two = check("--as-of", "2025-06-01", "-vv").stdout.splitlines()
    assert len(quiet) == 1 and one[0] == quiet[0] == two[0]
    assert one[1:] == [
        "OK: B2-20210247 renewal application due in 144 days, by 2025-10-23 (licence valid until "
        f"2026-01-21) [warning 60: (below 60 days), critical 14: (below 14 days); file {file}]"
    ]
    assert two[1] == one[1]
    assert two[2].startswith("calendar: chinese-calendar ") and "(published schedules 2004-" in two[2]
    assert two[3:] == ["calendar: no holiday files", "calendar: no estimated years used"]


# --- -o, duplicates, hostile numbers --------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "prometheus"])
def test_output_file_is_written_whatever_the_status(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "out"
    for as_of, code in (("2025-06-01", 0), ("2025-09-01", 1), ("2025-10-20", 2)):
        result = check("--as-of", as_of, "--format", fmt, "-o", str(target))
        assert (result.exit_code, result.stdout, result.stderr) == (code, "", "")
        assert target.read_text(encoding="utf-8") == check("--as-of", as_of, "--format", fmt).stdout
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary file left


def test_output_file_gets_unknown_too(tmp_path: Path) -> None:
    target = tmp_path / "licensecli.prom"
    bad = check("--format", "prometheus", "-o", str(target), str(tmp_path / "missing.yaml"))
    assert bad.exit_code == 3 and bad.stdout == ""
    assert (
        'licensecli_renew_check_status{scope="' + str(tmp_path / "missing.yaml") + '"} 3.0'
        in target.read_text()
    )
    usage = check("--format", "prometheus", "-o", str(target), "-w", "abc")
    assert usage.exit_code == 3 and usage.stdout == ""
    assert 'licensecli_renew_check_status{scope="bundled"} 3.0' in target.read_text()


def test_output_file_problems_are_unknown(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "out.prom"
    result = check("--as-of", "2025-06-01", "-o", str(missing))
    assert result.exit_code == 3
    assert result.stdout == f"LICENSE UNKNOWN - {missing}: the folder {missing.parent} does not exist\n"
    assert result.stderr == ""  # the reason is in the status line, which fell back to stdout
    lic = tmp_path / "lic.yaml"
    lic.write_text("keep", encoding="utf-8")
    refused = check("-o", str(lic))
    assert (
        refused.exit_code == 3
        and "will not write the check's output over a .yaml/.yml file" in refused.stdout
    )
    assert lic.read_text(encoding="utf-8") == "keep"


def test_the_same_number_in_two_files_is_unknown(tmp_path: Path) -> None:
    a = write_licence(tmp_path, "a.yaml")
    b = write_licence(tmp_path, "b.yaml", renewal_filed_on="2025-05-01")
    result = check(str(tmp_path), "--as-of", "2025-06-01")
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"LICENSE UNKNOWN - B2-20210247 is in 2 files: {a}, {b} (a copy or an old version? keep one); "
        "2 licences: 2 OK | 'B2-20210247_days_to_renewal_deadline'=144;60:;14:;; "
        "'B2-20210247_days_to_expiry'=234;;;; 'B2-20210247#2_days_to_renewal_deadline'=144;;;; "
        "'B2-20210247#2_days_to_expiry'=234;60:;0:;;"  # filed in time: -w 60: on the expiry
    )
    assert lines[1].startswith("OK: B2-20210247 renewal application due in 144 days")
    assert lines[2].startswith("OK: B2-20210247 renewal filed in time on 2025-05-01")
    document = json.loads(check(str(tmp_path), "--as-of", "2025-06-01", "--json").stdout)
    assert (document["status"], document["exit_code"], len(document["licenses"])) == ("UNKNOWN", 3, 2)
    assert document["message"].startswith(f"B2-20210247 is in 2 files: {a}, {b}")
    prom = check(str(tmp_path), "--as-of", "2025-06-01", "--format", "prometheus").stdout
    assert f'licensecli_renewal_filed{{file="{a}",license="B2-20210247"}} 0.0' in prom
    assert f'licensecli_renewal_filed{{file="{b}",license="B2-20210247"}} 1.0' in prom
    assert f'licensecli_renew_check_status{{scope="{tmp_path}"}} 3.0' in prom


def test_hostile_licence_numbers_cannot_break_the_output(tmp_path: Path) -> None:
    write_licence(tmp_path, "a.yaml", number='"B2\'=|x y|"')
    write_licence(tmp_path, "b.yaml", number='"B2=\'|x y|"')  # sanitises the same: still two labels
    result = check(str(tmp_path), "--as-of", "2025-06-01")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and len(lines) == 3 and lines[0].count("|") == 1
    assert lines[0].endswith(
        "| 'B2___x y__days_to_renewal_deadline'=144;60:;14:;; 'B2___x y__days_to_expiry'=234;;;; "
        "'B2___x y_#2_days_to_renewal_deadline'=144;60:;14:;; 'B2___x y_#2_days_to_expiry'=234;;;;"
    )
    assert (
        lines[1]
        == "OK: B2'=_x y_ renewal application due in 144 days, by 2025-10-23 (licence valid until 2026-01-21)"
    )


def test_help_teaches_ranges_and_the_boundary() -> None:
    result = check("--help")
    assert result.exit_code == 0
    text = result.stdout
    examples = text[text.index("  Examples:") : text.index("Arguments:")].rstrip().splitlines()
    assert len(examples) >= 6 and max(len(line) for line in examples) <= 80
    assert "60      same as 60:  alert when FEWER than 60 days are left" in text
    assert "60:     59 days alert, 60 days are OK: the boundary itself is OK" in text
    assert "@10:20  alert from 10 to 20 days, ends included" in text
    assert "'days_to_renewal_deadline'=144;60:;14:;; 'days_to_expiry'=234;;;;" in text
    assert "-t, --timeout SECONDS" in text and "-V, --version" in text and "-o, --output FILE" in text


def test_one_file_named_twice_is_one_licence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lic = write_licence(tmp_path, "lic.yaml")
    (tmp_path / "current.yaml").symlink_to(lic)
    monkeypatch.chdir(tmp_path)
    for paths in (["lic.yaml", "./lic.yaml"], [str(tmp_path), str(lic)], ["current.yaml", "lic.yaml"]):
        result = check(*paths, "--as-of", "2025-06-01")
        assert result.exit_code == 0, (paths, result.stdout)
        assert result.stdout.startswith("LICENSE OK - B2-20210247 renewal application due in 144 days")
