"""Hostile licence files and paths (issue 12): numbers YAML 1.1 misreads, FIFOs and devices,
folders with broken symlinks or hidden files, paths the system refuses, two files with one
number, content that must not reach the terminal raw. Each case asserts the exit code and the
one-line message."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .conftest import BUNDLED, licence_text, run, run_process

# The rule of clause 十一 (clauses[11]), the first rule of this shape in the bundled licence.
RULE_11 = "rule: {kind: after, days: 30, unit: days, anchor: event, rollover: forward}"


def write(folder: Path, text: str, name: str = "lic.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def with_days(folder: Path, days: str) -> tuple[Path, int]:
    """A licence whose clause 十一 counts `days` as written, and the line of that rule."""
    text = licence_text().replace(RULE_11, RULE_11.replace("days: 30,", f"days: {days},"), 1)
    assert f"days: {days}," in text
    line = next(i for i, row in enumerate(text.splitlines(), 1) if f"days: {days}," in row)
    return write(folder, text), line


def problems(result: Any) -> tuple[int, list[str]]:
    """validate's exit code and the problems it listed on stderr (its last line counts them)."""
    lines = result.stderr.splitlines()
    assert lines[-1].endswith(" found"), lines
    return result.exit_code, lines[:-1]


def due_11(path: Path) -> object:
    return run("due", "11", "--on", "2026-03-02", "-l", str(path))


# --- numbers: read as written or refused, with what to write ---------------------------------

NUMBERS = [
    ("030", "'030' has a leading zero, which YAML 1.1 takes as octal; write 30"),
    ("0030", "'0030' has a leading zero, which YAML 1.1 takes as octal; write 30"),
    ("-030", "'-030' has a leading zero, which YAML 1.1 takes as octal; write -30"),
    ("00", "'00' has a leading zero, which YAML 1.1 takes as octal; write 0"),
    ("090", "'090' has a leading zero, which YAML 1.1 takes as octal; write 90"),  # text to YAML 1.1
    ("0o30", "'0o30' is octal; write 24 in decimal"),
    ("0x1e", "'0x1e' is hexadecimal; write 30 in decimal"),
    ("0b11", "'0b11' is binary; write 3 in decimal"),
    ("1_000", "'1_000' has digit separators (_); write 1000"),
    ("1:30", "'1:30' is read by YAML 1.1 as the base-60 number 90; write 90"),
    ("+30", "'+30' has a plus sign; write 30"),
    ("3e1", "'3e1' is not written as a whole number; write 30"),
    ("30.0", "should be a whole number; write 30"),
    ('"030"', "'030' has a leading zero, which YAML 1.1 takes as octal; write 30"),
    ("1" * 40, "'111111111111…' is a number of 40 digits: far too large"),
]


@pytest.mark.parametrize(("days", "message"), NUMBERS)
def test_a_number_yaml_would_misread_is_refused_with_a_hint(tmp_path: Path, days: str, message: str) -> None:
    path, line = with_days(tmp_path, days)
    expected = f"{path}:{line}: clauses[11].obligations[0].rule.days: {message}"
    result = due_11(path)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {expected}\n")
    checked = run("validate", str(path))
    assert checked.stdout == ""
    assert problems(checked) == (1, [expected])


@pytest.mark.parametrize(("days", "due"), [("0", "2026-03-02"), ("30", "2026-04-01"), ("-0", "2026-03-02")])
def test_plain_numbers_are_read_as_written(tmp_path: Path, days: str, due: str) -> None:
    path, _ = with_days(tmp_path, days)
    result = due_11(path)
    assert result.exit_code == 0, result.stderr
    assert f"Due: {due}" in result.stdout
    assert run("validate", str(path)).exit_code == 0


def test_octal_spelling_is_refused_in_every_number_field(tmp_path: Path) -> None:
    text = licence_text(schema_version="01", renew_check="\n  warning: 090\n  critical: 030")
    path = write(tmp_path, text)
    first = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("schema_version:"))
    last = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("renew_check:")) + 2
    assert problems(run("validate", str(path))) == (
        1,
        [
            f"{path}:{first}: schema_version: '01' has a leading zero, which YAML 1.1 takes as octal; write 1",
            f"{path}:{last - 1}: renew_check.warning: '090' has a leading zero, which YAML 1.1 takes as octal; write 90",
            f"{path}:{last}: renew_check.critical: '030' has a leading zero, which YAML 1.1 takes as octal; write 30",
        ],
    )


def test_octal_spelling_is_refused_in_a_holiday_file(tmp_path: Path) -> None:
    hol = write(tmp_path, "source: test\nyears: [02027]\ndays_off: []\n", "hol.yaml")
    result = run("workdays", "is", "2027-01-04", "--holidays", str(hol))
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {hol}:2: years[0]: '02027' has a leading zero, which YAML 1.1 takes as octal; write 2027\n",
    )


@pytest.mark.parametrize("value", ["030", "0x1e", "1:30", "yes", "off", "On"])
def test_a_text_field_takes_them_as_written(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, licence_text(holder=value))
    result = run("show", "--json", str(path))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["licenses"][0]["holder"] == value


