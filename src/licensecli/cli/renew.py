"""renew-check: the renewal check for cron and monitoring systems (a monitoring plugin).

Whatever goes wrong, the answer is UNKNOWN (3) in the format asked for, never a traceback and
never 2, which would read as CRITICAL (the plumbing is monitor.py, shared with `check`).
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from licensecli import loader
from licensecli.cli import monitor
from licensecli.cli.common import (
    AsOfOpt,
    HolidaysOpt,
    JsonOpt,
    PathsArg,
    StrictOpt,
    app,
    as_of_date,
    china_today,
    make_calendar,
)
from licensecli.cli.monitor import (
    FORMATS,
    UNKNOWN,
    Answer,
    MonitoringCommand,
    OutputOpt,
    QuietWhenOkOpt,
    TimeoutOpt,
    VersionOpt,
)
from licensecli.thresholds import Range

if TYPE_CHECKING:
    from collections.abc import Iterable

    from licensecli.models import License
    from licensecli.renewal import CheckSummary, RenewalCheck


def _unknown(fmt: str, message: str, scope: str) -> str:
    """renew-check's UNKNOWN in each format."""
    from licensecli.output import monitoring

    if fmt == "json":
        from licensecli.output import documents

        return documents.dumps(
            documents.renew_check_json("UNKNOWN", UNKNOWN, [], monitoring.printable(message))
        )
    if fmt == "prometheus":
        return monitoring.unknown_comment(message) + monitoring.renew_check_prometheus(
            "UNKNOWN", [], scope
        ).decode("utf-8")
    return monitoring.unknown_text(message)


class _RenewCheckCommand(MonitoringCommand):
    render_unknown = staticmethod(_unknown)


@app.command("renew-check", cls=_RenewCheckCommand)
def renew_check(
    paths: PathsArg = None,
    warning: Annotated[
        Range | None,
        typer.Option(
            "-w",
            "--warning",
            metavar="RANGE",
            parser=monitor.threshold,
            help="WARNING when the days left to the filing deadline are outside RANGE; a number "
            "N means N: (fewer than N days left). Default: the licence file's "
            "renew_check.warning, else 60.",
            show_default=False,
        ),
    ] = None,
    critical: Annotated[
        Range | None,
        typer.Option(
            "-c",
            "--critical",
            metavar="RANGE",
            parser=monitor.threshold,
            help="CRITICAL likewise. Default: the licence file's renew_check.critical, else 14.",
            show_default=False,
        ),
    ] = None,
    timeout: TimeoutOpt = 10,
    verbose: Annotated[
        int,
        typer.Option(
            "-v",
            "--verbose",
            count=True,
            show_default=False,
            help="More detail after the status line: -v thresholds, file and estimates per "
            "licence; -vv also where the calendar came from.",
        ),
    ] = 0,
    quiet: QuietWhenOkOpt = False,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="text|json|prometheus",
            autocompletion=lambda: list(FORMATS),
            callback=monitor.output_format,
            help="text: the monitoring-plugin status line; json; prometheus: a node_exporter "
            "textfile-collector file.",
        ),
    ] = "text",
    output: OutputOpt = None,
    json_output: JsonOpt = False,
    as_of: AsOfOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
    version: VersionOpt = False,
) -> None:
    """Check renewal deadlines for cron and monitoring (Nagios, Icinga, Zabbix, Prometheus).

    Exit codes: 0 OK · 1 WARNING · 2 CRITICAL · 3 UNKNOWN (bad file, bad option, two files with
    the same licence number, refused estimate, timeout). Days are calendar days from today
    (China) to the renewal filing deadline (R5/R6). CRITICAL when the licence has lapsed or the
    filing deadline has passed (令42号 第二十七条: no renewal), whatever -w/-c say. Once a timely
    filing is recorded (licensecli renewal filed), the days left to the expiry are watched
    instead: WARNING within -w days while the decision is outstanding. Several licences: the
    worst status wins.

    \b
    Thresholds (-w, -c), the monitoring-plugin range syntax:
      a range alerts when the days left are OUTSIDE it; @ alerts INSIDE it
      60      same as 60:  alert when FEWER than 60 days are left
      60:     59 days alert, 60 days are OK: the boundary itself is OK
      ~:10    alert when more than 10 days are left
      10:20   alert outside 10..20 (10 and 20 are inside: OK)
      @10:20  alert from 10 to 20 days, ends included
      With two numbers, -c must not be above -w.

    \b
    Perfdata (no unit; thresholds written in range syntax):
      'days_to_renewal_deadline'=144;60:;14:;; 'days_to_expiry'=234;;;;
      several licences: 'B2-20210247_days_to_renewal_deadline'=...
      estimated years are said in the licence's line, never on stderr

    \b
    Examples:
      licensecli renew-check --as-of 2025-06-01
          LICENSE OK - B2-20210247 renewal application due in 144 days,
          by 2025-10-23 (licence valid until 2026-01-21) | ...
      licensecli renew-check -w 90 -c 30 /etc/licenses/
      0 8 * * * licensecli renew-check -q /etc/licenses/   # cron
      licensecli renew-check --format prometheus \\
          -o /var/lib/node_exporter/textfile/licensecli.prom
    """
    fmt = "json" if json_output else output_format
    scope = monitor.scope_of(paths)

    def render(found: "tuple[CheckSummary, list[str], Iterable[str]]") -> Answer:
        from licensecli.output import monitoring

        summary, notes, body = found
        if fmt == "json":
            text: str | Iterable[str] = body
        elif fmt == "prometheus":
            text = monitoring.renew_check_prometheus(summary.status, summary.checks, scope).decode("utf-8")
        else:
            text = monitoring.renew_check_text(summary, verbose, notes)
        return Answer(text, summary.status, summary.code)

    monitor.answer(
        fmt=fmt,
        output=output,
        timeout=timeout,
        quiet=quiet,
        scope=scope,
        compute=lambda: _check(paths, warning, critical, as_of, holidays, strict_calendar, verbose, fmt),
        render=render,
        render_unknown=_unknown,
    )


def _check(
    paths: list[Path] | None,
    warning: Range | None,
    critical: Range | None,
    as_of: str | None,
    holidays: list[Path] | None,
    strict: bool,
    verbose: int,
    fmt: str,
) -> "tuple[CheckSummary, list[str], Iterable[str]]":
    """The check itself (the part the timeout covers), the -v notes, and for JSON the document in
    pieces. A licence at a time (on every core for a large folder): the text and Prometheus
    answers keep each licence's check; JSON keeps only its statuses and spools its licences."""
    from licensecli import renewal

    calendar = make_calendar(holidays, strict)
    day = as_of_date(as_of)
    files = loader.expand_paths(paths)
    today = china_today()

    def judge(path: Path, lic: "License") -> "RenewalCheck":
        return renewal.renewal_check(lic, day, calendar, warning=warning, critical=critical, file=str(path))

    if fmt != "json":
        judged = monitor.judge_folder(files, judge, calendar, today)
        summary = renewal.CheckSummary(judged.status, judged.checks, judged.problem)
        return summary, monitor.verbose_notes(calendar, verbose), ()
    from licensecli.output import documents

    item = lambda c: documents.list_item_utf8(documents.renewal_check_json(c))  # noqa: E731
    judged = monitor.judge_folder(files, judge, calendar, today, item=item)
    summary = renewal.CheckSummary(judged.status, judged.checks, judged.problem)
    body = documents.renew_check_chunks(summary.status, summary.code, judged.items, summary.problem)
    notes = monitor.verbose_notes(calendar, verbose)
    return summary, notes, body
