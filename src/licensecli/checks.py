"""check's core: every dated duty of every licence, renewal included, judged the way a monitoring
plugin judges (OK, WARNING, CRITICAL; UNKNOWN when no honest answer can be given). Pure: the day
(and, for duties counted in hours, the time) is passed in.

- The renewal is renew-check's judgement (renewal.renewal_check), with its thresholds: -w/-c,
  else the licence's renew_check, else 60/14.
- Every other dated duty shown by default (engine.license_deadlines) that is not done or passed:
  late (overdue, missed, in its grace period, or past its hour) is CRITICAL; otherwise its days
  left are judged against -w/-c, else 30/0 (WARNING when fewer than 30 days are left, CRITICAL
  once late).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from licensecli import engine, thresholds
from licensecli.errors import InputError
from licensecli.life import Life
from licensecli.models import License, Text
from licensecli.renewal import CHECK_CODES, CheckStatus, RenewalCheck, overall, renewal_and_life
from licensecli.thresholds import Range
from licensecli.workdays import Calendar

DEFAULT_WARNING = 30
DEFAULT_CRITICAL = 0
# Engine statuses that mean the day (or hour) has passed and the duty is still owed.
LATE = frozenset({"overdue", "missed", "grace", "expired"})
# Engine statuses that ask nothing more.
SETTLED = frozenset({"done", "passed"})
_ORDER: dict[str, int] = {"CRITICAL": 0, "WARNING": 1, "OK": 2}
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class DutyCheck(NamedTuple):
    """One dated duty of one licence, judged for monitoring."""

    license: str
    file: str
    obligation: str
    clause: str
    source: str  # "license" (a clause of the licence) or "regulation" (the regulation pack)
    citation: str  # where it comes from, in one line: "licence clause 九" or the regulation's article
    title: Text
    due_date: dt.date
    due_at: dt.datetime | None  # for a duty counted in hours (China time)
    days_left: int  # calendar days from the as-of day; negative once passed
    working_days_left: int
    deadline_status: str  # the engine's status (overdue, grace, due_soon, open, upcoming, …)
    status: CheckStatus
    late: bool  # its day (or hour) has passed and it is still owed
    estimated: bool
    event_date: dt.date | None
    window_start: dt.date | None
    message: str


class LicenceCheck(NamedTuple):
    """One licence: its renewal (renew-check's judgement) and its other dated duties."""

    number: str
    file: str
    status: CheckStatus
    renewal: RenewalCheck
    duties: list[DutyCheck]
    warning: str  # the thresholds applied to the duties' days left, in range syntax ("30:")
    critical: str

    @property
    def days_to_next_due(self) -> int | None:
        """Days left to the soonest duty still owed (negative when late); None without one."""
        return min((d.days_left for d in self.duties), default=None)

    @property
    def overdue(self) -> int:
        """How many duties are late."""
        return sum(1 for d in self.duties if d.late)

    @property
    def due_soon(self) -> int:
        """How many duties, not yet late, alert a threshold."""
        return sum(1 for d in self.duties if not d.late and d.status != "OK")


class Problem(NamedTuple):
    """One thing that is not OK, for its own line."""

    status: CheckStatus
    license: str
    message: str
    days: int  # for the order: the most urgent first


class CheckReport(NamedTuple):
    """The overall answer of check: the worst status, or UNKNOWN with the reason why."""

    status: CheckStatus
    as_of: dt.date | None  # None when the answer came before the day was known
    licences: list[LicenceCheck]
    problem: str | None = None  # why UNKNOWN

    @property
    def code(self) -> int:
        """The monitoring-plugin exit code."""
        return CHECK_CODES[self.status]

    def problems(self) -> list[Problem]:
        """Everything that is not OK, worst first (CRITICAL, then WARNING; the latest first)."""
        return worst_first([p for lic in self.licences for p in licence_problems(lic)])


def licence_problems(lic: LicenceCheck) -> list[Problem]:
    """What is not OK in one licence's check: its renewal, then its duties."""
    found: list[Problem] = []
    r = lic.renewal
    if r.status != "OK":
        days = r.days_to_expiry if r.watched == "days_to_expiry" else r.days_to_renewal_deadline
        found.append(Problem(r.status, lic.number, r.message, days))
    found += [Problem(d.status, d.license, d.message, d.days_left) for d in lic.duties if d.status != "OK"]
    return found


def worst_first(problems: list[Problem]) -> list[Problem]:
    """Problems in the order check lists them: CRITICAL, then WARNING; the latest first."""
    return sorted(problems, key=lambda p: (_ORDER[p.status], p.days))


def _worst(statuses: Sequence[CheckStatus]) -> CheckStatus:
    """CRITICAL over WARNING over OK; UNKNOWN for nothing at all."""
    return min(statuses, key=_ORDER.__getitem__, default="UNKNOWN")


def _threshold(given: Range | int | None, default: int) -> Range:
    if isinstance(given, Range):
        return given
    return thresholds.floor(default if given is None else given)


def _deadlines(
    lic: License, as_of: dt.date, calendar: Calendar, clock: dt.datetime | None, now: Life | None = None
) -> list[tuple[engine.Deadline, bool]]:
    # The engine reads a clock as China's wall clock, as it writes due_at.
    return engine.license_deadlines(
        lic,
        as_of,
        calendar,
        clock=_naive_china(clock) if clock is not None else None,
        now=now,
        hidden=False,  # check judges only what is shown by default
        renewal=False,  # and not the renewal and the expiry: renewal_and_life does
    )


def _judged(deadline: engine.Deadline) -> bool:
    """Whether check judges this deadline itself: not the renewal and the expiry (renew-check's
    judgement covers them), not one that asks nothing more."""
    if engine.by_renewal_check(deadline.obligation, deadline.rule):
        return False
    return deadline.status not in SETTLED


def licence_check(
    lic: License,
    as_of: dt.date,
    calendar: Calendar,
    *,
    warning: Range | int | None = None,
    critical: Range | int | None = None,
    clock: dt.datetime | None = None,
    file: str = "",
) -> LicenceCheck:
    """One licence's renewal and dated duties as of `as_of` (and `clock`, China time, for duties
    counted in hours: without it they are late only once their day has passed)."""
    try:
        renewal, now = renewal_and_life(lic, as_of, calendar, warning=warning, critical=critical, file=file)
    except InputError as exc:
        if warning is None or critical is not None:
            raise
        # -w alone below the renewal's own critical (the licence's, else 14): say where it came from.
        raise InputError(f"the renewal of {lic.number}: {exc.message}; give -c as well (e.g. -c 0)") from None
    warn = _threshold(warning, DEFAULT_WARNING)
    crit = _threshold(critical, DEFAULT_CRITICAL)
    try:
        thresholds.check_order(warn, crit)
    except InputError as exc:
        if warning is not None:
            raise
        # -c alone above the duties' default warning (30).
        raise InputError(f"the duties' thresholds: {exc.message}; give -w as well") from None
    duties = [
        duty_check(d, as_of, warn, crit, clock=clock, file=file)
        for d, shown in _deadlines(lic, as_of, calendar, clock, now)
        if shown and _judged(d)
    ]
    duties.sort(key=lambda d: (d.due_at or _end_of(d.due_date), d.obligation))
    status = _worst([renewal.status, *(d.status for d in duties)])
    return LicenceCheck(lic.number, file, status, renewal, duties, str(warn), str(crit))


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max)


