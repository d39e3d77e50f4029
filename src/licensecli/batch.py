"""`due --batch`: JSON Lines questions in, JSON Lines answers out, in the same order.

A bad line gets an error line and the batch goes on; the caller learns how many lines failed.
Plain Python over the engine, usable without the command line: the caller says how an answer
and an error are written (the command line writes JSON Lines through output.documents).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from licensecli import engine, loader
from licensecli.dates import parse_date
from licensecli.engine import DueAnswer
from licensecli.errors import InputError, LicenseCliError
from licensecli.models import License
from licensecli.workdays import Calendar

CACHE_SIZE = 50_000
FIELDS = frozenset({"obligation", "on", "year", "license"})


def answer_lines(
    lines: Iterable[bytes],
    out: TextIO,
    default_license: License,
    calendar: Calendar,
    today: dt.date,
    format_answer: Callable[[DueAnswer], str],
    format_error: Callable[[int, str], str],
) -> int:
    """Answer each JSON Lines question on `out`, one line each (an answer, or line N's error);
    returns how many lines failed."""
    licenses: dict[str, License] = {}
    failed = 0
    # The same question gets the same answer: scripts often ask about the same days again and
    # again, so each distinct answer line is computed once (bounded, so memory stays small).
    answers: dict[tuple[int, str, str | None, int | None], str] = {}
    memo: dict[tuple[object, ...], Any] = {}  # rule computations, shared by licences alike
    for number, raw in enumerate(lines, 1):
        try:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError("not UTF-8 text") from None
            query = json.loads(line)
            if not isinstance(query, dict):
                raise InputError("each line must be a JSON object")
            unknown = set(query) - FIELDS
            if unknown:
                raise InputError(f"unknown field {sorted(unknown)[0]!r} (obligation, on, year, license)")
            reference = query.get("obligation")
            if not isinstance(reference, str):
                raise InputError('"obligation" (a string) is required')
            lic = default_license
            if query.get("license") is not None:
                key = str(query["license"])
                if key not in licenses:
                    licenses[key] = loader.load_one(Path(key))
                lic = licenses[key]
            on_text = query.get("on")
            if on_text is not None and not isinstance(on_text, str):
                raise InputError('"on" must be a "YYYY-MM-DD" string')
            year = query.get("year")
            if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
                raise InputError('"year" must be a whole number')
            question = (id(lic), reference, on_text, year)
            answer_line = answers.get(question)
            if answer_line is None:
                event_day = parse_date(on_text, '"on"') if on_text is not None else None
                answer = engine.due(lic, reference, calendar, on=event_day, year=year, as_of=today, memo=memo)
                answer_line = format_answer(answer) + "\n"
                if len(answers) >= CACHE_SIZE:
                    answers.clear()
                answers[question] = answer_line
            out.write(answer_line)
        except (LicenseCliError, ValueError) as exc:
            failed += 1
            message = exc.message if isinstance(exc, LicenseCliError) else f"not JSON: {exc}"
            out.write(format_error(number, message) + "\n")
    return failed
