"""Hostile `due --batch` input: every bad line is its own `{"line": N, "error": …}` object and the
batch goes on (never "internal error"); blank lines are skipped; a line is bounded (1 MiB); input
and output are UTF-8 whatever the locale; a closed stdin is one error line."""

from __future__ import annotations

import functools
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BUNDLED, run, run_process

AS_OF = "2026-11-28"
GOOD = '{"obligation":"9","on":"2025-06-02"}'
DATED = (
    "license-expiry, major-incident-report, illegal-info-handling, illegal-info-report, entity-change-application, "
    "local-office-change-report, renewal-application, provincial-license-cancellation, annual-report, "
    "security-assessment-report, registration-change-application"
)


def unknown(shown: str) -> str:
    """The error for a reference that names no obligation of the bundled licence."""
    return (
        f"'{shown}' is neither an obligation id nor a clause of licence B2-20210247; "
        f"see `licensecli show` (dated ones: {DATED})"
    )


@functools.cache
def good_answer() -> dict[str, object]:
    """What the single-query path answers for GOOD."""
    single = run("due", "9", "--on", "2025-06-02", "--json", "--as-of", AS_OF)
    assert single.exit_code == 0
    return dict(json.loads(single.stdout))


def year(value: str) -> str:
    return '{"obligation":"annual-report","year":' + value + "}"


def licence(path: str) -> str:
    return json.dumps({"obligation": "9", "on": "2025-06-02", "license": path})


def obligation(reference: str) -> str:
    return json.dumps({"obligation": reference}, ensure_ascii=False)


RANGE = "give a year from 2004 to 2099 (the calendar's range)"

