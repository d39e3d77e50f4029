"""deadlines and due (with --batch): what is due, when, and why."""

import datetime as dt
import operator
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from licensecli import loader
from licensecli.cli.common import (
    AsOfOpt,
    HolidaysOpt,
    JsonOpt,
    LangOpt,
    PathsArg,
    StrictOpt,
    WithinOpt,
    app,
    as_of_date,
    calendar_day,
    china_clock,
    china_today,
    event_moment,
    event_time,
    handled,
    make_calendar,
    refuse_future_filings,
    resolve_lang,
    warn_estimates,
    write_text,
)
from licensecli.errors import InputError, LicenseCliError
from licensecli.models import License
from licensecli.output import words
from licensecli.workdays import FIRST_YEAR, LAST_YEAR, Calendar

if TYPE_CHECKING:
    from licensecli.portfolio import Stashed

    Piece = str | bytes | Stashed  # a text (or its UTF-8 bytes), or where a worker stashed it


@app.command()
@handled
def deadlines(
    paths: PathsArg = None,
    as_of: AsOfOpt = None,
    within: WithinOpt = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also passed and done deadlines, and earlier annual reports.")
    ] = False,
    soon: Annotated[
        int, typer.Option("--soon", metavar="DAYS", min=0, help="A deadline this close is 'due soon'.")
    ] = 30,
    json_output: JsonOpt = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "-q",
            "--quiet",
            help="For cron: no warning lines, and no table at all unless a deadline needs "
            "attention (overdue, missed, expired, in its grace period, due today, due soon or an "
            "open window).",
        ),
    ] = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
) -> None:
    """What is due, when, and why: every dated deadline from today on, soonest first, then the
    rules that start with an event (no date until the event happens).

    A lapsed licence, or one whose renewal is pending, is named first in plain words. Then the
    expiry and renewal filing deadline of the period in force (R5/R6), the annual report of the
    current or next first quarter while the licence is valid (R7, R10), duties counted from the
    grant, and the deadlines of recorded events. Dates marked * rest on estimated holiday data.

    \b
    Examples:
      licensecli deadlines
      licensecli deadlines --as-of 2025-06-01 --within 180
      licensecli deadlines --quiet     (cron: silent if nothing needs attention)
      licensecli deadlines --json |
        jq '.deadlines[] | select(.status | IN("overdue", "missed", "expired"))'
    """
    from licensecli import engine

    language = resolve_lang(lang)
    calendar = make_calendar(holidays, strict_calendar)
    if json_output:
        _deadlines_json(paths, calendar, language, as_of, within=within, include_all=show_all, soon_days=soon)
        warn_estimates(calendar, language, quiet, china_today())
        return
    licenses = loader.load_licenses(paths)
    refuse_future_filings(licenses)
    day = as_of_date(as_of)
    report = engine.deadlines(
        licenses, day, calendar, within=within, include_all=show_all, soon_days=soon, clock=china_clock(as_of)
    )
    if not quiet or any(d.status in words.ATTENTION for d in report.deadlines):
        from licensecli.output import tables

        tables.deadlines_table(report, language, quiet)
    warn_estimates(calendar, language, quiet, china_today())


