"""A catalogue of hostile input, fed to every command: one clear line naming the file and place,
the documented exit code (renew-check: UNKNOWN, 3), never a traceback, never a half-written file.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import licence_text, run, run_process
from .test_workdays import FILE_2027

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)

LICENCES: dict[str, tuple[Callable[[Path], None], str]] = {
    # name: (how to write the file, what the message must say)
    "empty": (lambda p: p.write_text(""), "the file is empty"),
    "not yaml": (lambda p: p.write_text("number: [unclosed\nholder: x\n"), "not valid YAML"),
    "a list": (lambda p: p.write_text("- a\n- b\n"), "not a list"),
    "a scalar": (lambda p: p.write_text("hello\n"), "not a single value"),
    "wrong type": (lambda p: p.write_text(licence_text(number="12345")), "number: should be text"),
    "2026-02-30": (
        lambda p: p.write_text(licence_text(valid_until="2026-02-30")),
        "'2026-02-30' is not a real date",
    ),
    "2026-13-01": (
        lambda p: p.write_text(licence_text(valid_until="2026-13-01")),
        "'2026-13-01' is not a real date",
    ),
    "date as integer": (
        lambda p: p.write_text(licence_text(valid_until="20260121")),
        "valid_until: should be a date",
    ),
    "unknown key": (lambda p: p.write_text(licence_text(colour="red")), "colour: unknown key"),
    "duplicate obligation id": (
        lambda p: p.write_text(licence_text().replace("id: lawful-operation", "id: licensed-scope")),
        "obligation id 'licensed-scope' is used twice",
    ),
    "negative days": (
        lambda p: p.write_text(licence_text().replace("days: 90,", "days: -90,")),
        "rule.days: Input should be greater than or equal to 0",
    ),
    "expiry before issue": (
        lambda p: p.write_text(licence_text(valid_until="2020-01-01")),
        "the licence expires (2020-01-01) before it was issued (2023-05-31)",
    ),
    "event before issue": (
        lambda p: p.write_text(
            licence_text().replace(
                "events: []", "events:\n  - {obligation: illegal-info-report, on: 2023-01-05}"
            )
        ),
        "is before the licence was issued",
    ),
    "binary garbage": (lambda p: p.write_bytes(bytes(range(256)) * 40), "binary data"),
    "not utf-8": (lambda p: p.write_bytes("number: 许可".encode("gbk")), "not UTF-8 text"),
    "50 MB": (lambda p: os.truncate(p, 50 * 1024 * 1024) if p.touch() is None else None, "are refused"),
    "billion laughs": (lambda p: p.write_text(BILLION_LAUGHS), "anchors and aliases"),
    "deep nesting": (lambda p: p.write_text("a: " + "[" * 200 + "]" * 200 + "\n"), "nested deeper than"),
    "python object tag": (
        lambda p: p.write_text("number: !!python/object/apply:os.system ['touch pwned']\n"),
        "is not allowed (plain data only)",
    ),
}

COMMANDS: dict[str, tuple[list[str], int]] = {
    # name: (arguments before the licence path, the exit code for bad data)
    "show": (["show"], 1),
    "deadlines": (["deadlines"], 1),
    "deadlines --json": (["deadlines", "--json"], 1),
    "due": (["due", "renewal-application", "-l"], 1),
    "renew-check": (["renew-check"], 3),
    "renew-check --json": (["renew-check", "--json"], 3),
    "export": (["export", "--format", "ics", "-o", "OUT"], 1),
    "validate": (["validate"], 1),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(LICENCES))
def test_bad_licence_file(tmp_path: Path, case: str, command: str) -> None:
    write, message = LICENCES[case]
    path = tmp_path / "lic.yaml"
    write(path)
    out = tmp_path / "out.ics"
    out.write_bytes(b"previous export")
    args, code = COMMANDS[command]
    result = run(*[str(out) if a == "OUT" else a for a in args], str(path))
    assert result.exit_code == code
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    if command.startswith("renew-check"):
        # A monitoring plugin says why in its status line; stderr would be merged into it.
        assert result.stderr == ""
        if "--json" in command:
            document = json.loads(result.stdout)
            assert document["status"] == "UNKNOWN" and message in document["message"]
        else:
            assert result.stdout.startswith(f"LICENSE UNKNOWN - {path}") and message in result.stdout
    elif command == "validate":
        assert lines and message in result.stderr
        assert lines[0].startswith(str(path)) and re.fullmatch(r"\d+ problems? found", lines[-1])
    else:
        assert lines and message in result.stderr
        assert all(line.startswith(f"error: {path}") for line in lines), lines
    if command.startswith("renew-check"):
        pass
    elif "--json" not in command:
        assert result.stdout == ""
    assert out.read_bytes() == b"previous export"
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_unreadable_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deny_reading: Callable[[Path], None]
) -> None:
    path = tmp_path / "lic.yaml"
    path.write_text(licence_text())
    deny_reading(path)
    # What a user without read permission sees: the argument parser's own check (os.access)
    # must not turn it into a usage error (exit 2); the reader reports it (exit 1).
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode, **kw: False if str(p) == str(path) else real_access(p, mode)
    )
    for args in (
        ["show", str(path)],
        ["deadlines", str(path)],
        ["due", "9", "--on", "2026-11-20", "-l", str(path)],
    ):
        result = run(*args)
        assert (result.exit_code, result.stderr) == (
            1,
            f"error: {path}: not readable (permission denied)\n",
        ), args
    holidays = run("deadlines", "--holidays", str(path))
    assert holidays.exit_code == 1 and "not readable" in holidays.stderr
    check = run("renew-check", str(path))
    assert (check.exit_code, check.stdout) == (
        3,
        f"LICENSE UNKNOWN - {path}: not readable (permission denied)\n",
    )


def test_folders(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("deadlines", str(empty))
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {empty}: the folder has no licence files (*.yaml, *.yml)\n",
    )
    assert run("renew-check", str(empty)).exit_code == 3
    hol = run("workdays", "is", "2026-01-01", "--holidays", str(tmp_path))
    assert (hol.exit_code, hol.stderr) == (
        1,
        f"error: {tmp_path}: is a folder, not a file (give a .yaml file)\n",
    )


def holiday_files(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    first = tmp_path / "a.yaml"
    first.write_text(FILE_2027)
    second = tmp_path / "b.yaml"
    second.write_text(FILE_2027.replace("2027-01-09", "2027-01-16"))
    outside = tmp_path / "c.yaml"
    outside.write_text("source: x\nyears: [2027]\ndays_off: [2028-01-01]\n")
    return {
        "contradicting files": (
            ["--holidays", str(first), "--holidays", str(second)],
            f"{first} and {second}",
        ),
        "date outside its years": (
            ["--holidays", str(outside)],
            f"{outside}:3: days_off[0]: 2028-01-01 is outside",
        ),
    }


@pytest.mark.parametrize("case", ["contradicting files", "date outside its years"])
@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["deadlines"], 1),
        (["workdays", "is", "2027-01-04"], 1),
        (["holidays", "2027"], 1),
        (["due", "9", "--on", "2026-12-25"], 1),
        (["renew-check"], 3),
    ],
)
def test_bad_holiday_files(tmp_path: Path, case: str, command: list[str], code: int) -> None:
    extra, message = holiday_files(tmp_path)[case]
    result = run(*command, *extra)
    assert result.exit_code == code
    _assert_said(command, result, message)


def _assert_said(command: list[str], result: Any, message: str) -> None:
    """Every command says what is wrong on stderr; renew-check says it in its status line only."""
    assert "Traceback" not in result.stderr
    if command[0] == "renew-check":
        assert result.stdout.startswith("LICENSE UNKNOWN - ") and message in result.stdout
        assert result.stderr == ""
    else:
        assert message in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["deadlines", "--as-of", "2003-12-31"], 1, "before 2004"),
        (["deadlines", "--as-of", "2101-01-01"], 1, "after 2099"),
        (["renew-check", "--as-of", "2003-12-31"], 3, "2003-12-31"),
        (["renew-check", "--as-of", "2101-01-01"], 3, "2101"),
        (["workdays", "add", "2026-01-01", "1000000000"], 1, "beyond the calendar"),
        (["workdays", "add", "--", "2026-01-01", "-1000000000"], 1, "beyond the calendar"),
        (["workdays", "count", "2003-01-01", "2026-01-01"], 1, "before 2004"),
        (["due", "no-such-duty"], 1, "neither an obligation id nor a clause"),
        (["due", "9", "--on", "2026-02-30"], 1, "'2026-02-30' is not a real date"),
        (["workdays", "is", "yesterday"], 1, "write YYYY-MM-DD"),
    ],
)
def test_bad_arguments(args: list[str], code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code
    _assert_said(args, result, message)


def test_unknown_obligation_in_batch_does_not_stop_the_rest() -> None:
    text = '{"obligation": "nope"}\n{"obligation": "renewal-application"}\n[1, 2]\n{"obligation": 5}\n'
    result = run("due", "--batch", "-", input=text)
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("line") for o in out] == [1, None, 3, 4]
    assert out[1]["due_date"] == "2025-10-23"


def test_batch_file_that_does_not_exist(tmp_path: Path) -> None:
    result = run("due", "--batch", str(tmp_path / "none.jsonl"))
    assert result.exit_code == 1 and "cannot be read" in result.stderr


def test_batch_line_that_is_not_utf8_is_that_lines_error(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_bytes(
        b'{"obligation": "9", "on": "2026-02-12"}\n\xff\xfe\n{"obligation": "renewal-application"}\n'
    )
    result = run("due", "--batch", str(path))
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["due_date"] == "2026-03-04"
    assert out[1] == {"line": 2, "error": "not UTF-8 text"}
    assert out[2]["due_date"] == "2025-10-23"


def test_a_renewal_rule_that_is_not_r5_is_unknown_for_renew_check(tmp_path: Path) -> None:
    path = tmp_path / "lic.yaml"
    path.write_text(
        licence_text().replace(
            "rule: {kind: before, days: 90, unit: days, anchor: valid_until, rollover: backward}",
            "rule: {kind: ongoing}",
        )
    )
    result = run("renew-check", str(path))
    assert result.exit_code == 3
    assert "'renewal-application' must be a 'before' rule anchored to valid_until" in result.stdout


def test_immediately_needs_its_anchor(tmp_path: Path) -> None:
    path = tmp_path / "lic.yaml"
    path.write_text(
        licence_text().replace("rule: {kind: immediately, anchor: event}", "rule: {kind: immediately}")
    )
    result = run("validate", str(path))
    assert result.exit_code == 1 and "a rule of kind 'immediately' needs anchor" in result.stderr


# --- the command line itself: usage, streams, locales, out-of-range values ---------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["deadlines", "--bogus"], "error: No such option: --bogus (see 'licensecli deadlines --help')"),
        (["nope"], "error: No such command 'nope'. (see 'licensecli --help')"),
        (
            ["workdays", "add", "2026-01-01"],
            "error: Missing argument 'N'. (see 'licensecli workdays add --help')",
        ),
        (
            ["deadlines", "--within", "-1"],
            "error: Invalid value for '--within': Input should be greater than or equal to 0 "
            "(see 'licensecli deadlines --help')",
        ),
    ],
)
def test_a_usage_error_is_one_line(args: list[str], line: str) -> None:
    for result in (run(*args), run_process(*args)):
        code = result.exit_code if hasattr(result, "exit_code") else result.returncode
        assert code == 2
        assert result.stderr == line + "\n"


def test_the_help_of_a_bare_command_is_still_the_help() -> None:
    result = run_process()
    assert result.returncode == 2 and result.stdout == "" and result.stderr.startswith("Usage: licensecli")


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["deadlines"], 1),
        (["show", "--json"], 1),
        (["due", "--batch", "-"], 1),
        (["renew-check"], 3),
        (["--version"], 1),
    ],
)
def test_a_closed_stdout_is_an_error_not_a_silent_success(command: list[str], code: int) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "licensecli", *command],
        capture_output=False,
        stdout=None,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert result.returncode == code
    assert result.stderr == "error: standard output is closed; there is nowhere to write the answer\n"


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["--help"], 1),
        (["--version"], 1),
        (["deadlines", "--help"], 1),
        (["deadlines"], 1),
        (["show", "--json"], 1),
        (["renew-check", "--as-of", "2025-06-01"], 3),
    ],
)
def test_a_full_disk_is_one_line(command: list[str], code: int) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "licensecli", *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == code
    assert result.stderr == "error: cannot write the output: No space left on device\n"


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_locale_that_cannot_write_chinese_gets_escapes_not_a_crash(encoding: str) -> None:
    env = {"PYTHONIOENCODING": encoding}
    check = run_process("renew-check", "--as-of", "2025-10-24", env=env)
    assert check.returncode == 2 and check.stderr == ""
    assert "\\u4ee442\\u53f7" in check.stdout  # 令42号, escaped
    table = run_process("show", "--lang", "zh", env=env)
    assert table.returncode == 0 and "Traceback" not in table.stderr
    answer = run_process("due", "9", "--on", "2026-11-20", "--json", env=env)
    assert answer.returncode == 0
    assert json.loads(answer.stdout)["clause"] == "九"  # \u escapes are still JSON


@pytest.mark.parametrize("year", ["0", "2003", "2100", "10000", "100000000000000000000"])
def test_a_year_outside_the_calendar(year: str) -> None:
    result = run("due", "annual-report", "--year", year)
    assert result.exit_code == 1
    assert result.stderr == f"error: --year {year}: give a year from 2004 to 2099 (the calendar's range)\n"


@pytest.mark.parametrize(
    ("now", "message"),
    [
        ("9999-12-31T23:59:59-12:00", "is outside the dates licensecli can handle"),
        ("0001-01-01T00:00:00+14:00", "is outside the dates licensecli can handle"),
        ("tomorrow", "is not an ISO date-time"),
    ],
)
def test_an_impossible_clock(now: str, message: str) -> None:
    result = run("deadlines", env={"LICENSECLI_NOW": now})
    assert result.exit_code == 1
    assert result.stderr == f"error: LICENSECLI_NOW={now!r} {message}\n"
    check = run("renew-check", env={"LICENSECLI_NOW": now})
    assert check.exit_code == 3 and check.stdout == f"LICENSE UNKNOWN - LICENSECLI_NOW={now!r} {message}\n"


def test_show_json_prints_nothing_when_a_later_file_fails(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(licence_text(number="B2-20990001"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        licence_text(number="B2-20990002", valid_until="2026-02-30"), encoding="utf-8"
    )
    result = run("show", "--json", str(tmp_path))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith(f"error: {tmp_path / 'b.yaml'}:")


@pytest.mark.parametrize("reference", ["①", "²", "15.²", "¹⁵", "9" * 5000])
def test_an_odd_reference_is_an_unknown_obligation(reference: str) -> None:
    result = run("due", reference)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    shown = reference if len(reference) <= 40 else reference[:40] + "…"
    assert line.startswith(
        f"error: '{shown}' is neither an obligation id nor a clause of licence B2-20210247"
    )


def test_characters_beyond_the_bmp_stay_valid_json_under_an_ascii_locale(tmp_path: Path) -> None:
    path = tmp_path / "lic.yaml"
    path.write_text(licence_text(holder='"北京😀公司"'), encoding="utf-8")
    result = run_process("show", "--json", str(path), env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0
    assert '"holder": "\\u5317\\u4eac\\ud83d\\ude00\\u516c\\u53f8"' in result.stdout
    assert json.loads(result.stdout)["licenses"][0]["holder"] == "北京😀公司"


@pytest.mark.parametrize("day", ["2003-12-31", "2100-01-01", "9999-12-31"])
def test_an_event_day_outside_the_calendar(day: str) -> None:
    result = run("due", "11", "--on", day)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: --on {day}: ")


@pytest.mark.parametrize("reference", ["１１", "11", "十一", "１５.８", "十五（八）"])
def test_clause_references_as_people_type_them(reference: str) -> None:
    # Full-width digits are what a Chinese input method types; 2026-03-02 + 30 days is 2026-04-01.
    due_date = "2026-04-01" if "１１" in reference or reference in ("11", "十一") else None
    result = run("due", reference, "--on", "2026-03-02", "--json")
    assert result.exit_code == 0, result.stderr
    if due_date is not None:
        assert json.loads(result.stdout)["due_date"] == due_date
    else:
        assert json.loads(result.stdout)["clause"] == "十五（八）"


def test_a_bidirectional_override_in_a_licence_number_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lic.yaml"
    path.write_text(licence_text(number='"B2-2021\\u202eKO"'), encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith(
        "number: has a bidirectional formatting character (U+202E) at character 8, which would "
        "reorder the text on screen; write it without"
    )
    check = run("renew-check", str(path))
    assert check.exit_code == 3 and "\u202e" not in check.stdout


def test_blank_environment_lists_mean_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LICENSECLI_HOLIDAYS", "  ")
    monkeypatch.setenv("LICENSECLI_LICENSE", "  ")
    result = run("renew-check", "--as-of", "2025-06-01")
    assert result.exit_code == 0 and result.stdout.startswith("LICENSE OK - B2-20210247")


# --- found by a second hostile run ------------------------------------------------------------


def test_a_symlink_planted_by_another_user_is_not_followed(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("planting a link as another user needs root")
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o1777)
    shared.chmod(0o1777)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    link = shared / "evil.csv"
    link.symlink_to(victim)
    os.lchown(link, 65534, 65534)  # nobody's link in a sticky shared folder
    for args in (["export", "--format", "csv", "-q", "-o", str(link)], ["renew-check", "-o", str(link)]):
        result = run(*args)
        assert result.exit_code in (1, 3)
        assert victim.read_text(encoding="utf-8") == "keep", args
    refused = run("export", "--format", "csv", "-q", "-o", str(link))
    assert refused.stderr == (
        f"error: {link}: is a symlink that another user (uid 65534) made here; licensecli does not "
        "follow it — give the file itself\n"
    )


def test_a_done_on_after_the_as_of_day_is_not_done_yet(tmp_path: Path) -> None:
    path = tmp_path / "lic.yaml"
    path.write_text(
        # valid_until: an event in late 2026 needs a licence valid then (the bundled one lapsed
        # on 2026-01-21, and an event after that is refused).
        licence_text(valid_until="2031-01-21").replace(
            "events: []",
            "events:\n  - {obligation: illegal-info-report, on: 2026-11-20, done_on: 2026-11-27}",
        ),
        encoding="utf-8",
    )
    # 10 working days after 2026-11-20 (Fri) is 2026-12-04 (Fri).
    before = json.loads(run("deadlines", str(path), "--json", "--all", "--as-of", "2026-11-25").stdout)
    row = next(d for d in before["deadlines"] if d["obligation"] == "illegal-info-report")
    assert (row["due_date"], row["status"], row["done_on"]) == ("2026-12-04", "due_soon", None)
    after = json.loads(run("deadlines", str(path), "--json", "--all", "--as-of", "2026-11-28").stdout)
    row = next(d for d in after["deadlines"] if d["obligation"] == "illegal-info-report")
    assert (row["status"], row["done_on"]) == ("done", "2026-11-27")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("ref: 十四", "ref: 九"),
            "the clause reference '九' is used twice (first as '九'); each clause needs its own",
        ),
        (
            ("number: B2-20210247", 'number: "B2-2021\\u200b0247"'),
            "has an invisible formatting character (U+200B)",
        ),
        (
            ("number: B2-20210247", 'number: "\\ufeffB2-20210247"'),
            "has an invisible formatting character (U+FEFF)",
        ),
        (("number: B2-20210247", "number: " + "B" * 65), "at most 64 characters"),
        (("number: B2-20210247", 'number: "B2-20210247 "'), "has spaces at its start or end"),
        (("schema_version: 1", "schema_version: 1.0"), "must be the whole number 1, not 1.0"),
        (("schema_version: 1", "schema_version: true"), "must be the whole number 1, not true"),
    ],
)
def test_more_hostile_licence_fields(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    text = licence_text()
    assert change[0] in text
    path = tmp_path / "lic.yaml"
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert message in result.stderr.splitlines()[0]


@pytest.mark.parametrize("number", ["b2-20210247", "Ｂ2-20210247"])
def test_a_number_that_differs_only_in_case_or_width_is_the_same_licence(tmp_path: Path, number: str) -> None:
    (tmp_path / "a.yaml").write_text(licence_text(), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(licence_text(number=number), encoding="utf-8")
    result = run("renew-check", str(tmp_path), "--as-of", "2025-06-01")
    assert result.exit_code == 3 and result.stdout.startswith("LICENSE UNKNOWN - B2-20210247 is in 2 files")
    assert run("deadlines", str(tmp_path)).exit_code == 1


@pytest.mark.parametrize("value", ["99999999999999999999999999", "1" * 400, "~:40000", "@1:99999"])
def test_an_absurd_threshold_is_a_usage_error(value: str) -> None:
    result = run("renew-check", "-w", value, "-c", "1")
    assert result.exit_code == 3 and result.stderr == ""
    assert "days beyond 36,600 (a hundred years)" in result.stdout


def test_prometheus_on_an_ascii_stdout_is_still_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "许可证"
    folder.mkdir()
    (folder / "许可证.yaml").write_text(licence_text(), encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "licensecli",
            "renew-check",
            str(folder),
            "--format",
            "prometheus",
            "--as-of",
            "2025-06-01",
        ],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert f'file="{folder}/许可证.yaml"'.encode() in result.stdout


def test_renew_check_stopped_by_sigterm_still_answers(tmp_path: Path) -> None:
    # 400 licences take a few seconds to read; a scheduler's SIGTERM after 1.5 seconds must still
    # get the plugin's one answer (UNKNOWN), not a silent death.
    folder = tmp_path / "many"
    folder.mkdir()
    text = licence_text()
    for i in range(400):
        (folder / f"l{i:03d}.yaml").write_text(
            text.replace("B2-20210247", f"B2-2099{i:04d}", 1), encoding="utf-8"
        )
    proc = subprocess.Popen(
        [sys.executable, "-m", "licensecli", "renew-check", "-t", "100", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # past start-up (~0.4 s), well before the end (~3.5 s)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert (proc.returncode, out, err) == (3, "LICENSE UNKNOWN - interrupted before the check was done\n", "")


def test_show_json_refuses_two_files_with_one_number(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(licence_text(), encoding="utf-8")
    b.write_text(licence_text(number="b2-20210247"), encoding="utf-8")
    for args in (["show", "--json"], ["show"], ["deadlines"], ["export", "--format", "csv", "-o", "-"]):
        result = run(*args, str(tmp_path))
        assert (result.exit_code, result.stdout) == (1, ""), args
        assert result.stderr.startswith("error: ") and " is in 2 files: " in result.stderr, args
        assert f"{a}, {b} (a copy or an old version? keep one)" in result.stderr
