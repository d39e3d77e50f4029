"""The command line: parse, call the core, render, map errors to exit codes.

The only module that imports typer. Every command is a few lines over the core.
"""

import datetime as dt
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import typer.core

from licensecli import __version__, loader
from licensecli.dates import parse_date
from licensecli.errors import CalendarError, InputError, LicenseCliError
from licensecli.output import words
from licensecli.workdays import Calendar

F = TypeVar("F", bound=Callable[..., Any])

# typer's UsageError (vendored click in new typer, click's in old): the parent of BadParameter.
_UsageError: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


class _StartupTyper(typer.Typer):
    """A Typer that, when run as a program, builds only the command being invoked.

    typer turns every registered command into click objects before parsing (~25 ms for ours).
    Cron jobs and shell loops start us thousands of times for one command each, so `__call__`
    builds the group with just that command; `licensecli --help`, a mistyped command and anything
    unusual still get the whole application. (Tests use typer's CliRunner, which builds it all.)
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        argv = kwargs.get("args")
        words = list(argv) if argv is not None else sys.argv[1:]
        name = next((w for w in words if not w.startswith("-")), None)
        commands = [c for c in self.registered_commands if _command_name(c) == name]
        groups = [g for g in self.registered_groups if g.name == name]
        if name is None or not (commands or groups):
            return super().__call__(*args, **kwargs)
        import copy

        slim = copy.copy(self)
        slim.registered_commands, slim.registered_groups = commands, groups
        return typer.Typer.__call__(slim, *args, **kwargs)


def _command_name(info: Any) -> str:
    return str(info.name or info.callback.__name__.replace("_", "-"))


app = _StartupTyper(
    name="licensecli",
    help=(
        "Deadlines of Chinese telecom business licences (增值电信业务经营许可证), counted in "
        "Chinese working days.\n\n"
        "Without a licence file every command uses the bundled licence B2-20210247."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# --- shared options -------------------------------------------------------------------------

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="PATHS",
        help="Licence YAML files or folders of them. Default: $LICENSECLI_LICENSE, else the "
        "bundled licence B2-20210247.",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON document on stdout; messages go to stderr.")]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="zh|en",
        help="Language of labels and messages: zh or en. Default: zh if LC_ALL/LANG starts with zh, else en.",
        show_default=False,
    ),
]


HolidaysOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--holidays",
        metavar="FILE",
        help="A holiday file (repeatable) for years the package does not know, or to amend one. "
        "Also read: $LICENSECLI_HOLIDAYS (paths separated by ':') and every *.yaml in the user "
        "config folder licensecli/holidays/. Format: see `licensecli holidays --help`.",
        show_default=False,
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict-calendar",
        help="Refuse estimated holiday data: an answer that needs a year without a published "
        "schedule fails (exit 1) instead of being marked estimated.",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Compute as if today were DATE (YYYY-MM-DD). Default: today in China (UTC+8).",
        show_default=False,
    ),
]

CHINA_ZONE = "Asia/Shanghai"
NOW_ENV = "LICENSECLI_NOW"  # an injectable clock for tests: an ISO date-time, local if naive


def china_today() -> dt.date:
    """Today's date in China, whatever the machine's time zone (a day ends at 24:00 China time)."""
    from zoneinfo import ZoneInfo

    china = ZoneInfo(CHINA_ZONE)
    fixed = os.environ.get(NOW_ENV)
    if fixed:
        try:
            now = dt.datetime.fromisoformat(fixed)
        except ValueError:
            raise InputError(f"{NOW_ENV}={fixed!r} is not an ISO date-time") from None
        return now.astimezone(china).date()
    return dt.datetime.now(china).date()


def as_of_date(as_of: str | None) -> dt.date:
    """--as-of, or today in China; a day the calendar covers."""
    from licensecli.workdays import check_date

    day = parse_date(as_of, "--as-of") if as_of is not None else china_today()
    try:
        check_date(day)
    except CalendarError as exc:
        raise InputError(f"--as-of {day}: {exc.message}") from None
    return day


def write_text(text: str) -> None:
    """Text for stdout, flushed so that a failure to write shows here, not at exit."""
    sys.stdout.write(text)
    sys.stdout.flush()


def make_calendar(holidays: list[Path] | None, strict: bool) -> Calendar:
    """The working-day calendar with every holiday file the user supplies."""
    return Calendar.from_environment(holidays or (), strict=strict)


def warn_estimates(calendar: Calendar, lang: str) -> None:
    """Say once on stderr which years were estimated and how to supply the real schedule."""
    for year in sorted(calendar.estimated_years_used):
        sys.stderr.write(words.estimate_warning(year, lang) + "\n")


def resolve_lang(lang: str | None) -> str:
    """The label language: the option, else the locale (zh* → zh), else English."""
    if lang is not None:
        if lang not in ("zh", "en"):
            raise typer.BadParameter(f"'{lang}' is not a language here; use zh or en", param_hint="--lang")
        return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def fail(error: LicenseCliError, code: int | None = None) -> typer.Exit:
    """Print `error: …` (and any detail lines) on stderr; the Exit to raise."""
    sys.stderr.write(f"error: {error.message}\n")
    for line in error.details[1:]:
        sys.stderr.write(f"error: {line}\n")
    return typer.Exit(error.exit_code if code is None else code)


def handled(func: F) -> F:
    """Turn licensecli's errors into one line on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LicenseCliError as exc:
            raise fail(exc) from None
        except KeyboardInterrupt:
            sys.stderr.write("error: interrupted\n")
            raise typer.Exit(130) from None
        except (typer.Exit, _UsageError):
            raise
        except Exception as exc:  # the last resort: a bug must still not print a traceback
            raise internal_error(exc, 1) from None

    return wrapper  # type: ignore[return-value]


