"""calendar: month grids of the working-day calendar with the licences' deadlines on them."""

from pathlib import Path
from typing import Annotated

import typer

from licensecli import loader
from licensecli.cli.common import (
    AsOfOpt,
    HolidaysOpt,
    JsonOpt,
    LangOpt,
    StrictOpt,
    app,
    as_of_date,
    china_clock,
    handled,
    make_calendar,
    refuse_future_filings,
    resolve_lang,
    warn_estimates,
    write_text,
)


@app.command("calendar")
@handled
def calendar_command(
    when: Annotated[
        str | None,
        typer.Argument(
            metavar="YEAR|YEAR-MM",
            help="A year (its 12 months) or a month; default: this month and the next two.",
            show_default=False,
        ),
    ] = None,
    paths: Annotated[
        list[Path] | None,
        typer.Option(
            "-l",
            "--license",
            metavar="PATH",
            help="Licence files or folders whose deadlines to mark (repeatable; default: "
            "$LICENSECLI_LICENSE, else the bundled licence).",
            show_default=False,
        ),
    ] = None,
    months: Annotated[
        int | None,
        typer.Option(
            "--months",
            metavar="N",
            help="How many months from the first one (1 to 36).",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
) -> None:
    """Month grids like `cal`, Monday first, three months across: days off, adjusted
    working weekend days (调休上班) and the licences' deadlines marked, then the days
    off by block and the deadlines of those months.

    \b
    Each day carries a mark, so nothing rests on colour alone:
      #  a deadline of a licence (listed under the grids)
      *  a day off (法定节假日 and the weekend days of its block)
      +  an adjusted working day (调休上班)
      ?  a day off estimated: the year's schedule is not published

    \b
    Examples:
      licensecli calendar              this month and the next two
      licensecli calendar 2026-02      春节 and its two 调休 Saturdays
      licensecli calendar 2026-09 --months 3 -l my-licence.yaml
      licensecli calendar 2026 --lang zh
      licensecli calendar 2026-10 --json \\
          | jq '.months[].days[] | select(.deadlines != [])'
    """
    from licensecli import engine
    from licensecli import months as grid

    language = resolve_lang(lang)
    calendar = make_calendar(holidays, strict_calendar)
    day = as_of_date(as_of)
    year, month, count = grid.parse_start(when, day)
    span = grid.month_span(year, month, months if months is not None else count)
    licenses = loader.load_licenses(paths)
    refuse_future_filings(licenses)
    first, last = grid.first_and_last(span)
    report = engine.deadlines(licenses, day, calendar, include_all=True, clock=china_clock(as_of))
    shown_deadlines = [d for d in report.deadlines if first <= d.due_date <= last]
    # Only what is shown counts for the estimate warning, not deadlines outside these months.
    calendar.estimated_years_used.clear()
    calendar.estimated_years_used.update(d.due_date.year for d in shown_deadlines if d.estimated)
    shown = grid.months(span, calendar, shown_deadlines)
    if json_output:
        from licensecli.output import documents

        document = documents.calendar_json(shown, day, calendar, language)
        document["licenses"] = [documents.life_json(number, now, language) for number, now in report.lives]
        write_text(documents.dumps(document))
    else:
        from licensecli.output import grids, tables

        several = len({lic.number for lic in licenses}) > 1
        from licensecli.output.words import life_notice

        notices = [n for number, now in report.lives if (n := life_notice(number, now, language))]
        width = tables.console_width()
        lines = grids.calendar_lines(shown, language, several=several, width=width, notices=notices)
        tables.print_segments(lines)
    warn_estimates(calendar, language)
