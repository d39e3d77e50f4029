"""workdays and holidays: the Chinese working-day calendar."""

import datetime as dt
import re
import sys
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
