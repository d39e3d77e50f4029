"""check: every dated duty of every licence, renewal included, as one monitoring check.

The same conventions as renew-check (monitor.py): exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN,
one status line with perfdata, nothing on stderr, UNKNOWN for anything that stops an honest answer.
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
    china_clock,
    china_today,
    make_calendar,
)
from licensecli.cli.monitor import (
    FORMATS,
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

    from licensecli.checks import CheckReport, LicenceCheck
    from licensecli.models import License


def _unknown(fmt: str, message: str, scope: str) -> str:
    """check's UNKNOWN in each format."""
    from licensecli.checks import CheckReport
    from licensecli.output import monitoring

    if fmt == "json":
        from licensecli.output import documents

        report = CheckReport("UNKNOWN", None, [], monitoring.printable(message))
        return documents.dumps(documents.check_json(report))
    if fmt == "prometheus":
        return monitoring.unknown_comment(message) + monitoring.check_prometheus("UNKNOWN", [], scope).decode(
            "utf-8"
        )
    return monitoring.unknown_text(message)


class _CheckCommand(MonitoringCommand):
    render_unknown = staticmethod(_unknown)


@app.command("check", cls=_CheckCommand)
def check(
    paths: PathsArg = None,
    warning: Annotated[
        Range | None,
        typer.Option(
            "-w",
            "--warning",
            metavar="RANGE",
            parser=monitor.threshold,
            help="WARNING when a duty's days left are outside RANGE; a number N means N: (fewer "
            "than N days left). Default 30; for the renewal, the licence file's "
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
            help="CRITICAL likewise. Default 0 (CRITICAL once late); for the renewal, the licence "
            "file's renew_check.critical, else 14.",
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
            help="More detail after the problems: -v a line per licence (counts, thresholds, "
            "file) and estimates; -vv also every duty and where the calendar came from.",
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
            help="text: the monitoring-plugin status line and the problems; json; prometheus: "
            "a node_exporter textfile-collector file.",
        ),
    ] = "text",
    output: OutputOpt = None,
    json_output: JsonOpt = False,
    as_of: AsOfOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
    version: VersionOpt = False,
) -> None:
    """Check every dated duty of every licence, renewal included, for cron and monitoring.

    Exit codes: 0 OK · 1 WARNING · 2 CRITICAL · 3 UNKNOWN (bad file, bad option, two files with
    the same licence number, refused estimate, timeout). The renewal is judged as renew-check
    judges it (a lapsed licence or a missed filing is CRITICAL). Every other duty with a date —
    recorded events, yearly reports, regulation duties — is CRITICAL once late (overdue, missed,
    in its grace period, or past its hour), else its calendar days left are judged against
    -w/-c: by default WARNING when fewer than 30 days are left, CRITICAL once late. Each
    problem gets a line of its own, worst first; the worst status wins.

    \b
    Thresholds (-w, -c), the monitoring-plugin range syntax (see renew-check):
      30      same as 30:  alert when FEWER than 30 days are left
      ~:10    alert when more than 10 days are left
      @10:20  alert from 10 to 20 days, ends included
    -w/-c apply to the duties and to the renewal alike.

    \b
    Perfdata per licence (no unit; several licences: 'B2-20210247_...'):
      'days_to_renewal_deadline' and 'days_to_expiry' as renew-check writes them,
      'days_to_next_due'=N;30:;0:;; (the soonest duty still owed; negative: late),
      'overdue'=K;;~:0;0; (late duties), 'due_soon'=K;;;0;

    \b
    Examples:
      licensecli check --as-of 2026-11-28 licence.yaml
      licensecli check -w 45 /etc/licenses/
      0 8 * * * licensecli check -q /etc/licenses/   # cron
      licensecli check --format prometheus \\
          -o /var/lib/node_exporter/textfile/licensecli-check.prom
    """
    fmt = "json" if json_output else output_format
    scope = monitor.scope_of(paths)

    def render(found: "tuple[CheckReport, list[str], Iterable[str]]") -> Answer:
        from licensecli.output import monitoring

        report, notes, body = found
        if fmt == "json":
            text: str | Iterable[str] = body
        elif fmt == "prometheus":
            text = monitoring.check_prometheus(report.status, report.licences, scope).decode("utf-8")
        else:
            text = monitoring.check_text(report, verbose, notes)
        return Answer(text, report.status, report.code)

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
) -> "tuple[CheckReport, list[str], Iterable[str]]":
    """The check itself (the part the timeout covers), the -v notes, and for JSON the document in
    pieces. A licence at a time (on every core for a large folder): the text and Prometheus
    answers keep each licence's check; JSON keeps only its statuses and problems, and spools its
    licences."""
    from licensecli import checks

    calendar = make_calendar(holidays, strict)
    day = as_of_date(as_of)
    # A duty counted in hours is late once its hour has passed: today, by the clock in China;
    # with --as-of, once its day has (a day has no hour).
    clock = china_clock(as_of)
    files = loader.expand_paths(paths)
    today = china_today()

    def judge(path: Path, lic: "License") -> "LicenceCheck":
        return checks.licence_check(
            lic, day, calendar, warning=warning, critical=critical, clock=clock, file=str(path)
        )

    if fmt != "json":
        judged = monitor.judge_folder(files, judge, calendar, today)
        report = checks.CheckReport(judged.status, day, judged.checks, judged.problem)
        return report, monitor.verbose_notes(calendar, verbose), ()
    from licensecli.output import documents

    judged = monitor.judge_folder(
        files,
        judge,
        calendar,
        today,
        item=lambda c: documents.list_item_utf8(documents.licence_check_json(c)),
        keep=checks.licence_problems,
    )
    report = checks.CheckReport(judged.status, day, judged.checks, judged.problem)
    problems = checks.worst_first(judged.kept)
    body = documents.check_chunks(report.status, report.code, day, problems, judged.items, report.problem)
    notes = monitor.verbose_notes(calendar, verbose)
    return report, notes, body
