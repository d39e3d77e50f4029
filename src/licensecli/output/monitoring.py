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
    from licensecli.checks import CheckReport, DutyCheck, LicenceCheck
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


def _prefixes(numbers: Sequence[str]) -> list[str]:
    """Label prefixes, one per licence, never the same twice (even for a number in two files)."""
    if len(numbers) == 1:
        return [""]
    taken: set[str] = set()
    prefixes = []
    for number in numbers:
        base = sanitise_label(number)
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
    for c, prefix in zip(checks, _prefixes([c.number for c in checks]), strict=True):
        parts += _renewal_perfdata(c, prefix)
    return " ".join(parts)


def _renewal_perfdata(c: RenewalCheck, prefix: str) -> list[str]:
    applied = f"{c.warning};{c.critical}"
    deadline, expiry = (applied, ";") if c.watched == "days_to_renewal_deadline" else (";", applied)
    return [
        f"'{prefix}days_to_renewal_deadline'={c.days_to_renewal_deadline};{deadline};;",
        f"'{prefix}days_to_expiry'={c.days_to_expiry};{expiry};;",
    ]


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


def unknown_comment(message: str) -> str:
    """Why a Prometheus file says UNKNOWN, as a comment line (the exposition format has no place
    for text; readers ignore comments, a person reading the file sees the reason)."""
    return f"# UNKNOWN: {one_line(message)}\n"


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


# --- check: every dated duty ---------------------------------------------------------------


def check_perfdata(licences: Sequence[LicenceCheck]) -> str:
    """Per licence: the renewal's two metrics as renew-check writes them, then
    `'days_to_next_due'=N;warn;crit;;` (days left to the soonest duty still owed, negative when
    late; left out when none is owed), `'overdue'=K;;~:0;0;` (late duties: any is CRITICAL) and
    `'due_soon'=K;;;0;` (duties not yet late that alert -w or -c). With these thresholds any
    parser of the plugin convention reaches the status we report from the perfdata alone."""
    parts: list[str] = []
    for lic, prefix in zip(licences, _prefixes([lic.number for lic in licences]), strict=True):
        parts += _renewal_perfdata(lic.renewal, prefix)
        if lic.days_to_next_due is not None:
            parts.append(f"'{prefix}days_to_next_due'={lic.days_to_next_due};{lic.warning};{lic.critical};;")
        parts.append(f"'{prefix}overdue'={lic.overdue};;~:0;0;")
        parts.append(f"'{prefix}due_soon'={lic.due_soon};;;0;")
    return " ".join(parts)


def _tally(statuses: Iterable[str]) -> str:
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{counts[s]} {s}" for s in ("CRITICAL", "WARNING", "OK") if s in counts)


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("ty") else f"{count} {word}s"


def _next_due(duty: DutyCheck, several: bool) -> str:
    who = f"{duty.license} " if several else ""
    when = "today" if duty.days_left == 0 else f"in {_plural(duty.days_left, 'day')}"
    return f"the next {who}{duty.obligation} {when} ({duty.due_date})"


def _head(report: CheckReport) -> str:
    """The summary before the perfdata: the worst problem, or why everything is OK."""
    licences = report.licences
    problems = report.problems()
    if report.problem is not None:
        tally = _tally(lic.status for lic in licences)
        return f"{report.problem}; {_plural(len(licences), 'licence')}" + (f": {tally}" if tally else "")
    if len(problems) == 1:
        return problems[0].message
    if problems:
        counts = _tally(p.status for p in problems)
        where = f" in {_plural(len(licences), 'licence')}" if len(licences) > 1 else ""
        return f"{_plural(len(problems), 'problem')}{where} ({counts}); worst: {problems[0].message}"
    duties = [d for lic in licences for d in lic.duties]
    soonest = min(duties, key=lambda d: (d.days_left, d.license, d.obligation), default=None)
    following = f", {_next_due(soonest, len(licences) > 1)}" if soonest is not None else ""
    if len(licences) == 1:
        (lic,) = licences
        renewal = lic.renewal.message.removeprefix(f"{lic.number} ")
        return f"{lic.number}: {_plural(len(duties), 'dated duty')} in order{following}; {renewal}"
    return (
        f"{_plural(len(licences), 'licence')}, {_plural(len(duties), 'dated duty')}, all in order{following}"
    )


def _licence_line(lic: LicenceCheck) -> str:
    """For -v: one licence's counts, thresholds and file."""
    from licensecli import thresholds

    warn, crit = thresholds.parse(lic.warning), thresholds.parse(lic.critical)
    r = lic.renewal
    return (
        f"{lic.status}: {lic.number}: {_plural(len(lic.duties), 'dated duty')} owed, {lic.overdue} late, "
        f"{lic.due_soon} due soon [duties: warning {lic.warning} ({thresholds.describe(warn)}), critical "
        f"{lic.critical} ({thresholds.describe(crit)}); renewal {r.status}: warning {r.warning}, critical "
        f"{r.critical} on {r.watched}; file {lic.file or '?'}]"
    )


