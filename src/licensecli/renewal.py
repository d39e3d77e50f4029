"""renew-check's core: one licence's renewal state against monitoring-plugin thresholds, and the
overall answer for several. Pure: the clock is passed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

from licensecli import rules, thresholds
from licensecli.engine import anchor_date, filed_by
from licensecli.errors import InputError
from licensecli.models import License
from licensecli.thresholds import Range
from licensecli.workdays import Calendar

CheckStatus = Literal["OK", "WARNING", "CRITICAL", "UNKNOWN"]
CHECK_CODES: dict[str, int] = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}
DEFAULT_WARNING = 60
DEFAULT_CRITICAL = 14
RENEWAL_ID = "renewal-application"
# Once a filing is recorded the expiry is what is watched: WARNING on its last day, CRITICAL after.
EXPIRY_WARNING = thresholds.floor(1)
EXPIRY_CRITICAL = thresholds.floor(0)


class RenewalCheck(NamedTuple):
    """One licence's renewal state for monitoring (the monitoring-plugin convention)."""

    number: str
    status: CheckStatus
    valid_until: dt.date
    renewal_deadline: dt.date
    days_to_renewal_deadline: int
    days_to_expiry: int
    estimated: bool
    message: str
    warning: str  # the thresholds applied to `watched`, in range syntax ("60:")
    critical: str
    renewal_filed_on: dt.date | None
    file: str = ""  # the licence file it came from, as found
    # What the thresholds were applied to: the days to the filing deadline, or, once a filing is
    # recorded, the days to the expiry.
    watched: Literal["days_to_renewal_deadline", "days_to_expiry"] = "days_to_renewal_deadline"


class CheckSummary(NamedTuple):
    """The overall answer of renew-check: the worst status, or UNKNOWN with the reason why."""

    status: CheckStatus
    checks: list[RenewalCheck]
    problem: str | None = None

    @property
    def code(self) -> int:
        """The monitoring-plugin exit code."""
        return CHECK_CODES[self.status]


def _threshold(given: Range | int | None, own: int | None, default: int) -> Range:
    if isinstance(given, Range):
        return given
    if given is not None:
        return thresholds.floor(given)
    return thresholds.floor(own if own is not None else default)


def renewal_check(
    lic: License,
    as_of: dt.date,
    calendar: Calendar,
    *,
    warning: Range | int | None = None,
    critical: Range | int | None = None,
    file: str = "",
) -> RenewalCheck:
    """CRITICAL when expired, when the filing deadline has passed, or when the days left to it
    alert the critical range; WARNING when they alert the warning range; OK otherwise. A recorded
    filing turns the deadline's thresholds off (the expiry's 1:/0: apply), never the expiry.
    Thresholds: arguments (an int N is the range N:), else the licence's renew_check, else 60/14."""
    filed = filed_by(lic, as_of)
    own = lic.renew_check
    warn = _threshold(warning, own.warning if own else None, DEFAULT_WARNING)
    crit = _threshold(critical, own.critical if own else None, DEFAULT_CRITICAL)
    thresholds.check_order(warn, crit)
    found = lic.obligation(RENEWAL_ID)
    if found is None:
        raise InputError(f"licence {lic.number} has no '{RENEWAL_ID}' obligation to check")
    if found[1].rule.kind != "before" or found[1].rule.anchor != "valid_until":
        raise InputError(
            f"licence {lic.number}: '{RENEWAL_ID}' must be a 'before' rule anchored to valid_until "
            f"(R5), not '{found[1].rule.kind}'"
        )
    computed = rules.compute(found[1].rule, anchor_date(lic, found[1], None), calendar)
    assert computed.due is not None
    deadline = computed.due
    to_deadline = (deadline - as_of).days
    to_expiry = (lic.valid_until - as_of).days
    estimate = " (estimated: the holiday schedule is not published yet)" if computed.estimated else ""
    status: CheckStatus
    watched: Literal["days_to_renewal_deadline", "days_to_expiry"] = "days_to_renewal_deadline"
    if filed is not None:
        watched, warn, crit = "days_to_expiry", EXPIRY_WARNING, EXPIRY_CRITICAL
    if to_expiry < 0:
        status = "CRITICAL"
        message = (
            f"{lic.number} has expired: its last valid day was {lic.valid_until} ({_days(-to_expiry)} ago)"
        )
        if filed is not None:
            message += f"; renewal filed on {filed}: record the new validity once approved"
    elif filed is not None:
        status = _check_status(to_expiry, warn, crit)
        when = "today" if to_expiry == 0 else f"in {_days(to_expiry)}"
        message = (
            f"{lic.number} renewal filed on {filed}; licence valid until {lic.valid_until} (expires {when})"
        )
    elif to_deadline < 0:
        status = "CRITICAL"  # whatever the thresholds say: 令42号 第二十七条
        message = (
            f"{lic.number} renewal filing deadline {deadline}{estimate} passed {_days(-to_deadline)} ago "
            f"and no filing is recorded; 令42号 第二十七条: a late application is not renewed "
            f"(licence valid until {lic.valid_until})"
        )
    else:
        status = _check_status(to_deadline, warn, crit)
        when = "today" if to_deadline == 0 else f"in {_days(to_deadline)}"
        message = (
            f"{lic.number} renewal application due {when}, by {deadline}{estimate} "
            f"(licence valid until {lic.valid_until})"
        )
    return RenewalCheck(
        number=lic.number,
        status=status,
        valid_until=lic.valid_until,
        renewal_deadline=deadline,
        days_to_renewal_deadline=to_deadline,
        days_to_expiry=to_expiry,
        estimated=computed.estimated,
        message=message,
        warning=str(warn),
        critical=str(crit),
        renewal_filed_on=filed,
        file=file,
        watched=watched,
    )


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _check_status(days: int, warning: Range, critical: Range) -> CheckStatus:
    """The plugin convention: CRITICAL if the critical range alerts, else WARNING if the warning one does."""
    if critical.alerts(days):
        return "CRITICAL"
    return "WARNING" if warning.alerts(days) else "OK"


def worst_status(checks: Sequence[RenewalCheck]) -> CheckStatus:
    """The worst status of several checks: CRITICAL over WARNING over OK."""
    order: list[CheckStatus] = ["OK", "WARNING", "CRITICAL"]
    return max((c.status for c in checks), key=order.index, default="UNKNOWN")


def renew_check(
    loaded: Sequence[tuple[Path, License]],
    as_of: dt.date,
    calendar: Calendar,
    *,
    warning: Range | int | None = None,
    critical: Range | int | None = None,
    duplicates: Mapping[str, Sequence[Path]] | None = None,
) -> CheckSummary:
    """Every licence's check and the overall status: the worst one, or UNKNOWN when two files
    claim the same licence number (which one is true cannot be told; each still gets its line)."""
    checks = [
        renewal_check(lic, as_of, calendar, warning=warning, critical=critical, file=str(path))
        for path, lic in loaded
    ]
    if duplicates:
        problem = "; ".join(
            f"{number} is in {len(files)} files: {', '.join(str(f) for f in files)} "
            f"(a copy or an old version? keep one)"
            for number, files in duplicates.items()
        )
        return CheckSummary("UNKNOWN", checks, problem)
    return CheckSummary(worst_status(checks), checks)
