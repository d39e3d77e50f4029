"""A licence's life as of a day: which validity period it is in, whether its renewal was filed
in time and decided, whether it has lapsed. Pure: the clock and the calendar are passed in.

The law behind each state (docs/counting-rules.md, R10 and "A licence's life"):
- 令42号 第二十七条: apply to renew 90 days before the expiry; a late application is not renewed.
- 行政许可法 第五十条: the authority decides on a renewal before the expiry; no decision by then
  counts as approval — so a licence whose renewal was filed in time does not lapse waiting.
- A licence past its last valid day and not renewed has lapsed: operating on needs a new licence.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, NamedTuple

from licensecli import rules
from licensecli.errors import InputError
from licensecli.models import License, Period
from licensecli.workdays import Calendar

RENEWAL_ID = "renewal-application"

# One enumerated set (docs/commands.md#licence-states): the table words and JSON values match.
State = Literal["not_yet_valid", "valid", "pending", "lapsed"]


class Life(NamedTuple):
    """Where a licence stands on `as_of`."""

    as_of: dt.date
    state: State
    period: Period  # the period the expiry belongs to: the last one of the chain in force
    periods: tuple[Period, ...]  # every period known on `as_of`
    renewal_deadline: dt.date | None  # the filing deadline of `period`, rolled (R5, R6)
    deadline_estimated: bool
    filed_on: dt.date | None  # the filing for `period`, if made by `as_of`
    filed_in_time: bool

    @property
    def expiry(self) -> dt.date:
        """The last valid day every command uses: the end of the period in force."""
        return self.period.end

    @property
    def decision_overdue(self) -> bool:
        """Filed in time, the expiry passed, no decision recorded (deemed approved, 第五十条)."""
        return self.state == "pending" and self.as_of > self.period.end


def life(lic: License, as_of: dt.date, calendar: Calendar) -> Life:
    """The licence's state on `as_of`."""
    periods = lic.periods_known(as_of)
    period = _in_force(periods, as_of)
    deadline, estimated = renewal_deadline(lic, period.end, calendar)
    renewal = period.renewal
    filed = renewal.filed_on if renewal is not None else None
    # In time means by the 90th day itself (令42号 第二十七条), before R6 moves the reminder back to
    # a working day: the same test the licence file's validation applies (models.py).
    in_time = lic.renewal_pending_in_time(period)
    state: State
    if as_of < periods[0].start:
        state = "not_yet_valid"
    elif filed is not None and in_time:
        state = "pending"  # the period in force is the last: its renewal has no decision yet
    elif as_of > period.end:
        state = "lapsed"
    else:
        state = "valid"
    return Life(as_of, state, period, periods, deadline, estimated, filed, in_time)


def expiry(lic: License, as_of: dt.date | None = None, *, day: dt.date | None = None) -> dt.date:
    """The last valid day in force on `day` (default `as_of`), as far as `as_of` knows (with no
    `as_of`: everything recorded, and the last period when no day is given either)."""
    if as_of is None and day is None:
        return lic.periods()[-1].end
    return _in_force(lic.periods_known(as_of), day or as_of or dt.date.max).end


def _in_force(periods: tuple[Period, ...], as_of: dt.date) -> Period:
    """The last period of the unbroken run that holds `as_of` (a renewal granted early already
    decides the expiry), or the first one before the licence began, or the last one after it."""
    current = periods[0]
    for period in periods:
        if period.start > as_of:
            break
        current = period
    for period in periods[current.position + 1 :]:
        if not period.continuous:
            break
        current = period
    return current


def renewal_deadline(lic: License, end: dt.date, calendar: Calendar) -> tuple[dt.date | None, bool]:
    """The renewal filing deadline of the period ending on `end` (R5, R6), and whether it is an
    estimate; (None, False) when the licence has no usable renewal rule."""
    found = lic.obligation(RENEWAL_ID)
    if found is None or found[1].rule.kind != "before" or found[1].rule.anchor != "valid_until":
        return None, False
    rule = found[1].rule
    # Remembered as engine._computed remembers it (the same key): a licence asks twice (its life
    # for renew-check, its deadlines), and a folder's licences share expiry days.
    computed = calendar.remember(
        ("compute", rule.memo_key, end, None), lambda: rules.compute(rule, end, calendar)
    )
    return computed.due, computed.estimated


def valid_on(lic: License, day: dt.date, as_of: dt.date) -> bool:
    """Whether the licence was (or, as far as `as_of` knows, will be) valid on `day`.

    A period whose renewal was filed in time goes on past its end while no decision is recorded
    (行政许可法 第五十条: no decision by the expiry counts as approval)."""
    periods = lic.periods_known(as_of)
    for period in periods:  # (a loop: asked for every window of every licence of a folder)
        if period.start <= day <= period.end:
            return True
    last = periods[-1]
    return day > last.end and lic.renewal_pending_in_time(last)


def refuse_after_lapse(lic: License, day: dt.date, as_of: dt.date, what: str) -> None:
    """Raise InputError when the licence was not valid on `day` (an event to record, a question
    asked): a lapsed licence has no duties, only the need of a new one."""
    if valid_on(lic, day, as_of):
        return
    periods = lic.periods(as_of)
    if day < periods[0].start:
        return  # the model refuses days before the licence began, with its own words
    before = next((p for p in periods if p.start > day), None)
    if before is not None:  # between two periods: it had lapsed until a late grant
        after = max(p.end for p in periods if p.end < day)
        raise InputError(
            f"{what} {day} falls between two validity periods of licence {lic.number} ({after} … "
            f"{before.start}), when it had lapsed; no duty of this licence arose then"
        )
    raise InputError(
        f"{what} {day} is after licence {lic.number} lapsed (its last valid day was {periods[-1].end} and "
        "no renewal is recorded); a lapsed licence has no duties to date — if it was renewed, record "
        "that first: licensecli renewal granted --valid-until DATE"
    )