@pytest.mark.parametrize("value", ["true", "30", "2.5"])
def test_a_number_or_boolean_in_a_text_field_says_to_quote_it(tmp_path: Path, value: str) -> None:
    text = licence_text(holder=value)
    path = write(tmp_path, text)
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("holder:"))
    result = run("show", str(path))
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {path}:{line}: holder: should be text (write it in quotes)\n",
    )


def test_validate_lists_reader_problems_with_the_models(tmp_path: Path) -> None:
    text = licence_text(holder="", valid_until="2026-02-30")
    path = write(tmp_path, text.replace(RULE_11, RULE_11.replace("days: 30,", "days: 030,"), 1))
    code, lines = problems(run("validate", str(path)))
    assert (code, len(lines)) == (1, 3)
    assert any(row.endswith(": holder: missing (this field is required)") for row in lines)
    assert any(row.endswith(": valid_until: '2026-02-30' is not a real date (YYYY-MM-DD)") for row in lines)
    assert any("clauses[11].obligations[0].rule.days: '030' has a leading zero" in row for row in lines)


# --- FIFOs and devices: refused before opening, never waited on -------------------------------


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    path = tmp_path / "lic.yaml"
    os.mkfifo(path)
    return path


def test_a_fifo_is_not_a_licence(fifo: Path) -> None:
    message = f"{fifo}: not a regular file (a FIFO)"
    for args, env in (
        (("show", str(fifo)), None),
        (("due", "11", "--on", "2026-03-02", "-l", str(fifo)), None),
        (("deadlines",), {"LICENSECLI_LICENSE": str(fifo)}),
        (("export", "--format", "csv", "-o", "-", str(fifo.parent)), None),  # in a folder
    ):
        result = run_process(*args, env=env, timeout=30)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", f"error: {message}\n"), args
    checked = run_process("validate", str(fifo))
    assert (checked.returncode, checked.stderr.splitlines()[0]) == (1, message)
    check = run_process("renew-check", "--as-of", "2025-06-01", env={"LICENSECLI_LICENSE": str(fifo)})
    assert (check.returncode, check.stdout, check.stderr) == (3, f"LICENSE UNKNOWN - {message}\n", "")


def test_a_device_is_not_a_licence() -> None:
    result = run("show", os.devnull)
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {os.devnull}: not a regular file (a character device)\n",
    )


# --- folders ---------------------------------------------------------------------------------


def test_a_broken_symlink_in_a_folder_is_reported(tmp_path: Path) -> None:
    write(tmp_path, licence_text(), "a.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "gone.yaml")
    message = f"{tmp_path / 'b.yaml'}: a broken symlink (it points to {tmp_path / 'gone.yaml'}, which does not exist)"
    shown = run("show", str(tmp_path))
    assert (shown.exit_code, shown.stderr) == (1, f"error: {message}\n")
    checked = run("validate", str(tmp_path))
    assert problems(checked) == (1, [message])
    check = run("renew-check", "--as-of", "2025-06-01", str(tmp_path))
    assert (check.exit_code, check.stdout, check.stderr) == (3, f"LICENSE UNKNOWN - {message}\n", "")


def test_hidden_files_and_subfolders_are_not_licences(tmp_path: Path) -> None:
    write(tmp_path, licence_text(), "a.yaml")
    write(tmp_path, licence_text(), ".a.yaml")  # same number: read, it would be a duplicate
    (tmp_path / "._a.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")  # AppleDouble
    (tmp_path / "old.yaml").mkdir()
    result = run("validate", str(tmp_path))
    assert (result.exit_code, result.stdout, result.stderr) == (0, run("validate", str(BUNDLED)).stdout, "")
    assert run("show", str(tmp_path)).exit_code == 0


def test_a_folder_of_hidden_files_only_has_no_licences(tmp_path: Path) -> None:
    write(tmp_path, licence_text(), ".a.yaml")
    result = run("deadlines", str(tmp_path))
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {tmp_path}: the folder has no licence files (*.yaml, *.yml)\n",
    )


def test_a_folder_that_cannot_be_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    write(locked, licence_text(), "a.yaml")
    real_scandir = os.scandir

    def deny(path):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    message = f"{locked}: the folder cannot be opened (permission denied)"
    for command in ("show", "deadlines", "validate"):
        result = run(command, str(locked))
        assert (result.exit_code, result.stderr) == (1, f"error: {message}\n"), command
    check = run("renew-check", "--as-of", "2025-06-01", str(locked))
    assert (check.exit_code, check.stdout) == (3, f"LICENSE UNKNOWN - {message}\n")


def test_a_licence_that_cannot_be_read_in_a_folder(
    tmp_path: Path, deny_reading: Callable[[Path], None]
) -> None:
    write(tmp_path, licence_text(), "a.yaml")
    secret = write(tmp_path, licence_text(), "b.yaml")
    deny_reading(secret)
    assert problems(run("validate", str(tmp_path))) == (1, [f"{secret}: not readable (permission denied)"])


