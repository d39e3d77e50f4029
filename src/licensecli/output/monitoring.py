"""Monitoring: the monitoring-plugin status line with perfdata (Nagios, Icinga, Zabbix) and the
Prometheus text exposition for node_exporter's textfile collector (the only prometheus_client
importer, and only on that path: start-up time matters to a check run every few minutes)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from licensecli.output import words

if TYPE_CHECKING:
    from licensecli.renewal import CheckSummary, RenewalCheck

# Characters that would end a perfdata label or the status text early: the quote, '=' and '|'
# (the plugin API's separators), and anything that breaks the line.
_UNSAFE = re.compile(r"['=|\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAKERS = re.compile(r"[|\x00-\x1f\x7f-\x9f\u2028\u2029]")


def sanitise_label(text: str) -> str:
    """A perfdata label no value can break: ' = | newlines and control characters become _."""
    return _UNSAFE.sub("_", printable(text))


def one_line(text: str) -> str:
    """Status text that stays one line before the perfdata: | and control characters become _."""
    return _LINE_BREAKERS.sub("_", printable(text))


def printable(text: str) -> str:
    """Text that encodes as UTF-8: undecodable bytes of a file name (surrogates) become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _prefixes(checks: Sequence[RenewalCheck]) -> list[str]:
    """Label prefixes, one per licence, never the same twice (even for a number in two files)."""
    if len(checks) == 1:
        return [""]
    taken: set[str] = set()
    prefixes = []
    for c in checks:
        base = sanitise_label(c.number)
        prefix, n = base, 1
        while prefix in taken:
            n += 1
            prefix = f"{base}#{n}"
        taken.add(prefix)
        prefixes.append(f"{prefix}_")
    return prefixes


def perfdata(checks: Sequence[RenewalCheck]) -> str:
    """`'label'=value;warn;crit;min;max` per metric, thresholds in range syntax, no unit (days
    is not a unit of the plugin API). The thresholds go with the metric they were applied to: a
    recorded filing moves them to the expiry."""
    parts = []
    for c, prefix in zip(checks, _prefixes(checks), strict=True):
        applied = f"{c.warning};{c.critical}"
        deadline, expiry = (applied, ";") if c.watched == "days_to_renewal_deadline" else (";", applied)
        parts.append(f"'{prefix}days_to_renewal_deadline'={c.days_to_renewal_deadline};{deadline};;")
        parts.append(f"'{prefix}days_to_expiry'={c.days_to_expiry};{expiry};;")
    return " ".join(parts)


def _details(c: RenewalCheck) -> str:
    from licensecli import thresholds

    if c.renewal_filed_on is not None:
        watched = "filing recorded: the expiry is watched (WARNING on its last day)"
    else:
        warn, crit = thresholds.parse(c.warning), thresholds.parse(c.critical)
        watched = (
            f"warning {c.warning} ({thresholds.describe(warn)}), "
            f"critical {c.critical} ({thresholds.describe(crit)})"
        )
    return f" [{watched}; file {c.file or '?'}]"


def renew_check_text(summary: CheckSummary, verbosity: int = 0, notes: Iterable[str] = ()) -> str:
    """The monitoring-plugin output: a status line with perfdata, then (several licences, a
    problem or -v) a line per licence, then any `notes` (estimates, calendar sources)."""
    checks = summary.checks
    if len(checks) == 1 and summary.problem is None:
        head = checks[0].message
    else:
        counts: dict[str, int] = {}
        for c in checks:
            counts[c.status] = counts.get(c.status, 0) + 1
        tally = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        head = f"{len(checks)} licences: {tally}" if len(checks) != 1 else f"1 licence: {tally}"
        if summary.problem is not None:
            head = f"{summary.problem}; {head}"
    lines = [f"LICENSE {summary.status} - {one_line(head)} | {perfdata(checks)}"]
    if len(checks) > 1 or summary.problem is not None or verbosity >= 1:
        for c in checks:
            lines.append(one_line(f"{c.status}: {c.message}" + (_details(c) if verbosity >= 1 else "")))
    lines.extend(one_line(note) for note in notes)
    return "\n".join(lines) + "\n"


def unknown_text(message: str) -> str:
    """The status line when no honest answer can be given."""
    return f"LICENSE UNKNOWN - {one_line(message)}\n"


def estimate_notes(years: Iterable[int]) -> list[str]:
    """For -v: which years were estimated (on stdout: Icinga 2 merges stderr into the output)."""
    from licensecli.workdays import describe_years

    chosen = set(years)
    if not chosen:
        return []
    return ["estimated: " + words.estimate_warning(describe_years(chosen), "en").removeprefix("warning: ")]


def calendar_notes(
    package: str, package_years: tuple[int, int], holiday_files: Sequence[Path], estimated: Iterable[int]
) -> list[str]:
    """For -vv: where the working-day calendar came from."""
    first, last = package_years
    notes = [f"calendar: chinese-calendar {package} (published schedules {first}-{last})"]
    notes += [f"calendar: holiday file {printable(str(p))}" for p in holiday_files] or [
        "calendar: no holiday files"
    ]
    years = sorted(estimated)
    notes.append(
        f"calendar: estimated years used: {', '.join(map(str, years))}"
        if years
        else "calendar: no estimated years used"
    )
    return notes


# Prometheus wants base units and values that do not go stale between two runs, so the deadlines
# are Unix times (the end of the day, 24:00 China time) and alerts subtract time():
#   (licensecli_renewal_deadline_timestamp_seconds - time()) / 86400 < 60
_METRICS = (
    (
        "licensecli_renewal_deadline_timestamp_seconds",
        "End of the renewal filing deadline day (24:00 China time), as a Unix time.",
    ),
    (
        "licensecli_expiry_timestamp_seconds",
        "End of the licence's last valid day (24:00 China time), as a Unix time.",
    ),
    ("licensecli_renewal_filed", "1 if a renewal filing is recorded in the licence file."),
    (
        "licensecli_renewal_status",
        "This licence's result: 0 OK, 1 WARNING, 2 CRITICAL (monitoring-plugin codes).",
    ),
    ("licensecli_renewal_estimated", "1 if the deadline rests on estimated holiday data."),
)


def end_of_day_china(day: dt.date) -> float:
    """The Unix time at which `day` ends in China (24:00 Asia/Shanghai)."""
    from zoneinfo import ZoneInfo

    following = day + dt.timedelta(days=1)
    return dt.datetime(
        following.year, following.month, following.day, tzinfo=ZoneInfo("Asia/Shanghai")
    ).timestamp()


def renew_check_prometheus(status: str, checks: Sequence[RenewalCheck], scope: str) -> bytes:
    """A node_exporter textfile-collector file (prometheus_client's exposition format). The
    overall status carries `scope` (the licence paths checked) so two such files never collide."""
    from prometheus_client import CollectorRegistry, Gauge, generate_latest

    from licensecli.renewal import CHECK_CODES

    registry = CollectorRegistry(auto_describe=False)
    gauges = [Gauge(name, help_text, ["license", "file"], registry=registry) for name, help_text in _METRICS]
    for c in checks:
        values = (
            end_of_day_china(c.renewal_deadline),
            end_of_day_china(c.valid_until),
            int(c.renewal_filed_on is not None),
            CHECK_CODES[c.status],
            int(c.estimated),
        )
        labels = {"license": printable(c.number), "file": printable(c.file)}
        for gauge, value in zip(gauges, values, strict=True):
            gauge.labels(**labels).set(value)
    overall = Gauge(
        "licensecli_renew_check_status",
        "Overall result: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
        ["scope"],
        registry=registry,
    )
    overall.labels(scope=printable(scope)).set(CHECK_CODES[status])
    return generate_latest(registry)