HOSTILE: list[tuple[str, str | bytes, str]] = [
    # (id, the line, the error it must get)
    ("year-10^23", year("100000000000000000000000"), f'"year" 100000000000000000000000: {RANGE}'),
    ("year-0", year("0"), f'"year" 0: {RANGE}'),
    ("year-10000", year("10000"), f'"year" 10000: {RANGE}'),
    ("year-negative", year("-2026"), f'"year" -2026: {RANGE}'),
    ("year-4000-digits", year("9" * 4000), f'"year" {"9" * 59}…: {RANGE}'),
    ("year-5000-digits", year("9" * 5000), "not JSON: a number of more than 4300 digits"),
    ("year-float", year("2026.0"), '"year" must be a whole number'),
    ("year-bool", year("true"), '"year" must be a whole number'),
    ("year-infinity", year("1e999"), '"year" must be a whole number'),
    ("nested-100000", "[" * 100_000, "not JSON: nested too deeply"),
    ("nested-in-a-field", '{"obligation":' + "[" * 100_000, "not JSON: nested too deeply"),
    ("obligation-circled-digit", obligation("①"), unknown("①")),
    ("obligation-superscript", obligation("²"), unknown("²")),
    ("obligation-sub-superscript", obligation("15.²"), unknown("15.²")),
    ("obligation-circled-sub", obligation("十五（②）"), unknown("十五（②）")),
    ("obligation-5000-digits", obligation("7" * 5000), unknown("7" * 40 + "…")),
    ("obligation-lone-surrogate", '{"obligation":"\\ud800"}', unknown("\ud800")),
    ("obligation-number", '{"obligation":9}', '"obligation" (a string) is required'),
    ("obligation-missing", '{"on":"2025-06-02"}', '"obligation" (a string) is required'),
    ("license-empty", licence(""), '"license" is empty: give the path of a licence file'),
    (
        "license-300-chars",
        licence("x" * 300),
        f"\"license\" '{'x' * 59}…': cannot be read (File name too long)",
    ),
    ("license-nul", licence("a\0b.yaml"), "\"license\" 'a\\x00b.yaml': a path cannot hold a NUL character"),
    ("license-folder", licence("folder"), "\"license\" 'folder': a folder; give the path of a licence file"),
    ("license-dot", licence("."), "\"license\" '.': a folder; give the path of a licence file"),
    (
        "license-fifo",
        licence("fifo.yaml"),
        "\"license\" 'fifo.yaml': not a regular file; give the path of a licence file",
    ),
    (
        "license-device",
        licence("/dev/zero"),
        "\"license\" '/dev/zero': not a regular file; give the path of a licence file",
    ),
    (
        "license-missing",
        licence("gone.yaml"),
        "\"license\" 'gone.yaml': cannot be read (No such file or directory)",
    ),
    (
        "license-not-a-licence",
        licence("notes.yaml"),
        "\"license\" 'notes.yaml': not a valid licence file (`licensecli validate notes.yaml` says why)",
    ),
    (
        "license-number",
        '{"obligation":"9","license":7}',
        '"license" must be a string: the path of a licence file',
    ),
    (
        "on-9999",
        '{"obligation":"11","on":"9999-12-31"}',
        '"on" 9999-12-31: give a day from 2004-01-01 to 2099-12-31 (the calendar\'s range)',
    ),
    (
        "on-0001",
        '{"obligation":"11","on":"0001-01-01"}',
        '"on" 0001-01-01: give a day from 2004-01-01 to 2099-12-31 (the calendar\'s range)',
    ),
    (
        "on-not-a-day",
        '{"obligation":"9","on":"2026-02-30"}',
        "\"on\": '2026-02-30' is not a real date (day is out of range for month)",
    ),
    (
        "on-long",
        '{"obligation":"9","on":"' + "2" * 5000 + '"}',
        f"\"on\": '{'2' * 59}…' is not a date; write YYYY-MM-DD, e.g. 2026-01-21",
    ),
    ("on-number", '{"obligation":"9","on":20250602}', '"on" must be a "YYYY-MM-DD" string'),
    (
        "unknown-field",
        '{"obligation":"9","when":"2025-06-02"}',
        "unknown field 'when' (obligation, on, at, year, license)",
    ),
    (
        "unknown-long-field",
        '{"' + "k" * 5000 + '":1}',
        f"unknown field '{'k' * 59}…' (obligation, on, at, year, license)",
    ),
    ("not-utf8", b'{"obligation":"\xff"}', "not UTF-8 text"),
    (
        "not-json",
        "{",
        "not JSON: Expecting property name enclosed in double quotes (column 2)",
    ),
    ("not-an-object", "[]", "each line must be a JSON object"),
    ("nul-byte", b"\0", "not JSON: Expecting value (column 1)"),
]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current folder holding a folder, a named pipe and a file that is not a licence."""
    (tmp_path / "folder").mkdir()
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "notes.yaml").write_text("the root password is hunter2\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("line", "error"), [row[1:] for row in HOSTILE], ids=[row[0] for row in HOSTILE])
def test_a_hostile_line_is_its_own_error_and_the_batch_goes_on(
    workdir: Path, line: str | bytes, error: str
) -> None:
    raw = line if isinstance(line, bytes) else line.encode("utf-8")
    result = run(
        "due", "--batch", "-", "--as-of", AS_OF, input=b"\n".join([GOOD.encode(), raw, GOOD.encode(), b""])
    )
    assert result.exit_code == 1
    assert result.stderr == ""
    lines = [json.loads(text) for text in result.stdout.splitlines()]
    assert lines == [good_answer(), {"line": 2, "error": error}, good_answer()]
    assert "hunter2" not in result.stdout


def test_a_licence_file_named_on_a_line_is_used(workdir: Path) -> None:
    line = licence(str(BUNDLED))
    result = run("due", "--batch", "-", "--as-of", AS_OF, input=f"{line}\n{line}\n")
    assert result.exit_code == 0
    assert [json.loads(text) for text in result.stdout.splitlines()] == [good_answer(), good_answer()]


def test_blank_lines_are_skipped_but_counted(workdir: Path) -> None:
    text = f"\n{GOOD}\n   \n\t\r\n{{\n{GOOD}\r\n\n"
    result = run("due", "--batch", "-", "--as-of", AS_OF, input=text)
    assert result.exit_code == 1  # line 5 only
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        good_answer(),
        {
            "line": 5,
            "error": "not JSON: Expecting property name enclosed in double quotes (column 2)",
        },
        good_answer(),
    ]


def test_a_blank_trailing_line_is_not_a_failure(workdir: Path) -> None:
    result = run("due", "--batch", "-", "--as-of", AS_OF, input=f"{GOOD}\n\n")
    assert result.exit_code == 0
    assert [json.loads(line) for line in result.stdout.splitlines()] == [good_answer()]


def test_a_line_of_exactly_one_mib_is_read_one_byte_more_is_not(workdir: Path) -> None:
    limit = 1 << 20
    fits = GOOD + " " * (limit - len(GOOD))
    too_long = GOOD + " " * (limit + 1 - len(GOOD))
    result = run("due", "--batch", "-", "--as-of", AS_OF, input=f"{fits}\n{too_long}\n{GOOD}")
    assert result.exit_code == 1
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        good_answer(),
        {"line": 2, "error": "the line is 1,048,577 bytes long, over the limit of 1,048,576; skipped"},
        good_answer(),
    ]


def _process(
    args: list[str], stdin: int | None, env: dict[str, str] | None = None, memory: int | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`python -m licensecli ARGS` on the given stdin (-1: closed), bytes out, address space
    limited to `memory` bytes if given."""

    def prepare() -> None:
        if stdin == -1:
            os.close(0)
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "licensecli", *args],
        stdin=None if stdin == -1 else stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        preexec_fn=prepare,
        timeout=120,
        check=False,
    )


