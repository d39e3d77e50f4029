"""report: one self-contained HTML page of every licence's life and deadlines, for a manager."""

from typing import Annotated

import typer

from licensecli import loader
from licensecli.cli.common import (
    AsOfOpt,
    HolidaysOpt,
    PathsArg,
    QuietOpt,
    StrictOpt,
    app,
    as_of_date,
    china_clock,
    handled,
    make_calendar,
    refuse_future_filings,
    resolve_lang,
    warn_estimates,
)
from licensecli.writing import refuse_licence_target


@app.command()
@handled
def report(
    paths: PathsArg = None,
    output: Annotated[
        str,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Where to write the page; - for stdout. Written atomically: on any error the old "
            "file is untouched. Not a .yaml/.yml file, nor one that holds a licence.",
            show_default=False,
        ),
    ] = "",
    as_of: AsOfOpt = None,
    quiet: QuietOpt = False,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
) -> None:
    """Write an HTML report for the people who approve: per licence, a timeline
    of its life and its deadlines, in Chinese and English.

    \b
    The page, one file that loads nothing from the network, shows for each
    licence its state (a lapsed licence or a pending renewal first, in plain
    words), a timeline (validity periods and any lapse, the renewal filing
    deadline, annual report windows and grace months, recorded events and
    their deadlines, the as-of day, ≈ estimated dates) and the deadlines
    table with every status in both languages. It prints on A4 landscape
    and reads on a phone.

    \b
    Examples:
      licensecli report -o report.html
      licensecli report my-licences/ --as-of 2026-06-01 -o 报告.html
      licensecli report -q -o /srv/www/licences.html   # in cron
    """
    from licensecli import __version__, engine
    from licensecli.life import life
    from licensecli.workdays import describe_years

    if not output:
        raise typer.BadParameter("give the file to write with -o FILE (or -o - for stdout)", param_hint="-o")
    refuse_licence_target(output, "a report")
    calendar = make_calendar(holidays, strict_calendar)
    licenses = loader.load_licenses(paths)
    refuse_future_filings(licenses)
    day = as_of_date(as_of)
    clock = china_clock(as_of)
    from licensecli.output import report as page

    subjects = []
    for lic in licenses:
        now = life(lic, day, calendar)
        subjects.append(
            page.Subject(lic, now, engine.license_deadlines(lic, day, calendar, now=now, clock=clock))
        )
    years = describe_years(calendar.estimated_years_used) if calendar.estimated_years_used else ""
    html = page.render(subjects, day, years, __version__)
    from licensecli.writing import write_atomic

    write_atomic(output, html.encode("utf-8"), example="report.html")
    warn_estimates(calendar, resolve_lang(None), quiet)