def duty_check(
    d: engine.Deadline,
    as_of: dt.date,
    warning: Range,
    critical: Range,
    *,
    clock: dt.datetime | None = None,
    file: str = "",
) -> DutyCheck:
    """One deadline judged: CRITICAL when late, else its days left against the thresholds."""
    due_at = d.due_at
    late = d.status in LATE
    if due_at is not None and clock is not None:
        late = late or _naive_china(due_at) < _naive_china(clock)
    status: CheckStatus
    if late or critical.alerts(d.days_left):
        status = "CRITICAL"
    elif warning.alerts(d.days_left):
        status = "WARNING"
    else:
        status = "OK"
    source = d.source
    citation = _citation(d, source)
    message = _message(d, due_at, clock, late, citation)
    return DutyCheck(
        license=d.license,
        file=file,
        obligation=d.obligation,
        clause=d.clause,
        source=source,
        citation=citation,
        title=d.title,
        due_date=d.due_date,
        due_at=due_at,
        days_left=d.days_left,
        working_days_left=d.working_days_left,
        deadline_status="overdue" if late and d.status not in LATE else d.status,
        status=status,
        late=late,
        estimated=d.estimated,
        event_date=d.event_date,
        window_start=d.window_start,
        message=message,
    )


def _naive_china(moment: dt.datetime) -> dt.datetime:
    """A date-time as China's wall clock (UTC+8, no daylight saving), without a zone."""
    if moment.tzinfo is None:
        return moment
    return (moment.astimezone(dt.UTC) + dt.timedelta(hours=8)).replace(tzinfo=None)