def _deadlines_json(
    paths: list[Path] | None,
    calendar: Calendar,
    lang: str,
    as_of: str | None,
    *,
    within: int | None,
    include_all: bool,
    soon_days: int,
) -> None:
    """`deadlines --json` a licence at a time (on every core for a large folder): the document
    report_json makes of engine.deadlines, byte for byte, without holding the folder's licences
    or its output (spooled to temporary files when large)."""
    from licensecli import engine, portfolio, writing
    from licensecli.output import documents

    engine.check_within(within)
    # A bad --as-of is reported after the files' own problems, as when every file was read first.
    try:
        day, clock, bad_day = as_of_date(as_of), china_clock(as_of), None
    except LicenseCliError as exc:
        day, clock, bad_day = dt.date.min, None, exc

    stash = portfolio.Stash()

    def judge(path: Path, lic: License) -> "tuple[Piece, list[tuple[tuple[int, str, str], Piece]], Piece]":
        if bad_day is not None:
            raise bad_day
        now, shown = engine.shown_deadlines(
            lic, day, calendar, within=within, include_all=include_all, soon_days=soon_days, clock=clock
        )
        return (
            stash.add(documents.list_item_utf8(documents.life_json(lic.number, now, lang))),
            [
                (
                    # engine.deadline_order with the day as its ordinal: the same order, and a
                    # number pickles (to the parent, to its spool) in a third of a date's time.
                    (d.due_date.toordinal(), d.license, d.obligation),
                    stash.add(documents.list_item_utf8(documents.deadline_json(d, lang, kept=True))),
                )
                for d in shown
            ],
            # A licence's event rules stay together in the document: one piece, as with_lists
            # would join them, rather than a dozen for the spool to pass on one by one.
            stash.add(documents.event_rule_items_utf8(lic.number, engine.shared_event_rules(lic), lang)),
        )

    files = loader.expand_paths(paths)
    with (
        stash,
        portfolio.Spool() as lives,
        portfolio.Spool() as rules,
        portfolio.SortedSpool(key=operator.itemgetter(0)) as dated,
    ):
        judged = portfolio.judge_each(
            files, judge, calendar, china_today(), refuse_numbers=loader.refuse_numbers_twice, stash=stash
        )
        for life_text, rows, rule_texts in judged:
            lives.add(life_text)
            for row in rows:
                dated.add(row)
            if rule_texts:
                rules.add(rule_texts)
        head = {
            "schema_version": documents.SCHEMA_VERSION,
            "as_of": day.isoformat(),
            "calendar": {
                "estimated_years": sorted(calendar.estimated_years_used),
                "holiday_files": [str(p) for p in calendar.holiday_files],
            },
        }
        sections = [("licenses", lives), ("deadlines", (piece for _, piece in dated)), ("event_rules", rules)]
        pieces: Iterator[str | bytes]
        if writing.stdout_takes_utf8():  # the UTF-8 bytes the workers stashed, written as they are
            encoded = [
                (name, (stash.data(item, writing.stdout_bytes) for item in items)) for name, items in sections
            ]
            pieces = documents.with_lists(head, encoded, encode=writing.stdout_bytes)
        else:
            pieces = documents.with_lists(head, [(name, map(stash.text, items)) for name, items in sections])
        for piece in pieces:
            write_text(piece)


