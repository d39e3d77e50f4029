"""workdays and holidays: the Chinese working-day calendar."""

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core

from licensecli.cli.common import (
    AsOfOpt,
    HolidaysOpt,
    JsonOpt,
    LangOpt,
    StrictOpt,
    app,
    as_of_date,
    handled,
    make_calendar,
    resolve_lang,
    warn_estimates,
    write_text,
)
from licensecli.dates import parse_date
from licensecli.errors import DataFileError, InputError
from licensecli.output import words

workdays_app = typer.Typer(
    help="Chinese working days: is a day one, add N of them, count them.\n\n"
    "\b\nExamples:\n"
    "  licensecli workdays is 2026-02-14           an adjusted working Saturday\n"
    "  licensecli workdays add 2026-02-12 10       10 working days later\n"
    "  licensecli workdays count 2026-09-30 2026-10-12",
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
    """Is DATE a working day, and why: a weekend, a holiday or an adjusted working day?

    \b
    An adjusted working day (调休上班) is a weekend day that the State Council's
    schedule makes a working day, to bridge a holiday.

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


class _NegativeNumbersCommand(typer.core.TyperCommand):
    """Reads `-5` as a number, not an unknown option: `workdays add 2026-10-09 -5` counts back."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if "--" not in args:
            numbers = [a for a in args if re.fullmatch(r"-\d+", a)]
            if numbers:
                args = [a for a in args if a not in numbers] + ["--", *numbers]
        parsed: list[str] = super().parse_args(ctx, args)
        return parsed


@workdays_app.command("add", cls=_NegativeNumbersCommand)
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

    \b
    Examples:
      licensecli workdays add 2026-02-12 10   (across the 2026 Spring Festival)
      licensecli workdays add 2026-10-09 -5   (5 working days before 10-09)
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


class _ShowByDefault(typer.core.TyperGroup):
    """`holidays [YEAR]` is `holidays show [YEAR]`; `holidays import …` and `holidays diff …`
    are the other commands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = ["show", *args]
        result: list[str] = super().parse_args(ctx, args)
        return result


holidays_app = typer.Typer(
    cls=_ShowByDefault,
    help="The holiday schedules: show a year or which years are known, import a published\n"
    "schedule, see what it would move.\n\n"
    "\b\nExamples:\n"
    "  licensecli holidays 2026               a year's days off and 调休 days\n"
    "  licensecli holidays                    the years known, and from where\n"
    "  licensecli holidays import 2027.json   bring in a published schedule\n"
    "  licensecli holidays diff 2027.json     what it would move, changing nothing\n\n"
    "The holiday file format is in `licensecli holidays show --help`.",
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(holidays_app, name="holidays")


@holidays_app.command("show")
@handled
def holidays_command(
    year: Annotated[int | None, typer.Argument(metavar="YEAR", help="A year, e.g. 2026.")] = None,
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
    as_of: AsOfOpt = None,
) -> None:
    """A year's days off and adjusted working days, with their source.

    Without YEAR: the years known, where each comes from, and whether next year's
    schedule is missing. Adjusted working days are the weekend days worked to
    bridge a holiday (调休上班).

    \b
    Examples:
      licensecli holidays 2026
      licensecli holidays --holidays 2027.yaml

    Holiday file format (YAML), for a year the package does not know or to amend one:

    \b
        # FICTIONAL dates, to show the format
        source: 国务院办公厅关于2027年部分节假日安排的通知
        years: [2027]          # years this file describes completely
        days_off:
          - {date: 2027-01-01, name: 元旦}
          - {from: 2027-02-05, to: 2027-02-11, name: 春节}
          - {date: 2027-04-05, name: 清明节}
          - {from: 2027-05-01, to: 2027-05-05, name: 劳动节}
          - {date: 2027-06-09, name: 端午节}
          - {date: 2027-09-15, name: 中秋节}
          - {from: 2027-10-01, to: 2027-10-07, name: 国庆节}
        working_days:          # adjusted working days (调休上班)
          - {date: 2027-02-20, name: 春节调休}

    A year a file declares replaces the package's data for it, so the file must
    hold the whole year: one without that year's statutory holidays is refused.
    Files are read from --holidays, $LICENSECLI_HOLIDAYS and the user config
    folder (shown by this command without YEAR). Check one with
    `licensecli validate --holidays FILE`.
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


FileArg = Annotated[
    str,
    typer.Argument(
        metavar="FILE",
        help="A holiday-cn year file (JSON) or a licensecli holiday file (YAML); - reads stdin.",
    ),
]
LicencesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "-l",
        "--license",
        metavar="PATH",
        help="Licence files or folders whose deadlines to compare (repeatable). Default: "
        "$LICENSECLI_LICENSE, else the bundled licence.",
        show_default=False,
        readable=False,
    ),
]


