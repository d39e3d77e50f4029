"""export: the command's contract — atomic writes, stdout, targets it refuses, --quiet, --help."""

from __future__ import annotations

import csv
import io
import os
import stat
import threading
from pathlib import Path

import icalendar
import pytest

from .conftest import BUNDLED, licence_text, run


def events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def licence_valid_until_mid_2027(tmp_path: Path) -> Path:
    """A licence valid on 2026-12-31: it owes the 2027 report (R10), due 2027-03-31, a date that
    rests on 2027's unpublished schedule. The bundled one lapsed on 2026-01-21 and owes none."""
    licence = tmp_path / "lic.yaml"
    licence.write_text(licence_text(valid_until="2027-06-30"), encoding="utf-8")
    return licence


def test_uids_are_stable_across_runs_and_estimates_say_so(tmp_path: Path) -> None:
    bundled = tmp_path / "bundled.ics"
    run("export", "--format", "ics", "-o", str(bundled), "--as-of", "2026-11-28")
    assert set(events(bundled)) == {  # lapsed: no 2027 report (R10)
        "B2-20210247.renewal-application@licensecli",
        "B2-20210247.license-expiry@licensecli",
    }
    licence = licence_valid_until_mid_2027(tmp_path)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    run("export", str(licence), "--format", "ics", "-o", str(first), "--as-of", "2026-11-28", "--remind", "5")
    run(
        "export", str(licence), "--format", "ics", "-o", str(second), "--as-of", "2026-11-28", "--remind", "5"
    )
    assert (
        set(events(first))
        == set(events(second))
        == {
            "B2-20210247.renewal-application@licensecli",
            "B2-20210247.license-expiry@licensecli",
            "B2-20210247.annual-report.2027@licensecli",
            "B2-20210247.annual-report.2027.opens@licensecli",
        }
    )
    report = events(first)["B2-20210247.annual-report.2027@licensecli"]
    assert str(report["summary"]).endswith("[estimated date]")
    assert str(report["status"]) == "TENTATIVE"
    assert str(events(first)["B2-20210247.license-expiry@licensecli"]["status"]) == "CONFIRMED"