DEBUG_ENV = "LICENSECLI_DEBUG"


def internal_error(exc: Exception, code: int) -> typer.Exit:
    """An unexpected failure: one line (a traceback only with LICENSECLI_DEBUG=1)."""
    if os.environ.get(DEBUG_ENV):
        import traceback

        traceback.print_exception(exc)
    sys.stderr.write(
        f"error: internal error ({type(exc).__name__}: {exc}); please report it with the command "
        f"line (set {DEBUG_ENV}=1 for details)\n"
    )
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"licensecli {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Deadlines of Chinese telecom business licences, counted in Chinese working days."""


# --- licence commands -----------------------------------------------------------------------


@app.command()
@handled
def show(paths: PathsArg = None, json_output: JsonOpt = False, lang: LangOpt = None) -> None:
    """Show the licence and a table of its clauses and obligations.

    Example: licensecli show · licensecli show my-licences/ --json
    """
    language = resolve_lang(lang)
    licenses = loader.load_licenses(paths)
    if json_output:
        from licensecli.output import documents

        write_text(documents.dumps(documents.show_json(licenses)))
    else:
        from licensecli.output import tables

        tables.show_license(licenses, language)


@app.command()
@handled
def validate(paths: PathsArg = None, lang: LangOpt = None) -> None:
    """Check licence files; exit 0 when valid, 1 with every problem listed as file:line.

    Example: licensecli validate data/license_b2_20210247.yaml
    """
    language = resolve_lang(lang)
    files = loader.expand_paths(paths)
    problems = loader.validate_files(files)
    from licensecli.output import tables

    tables.print_problems(problems, len(files), language)
    if problems:
        raise typer.Exit(1)


@app.command()
@handled
def schema() -> None:
    """Print the JSON Schema of the licence file (for editors' YAML plugins).

    Example: licensecli schema > licence.schema.json
    """
    from licensecli.models import License
    from licensecli.output import documents

    document = License.model_json_schema()
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}

    write_text(documents.dumps(document))


# --- deadlines -------------------------------------------------------------------------------