def _impact(
    file: str,
    licences: list[Path] | None,
    holidays: list[Path] | None,
    as_of: str | None,
    store: bool,
    json_output: bool,
    lang: str | None,
) -> None:
    """import and diff: read and check FILE, compare the deadlines, store it when asked."""
    import tempfile

    from licensecli import holidayfiles, holidayimport, loader
    from licensecli.cli.common import china_today
    from licensecli.workdays import Calendar
    from licensecli.yamlfile import MAX_BYTES, read_bytes

    language = resolve_lang(lang)
    today = china_today()
    if file == "-":
        if sys.stdin is None:
            raise InputError("FILE -: standard input is closed; pipe the schedule in or name a file")
        raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise InputError(f"standard input: files over {MAX_BYTES:,} bytes are refused")
        name = "standard input"
    else:
        raw, name = read_bytes(Path(file)), file
    incoming = holidayimport.read_incoming(raw, name, today)
    folder = holidayfiles.user_holiday_folder()
    target = folder / incoming.filename
    holidayimport.refuse_doubles(incoming, folder)
    current = holidayfiles.holiday_file_paths(holidays or [])
    holidayimport.refuse_named_doubles(incoming, [p for p in current if p.parent != folder])
    try:
        before = Calendar(current)
    except DataFileError:
        if target not in current:
            raise
        try:  # the file being replaced is the broken one: compare without it
            holidayfiles.read_holiday_file(target)
        except DataFileError as broken:
            sys.stderr.write(f"warning: {broken.message}; the import replaces it\n")
            current = [p for p in current if p != target]
            before = Calendar(current)
        else:
            raise
    with tempfile.TemporaryDirectory(prefix="licensecli-import-") as scratch:
        staged = Path(scratch) / incoming.filename
        staged.write_text(incoming.text, encoding="utf-8")
        kept = [p for p in current if p.resolve() != target.resolve()]
        after = Calendar([*kept, staged])
        licenses = loader.load_licenses(licences)
        changes = holidayimport.impact(licenses, as_of_date(as_of), before, after)
    stored = holidayimport.store(incoming, folder) if store else None
    papers = [p for s in incoming.schedules for p in s.papers]
    if not any(p.split("://", 1)[-1].startswith("www.gov.cn/") for p in papers):
        sys.stderr.write(
            f"warning: {incoming.name} names no notice on www.gov.cn (papers: {', '.join(papers) or 'none'}); "
            "check its days against the State Council's notice before relying on them\n"
        )
    if json_output:
        from licensecli.output import documents

        write_text(documents.dumps(documents.import_json(incoming, stored, target, changes, language)))
    else:
        from licensecli.output import tables

        tables.import_report(incoming, stored, target, changes, language)


@holidays_app.command("import")
@handled
def holidays_import(
    file: FileArg,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and compare; store nothing.")] = False,
    licences: LicencesOpt = None,
    as_of: AsOfOpt = None,
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
) -> None:
    """Import a published holiday schedule into the user holiday folder, and list the deadlines
    it moves.

    FILE is a year file of the holiday-cn dataset (NateScarlet/holiday-cn, e.g. 2027.json) or a
    licensecli holiday file. It is checked first: every statutory holiday (of the national
    holiday regulations) must be a day off, adjusted working days must fall on weekends, no day
    may be listed twice or as both; holiday-cn's empty placeholder for a year not yet published
    is refused.
    It is then stored as a licensecli holiday file (with its source and the notices' addresses)
    in the user holiday folder, atomically; every command uses it from then on.

    The deadlines of the licences (-l) whose date or estimated flag changes are listed, each with
    the day that made the difference.

    \b
    Examples:
      licensecli holidays import 2027.json
      u=https://raw.githubusercontent.com/NateScarlet/holiday-cn/master
      curl -s "$u/2027.json" | licensecli holidays import -
      licensecli holidays import 2027.json --dry-run --json
    """
    _impact(file, licences, holidays, as_of, not dry_run, json_output, lang)


@holidays_app.command("diff")
@handled
def holidays_diff(
    file: FileArg,
    licences: LicencesOpt = None,
    as_of: AsOfOpt = None,
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
) -> None:
    """The deadlines a holiday schedule would move, changing nothing (as import --dry-run).

    Example: licensecli holidays diff 2027.json -l my-licences/
    """
    _impact(file, licences, holidays, as_of, False, json_output, lang)
