"""export: the deadlines as an iCalendar file or a CSV sheet."""

import datetime as dt
from typing import Annotated

import typer

from licensecli import loader
from licensecli.cli.common import (
    AsOfOpt,
    HolidaysOpt,
    LangOpt,
    PathsArg,
    StrictOpt,
    app,
    as_of_date,
    handled,
    make_calendar,
    resolve_lang,
    warn_estimates,
)


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