def check_text(report: CheckReport, verbosity: int = 0, notes: Iterable[str] = ()) -> str:
    """The monitoring-plugin output of check: a status line with perfdata, then each problem on
    its own line, worst first; -v adds a line per licence, -vv every duty; then any `notes`."""
    lines = [f"LICENSE {report.status} - {one_line(_head(report))} | {check_perfdata(report.licences)}"]
    lines += [one_line(f"{p.status}: {p.message}") for p in report.problems()]
    if verbosity >= 1:
        lines += [one_line(_licence_line(lic)) for lic in report.licences]
    if verbosity >= 2:
        lines += [one_line(f"{d.status}: {d.message}") for lic in report.licences for d in lic.duties]
    lines.extend(one_line(note) for note in notes)
    return "\n".join(lines) + "\n"


_CHECK_LABELS = ["license", "file", "obligation", "source"]
_CHECK_METRICS = (
    (
        "licensecli_check_due_timestamp_seconds",
        "When the duty is due: the end of its day (24:00 China time), or its hour for a duty "
        "counted in hours, as a Unix time. The most urgent occurrence of the obligation.",
    ),
    (
        "licensecli_check_duty_status",
        "The duty's result: 0 OK, 1 WARNING, 2 CRITICAL (monitoring-plugin codes).",
    ),
    ("licensecli_check_duty_owed", "How many occurrences of the obligation are owed (not done)."),
    ("licensecli_check_duty_estimated", "1 if the due date rests on estimated holiday data."),
)


def _duty_rows(lic: LicenceCheck) -> list[tuple[tuple[str, str], float, int, int, bool]]:
    """(obligation, source), due time, status code, occurrences owed, estimated: the renewal
    first, then each obligation's most urgent occurrence (labels stay few and stable)."""
    from licensecli.renewal import CHECK_CODES

    r = lic.renewal
    rows = [
        (
            ("renewal-application", "license"),
            end_of_day_china(r.renewal_deadline),
            CHECK_CODES[r.status],
            1,
            r.estimated,
        )
    ]
    grouped: dict[tuple[str, str], list[DutyCheck]] = {}
    for d in lic.duties:
        grouped.setdefault((d.obligation, d.source), []).append(d)
    for key, duties in grouped.items():
        worst = max(duties, key=lambda d: (CHECK_CODES[d.status], -d.days_left))
        due = worst.due_at.timestamp() if worst.due_at is not None and worst.due_at.tzinfo else None
        if due is None and worst.due_at is not None:  # a wall-clock time in China (UTC+8)
            due = worst.due_at.replace(tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp()
        rows.append(
            (
                key,
                due if due is not None else end_of_day_china(worst.due_date),
                CHECK_CODES[worst.status],
                len(duties),
                worst.estimated,
            )
        )
    return rows


def check_prometheus(status: str, licences: Sequence[LicenceCheck], scope: str) -> bytes:
    """check as a node_exporter textfile-collector file: per duty its due time, status, how many
    occurrences are owed and whether it is estimated (labels license, file, obligation, source),
    per licence its expiry and status, and the overall status labelled with `scope`."""
    from prometheus_client import CollectorRegistry, Gauge, generate_latest

    from licensecli.renewal import CHECK_CODES

    registry = CollectorRegistry(auto_describe=False)
    gauges = [Gauge(name, text, _CHECK_LABELS, registry=registry) for name, text in _CHECK_METRICS]
    expiry = Gauge(
        "licensecli_check_expiry_timestamp_seconds",
        "End of the licence's last valid day (24:00 China time), as a Unix time.",
        ["license", "file"],
        registry=registry,
    )
    licence_status = Gauge(
        "licensecli_check_license_status",
        "The licence's result over all its duties: 0 OK, 1 WARNING, 2 CRITICAL.",
        ["license", "file"],
        registry=registry,
    )
    for lic in licences:
        own = {"license": printable(lic.number), "file": printable(lic.file)}
        expiry.labels(**own).set(end_of_day_china(lic.renewal.valid_until))
        licence_status.labels(**own).set(CHECK_CODES[lic.status])
        for (obligation, source), *values in _duty_rows(lic):
            labels = {**own, "obligation": printable(obligation), "source": printable(source)}
            for gauge, value in zip(gauges, values, strict=True):
                gauge.labels(**labels).set(float(value))
    overall = Gauge(
        "licensecli_check_status",
        "Overall result of check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
        ["scope"],
        registry=registry,
    )
    overall.labels(scope=printable(scope)).set(CHECK_CODES[status])
    return generate_latest(registry)
