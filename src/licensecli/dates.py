"""Dates as people type them: strict YYYY-MM-DD, with a message that says what is wrong."""

from __future__ import annotations

import datetime as dt
import re

from licensecli.errors import InputError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, what: str) -> dt.date:
    """A YYYY-MM-DD date, or an InputError naming `what` and saying what is wrong."""
    value = text.strip()
    if not _ISO_DATE.match(value):
        raise InputError(f"{what}: '{text}' is not a date; write YYYY-MM-DD, e.g. 2026-01-21")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{what}: '{text}' is not a real date ({exc})") from None