def test_a_closed_stdin_is_one_error_line() -> None:
    result = _process(["due", "--batch", "-"], stdin=-1)
    assert result.returncode == 1
    assert result.stdout == b""
    assert (
        result.stderr == b"error: --batch -: standard input is closed; pipe the questions in or name a file\n"
    )


def test_a_long_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    # 48 MiB of NUL bytes without a newline, then a good question: read in 1 MiB pieces within
    # 384 MiB of address space, that line is its own error and the next one is answered.
    script = f"head -c 48M /dev/zero; printf '\\n%s\\n' '{GOOD}'"
    feeder = subprocess.Popen(["sh", "-c", script], stdout=subprocess.PIPE)
    assert feeder.stdout is not None
    try:
        result = _process(
            ["due", "--batch", "-", "--as-of", AS_OF], stdin=feeder.stdout.fileno(), memory=384 << 20
        )
    finally:
        feeder.stdout.close()
        feeder.wait(timeout=60)
    assert result.stderr == b""
    assert result.returncode == 1
    lines = result.stdout.decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"line": 1, "error": "the line is 50,331,648 bytes long, over the limit of 1,048,576; skipped"},
        good_answer(),
    ]


def test_an_endless_line_ends_the_batch_in_bounded_time_and_memory() -> None:
    # /dev/zero never ends its first line: past 64 MiB the batch stops with one error line.
    with open("/dev/zero", "rb") as zero:
        result = _process(["due", "--batch", "-", "--as-of", AS_OF], stdin=zero.fileno(), memory=384 << 20)
    assert result.returncode == 1 and result.stdout == b""
    assert result.stderr == (
        b"error: standard input: a line of more than 67,108,864 bytes with no end in sight; "
        b"this is not JSON Lines (one question per line)\n"
    )


def test_ascii_locale_still_reads_and_writes_utf8(tmp_path: Path) -> None:
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        '{"obligation":"十一","on":"2025-06-02"}\n{"obligation":"十二三"}\n', encoding="utf-8"
    )
    single = run("due", "十一", "--on", "2025-06-02", "--json", "--as-of", AS_OF)
    expected = json.dumps(json.loads(single.stdout), ensure_ascii=False, separators=(",", ":")) + "\n"
    expected += (
        json.dumps({"line": 2, "error": unknown("十二三")}, ensure_ascii=False, separators=(",", ":")) + "\n"
    )
    for source in (str(questions), "-"):
        with questions.open("rb") as stdin:
            result = _process(
                ["due", "--batch", source, "--as-of", AS_OF],
                stdin=stdin.fileno(),
                env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"},
            )
        assert result.stderr == b""
        assert result.returncode == 1
        assert result.stdout.decode("utf-8") == expected  # UTF-8 as it is: 十一, not \\u escapes


def test_the_batch_in_a_process_answers_every_line(tmp_path: Path) -> None:
    # the text lines of the table in one real process: an error line each, numbered in order
    lines = [line for _, line, _ in HOSTILE if isinstance(line, str)]
    result = run_process("due", "--batch", "-", "--as-of", AS_OF, input="\n".join(lines) + "\n\n")
    assert result.stderr == ""
    assert result.returncode == 1
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [answer["line"] for answer in answers] == list(range(1, len(lines) + 1))
    assert not [answer for answer in answers if "internal error" in answer["error"]]


def test_a_key_given_twice_is_that_lines_error() -> None:
    result = run("due", "--batch", "-", input='{"obligation": "9", "on": "2026-11-20", "on": "2026-11-21"}\n')
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"line": 1, "error": "the key 'on' appears twice; give it once"}
