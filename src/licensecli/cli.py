"""The command line: parse, call the core, render, map errors to exit codes.

The only module that imports typer. Every command is a few lines over the core.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from licensecli import __version__, loader, render
from licensecli.errors import InputError, LicenseCliError
from licensecli.workdays import Calendar

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
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
        help="Language of labels and messages: zh or en. Default: zh if LC_ALL/LANG starts with zh, else en.",
        show_default=False,
    ),
]


HolidaysOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--holidays",
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

CHINA = dt.timezone(dt.timedelta(hours=8), "China Standard Time")
NOW_ENV = "LICENSECLI_NOW"  # an injectable clock for tests: an ISO date-time, local if naive


def china_today() -> dt.date:
    """Today's date in China (UTC+8), whatever the machine's time zone (legal-rules: 24:00 CST)."""
    fixed = os.environ.get(NOW_ENV)
    if fixed:
        try:
            now = dt.datetime.fromisoformat(fixed)
        except ValueError:
            raise InputError(f"{NOW_ENV}={fixed!r} is not an ISO date-time") from None
        return now.astimezone(CHINA).date()
    return dt.datetime.now(CHINA).date()


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, what: str) -> dt.date:
    """A YYYY-MM-DD date from the command line, or an InputError saying what is wrong."""
    value = text.strip()
    if not _ISO_DATE.match(value):
        raise InputError(f"{what}: '{text}' is not a date; write YYYY-MM-DD, e.g. 2026-01-21")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{what}: '{text}' is not a real date ({exc})") from None


def as_of_date(as_of: str | None) -> dt.date:
    """--as-of, or today in China."""
    return parse_date(as_of, "--as-of") if as_of is not None else china_today()


def make_calendar(holidays: list[Path] | None, strict: bool) -> Calendar:
    """The working-day calendar with every holiday file the user supplies."""
    return Calendar.from_environment(holidays or (), strict=strict)


def warn_estimates(calendar: Calendar, lang: str) -> None:
    """Say once on stderr which years were estimated and how to supply the real schedule."""
    for year in sorted(calendar.estimated_years_used):
        sys.stderr.write(render.estimate_warning(year, lang) + "\n")


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

    return wrapper  # type: ignore[return-value]


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
        documents = [render.license_json(lic) for lic in licenses]
        render.write_json(documents[0] if len(documents) == 1 else documents)
    else:
        render.show_license(licenses, language)


@app.command()
@handled
def validate(paths: PathsArg = None, lang: LangOpt = None) -> None:
    """Check licence files; exit 0 when valid, 1 with every problem listed as file:line.

    Example: licensecli validate data/license_b2_20210247.yaml
    """
    language = resolve_lang(lang)
    files = loader.expand_paths(paths)
    problems = loader.validate_files(files)
    render.print_problems(problems, len(files), language)
    if problems:
        raise typer.Exit(1)


@app.command()
@handled
def schema() -> None:
    """Print the JSON Schema of the licence file (for editors' YAML plugins).

    Example: licensecli schema > licence.schema.json
    """
    from licensecli.models import License

    document = License.model_json_schema()
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}
    render.write_json(document)


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
    render.workday_info(info, json_output, language)
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
    render.workday_sum(start, days, result, json_output, language)
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
    render.workday_count(first, last, result, json_output, language)
    warn_estimates(calendar, language)


@app.command("holidays")
@handled
def holidays_command(
    year: Annotated[int | None, typer.Argument(metavar="[YEAR]", help="A year, e.g. 2026.")] = None,
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
    as_of: AsOfOpt = None,
) -> None:
    """A year's days off and adjusted working days (调休) with their source; without YEAR, the
    years known, where each comes from, and whether next year's schedule is missing.

    Examples: licensecli holidays 2026 · licensecli holidays --holidays 2027.yaml

    Holiday file format (YAML), for a year the package does not know or to amend one:

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
        from licensecli.workdays import user_holiday_folder

        today = as_of_date(as_of)
        render.calendar_overview(calendar, today, user_holiday_folder(), json_output, language)
        return
    schedule = calendar.schedule(year)
    calendar.note_estimates(dt.date(year, 1, 1), dt.date(year, 12, 31))
    render.year_schedule(schedule, json_output, language)
    warn_estimates(calendar, language)
