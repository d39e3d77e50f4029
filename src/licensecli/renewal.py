"""renew-check's core: one licence's renewal state against monitoring-plugin thresholds, and the
overall answer for several. Pure: the clock is passed in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

from licensecli import thresholds
from licensecli.errors import InputError
from licensecli.life import RENEWAL_ID, Life, State, life
from licensecli.models import License
from licensecli.thresholds import Range
from licensecli.workdays import Calendar

CheckStatus = Literal["OK", "WARNING", "CRITICAL", "UNKNOWN"]
CHECK_CODES: dict[str, int] = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}
DEFAULT_WARNING = 60
DEFAULT_CRITICAL = 14
# Once a filing is pending the expiry is what is watched: the warning range, CRITICAL after it.
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
    state: State = "valid"  # the licence's state (life.py)


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
    """One licence's renewal state for monitoring, by its life on `as_of` (life.py):

    - lapsed (expired, not renewed): CRITICAL;
    - filing deadline passed with no filing, or a late filing (令42号 第二十七条): CRITICAL;
    - filed in time, no decision yet (pending): OK about the filing, WARNING once the days left
      to the expiry alert the warning range (行政许可法 第五十条: the decision is due before the
      expiry), CRITICAL once the expiry has passed with no decision recorded;
    - not filed yet: the days left to the filing deadline against the thresholds.

    Thresholds: arguments (an int N is the range N:), else the licence's renew_check, else 60/14.
    """
    return renewal_and_life(lic, as_of, calendar, warning=warning, critical=critical, file=file)[0]


def renewal_and_life(
    lic: License,
    as_of: dt.date,
    calendar: Calendar,
    *,
    warning: Range | int | None = None,
    critical: Range | int | None = None,
    file: str = "",
) -> tuple[RenewalCheck, Life]:
    """renewal_check, with the licence's life on `as_of` it was judged by (check goes on to the
    licence's deadlines with it)."""
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
    now = life(lic, as_of, calendar)
    deadline, estimated = now.renewal_deadline, now.deadline_estimated
    assert deadline is not None
    valid_until, filed = now.expiry, now.filed_on
    to_deadline = (deadline - as_of).days
    to_expiry = (valid_until - as_of).days
    estimate = " (estimated: the holiday schedule is not published yet)" if estimated else ""
    status: CheckStatus
    watched: Literal["days_to_renewal_deadline", "days_to_expiry"] = "days_to_renewal_deadline"
    if now.state == "pending":
        watched, crit = "days_to_expiry", EXPIRY_CRITICAL
    if now.state == "lapsed":
        status = "CRITICAL"
        message = (
            f"{lic.number} has lapsed: its last valid day was {valid_until} ({_days(-to_expiry)} ago) and "
            f"it was not renewed; a new licence must be applied for, and operating without one is "
            f"unlawful (电信条例 第七条, 第六十九条)"
        )
        if filed is not None:
            message += f"; its renewal was filed late, on {filed} (令42号 第二十七条: not renewed)"
    elif now.decision_overdue:
        status = "CRITICAL"
        message = (
            f"{lic.number} reached its last valid day {valid_until} ({_days(-to_expiry)} ago) with the renewal "
            f"filed in time on {filed} and no decision recorded; 行政许可法 第五十条: no decision by the "
            f"expiry counts as approval — record the new validity (licensecli renewal granted)"
        )
    elif now.state == "pending":
        status = _check_status(to_expiry, warn, crit)
        when = "today" if to_expiry == 0 else f"in {_days(to_expiry)}"
        message = (
            f"{lic.number} renewal filed in time on {filed}, decision outstanding; licence valid until "
            f"{valid_until} (expires {when}); 行政许可法 第五十条: the authority decides before the expiry"
        )
    elif filed is not None:  # filed, but after the deadline
        status = "CRITICAL"
        message = (
            f"{lic.number} renewal filed on {filed}, after the filing deadline {deadline}{estimate}; "
            f"令42号 第二十七条: a late application is not renewed (licence valid until {valid_until})"
        )
    elif to_deadline < 0:
        status = "CRITICAL"  # whatever the thresholds say: 令42号 第二十七条
        message = (
            f"{lic.number} renewal filing deadline {deadline}{estimate} passed {_days(-to_deadline)} ago "
            f"and no filing is recorded; 令42号 第二十七条: a late application is not renewed "
            f"(licence valid until {valid_until})"
        )
    else:
        status = _check_status(to_deadline, warn, crit)
        when = "today" if to_deadline == 0 else f"in {_days(to_deadline)}"
        message = (
            f"{lic.number} renewal application due {when}, by {deadline}{estimate} "
            f"(licence valid until {valid_until})"
        )
    return RenewalCheck(
        number=lic.number,
        status=status,
        valid_until=valid_until,
        renewal_deadline=deadline,
        days_to_renewal_deadline=to_deadline,
        days_to_expiry=to_expiry,
        estimated=estimated,
        message=message,
        warning=str(warn),
        critical=str(crit),
        renewal_filed_on=filed,
        file=file,
        watched=watched,
        state=now.state,
    ), now


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _check_status(days: int, warning: Range, critical: Range) -> CheckStatus:
    """The plugin convention: CRITICAL if the critical range alerts, else WARNING if the warning one does."""
    if critical.alerts(days):
        return "CRITICAL"
    return "WARNING" if warning.alerts(days) else "OK"


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
    return summarize(checks, duplicates)


def summarize(
    checks: list[RenewalCheck], duplicates: Mapping[str, Sequence[Path]] | None = None
) -> CheckSummary:
    """The overall answer from every licence's check (see renew_check)."""
    status, problem = overall([c.status for c in checks], duplicates)
    return CheckSummary(status, checks, problem)


def overall(
    statuses: Sequence[CheckStatus], duplicates: Mapping[str, Sequence[Path]] | None = None
) -> tuple[CheckStatus, str | None]:
    """The status of several licences' checks, and why when UNKNOWN: the worst status, or
    UNKNOWN when two files claim the same licence number (which one is true cannot be told)."""
    if duplicates:
        problem = "; ".join(
            f"{number} is in {len(files)} files: {', '.join(str(f) for f in files)} "
            f"(a copy or an old version? keep one)"
            for number, files in duplicates.items()
        )
        return "UNKNOWN", problem
    order: list[CheckStatus] = ["OK", "WARNING", "CRITICAL"]
    return max(statuses, key=order.index, default="UNKNOWN"), None
