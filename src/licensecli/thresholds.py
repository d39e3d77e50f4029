"""Threshold ranges of the Monitoring Plugins development guidelines, for metrics where lower is
worse (days left): parse `-w`/`-c`, decide whether a value alerts, print them for perfdata.

A range alerts when the value is OUTSIDE it; `@` inverts (alert INSIDE). `10:` alerts below 10,
`~:10` above 10, `10:20` outside 10..20, `@10:20` inside 10..20 (ends included). One deliberate
reading: a bare number N means `N:` (alert when fewer than N days remain), not the guidelines'
`0:N`, because a bare number of days left is a floor. Perfdata always carries the explicit form,
so any parser of the convention reads our thresholds as we evaluate them.
"""

from __future__ import annotations

import functools
import math
import re
from typing import NamedTuple

from licensecli.errors import InputError

_NUMBER = r"-?\d+(?:\.\d+)?"
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_RANGE = re.compile(rf"(?P<at>@?)(?:(?P<start>~|{_NUMBER})?:)(?P<end>{_NUMBER})?")

SYNTAX_HELP = "a number of days (60) or a range: 60: ~:10 10:20 @10:20"


class Range(NamedTuple):
    """A threshold range: alert when the value is outside start..end (inside when `inverted`)."""

    start: float  # -inf for `~`
    end: float  # +inf when omitted
    inverted: bool = False

    def alerts(self, value: float) -> bool:
        """Whether `value` is on the alerting side of this range."""
        outside = value < self.start or value > self.end
        return outside != self.inverted

    def is_floor(self) -> bool:
        """Whether this is `N:` (alert when the value falls below N), the usual days-left threshold."""
        return not self.inverted and math.isfinite(self.start) and self.end == math.inf

    def __str__(self) -> str:
        # Written for every licence of a folder (perfdata, JSON), with the same few thresholds.
        text = _TEXTS.get(self)
        if text is None:
            start = "~" if self.start == -math.inf else _number(self.start)
            end = "" if self.end == math.inf else _number(self.end)
            text = f"{'@' if self.inverted else ''}{start}:{end}"
            if len(_TEXTS) < 256:
                _TEXTS[self] = text
        return text


_TEXTS: dict[Range, str] = {}


@functools.lru_cache(maxsize=256)
def floor(days: int) -> Range:
    """`N:`: alert when fewer than `days` remain."""
    return Range(float(days), math.inf)


def parse(text: str, option: str = "threshold") -> Range:
    """A threshold as typed: a bare number N (read as `N:`) or the guidelines' range syntax."""
    spec = text.strip()
    if _PLAIN.fullmatch(spec):
        return _bounded(Range(float(spec), math.inf), text, option)
    match = _RANGE.fullmatch(spec)
    if match is None:
        why = (
            "days cannot be negative"
            if re.fullmatch(_NUMBER, spec)
            else f"write @START:END, e.g. @0:{spec[1:]}"
            if re.fullmatch(rf"@{_NUMBER}", spec)
            else "not a threshold"
        )
        raise InputError(f"{option} {text!r}: {why}; give {SYNTAX_HELP}")
    raw_start, raw_end = match["start"], match["end"]
    start = -math.inf if raw_start == "~" else float(raw_start or 0)
    end = math.inf if raw_end is None else float(raw_end)
    if start > end:
        raise InputError(f"{option} {text!r}: the start {_number(start)} is above the end {_number(end)}")
    return _bounded(Range(start, end, bool(match["at"])), text, option)


MAX_DAYS = 36_600  # a hundred years: the calendar's whole range; a larger threshold is a typo


def _bounded(r: Range, text: str, option: str) -> Range:
    if r.start == math.inf or any(math.isfinite(x) and abs(x) > MAX_DAYS for x in (r.start, r.end)):
        raise InputError(f"{option} {text!r}: days beyond {MAX_DAYS:,} (a hundred years); give {SYNTAX_HELP}")
    return r


def check_order(warning: Range, critical: Range) -> None:
    """Refuse a critical floor above the warning floor (CRITICAL would come before WARNING)."""
    if warning.is_floor() and critical.is_floor() and critical.start > warning.start:
        raise InputError(
            f"the critical threshold {critical} (alert below {_number(critical.start)} days) is above "
            f"the warning one {warning} (below {_number(warning.start)} days); critical must be the "
            f"smaller number"
        )


def describe(r: Range) -> str:
    """When a range alerts, in words (for -v)."""
    if r.is_floor():
        return f"below {_number(r.start)} days"
    low, high = (
        (_number(r.start) if r.start != -math.inf else "-inf"),
        (_number(r.end) if r.end != math.inf else "inf"),
    )
    if r.inverted:
        return f"from {low} to {high} days"
    if r.start == -math.inf:
        return f"above {high} days"
    return f"outside {low}..{high} days"


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)
