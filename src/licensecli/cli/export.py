"""export: the deadlines as an iCalendar file or a CSV sheet."""

from typing import Annotated

import typer

from licensecli import loader
from licensecli.cli.common import (
    AsOfOpt,
    HolidaysOpt,
    LangOpt,
    PathsArg,
    QuietOpt,
    StrictOpt,
    WithinOpt,
    app,
    as_of_date,
    china_clock,
    handled,
    make_calendar,
    now_utc,
    refuse_future_filings,
    resolve_lang,
    warn_estimates,
)
from licensecli.writing import refuse_licence_target


@app.command()
@handled
def export(
    paths: PathsArg = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="ics|csv",
            autocompletion=lambda: ["ics", "csv"],
            help="ics: a calendar with reminders; csv: a sheet.",
            show_default=False,
        ),
    ] = "",
    output: Annotated[
        str,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Where to write; - for stdout. Written atomically: on any error the old file is "
            "untouched. Not a .yaml/.yml file, nor one that holds a licence.",
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
            help="A reminder this many days before, at 09:00 (repeatable; 0: on the day). "
            "Default: 30, 7 and 1.",
            show_default=False,
        ),
    ] = None,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom/--no-bom",
            help="CSV: start with a UTF-8 byte order mark, which Excel needs to show Chinese text.",
        ),
    ] = True,
    as_of: AsOfOpt = None,
    within: WithinOpt = None,
    show_all: Annotated[bool, typer.Option("--all", help="Also passed and done deadlines.")] = False,
    quiet: QuietOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
) -> None:
    """Export the deadlines to a calendar (iCalendar) or a sheet (CSV).

    \b
    Calendar (--format ics)
      Each deadline is an all-day event with a stable UID: import a newer
      export into Outlook, Google Calendar, DingTalk or Feishu and it
      updates the events instead of duplicating them.
      Writing over an earlier export (-o FILE) carries its SEQUENCE and
      LAST-MODIFIED forward: an event whose content changed gets SEQUENCE+1
      and a new LAST-MODIFIED, an unchanged one keeps both.
      Reminders ring at 09:00 on their day. All-day dates have no time
      zone, so that is 09:00 where the calendar is viewed: China time for
      users in China.
      A yearly window (the annual report) is two events: the deadline on
      its due date, with the reminders, and a one-day "window opens"
      marker on its first day.
      An estimated date says so in its title and is TENTATIVE.

    \b
    Sheet (--format csv)
      UTF-8 with a byte order mark (--no-bom: without). A text cell that
      starts with = + - @, a tab or a CR gets a leading ' so that no
      spreadsheet runs it as a formula; numbers (days_left -5) stay
      numbers.

    \b
    Examples:
      licensecli export --format ics -o deadlines.ics
      licensecli export --format ics --remind 60 --remind 14 -o deadlines.ics
      licensecli export --format csv --lang zh -o 期限.csv
      licensecli export -q --format ics -o ~/cal/licences.ics   # in cron
    """
    from licensecli import engine

    if output_format not in ("ics", "csv"):
        raise typer.BadParameter("give --format ics or --format csv", param_hint="--format")
    if not output:
        raise typer.BadParameter("give the file to write with -o FILE (or -o - for stdout)", param_hint="-o")
    language = resolve_lang(lang)
    refuse_licence_target(output, "an export")
    calendar = make_calendar(holidays, strict_calendar)
    licenses = loader.load_licenses(paths)
    refuse_future_filings(licenses)
    report = engine.deadlines(
        licenses, as_of_date(as_of), calendar, within=within, include_all=show_all, clock=china_clock(as_of)
    )
    from licensecli.output import files
    from licensecli.writing import read_existing, write_atomic

    if output_format == "ics":
        reminders = remind if remind else [30, 7, 1]
        data = files.ics_document(report, language, reminders, now_utc(), read_existing(output))
    else:
        data = files.csv_document(report, language, bom=bom)
    write_atomic(output, data)
    warn_estimates(calendar, language, quiet)
