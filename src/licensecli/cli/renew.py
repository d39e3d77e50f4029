"""renew-check: the renewal check for cron and monitoring systems."""

import sys
from typing import Annotated, Any

import typer
import typer.core

from licensecli import loader
from licensecli.cli.common import (
    AsOfOpt,
    HolidaysOpt,
    JsonOpt,
    PathsArg,
    StrictOpt,
    UsageError,
    app,
    as_of_date,
    fail,
    internal_error,
    make_calendar,
    warn_estimates,
    write_text,
)
from licensecli.errors import InputError, LicenseCliError


class _MonitoringCommand(typer.core.TyperCommand):
    """renew-check answers usage errors with UNKNOWN (3), not 2, which would read as CRITICAL."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            parsed: list[str] = super().parse_args(ctx, args)
        except UsageError as exc:
            sys.stdout.write(f"LICENSE UNKNOWN - bad usage: {exc}\n")
            exc.exit_code = 3  # type: ignore[attr-defined]
            raise
        return parsed


@app.command("renew-check", cls=_MonitoringCommand)
def renew_check(
    paths: PathsArg = None,
    warning: Annotated[
        int | None,
        typer.Option(
            "-w",
            "--warning",
            metavar="DAYS",
            min=0,
            help="WARNING when the filing deadline is this many days away or fewer. Default: the licence file's renew_check.warning, else 60.",
            show_default=False,
        ),
    ] = None,
    critical: Annotated[
        int | None,
        typer.Option(
            "-c",
            "--critical",
            metavar="DAYS",
            min=0,
            help="CRITICAL at this many days or fewer. Default: the licence file's renew_check.critical, else 14.",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("-q", "--quiet", help="Print nothing when OK (cron mails only on trouble).")
    ] = False,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="text|json|prometheus",
            help="text: the monitoring-plugin status line; json; prometheus: a node_exporter textfile-collector snippet.",
        ),
    ] = "text",
    json_output: JsonOpt = False,
    as_of: AsOfOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
) -> None:
    """Check renewal deadlines for cron and monitoring (Nagios, Icinga, Zabbix, Prometheus).

    Exit codes: 0 OK · 1 WARNING · 2 CRITICAL · 3 UNKNOWN (bad file, bad option, refused estimate).
    Days are calendar days from today (China) to the renewal filing deadline (R5/R6). CRITICAL when
    the licence has expired, the filing deadline has passed (令42号 第二十七条: no renewal), or it is
    -c days away or fewer; WARNING at -w days or fewer. renewal_filed_on in the licence file turns
    the filing alert off, never the expiry. Several licences: the worst status wins.

    \b
    Examples:
      licensecli renew-check                         LICENSE CRITICAL - B2-20210247 expired on …
      licensecli renew-check --as-of 2025-06-01      LICENSE OK - … due in 144 days … | 'days_to_renewal_deadline'=144d;60;14;; …
      0 8 * * * licensecli renew-check --quiet /etc/licenses/     (crontab: mail only on trouble)
      licensecli renew-check --format prometheus > /var/lib/node_exporter/textfile/licensecli.prom
    """
    from licensecli import engine

    fmt = "json" if json_output else output_format
    try:
        if fmt not in ("text", "json", "prometheus"):
            raise InputError(f"--format {output_format}: use text, json or prometheus")
        calendar = make_calendar(holidays, strict_calendar)
        day = as_of_date(as_of)
        checks = [
            engine.renewal_check(lic, day, calendar, warning=warning, critical=critical)
            for lic in loader.load_licenses(paths)
        ]
    except Exception as exc:  # anything that stops an honest answer is UNKNOWN, never OK
        message = (
            exc.message
            if isinstance(exc, LicenseCliError)
            else f"internal error ({type(exc).__name__}: {exc})"
        )
        if fmt == "json":
            from licensecli.output import documents

            write_text(documents.dumps(documents.renew_check_json("UNKNOWN", 3, [], message)))
        elif fmt == "prometheus":
            from licensecli.output import monitoring

            write_text(monitoring.renew_check_prometheus("UNKNOWN", 3, []))
        else:
            sys.stdout.write(f"LICENSE UNKNOWN - {message}\n")
        raise (fail(exc, 3) if isinstance(exc, LicenseCliError) else internal_error(exc, 3)) from None
    status = engine.worst_status(checks)
    code = engine.CHECK_CODES[status]
    from licensecli.output import documents, monitoring

    if fmt == "json":
        write_text(documents.dumps(documents.renew_check_json(status, code, checks)))
    elif fmt == "prometheus":
        write_text(monitoring.renew_check_prometheus(status, code, checks))
    elif not (quiet and status == "OK"):
        write_text(monitoring.renew_check_text(status, checks))
    if not quiet:
        warn_estimates(calendar, "en")
    raise typer.Exit(code)
