"""The batch path gives exactly the answers of the single-query path (repeated questions, which
the batch answers from memory, included), and the calendar index agrees with chinese-calendar's
own day-by-day answer over every year it publishes."""

from __future__ import annotations

import datetime as dt
import errno
import functools
import io
import json
import random
import warnings
from pathlib import Path
from typing import Any

import pytest

from licensecli import loader
from licensecli.batch import TooLong, answer_lines, bounded_lines
from licensecli.errors import InputError
from licensecli.models import License
from licensecli.workdays import Calendar

from .conftest import BUNDLED, run

REFS = [
    "9",
    "illegal-info-report",
    "十一",
    "15.8",
    "8",
    "local-office-change-report",
    "registration-change-application",
]


def test_batch_equals_single_queries() -> None:
    rng = random.Random(7)
    queries = [
        {
            "obligation": rng.choice(REFS),
            "on": (dt.date(2023, 6, 1) + dt.timedelta(rng.randrange(1300))).isoformat(),
        }
        for _ in range(25)
    ]
    queries += queries[:5]  # asked again: answered from the batch's memory
    queries += [{"obligation": "renewal-application"}, {"obligation": "annual-report", "year": 2025}]
    text = "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries)
    batch = run("due", "--batch", "-", "--as-of", "2026-11-28", input=text)
    assert batch.exit_code == 0
    lines = batch.stdout.splitlines()
    assert len(lines) == len(queries)
    for query, line in zip(queries, lines, strict=True):
        args = ["due", query["obligation"], "--json", "--as-of", "2026-11-28"]
        if "on" in query:
            args += ["--on", query["on"]]
        if "year" in query:
            args += ["--year", str(query["year"])]
        single = run(*args)
        assert single.exit_code == 0
        assert json.loads(line) == json.loads(single.stdout)


@pytest.mark.parametrize("year", range(2004, 2027))
def test_index_agrees_with_chinese_calendar(year: int) -> None:
    import chinese_calendar

    calendar = Calendar()
    start = dt.date(year, 1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        days = [start + dt.timedelta(n) for n in range(366) if (start + dt.timedelta(n)).year == year]
        assert [calendar.is_workday(d) for d in days] == [chinese_calendar.is_workday(d) for d in days]
        if year < 2026:  # n = 10 from each month's first working day, as chinese-calendar finds it
            for month in range(1, 13):
                # find_workday(0, d) is the first working day on or after d; from a working day,
                # find_workday(10, d) is the 10th working day after it, as licensecli counts (R4).
                first = chinese_calendar.find_workday(0, dt.date(year, month, 1))
                assert calendar.add(first, 10).date == chinese_calendar.find_workday(10, first)


# --- bounded_lines and answer_lines, without the command line ---------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", []),
        (b"\n\n", [b"\n", b"\n"]),
        (b"abcd", [b"abcd"]),
        (b"abcd\n", [b"abcd\n"]),
        (b"abcde", [TooLong(5, 4)]),
        (b"abcde\n", [TooLong(5, 4)]),
        (b"abcd\nabcde\nab", [b"abcd\n", TooLong(5, 4), b"ab"]),
        (b"abcdefgh\nx", [TooLong(8, 4), b"x"]),  # the rest ends exactly on a piece's newline
        (b"abcdefghijklm\n\n", [TooLong(13, 4), b"\n"]),
        (b"abcdefghijklm", [TooLong(13, 4)]),  # no newline at the end of the input
    ],
)
def test_bounded_lines(data: bytes, expected: list[bytes | TooLong]) -> None:
    assert list(bounded_lines(io.BytesIO(data), limit=4)) == expected


class _Recording(io.BytesIO):
    """A stream that remembers the longest piece any readline returned."""

    longest = 0

    def readline(self, size: int | None = -1) -> bytes:
        piece = super().readline(size)
        self.longest = max(self.longest, len(piece))
        return piece


def test_bounded_lines_never_holds_more_than_a_piece() -> None:
    stream = _Recording(b"x" * 10_000_000 + b"\n{}\n")
    assert list(bounded_lines(stream, limit=1000)) == [TooLong(10_000_000, 1000), b"{}\n"]
    assert stream.longest == 1001


def test_a_failing_read_is_an_input_error_naming_the_input() -> None:
    class Failing(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            raise IsADirectoryError(errno.EISDIR, "Is a directory")

    with pytest.raises(InputError, match=r"^standard input: cannot be read \(Is a directory\)$"):
        list(bounded_lines(io.BufferedReader(Failing()), name="standard input"))


@functools.cache
def _bundled() -> License:
    return loader.load_one(None)


def _batch(lines: Any, out: Any, format_answer: Any = None) -> int:
    return answer_lines(
        lines,
        out,
        _bundled(),
        Calendar(),
        dt.date(2026, 11, 28),
        format_answer or (lambda answer: f"{answer.obligation} {answer.due_date}"),
        lambda number, message: f"{number}: {message}",
    )


def test_answer_lines_reads_a_stream_bounded_and_writes_utf8_beneath_a_text_stream() -> None:
    data = b'{"obligation":"\xe5\x8d\x81\xe4\xb8\x80","on":"2025-06-02"}\n' + b" " * (2 << 20) + b"\n"
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    assert _batch(io.BufferedReader(io.BytesIO(data)), out) == 1
    out.flush()
    assert out.buffer.getvalue().decode("utf-8").splitlines() == [  # type: ignore[attr-defined]
        "entity-change-application 2025-07-02",
        "2: the line is 2,097,152 bytes long, over the limit of 1,048,576; skipped",
    ]


def test_a_fault_of_ours_fails_the_line_not_the_batch() -> None:
    def format_answer(answer: Any) -> str:
        if answer.event_date == dt.date(2025, 6, 3):
            raise OverflowError("date value out of range")
        return str(answer.due_date)

    out = io.BytesIO()
    lines = [
        b'{"obligation":"9","on":"2025-06-02"}',
        b'{"obligation":"9","on":"2025-06-03"}',
        b'{"obligation":"9","on":"2025-06-04"}',
    ]
    assert _batch(lines, out, format_answer) == 1
    assert out.getvalue().decode("utf-8").splitlines() == [
        "2025-06-16",
        "2: internal error (OverflowError: date value out of range); please report it",
        "2025-06-18",
    ]


def test_a_failing_output_ends_the_batch() -> None:
    class Gone(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    with pytest.raises(BrokenPipeError):
        _batch([b'{"obligation":"9","on":"2025-06-02"}'], Gone())


def test_a_licence_file_is_read_once_however_often_it_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    bad = Path("bad.yaml")
    bad.write_text("holder: x\n", encoding="utf-8")
    reads: list[Path] = []
    real = loader.load_license
    _bundled()  # the default licence, read before counting

    def counting(path: Path) -> Any:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(loader, "load_license", counting)
    line = json.dumps({"obligation": "9", "on": "2025-06-02", "license": str(bad)}).encode()
    good = json.dumps({"obligation": "9", "on": "2025-06-02", "license": str(BUNDLED)}).encode()
    out = io.BytesIO()
    assert _batch([line, good, line, good], out) == 2
    assert reads == [bad, BUNDLED]
    error = f"\"license\" '{bad}': not a valid licence file (`licensecli validate {bad}` says why)"
    assert out.getvalue().decode("utf-8").splitlines() == [
        f"1: {error}",
        "illegal-info-report 2025-06-16",
        f"3: {error}",
        "illegal-info-report 2025-06-16",
    ]