@pytest.mark.parametrize("value", [":", "a::b", "a:", ":a"])
def test_an_empty_entry_in_the_licence_variable_is_an_error(tmp_path: Path, value: str) -> None:
    message = (
        f"LICENSECLI_LICENSE='{value}' has an empty entry; separate the licence paths with one ':' "
        "and none at either end"
    )
    env = {"LICENSECLI_LICENSE": value}
    checked = run("validate", env=env)
    assert (checked.exit_code, checked.stdout, checked.stderr) == (1, "", f"error: {message}\n")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("the previous sheet\n", encoding="utf-8")
    export = run("export", "--format", "csv", "-o", str(sheet), env=env)
    assert (export.exit_code, export.stderr) == (1, f"error: {message}\n")
    assert sheet.read_text(encoding="utf-8") == "the previous sheet\n"  # never replaced by an empty one
    check = run("renew-check", env=env)
    assert (check.exit_code, check.stdout) == (3, f"LICENSE UNKNOWN - {message}\n")


# --- paths the system refuses: one error line, exit 1 -----------------------------------------


def test_a_path_too_long(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = "a" * 300 + ".yaml"
    shown = f"{name[:120]}…{name[-60:]}"
    for command in ("show", "validate"):
        result = run(command, name)
        assert result.exit_code == 1
        assert (result.stdout + result.stderr).splitlines()[0].removeprefix("error: ") == (
            f"{shown}: the path is too long (305 characters)"
        ), command


def test_a_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(tmp_path / "other.yaml")
    (tmp_path / "other.yaml").symlink_to(loop)
    result = run("show", str(loop))
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {loop}: a symlink loop (too many levels of symbolic links)\n",
    )


def test_a_file_used_as_a_folder(tmp_path: Path) -> None:
    path = write(tmp_path, licence_text()) / "x.yaml"
    result = run("show", str(path))
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {path}: no such file (a part of the path is not a folder)\n",
    )


def test_an_unreadable_licence_is_one_error_line(
    tmp_path: Path, deny_reading: Callable[[Path], None]
) -> None:
    path = write(tmp_path, licence_text())
    deny_reading(path)
    for args in (("deadlines", str(path)), ("due", "11", "--on", "2026-03-02", "-l", str(path))):
        result = run(*args)
        assert (result.exit_code, result.stderr) == (1, f"error: {path}: not readable (permission denied)\n")


# --- two files, one number -------------------------------------------------------------------


def test_two_files_with_one_number_are_refused(tmp_path: Path) -> None:
    a = write(tmp_path, licence_text(), "a.yaml")
    b = write(tmp_path, licence_text(holder="旧名称有限公司"), "b.yaml")
    message = f"B2-20210247 is in 2 files: {a}, {b} (a copy or an old version? keep one)"
    for args in (
        ("show", str(tmp_path)),
        ("deadlines", str(a), str(b)),
        ("export", "--format", "csv", "-o", "-", str(tmp_path)),
    ):
        result = run(*args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {message}\n"), args
    line = next(i for i, row in enumerate(licence_text().splitlines(), 1) if row.startswith("number:"))
    checked = run("validate", str(tmp_path))
    assert problems(checked) == (1, [f"{b}:{line}: number: {message}"])


def test_one_file_named_twice_is_one_licence(tmp_path: Path) -> None:
    path = write(tmp_path, licence_text())
    assert run("show", str(path), str(tmp_path / "." / "lic.yaml"), str(tmp_path)).exit_code == 0


# --- nothing from a file reaches the terminal raw --------------------------------------------


def test_a_single_value_is_shown_as_a_short_escaped_excerpt(tmp_path: Path) -> None:
    path = write(tmp_path, '"\\e]0;owned\\a\\e[2J\\e[31m' + "x" * 5000 + '"\n')
    result = run("show", str(path))
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: {path}:1: a licence file is a mapping of fields (number:, valid_until:, clauses: …), "
        "not a single value ('\\x1b]0;owned\\x07\\x1b[2J\\x1b[31m" + "x" * 21 + "…')\n",
    )


def test_a_control_character_in_the_file_is_named_not_echoed(tmp_path: Path) -> None:
    path = tmp_path / "lic.yaml"
    path.write_bytes("holder: 许可证许可证\nkind: x\x1b[2Jy\n".encode())
    assert problems(run("validate", str(path))) == (
        1,
        [f"{path}:2: not valid YAML: the character U+001B is not allowed (a control character?)"],
    )


def test_keys_and_values_in_messages_are_escaped_and_short(tmp_path: Path) -> None:
    key = "\\e[31m" + "k" * 100
    text = (
        licence_text()
        .replace("issuer:", f'"{key}": 1\nissuer:', 1)
        .replace("schema_version: 1", 'schema_version: "\\u202e1"')
    )
    path = write(tmp_path, text)
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
    assert f": \\x1b[31m{'k' * 35}…: unknown key" in result.stderr
    assert "schema_version: Input should be 1, not '\\u202e1'" in result.stderr


def test_a_file_name_with_an_escape_sequence_is_escaped(tmp_path: Path) -> None:
    write(tmp_path, "- not a licence\n", "\x1b[31mred.yaml")
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{tmp_path}/\\x1b[31mred.yaml:1: a licence file is a mapping")
    assert "\x1b" not in result.stderr