@app.command()
@handled
def deadlines(
    paths: PathsArg = None,
    as_of: AsOfOpt = None,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            metavar="DAYS",
            help="Only deadlines up to DAYS days from the as-of day.",
            show_default=False,
        ),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also passed and done deadlines, and earlier annual reports.")
    ] = False,
    soon: Annotated[
        int, typer.Option("--soon", metavar="DAYS", min=0, help="A deadline this close is 'due soon'.")
    ] = 30,
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
) -> None:
    """What is due, when, and why: every dated deadline from today on, soonest first, then the
    rules that start with an event (no date until the event happens).

    Shows the licence's expiry and renewal filing deadline (R5/R6), the annual report of the
    current or next first quarter (R7), duties counted from the issue date, and the deadlines of
    events recorded in the licence file. Dates marked * rest on estimated holiday data.

    \b
    Examples:
      licensecli deadlines
      licensecli deadlines --as-of 2025-06-01 --within 180
      licensecli deadlines --json | jq '.deadlines[] | select(.status == "overdue")'
    """
    from licensecli import engine

    language = resolve_lang(lang)
    calendar = make_calendar(holidays, strict_calendar)
    licenses = loader.load_licenses(paths)
    day = as_of_date(as_of)
    report = engine.deadlines(licenses, day, calendar, within=within, include_all=show_all, soon_days=soon)
    if json_output:
        from licensecli.output import documents

        write_text(documents.dumps(documents.report_json(report, calendar, language)))
    else:
        from licensecli.output import tables

        tables.deadlines_table(report, language)
    warn_estimates(calendar, language)