def complete_obligation(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Shell completion for OBLIGATION: the licence's obligation ids and clause references."""
    from licensecli.models import normalize_ref

    try:
        lic = loader.load_one(ctx.params.get("license_path"))
    except Exception:  # completion must never print an error into the user's prompt
        return []
    choices: dict[str, str] = {}
    for clause, obligation in lic.obligations():
        choices.setdefault(obligation.id, f"{obligation.title.en} ({clause.ref})")
        if clause.source == "license":  # both ways of writing a clause: 15.8 and 十五（八）
            choices.setdefault(normalize_ref(clause.ref), clause.title.en)
            choices.setdefault(clause.ref, clause.title.zh)
    return [(value, text) for value, text in choices.items() if value.startswith(incomplete)]


@app.command()
@handled
def due(
    obligation: Annotated[
        str | None,
        typer.Argument(
            metavar="OBLIGATION",
            help="An obligation id (illegal-info-report) or a clause reference (9, 九, 15.8, 十五（八）).",
            show_default=False,
            autocompletion=complete_obligation,
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
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar='"DATE HH:MM"',
            help="For periods in hours (incident-report): the event's date and time, China time: "
            '--at "2026-11-28 22:30", or --on 2026-11-28 --at 22:30.',
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
            readable=False,
        ),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print the numbered computation trail, citing rules R1–R14.")
    ] = False,
    batch: Annotated[
        str | None,
        typer.Option(
            "--batch",
            metavar="FILE|-",
            help='JSON Lines in ({"obligation": "...", "on": "YYYY-MM-DD"}, optional "at" (HH:MM), '
            '"year", "license"), JSON Lines out in the same order; exit 1 at the end if any line failed.',
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOpt = None,
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
) -> None:
    """When is this obligation due? Counted by the rules R1–R14 of Chinese law.

    \b
    Examples:
      licensecli due renewal-application
          2025-10-23 (R5: 90 days before the expiry 2026-01-21)
      licensecli due 11 --on 2025-12-02 --explain
          2026-01-04 (01-01…01-03 off; 01-04 is an adjusted working Sunday)
      licensecli due illegal-info-report --on 2026-02-12 --explain
          2026-03-04 (10 working days across the Spring Festival)
      licensecli due annual-report --year 2026 --explain
          2026-01-21 (R10: the licence's last valid day, inside the window)
      licensecli due incident-report --at "2026-11-28 22:30" -l lic.yaml
          2026-11-29 02:30 (R12: 4 hours, with a profile: docs/regulations.md)
      printf '{"obligation":"9","on":"2026-11-20"}\\n' | licensecli due --batch -
    """
    from licensecli import engine

    language = resolve_lang(lang)
    calendar = make_calendar(holidays, strict_calendar)
    if batch is not None:
        if obligation is not None or on is not None or at is not None or year is not None or explain:
            raise typer.BadParameter(
                "--batch reads everything from the file; give no OBLIGATION, --on, --at, --year or --explain",
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
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            f"--year {year}: give a year from {FIRST_YEAR} to {LAST_YEAR} (the calendar's range)"
        )
    lic = loader.load_one(license_path)
    refuse_future_filings([lic])
    event_day = calendar_day(on, "--on") if on is not None else None
    event_at = None
    if at is not None and on is not None:  # --on DATE --at HH:MM, as event add takes them
        event_at = dt.time.fromisoformat(event_time(at, "--at"))
    elif at is not None:
        event_day, event_at = event_moment(at, "--at")
    day = as_of_date(as_of)
    answer = engine.due(
        lic, obligation, calendar, on=event_day, year=year, as_of=day, detail=explain, at=event_at
    )
    if event_day is not None and answer.event_date is not None:
        _warn_after_lapse(lic, event_day, day, calendar, language)
    if json_output:
        from licensecli.output import documents

        write_text(documents.dumps(documents.due_json(answer, language)))
    else:
        from licensecli.output import tables

        tables.due_text(answer, explain, language)
    warn_estimates(calendar, language)


def _warn_after_lapse(lic: License, event_day: dt.date, day: dt.date, calendar: Calendar, lang: str) -> None:
    """A question about an event after the licence lapsed is answered (it is arithmetic), with a
    warning: a lapsed licence has no duties; recording such an event is refused."""
    from licensecli.life import life, valid_on

    if valid_on(lic, event_day, day):
        return
    end = life(lic, day, calendar).expiry
    if event_day < end:
        return  # before the licence began: engine.due refuses that itself
    text = (
        f"{lic.number} 已于 {end} 失效：{event_day} 的事件不产生本许可证的义务（如已续办，请先记录）。"
        if lang == "zh"
        else f"{lic.number} lapsed after {end}: an event on {event_day} is no duty of this licence "
        "(if it was renewed, record that first: licensecli renewal granted)."
    )
    typer.echo(f"warning: {text}", err=True)


def _due_batch(source: str, license_path: Path | None, calendar: Calendar, today: dt.date, lang: str) -> int:
    """Answer JSON Lines questions from a file or stdin; returns how many lines failed.
    Both sides are UTF-8 bytes whatever the locale (JSON Lines are UTF-8), and no input line is
    held beyond batch.LINE_LIMIT bytes: /dev/zero or a line without end cannot exhaust memory."""
    from licensecli import batch
    from licensecli.engine import DueAnswer
    from licensecli.output import documents

    def answer_line(answer: DueAnswer) -> str:
        return documents.dumps_line(documents.due_json(answer, lang))

    def error_line(number: int, message: str) -> str:
        return documents.dumps_line({"line": number, "error": message})

    default_license = loader.load_one(license_path)

    def answer_all(stream: IO[bytes], name: str) -> int:
        sys.stdout.flush()  # the answers go to the bytes beneath the text layer: empty it first
        lines = batch.bounded_lines(stream, name=name)
        return batch.answer_lines(
            lines, sys.stdout.buffer, default_license, calendar, today, answer_line, error_line
        )

    if source == "-":
        if sys.stdin is None:  # `<&-`: the process has no standard input at all
            raise InputError("--batch -: standard input is closed; pipe the questions in or name a file")
        return answer_all(sys.stdin.buffer, "standard input")
    try:
        stream = open(source, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"{source}: cannot be read ({exc.strerror or exc})") from None
    with stream:
        return answer_all(stream, source)
