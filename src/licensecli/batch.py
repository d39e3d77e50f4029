"""`due --batch`: JSON Lines questions in, JSON Lines answers out, in the same order.

A bad line gets an error line and the batch goes on; the caller learns how many lines failed.
Plain Python over the engine, usable without the command line: the caller says how an answer
and an error are written (the command line writes JSON Lines through output.documents).
Input and output are UTF-8 bytes whatever the locale, as JSON Lines are; no line is held in
memory beyond LINE_LIMIT bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO, cast

from licensecli import engine, loader
from licensecli.dates import parse_date
from licensecli.engine import DueAnswer
from licensecli.errors import InputError, LicenseCliError
from licensecli.models import License
from licensecli.workdays import FIRST_DAY, FIRST_YEAR, LAST_DAY, LAST_YEAR, Calendar

CACHE_SIZE = 50_000
LICENCE_CACHE_SIZE = 1_000  # licence files (or why one failed) kept by path
LINE_LIMIT = 1 << 20  # 1 MiB: no question is that long; a longer line is refused unread
SHOWN = 60  # characters of a value an error message repeats
FIELDS = frozenset({"obligation", "on", "at", "year", "license"})
_BLANK = b" \t\r\n"  # JSON's whitespace: a line of only these is skipped


@dataclass(frozen=True)
class TooLong:
    """A line longer than `limit` bytes, read past rather than kept: `size` is its length."""

    size: int
    limit: int


DISCARD_LIMIT = 64 * LINE_LIMIT  # past this, an over-long line ends the batch rather than run for ever


def bounded_lines(
    stream: IO[bytes], limit: int = LINE_LIMIT, name: str = "the input"
) -> Iterator[bytes | TooLong]:
    """The lines of a binary stream, each with its newline; one longer than `limit` bytes (not
    counting the newline) is a TooLong, its bytes read and dropped in pieces of at most `limit`.
    A file or stdin of any size, /dev/zero included, thus never holds more than one piece.
    A failing read (stdin a folder, or open for writing only) is an InputError naming `name`."""
    readline = stream.readline
    try:
        while True:
            line = readline(limit + 1)
            if not line:
                return
            if len(line) <= limit or line.endswith(b"\n"):
                yield line
                continue
            size = len(line)
            while True:
                rest = readline(limit)
                size += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
                if size > DISCARD_LIMIT:  # /dev/zero: a line with no end is no JSON Lines input
                    raise InputError(
                        f"{name}: a line of more than {DISCARD_LIMIT:,} bytes with no end in sight; "
                        "this is not JSON Lines (one question per line)"
                    )
            yield TooLong(size - rest.endswith(b"\n"), limit)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None


def answer_lines(
    lines: Iterable[bytes | TooLong] | IO[bytes],
    out: IO[bytes] | TextIO,
    default_license: License,
    calendar: Calendar,
    today: dt.date,
    format_answer: Callable[[DueAnswer], str],
    format_error: Callable[[int, str], str],
) -> int:
    """Answer each JSON Lines question on `out`, one line each (an answer, or line N's error);
    blank lines are skipped but counted. Returns how many lines failed.

    `lines` may be a binary stream: it is read with bounded_lines. The answers are UTF-8 bytes;
    a text stream for `out` is written through the bytes beneath it, whatever its encoding.
    Only a failure to write `out` ends the batch (it propagates: nobody would read the rest).
    """
    if isinstance(lines, io.IOBase):
        lines = bounded_lines(cast(IO[bytes], lines))
    if isinstance(out, io.TextIOBase):
        out.flush()  # what it holds goes first
        out = cast(TextIO, out).buffer
    write = cast(IO[bytes], out).write
    licenses: dict[str, License | LicenseCliError] = {}
    failed = 0
    # The same question gets the same answer: scripts often ask about the same days again and
    # again, so each distinct answer line is computed once (bounded, so memory stays small).
    answers: dict[tuple[str | None, str, str | None, int | None, str], bytes] = {}
    memo: dict[tuple[object, ...], Any] = {}  # rule computations, shared by licences alike
    for number, raw in enumerate(lines, 1):
        try:
            query = _parse(raw)
            if query is None:
                continue  # a blank line: nothing asked, nothing failed
            given = query.get("license")
            lic = default_license if given is None else _licence(given, licenses)
            reference, on_text, year = _question(query)
            at_text = query.get("at")
            # A licence by its path (ids are reused); `at` as given (its type is checked below).
            question = (given, reference, on_text, year, repr(at_text))
            answer_line = answers.get(question)
            if answer_line is None:
                answer_line = _answer(
                    lic, reference, on_text, year, calendar, today, memo, format_answer, at_text
                )
                if len(answers) >= CACHE_SIZE:
                    answers.clear()
                answers[question] = answer_line
        except LicenseCliError as exc:
            failed += 1
            answer_line = _encode(format_error(number, exc.message))
        except Exception as exc:  # a fault of ours, not of the line: that line fails, not the batch
            failed += 1
            message = f"internal error ({type(exc).__name__}: {_shown(str(exc))}); please report it"
            answer_line = _encode(format_error(number, message))
        write(answer_line)  # outside the try: a failing output ends the batch (nobody reads on)
    return failed


class _RepeatedKey(Exception):
    """A JSON object with the same key twice (JSON would silently keep the last)."""


def _refuse_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _RepeatedKey(key[:60])
        found[key] = value
    return found


def _parse(raw: bytes | TooLong) -> dict[str, Any] | None:
    """The question on one line, or None for a blank line."""
    if isinstance(raw, TooLong):
        raise InputError(f"the line is {raw.size:,} bytes long, over the limit of {raw.limit:,}; skipped")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text") from None
    try:
        query = json.loads(text, object_pairs_hook=_refuse_repeated_keys)
    except _RepeatedKey as exc:
        raise InputError(f"the key {exc.args[0]!r} appears twice; give it once") from None
    except RecursionError:
        raise InputError("not JSON: nested too deeply") from None
    except json.JSONDecodeError as exc:
        if not raw.strip(_BLANK):
            return None
        column = min(exc.pos, len(text.rstrip("\r\n"))) + 1  # one line: no line number; its end at most
        raise InputError(f"not JSON: {exc.msg} (column {column})") from None
    except ValueError:  # int() refuses to read a number this long (CVE-2020-10735)
        raise InputError(f"not JSON: a number of more than {sys.get_int_max_str_digits()} digits") from None
    if not isinstance(query, dict):
        raise InputError("each line must be a JSON object")
    if not query.keys() <= FIELDS:
        unknown = sorted(set(query) - FIELDS)[0]
        raise InputError(f"unknown field {_shown(unknown)!r} (obligation, on, at, year, license)")
    return query


def _question(query: dict[str, Any]) -> tuple[str, str | None, int | None]:
    """The obligation, event day and year asked about, each checked for its type and range."""
    reference = query.get("obligation")
    if not isinstance(reference, str):
        raise InputError('"obligation" (a string) is required')
    on_text = query.get("on")
    if on_text is not None and not isinstance(on_text, str):
        raise InputError('"on" must be a "YYYY-MM-DD" string')
    year = query.get("year")
    if year is not None:
        if isinstance(year, bool) or not isinstance(year, int):
            raise InputError('"year" must be a whole number')
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise InputError(
                f'"year" {_shown(str(year))}: give a year from {FIRST_YEAR} to {LAST_YEAR} (the calendar\'s range)'
            )
    return reference, on_text, year


def _answer(
    lic: License,
    reference: str,
    on_text: str | None,
    year: int | None,
    calendar: Calendar,
    today: dt.date,
    memo: dict[tuple[object, ...], Any],
    format_answer: Callable[[DueAnswer], str],
    at_text: object = None,
) -> bytes:
    """One answer line, computed; `at` is the event's time (HH:MM) for a period in hours."""
    at = None
    if at_text is not None:
        if not isinstance(at_text, str) or re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", at_text) is None:
            raise InputError('"at" must be the time of day as an "HH:MM" string (China time)')
        at = dt.time.fromisoformat(at_text)
    event_day = None
    if on_text is not None:
        if len(on_text) > SHOWN:
            raise InputError(f'"on": {_shown(on_text)!r} is not a date; write YYYY-MM-DD, e.g. 2026-01-21')
        event_day = parse_date(on_text, '"on"')
        if not FIRST_DAY <= event_day <= LAST_DAY:
            raise InputError(
                f'"on" {event_day}: give a day from {FIRST_DAY} to {LAST_DAY} (the calendar\'s range)'
            )
    answer = engine.due(lic, reference, calendar, on=event_day, year=year, as_of=today, memo=memo, at=at)
    return _encode(format_answer(answer))


def _licence(given: object, cache: dict[str, License | LicenseCliError]) -> License:
    """The licence a line names in `license` (loaded once, as is the reason it cannot be)."""
    if not isinstance(given, str):
        raise InputError('"license" must be a string: the path of a licence file')
    found = cache.get(given)
    if found is None:
        try:
            found = _load(given)
        except LicenseCliError as exc:
            found = exc
        if len(cache) >= LICENCE_CACHE_SIZE:
            cache.clear()
        cache[given] = found
    if isinstance(found, LicenseCliError):
        raise found
    return found


def _load(given: str) -> License:
    """A licence file named on a line. Only a regular file is read (never a folder, which the
    empty path names, nor a pipe that would wait for ever); and a file that does not load is
    not quoted, so that a line cannot make the batch show what any other file holds."""
    if not given:
        raise InputError('"license" is empty: give the path of a licence file')
    shown = _shown(given)
    if "\0" in given:
        raise InputError(f'"license" {shown!r}: a path cannot hold a NUL character')
    try:
        mode = os.stat(given).st_mode
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise InputError(f'"license" {shown!r}: {what}; give the path of a licence file')
        with open(given, "rb"):  # readable? (the loader's own message could quote the file)
            pass
    except OSError as exc:
        raise InputError(f'"license" {shown!r}: cannot be read ({exc.strerror or exc})') from None
    try:
        return loader.load_license(Path(given))
    except LicenseCliError:
        raise InputError(
            f'"license" {shown!r}: not a valid licence file (`licensecli validate {shown}` says why)'
        ) from None


def _shown(text: str) -> str:
    """`text` as an error message repeats it: at most SHOWN characters."""
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _encode(line: str) -> bytes:
    """A line for the output: UTF-8; a lone surrogate (from a \\ud800 escape in the question)
    is written as the same JSON escape, \\ud800, rather than failing."""
    return (line + "\n").encode("utf-8", "backslashreplace")