@app.command()
@handled
def due(
    obligation: Annotated[
        str | None,
        typer.Argument(
            metavar="OBLIGATION",
            help="An obligation id (illegal-info-report) or a clause reference (9, 九, 15.8, 十五（八）).",
            show_default=False,
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="EVENT_DATE",
            help="The day of the event that starts the clock.",
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar="YYYY",
            help="For yearly windows (annual-report): which year.",
            show_default=False,
        ),
    ] = None,
    license_path: Annotated[
        Path | None,
        typer.Option(
            "-l",
            "--license",
            metavar="PATH",
            help="The licence file (default: $LICENSECLI_LICENSE or the bundled one).",
            show_default=False,
        ),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print the numbered computation trail, citing rules R1–R9.")
    ] = False,
    batch: Annotated[
        str | None,
        typer.Option(
            "--batch",
            metavar="FILE|-",
            help='JSON Lines in ({"obligation": "...", "on": "YYYY-MM-DD"}, optional "year", '
            '"license"), JSON Lines out in the same order; exit 1 at the end if any line failed.',
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
) -> None:
    """When is this obligation due? Counted by the rules R1–R9 of Chinese law.

    \b
    Examples:
      licensecli due renewal-application            -> 2025-10-23 (R5: 90 days before 2026-01-21)
      licensecli due 11 --on 2025-12-02 --explain   -> 2026-01-04 (01-01…01-03 off, 01-04 an adjusted working Sunday)
      licensecli due illegal-info-report --on 2026-02-12 --explain   -> 2026-03-04 (10 working days across the Spring Festival)
      licensecli due annual-report --year 2027
      printf '{"obligation":"9","on":"2026-11-20"}\\n' | licensecli due --batch -
    """
    from licensecli import engine

    language = resolve_lang(lang)
    calendar = make_calendar(holidays, strict_calendar)
    if batch is not None:
        if obligation is not None or on is not None or year is not None or explain:
            raise typer.BadParameter(
                "--batch reads everything from the file; give no OBLIGATION, --on, --year or --explain",
                param_hint="--batch",
            )
        failed = _due_batch(batch, license_path, calendar, as_of_date(as_of), language)
        warn_estimates(calendar, language)
        if failed:
            raise typer.Exit(1)
        return
    if obligation is None:
        raise typer.BadParameter(
            "name the obligation, e.g. `licensecli due renewal-application`", param_hint="OBLIGATION"
        )
    lic = loader.load_one(license_path)
    event_day = parse_date(on, "--on") if on is not None else None
    answer = engine.due(
        lic, obligation, calendar, on=event_day, year=year, as_of=as_of_date(as_of), detail=explain
    )
    if json_output:
        from licensecli.output import documents

        write_text(documents.dumps(documents.due_json(answer, language)))
    else:
        from licensecli.output import tables

        tables.due_text(answer, explain, language)
    warn_estimates(calendar, language)


def _due_batch(source: str, license_path: Path | None, calendar: Calendar, today: dt.date, lang: str) -> int:
    """Answer JSON Lines questions from a file or stdin; returns how many lines failed."""
    from licensecli import batch

    default_license = loader.load_one(license_path)
    if source == "-":
        return batch.answer_lines(sys.stdin.buffer, sys.stdout, default_license, calendar, today, lang)
    try:
        stream = open(source, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"{source}: cannot be read ({exc.strerror or exc})") from None
    with stream:
        return batch.answer_lines(stream, sys.stdout, default_license, calendar, today, lang)


# --- export ----------------------------------------------------------------------------------


@app.command()
@handled
def export(
    paths: PathsArg = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="ics|csv",
            help="ics: a calendar with reminders; csv: a sheet (UTF-8 with BOM, for Excel).",
            show_default=False,
        ),
    ] = "",
    output: Annotated[
        str,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Where to write; - for stdout. Written atomically: on any error the old file is untouched.",
            show_default=False,
        ),
    ] = "",
    remind: Annotated[
        list[int] | None,
        typer.Option(
            "--remind",
            metavar="DAYS",
            min=0,
            max=3650,
            help="A reminder this many days before (repeatable). Default: 30, 7 and 1.",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    within: Annotated[
        int | None,
        typer.Option(
            "--within",
            metavar="DAYS",
            help="Only deadlines up to DAYS days from the as-of day.",
            show_default=False,
        ),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Also passed and done deadlines.")] = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
) -> None:
    """Export the deadlines to a calendar (iCalendar, with reminders) or a sheet (CSV).

    Each deadline is an all-day event with a stable UID, so importing a newer export into
    Outlook, DingTalk, Feishu or Google Calendar updates the events instead of duplicating them.
    An annual-report window is one event spanning the window. Estimated dates say so.

    \b
    Examples:
      licensecli export --format ics -o deadlines.ics
      licensecli export --format ics --remind 60 --remind 14 -o deadlines.ics
      licensecli export --format csv --lang zh -o 期限.csv
    """
    from licensecli import engine

    if output_format not in ("ics", "csv"):
        raise typer.BadParameter("give --format ics or --format csv", param_hint="--format")
    if not output:
        raise typer.BadParameter("give the file to write with -o FILE (or -o - for stdout)", param_hint="-o")
    language = resolve_lang(lang)
    calendar = make_calendar(holidays, strict_calendar)
    licenses = loader.load_licenses(paths)
    report = engine.deadlines(licenses, as_of_date(as_of), calendar, within=within, include_all=show_all)
    from licensecli.output import files
    from licensecli.writing import write_atomic

    if output_format == "ics":
        stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
        data = files.ics_document(report, language, remind if remind else [30, 7, 1], stamp)
    else:
        data = files.csv_document(report, language)
    write_atomic(output, data)
    warn_estimates(calendar, language)


# --- renew-check -----------------------------------------------------------------------------


class _MonitoringCommand(typer.core.TyperCommand):
    """renew-check answers usage errors with UNKNOWN (3), not 2, which would read as CRITICAL."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            parsed: list[str] = super().parse_args(ctx, args)
        except _UsageError as exc:
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


# --- the calendar ---------------------------------------------------------------------------

workdays_app = typer.Typer(
    help="Chinese working days: is a day one, add N of them, count them.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(workdays_app, name="workdays")


@workdays_app.command("is")
@handled
def workdays_is(
    date: Annotated[str, typer.Argument(metavar="DATE", help="The day, YYYY-MM-DD.")],
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
) -> None:
    """Is DATE a working day, and why (weekend, holiday, adjusted working day 调休)?

    Example: licensecli workdays is 2026-02-14   (an adjusted working Saturday)
    """
    language = resolve_lang(lang)
    calendar = make_calendar(holidays, strict_calendar)
    info = calendar.why(parse_date(date, "DATE"))
    if json_output:
        from licensecli.output import documents

        write_text(documents.dumps(documents.workday_info(info)))
    else:
        from licensecli.output import tables

        tables.workday_info(info, language)
    warn_estimates(calendar, language)


@workdays_app.command("add")
@handled
def workdays_add(
    date: Annotated[str, typer.Argument(metavar="DATE", help="The start day (not counted, R1).")],
    days: Annotated[int, typer.Argument(metavar="N", help="Working days to add; negative counts back.")],
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
) -> None:
    """The N-th working day after DATE (before it if N is negative), as R4 counts.

    Example: licensecli workdays add 2026-02-12 10   (crosses the 2026 Spring Festival)

    Use `--` before a negative N: licensecli workdays add -- 2026-03-02 -5
    """
    language = resolve_lang(lang)
    calendar = make_calendar(holidays, strict_calendar)
    start = parse_date(date, "DATE")
    result = calendar.add(start, days)
    if json_output:
        from licensecli.output import documents

        write_text(documents.dumps(documents.workday_sum(start, days, result)))
    else:
        from licensecli.output import tables

        tables.workday_sum(start, days, result, language)
    warn_estimates(calendar, language)


@workdays_app.command("count")
@handled
def workdays_count(
    start: Annotated[str, typer.Argument(metavar="START", help="First day (not counted).")],
    end: Annotated[str, typer.Argument(metavar="END", help="Last day (counted).")],
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
) -> None:
    """Count working days d with START < d ≤ END (negative if END is before START).

    Example: licensecli workdays count 2026-09-30 2026-10-12
    """
    language = resolve_lang(lang)
    calendar = make_calendar(holidays, strict_calendar)
    first, last = parse_date(start, "START"), parse_date(end, "END")
    result = calendar.count(first, last)
    if json_output:
        from licensecli.output import documents

        write_text(documents.dumps(documents.workday_count(first, last, result)))
    else:
        from licensecli.output import tables

        tables.workday_count(first, last, result, language)
    warn_estimates(calendar, language)


@app.command("holidays")
@handled
def holidays_command(
    year: Annotated[int | None, typer.Argument(metavar="YEAR", help="A year, e.g. 2026.")] = None,
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
    as_of: AsOfOpt = None,
) -> None:
    """A year's days off and adjusted working days (调休) with their source; without YEAR, the
    years known, where each comes from, and whether next year's schedule is missing.

    \b
    Examples:
      licensecli holidays 2026
      licensecli holidays --holidays 2027.yaml

    Holiday file format (YAML), for a year the package does not know or to amend one:

    \b
        source: 国务院办公厅关于2027年部分节假日安排的通知
        years: [2027]          # years this file describes completely
        days_off:
          - {date: 2027-01-01, name: 元旦}
          - {from: 2027-02-05, to: 2027-02-11, name: 春节}
        working_days:          # adjusted working days (调休上班)
          - {date: 2027-02-20, name: 春节调休}

    A year a file declares replaces the package's data for it. Files are read from --holidays,
    $LICENSECLI_HOLIDAYS and the user config folder (shown by this command without YEAR).
    """
    language = resolve_lang(lang)
    calendar = make_calendar(holidays, strict_calendar)
    if year is None:
        from licensecli.workdays import overview

        known = overview(calendar, as_of_date(as_of))
        warning = words.missing_schedule_warning(known.next_year, language) if known.warn_next_year else None
        if warning:
            sys.stderr.write(f"warning: {warning}\n")
        if json_output:
            from licensecli.output import documents

            write_text(documents.dumps(documents.calendar_overview(known, warning)))
        else:
            from licensecli.output import tables

            tables.calendar_overview(known, language)
        return
    schedule = calendar.schedule(year)
    calendar.note_estimates(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if json_output:
        from licensecli.output import documents

        write_text(documents.dumps(documents.year_schedule(schedule)))
    else:
        from licensecli.output import tables

        tables.year_schedule(schedule, language)
    warn_estimates(calendar, language)