def test_csv_reads_back(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.csv"
    result = run("export", "--format", "csv", "-o", str(target), "--as-of", "2025-06-01", "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["obligation"], r["due_date"], r["days_left"], r["status"]) for r in rows] == [
        ("renewal-application", "2025-10-23", "144", "upcoming"),
        # R10: the licence expires inside the 2026 window, so the report is due by 2026-01-21.
        ("annual-report", "2026-01-21", "234", "upcoming"),
        ("license-expiry", "2026-01-21", "234", "upcoming"),
    ]
    assert rows[0]["title"] == "提出续办申请" and rows[0]["estimated"] == "false"
    assert rows[1]["window_start"] == "2026-01-01"


def test_stdout_export() -> None:
    with_bom = run("export", "--format", "csv", "-o", "-", "--as-of", "2025-06-01")
    assert with_bom.stdout_bytes.startswith(b"\xef\xbb\xbflicense,obligation,")
    without = run("export", "--format", "csv", "--no-bom", "-o", "-", "--as-of", "2025-06-01")
    assert without.stdout_bytes.startswith(b"license,obligation,")
    ics = run("export", "--format", "ics", "-o", "-", "--as-of", "2025-06-01")
    assert ics.exit_code == 0 and ics.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")


def test_failed_export_leaves_the_old_file_untouched(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    target.write_bytes(b"old content \x00 exactly")
    bad = tmp_path / "bad.yaml"
    bad.write_text(licence_text(valid_until="2026-02-30"), encoding="utf-8")
    result = run("export", str(bad), "--format", "ics", "-o", str(target))
    assert result.exit_code == 1
    licence = licence_valid_until_mid_2027(tmp_path)  # its 2027 dates are estimates
    strict = run(
        "export",
        str(licence),
        "--format",
        "ics",
        "-o",
        str(target),
        "--as-of",
        "2026-11-28",
        "--strict-calendar",
    )
    assert strict.exit_code == 1 and "2027" in strict.stderr
    assert target.read_bytes() == b"old content \x00 exactly"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bad.yaml",
        "deadlines.ics",
        "lic.yaml",
    ]  # no temp files


def test_a_previous_file_that_is_not_a_calendar_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    target.write_bytes(b"old content \x00 exactly")
    result = run("export", "--format", "ics", "-o", str(target), "--as-of", "2025-06-01")
    assert result.exit_code == 0 and result.stderr == ""
    assert {int(e["sequence"]) for e in events(target).values()} == {0}


def test_bad_targets_and_options(tmp_path: Path) -> None:
    missing = run("export", "--format", "ics", "-o", str(tmp_path / "no" / "x.ics"))
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    folder = run("export", "--format", "ics", "-o", str(tmp_path))
    assert folder.exit_code == 1 and "is a folder" in folder.stderr
    assert run("export", "--format", "pdf", "-o", str(tmp_path / "x")).exit_code == 2
    assert run("export", "--format", "ics").exit_code == 2


def test_a_licence_file_is_never_the_target(tmp_path: Path) -> None:
    licence = tmp_path / "lic.yaml"
    licence.write_text(licence_text(), encoding="utf-8")
    before = licence.read_bytes()
    same = run("export", str(licence), "--format", "ics", "-o", str(licence))
    assert same.exit_code == 1 and same.stdout == ""
    assert same.stderr.count("\n") == 1 and same.stderr.startswith("error: ")
    assert ".yaml" in same.stderr
    assert licence.read_bytes() == before
    new_yml = tmp_path / "deadlines.YML"
    refused = run("export", "--format", "csv", "-o", str(new_yml))
    assert refused.exit_code == 1 and not new_yml.exists()
    # A licence under a name without .yaml is recognised by its content.
    plain = tmp_path / "licence"
    plain.write_bytes(BUNDLED.read_bytes())
    named = run("export", "--format", "csv", "-o", str(plain))
    assert named.exit_code == 1
    assert named.stderr == f"error: {plain}: holds a licence; will not write an export over it\n"
    assert plain.read_bytes() == BUNDLED.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lic.yaml", "licence"]


def test_quiet_drops_warnings_not_errors(tmp_path: Path) -> None:
    target = tmp_path / "deadlines.ics"
    licence = licence_valid_until_mid_2027(tmp_path)  # its 2027 dates are estimates
    loud = run("export", str(licence), "--format", "ics", "-o", str(target), "--as-of", "2026-11-28")
    assert loud.exit_code == 0 and loud.stderr.startswith("warning: no published holiday schedule for 2027")
    quiet = run("export", str(licence), "-q", "--format", "ics", "-o", str(target), "--as-of", "2026-11-28")
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == ""
    bad = tmp_path / "bad.yaml"
    bad.write_text(licence_text(valid_until="2026-02-30"), encoding="utf-8")
    failed = run("export", str(bad), "--quiet", "--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert failed.exit_code == 1 and failed.stderr.startswith("error: ")


def test_help_teaches_within_80_columns() -> None:
    result = run("export", "--help")
    assert result.exit_code == 0
    text = result.stdout
    for phrase in ("SEQUENCE+1", "09:00", "China time", "window opens", "--no-bom", "= + - @", "Examples:"):
        assert phrase in text, phrase
    examples = text[text.index("Examples:") : text.index("Arguments:")]
    lines = [line for line in examples.splitlines() if line.strip().startswith("licensecli ")]
    assert len(lines) == 4
    assert all(len(line) <= 80 for line in lines)
    # \b kept each example on its own line (no rewrapping into a paragraph)
    assert "  licensecli export --format ics -o deadlines.ics\n" in text


# --- special targets: a device, a named pipe, a symlink -----------------------------------------


def test_a_device_is_written_to_not_replaced(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a copy of /dev/null
    for args in (["export", "--format", "csv", "-q", "-o"], ["renew-check", "--as-of", "2025-06-01", "-o"]):
        result = run(*args, str(device))
        assert result.exit_code == 0, result.stderr
        assert stat.S_ISCHR(device.stat().st_mode), args
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]  # no temporary file left behind


def test_a_named_pipe_is_written_to(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run("export", "--format", "csv", "--no-bom", "-q", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert received and received[0].startswith(b"license,obligation,clause,")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_symlink_keeps_pointing_at_the_file_it_replaces(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "current.csv"
    link.symlink_to(real.name)
    result = run("export", "--format", "csv", "--no-bom", "-q", "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "real.csv"
    assert real.read_text(encoding="utf-8").startswith("license,obligation,clause,")