def _citation(d: engine.Deadline, source: str) -> str:
    if source == "regulation":
        return f"regulation {d.basis[0].cite()}" if d.basis else f"regulation {d.clause}"
    return f"licence clause {d.clause}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _span(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes == 0:
        return "less than a minute"
    if minutes < 60:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    hours = minutes // 60
    return "1 hour" if hours == 1 else f"{hours} hours"


def _message(
    d: engine.Deadline, due_at: dt.datetime | None, clock: dt.datetime | None, late: bool, citation: str
) -> str:
    """`B2-… illegal-info-report (licence clause 九) due 2026-11-30 (Mon), in 2 days: due soon`."""
    estimated = ", estimated" if d.estimated else ""
    if due_at is not None:
        when = f"{_naive_china(due_at):%Y-%m-%d %H:%M} China time"
        if clock is not None:
            now = _naive_china(clock)
            wall = _naive_china(due_at)
            left = f"{_span(now - wall)} late" if wall < now else f"in {_span(wall - now)}"
        else:
            left = _day_words(d.days_left)
        due = f"due {when} ({_WEEKDAYS[d.due_date.weekday()]}{estimated}), {left}"
    else:
        due = f"due {d.due_date} ({_WEEKDAYS[d.due_date.weekday()]}{estimated}), {_day_words(d.days_left)}"
    word = d.status.replace("_", " ")
    if late and d.status not in LATE:
        word = "overdue"
    elif d.status == "grace":
        until = f" until {d.grace_until}" if d.grace_until else ""
        word = f"grace (late, still accepted{until})"
    return f"{d.license} {d.obligation} ({citation}) {due}: {word}"


def _day_words(days: int) -> str:
    if days == 0:
        return "today"
    return f"in {_days(days)}" if days > 0 else f"{_days(-days)} late"


def check(
    loaded: Sequence[tuple[Path, License]],
    as_of: dt.date,
    calendar: Calendar,
    *,
    warning: Range | int | None = None,
    critical: Range | int | None = None,
    clock: dt.datetime | None = None,
    duplicates: Mapping[str, Sequence[Path]] | None = None,
) -> CheckReport:
    """Every licence's check and the overall status: the worst one, or UNKNOWN when two files
    claim the same licence number (which one is true cannot be told; each still gets its lines)."""
    licences = [
        licence_check(lic, as_of, calendar, warning=warning, critical=critical, clock=clock, file=str(path))
        for path, lic in loaded
    ]
    return summarize(licences, as_of, duplicates)


def summarize(
    licences: list[LicenceCheck], as_of: dt.date, duplicates: Mapping[str, Sequence[Path]] | None = None
) -> CheckReport:
    """The overall answer from every licence's check (see check)."""
    status, problem = overall([lic.status for lic in licences], duplicates)
    return CheckReport(status, as_of, licences, problem)
