"""A licence's life by command: init, event add/done/list/remove, renewal filed/granted."""

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from licensecli import loader
from licensecli.cli.common import (
    AsOfOpt,
    HolidaysOpt,
    JsonOpt,
    LangOpt,
    UsageError,
    app,
    as_of_date,
    calendar_day,
    china_clock,
    china_today,
    event_time,
    handled,
    make_calendar,
    refuse_future_filings,
    resolve_lang,
    write_text,
)
from licensecli.errors import InputError, OutputError
from licensecli.models import control_problem
from licensecli.yamlfile import shown

# --- shared options ----------------------------------------------------------------------------

FileOpt = Annotated[
    Path | None,
    typer.Option(
        "-l",
        "--license",
        metavar="PATH",
        help="The licence file to record in (default: $LICENSECLI_LICENSE). The bundled licence is "
        "never edited: copy it first.",
        show_default=False,
        readable=False,
    ),
]
WaitOpt = Annotated[
    float,
    typer.Option(
        "--wait",
        metavar="SECONDS",
        min=0,
        help="How long to wait for another licensecli editing the same file (exit 75 after).",
    ),
]
DEFAULT_WAIT = 10.0


def _day(text: str | None, option: str) -> dt.date | None:
    return None if text is None else calendar_day(text, option)


def _say(message: str) -> None:
    write_text(message + "\n")


# --- init --------------------------------------------------------------------------------------

KINDS = {"cross-region": "cross-region", "provincial": "provincial"}
# Field, option, prompt (both languages), whether it is a date.
FIELDS: list[tuple[str, str, str, bool]] = [
    ("number", "--number", "Licence number 许可证编号 (e.g. B2-20210247)", False),
    ("holder", "--holder", "Holder 公司名称", False),
    ("legal_representative", "--legal-representative", "Legal representative 法定代表人", False),
    ("issuer", "--issuer", "Issuer 发证机关", False),
    ("issued_on", "--issued-on", "Issued on 发证日期 (YYYY-MM-DD)", True),
    ("valid_until", "--valid-until", "Valid until 有效期至 (YYYY-MM-DD)", True),
]
DEFAULT_ISSUER = {"cross-region": "工业和信息化部"}


def _service(text: str) -> tuple[str, str]:
    """NAME:COVERAGE (a full-width ： works too), split at the last colon."""
    match = re.match(r"^(.*)[:：]([^:：]*)$", text.strip())
    if match is None or not match.group(1).strip() or not match.group(2).strip():
        raise InputError(
            f"--service '{text}': give NAME:COVERAGE, e.g. '信息服务业务（不含互联网信息服务）:全国'"
        )
    return match.group(1).strip(), match.group(2).strip()


def _interactive() -> bool:
    return sys.stdin.isatty()


def _ask(prompt: str, is_date: bool) -> str:
    """Ask until the answer is usable (a real date for a date field, not empty otherwise)."""
    while True:
        answer = str(typer.prompt(prompt, err=True)).strip()
        if not answer:
            continue
        if not is_date:
            return answer
        try:
            calendar_day(answer, prompt.split(" (")[0])
        except InputError as exc:
            typer.echo(f"  {exc.message}", err=True)
            continue
        return answer


@app.command()
@handled
def init(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="PATH",
            help="The file to write. Default: NUMBER.yaml in the current folder.",
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="KIND",
            autocompletion=lambda: list(KINDS),
            help="cross-region (a licence of the MIIT) or provincial (of a province's communications administration).",
        ),
    ] = "cross-region",
    number: Annotated[
        str | None, typer.Option("--number", metavar="NUMBER", help="Licence number, e.g. B2-20210247.")
    ] = None,
    holder: Annotated[
        str | None, typer.Option("--holder", metavar="NAME", help="The company (公司名称).")
    ] = None,
    legal_representative: Annotated[
        str | None, typer.Option("--legal-representative", metavar="NAME", help="法定代表人.")
    ] = None,
    issuer: Annotated[
        str | None,
        typer.Option(
            "--issuer",
            metavar="NAME",
            help="The issuer; for cross-region the default is the MIIT (工业和信息化部).",
            show_default=False,
        ),
    ] = None,
    issued_on: Annotated[
        str | None, typer.Option("--issued-on", metavar="DATE", help="The certificate's issue date.")
    ] = None,
    valid_until: Annotated[
        str | None, typer.Option("--valid-until", metavar="DATE", help="The last valid day (有效期至).")
    ] = None,
    services: Annotated[
        list[str] | None,
        typer.Option(
            "--service",
            metavar="NAME:COVERAGE",
            help="A licensed service and its coverage, e.g. '信息服务业务:全国'. Repeatable.",
            show_default=False,
        ),
    ] = None,
    first_granted_on: Annotated[
        str | None,
        typer.Option(
            "--first-granted-on",
            metavar="DATE",
            help="When this certificate was reissued after a change: the day the licence was first granted.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace PATH if it exists.")] = False,
) -> None:
    """Write a new licence file from a bundled template of the special provisions (特别规定事项).

    The file holds the certificate's header and refers to the template for the clauses, so it is
    about 35 lines and a fix to the template reaches it. Missing fields are asked for when stdin
    is a terminal; otherwise each one missing is named in a usage error (exit 2). The file is
    validated before it is written, and never replaces one without --force.

    \b
    Examples:
      licensecli init                      (asks for each field)
      licensecli init b2.yaml --number B2-20210247 \\
        --holder 北京怡生乐居信息服务有限公司 --legal-representative 俞志强 \\
        --issued-on 2023-05-31 --valid-until 2026-01-21 \\
        --service '信息服务业务（不含互联网信息服务）:全国'
      licensecli init --kind provincial --issuer 北京市通信管理局 …
    """
    from licensecli import templates
    from licensecli.writing import write_atomic

    if kind not in KINDS:
        raise typer.BadParameter(
            f"'{kind}' is not a licence kind; use cross-region or provincial", param_hint="--kind"
        )
    given: dict[str, str | None] = {
        "number": number,
        "holder": holder,
        "legal_representative": legal_representative,
        "issuer": issuer or DEFAULT_ISSUER.get(kind),
        "issued_on": issued_on,
        "valid_until": valid_until,
    }
    pairs = [_service(s) for s in services or []]
    missing = [option for field, option, _, _ in FIELDS if not (given[field] or "").strip()]
    if not pairs:
        missing.append("--service")
    if missing and not _interactive():
        raise UsageError(  # type: ignore[call-arg]
            f"missing {', '.join(missing)} (give them as options, or run in a terminal to be asked)", ctx=ctx
        )
    for field, option, prompt, is_date in FIELDS:
        if option in missing:
            given[field] = _ask(prompt, is_date)
            while field == "valid_until" and str(given[field]) <= str(given["issued_on"] or ""):
                typer.echo(
                    f"  the last valid day must be after the issue day ({given['issued_on']})", err=True
                )
                given[field] = _ask(prompt, is_date)
    if not pairs:
        service = _ask(
            "Service 业务种类, or NAME:COVERAGE (e.g. 信息服务业务（不含互联网信息服务）:全国)", False
        )
        if re.search(r"[:：]", service):
            pairs = [_service(service)]
        else:
            pairs = [(service, _ask("Coverage 覆盖范围 (e.g. 全国)", False))]
    if calendar_day(str(given["valid_until"]), "--valid-until") <= calendar_day(
        str(given["issued_on"]), "--issued-on"
    ):
        raise InputError(
            f"--valid-until {given['valid_until']} is not after --issued-on {given['issued_on']}: the last valid "
            "day comes after the issue day"
        )
    header = templates.Header(
        number=str(given["number"]).strip(),
        holder=str(given["holder"]).strip(),
        legal_representative=str(given["legal_representative"]).strip(),
        issuer=str(given["issuer"]).strip(),
        issued_on=calendar_day(str(given["issued_on"]), "--issued-on"),
        valid_until=calendar_day(str(given["valid_until"]), "--valid-until"),
        services=tuple(pairs),
        first_granted_on=_day(first_granted_on, "--first-granted-on"),
    )
    for field, option, _, _ in FIELDS:  # a header field is one line of text (validated again below)
        problem = control_problem(str(given[field]), multiline=False)
        if problem is not None:
            raise InputError(f"{option}: {problem}")
    for service, coverage in pairs:
        problem = control_problem(service + coverage, multiline=False)
        if problem is not None:
            raise InputError(f"--service: {problem}")
    target = path if path is not None else Path(re.sub(r"[\\/\s:*?\"<>|]+", "_", header.number) + ".yaml")
    if target.resolve() == loader.bundled_license_path().resolve():
        raise OutputError(f"{shown(target)} is the licence bundled with licensecli; write to another file")
    if (target.exists() or target.is_symlink()) and not force:
        raise OutputError(f"{shown(target)} exists; give --force to replace it, or another PATH")
    text = templates.licence_file_text(kind, header, china_today())
    lic = loader.license_from_text(text, target)  # the file must validate before it is written
    write_atomic(str(target), text.encode("utf-8"))
    _say(
        f"wrote {shown(target)}: licence {lic.number}, template {kind}, valid until {lic.valid_until}. "
        f"Next: licensecli validate {shown(target)} · licensecli deadlines {shown(target)}"
    )
    if kind == "provincial":
        typer.echo(
            "note: no official text of a provincial licence's special provisions was found; the provincial "
            "template keeps the cross-region wording (我部) and numbering without 十三. Compare it with "
            "your certificate and write any clause it words differently under `clauses:`.",
            err=True,
        )


# --- event -------------------------------------------------------------------------------------

event_app = typer.Typer(
    help="Record what happened to the licence: an event that starts a clock, and when its duty was done.\n\n"
    "The licence file (-l) is edited in place: comments and layout are kept, the result is\n"
    "validated before it replaces the original, and parallel edits wait for each other.\n\n"
    "\b\nExamples:\n"
    "  licensecli event add 9 --on 2025-11-20 --note 处置记录 -l b2.yaml\n"
    "  licensecli event done 1 --done-on 2025-11-27 -l b2.yaml\n"
    "  licensecli event list --open -l b2.yaml",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(event_app, name="event")

EventArg = Annotated[
    str,
    typer.Argument(
        metavar="EVENT",
        help="The event's number in `event list` (1, 2 …), or its obligation id.",
    ),
]
OnFilter = Annotated[
    str | None,
    typer.Option("--on", metavar="DATE", help="The event's day, when an obligation id names several."),
]


@event_app.command("add")
@handled
def event_add(
    obligation: Annotated[
        str,
        typer.Argument(
            metavar="OBLIGATION",
            help="The duty the event starts: an obligation id (illegal-info-report) or clause (9, 十五（八）).",
        ),
    ],
    on: Annotated[str, typer.Option("--on", metavar="DATE", help="The day the event happened.")],
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="HH:MM", help="Its time, China time: needed for periods in hours."),
    ] = None,
    done_on: Annotated[
        str | None, typer.Option("--done-on", metavar="DATE", help="The day the duty was done, if it is.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT", help="A note kept with it.")] = None,
    ref: Annotated[
        str | None, typer.Option("--ref", metavar="RECEIPT", help="A receipt or case number.")
    ] = None,
    license_path: FileOpt = None,
    wait: WaitOpt = DEFAULT_WAIT,
    holidays: HolidaysOpt = None,
) -> None:
    """Record an event that starts an obligation's clock (illegal information handled, a
    security assessment completed, a local office changed …), or the day a yearly report
    (annual-report) was filed.

    Refused, with the file left as it was: an unknown obligation or one not started by an
    event, a day in the future, before the licence was granted or after it lapsed, a period
    in hours without --at.

    \b
    Examples:
      licensecli event add illegal-info-report --on 2025-11-20 --ref 2025-118
      licensecli event add incident-report --on 2026-11-28 --at 22:30
      licensecli event add annual-report --on 2026-03-12      # filed that day
      licensecli event add pi-compliance-audit --on 2025-05-01 \\
          --done-on 2026-06-10
    """
    from licensecli import records

    path = loader.one_file(license_path)
    today = china_today()
    day = calendar_day(on, "--on")
    done = records.add_event(
        path,
        obligation,
        day,
        today=today,
        calendar=make_calendar(holidays, False),
        note=note,
        ref=ref,
        at=event_time(at, "--at") if at is not None else None,
        done_on=calendar_day(done_on, "--done-on") if done_on is not None else None,
        lock_timeout=wait,
        now=_clock_time(),
    )
    _say(f"{shown(path)}: {done.what}")


def _clock_time() -> dt.time:
    """The time of day in China now (an event later today has not happened yet)."""
    clock = china_clock(None)
    assert clock is not None
    return clock.time()


@event_app.command("done")
@handled
def event_done(
    event: EventArg,
    done_on: Annotated[str, typer.Option("--done-on", metavar="DATE", help="The day the duty was done.")],
    on: OnFilter = None,
    license_path: FileOpt = None,
    wait: WaitOpt = DEFAULT_WAIT,
    holidays: HolidaysOpt = None,
) -> None:
    """Record the day an event's duty was done (the report filed, the assessment submitted).

    Example: licensecli event done illegal-info-report --on 2025-11-20 --done-on 2025-11-27 -l b2.yaml
    """
    from licensecli import records

    path = loader.one_file(license_path)
    done = records.done_event(
        path,
        event,
        calendar_day(done_on, "--done-on"),
        today=china_today(),
        calendar=make_calendar(holidays, False),
        on=_day(on, "--on"),
        lock_timeout=wait,
    )
    _say(f"{shown(path)}: {done.what}")


@event_app.command("remove")
@handled
def event_remove(
    event: EventArg,
    on: OnFilter = None,
    license_path: FileOpt = None,
    wait: WaitOpt = DEFAULT_WAIT,
    holidays: HolidaysOpt = None,
) -> None:
    """Remove an event recorded by mistake. The events after it move up one number (the
    numbers are the events' places in the file, as `event list` shows them).

    Example: licensecli event remove 2 -l b2.yaml
    """
    from licensecli import records

    path = loader.one_file(license_path)
    done = records.remove_event(
        path,
        event,
        today=china_today(),
        calendar=make_calendar(holidays, False),
        on=_day(on, "--on"),
        lock_timeout=wait,
    )
    _say(f"{shown(path)}: {done.what}")


@event_app.command("list")
@handled
def event_list(
    license_path: FileOpt = None,
    open_only: Annotated[
        bool, typer.Option("--open", help="Only events whose duty is not done yet.")
    ] = False,
    as_of: AsOfOpt = None,
    json_output: JsonOpt = False,
    lang: LangOpt = None,
    holidays: HolidaysOpt = None,
) -> None:
    """The recorded events, numbered, each with its deadline and status as of today.

    Example: licensecli event list --open -l b2.yaml · licensecli event list --json | jq '.events[]'
    """
    from licensecli import engine

    language = resolve_lang(lang)
    calendar = make_calendar(holidays, False)
    lic = loader.load_one(license_path)
    refuse_future_filings([lic])
    day = as_of_date(as_of)
    rows = engine.event_rows(lic, day, calendar, clock=china_clock(as_of))
    if open_only:
        rows = [r for r in rows if r.deadline is None or r.deadline.status != "done"]
    if json_output:
        from licensecli.output import documents

        write_text(documents.dumps(documents.events_json(lic.number, day, rows, language)))
        return
    from licensecli.output import tables

    tables.event_list(lic.number, day, rows, language)


# --- renewal -----------------------------------------------------------------------------------

renewal_app = typer.Typer(
    help="Record the licence's renewal (续办): the application, then the decision.\n\n"
    "Each renewal belongs to one validity period, so an old filing never silences a later\n"
    "renewal; the last valid day of the period in force is the expiry every command uses.\n\n"
    "\b\nExamples:\n"
    "  licensecli renewal filed --on 2025-10-20 -l b2.yaml\n"
    "  licensecli renewal granted --valid-until 2031-01-21 --on 2025-12-15 \\\n      -l b2.yaml",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(renewal_app, name="renewal")


@renewal_app.command("filed")
@handled
def renewal_filed(
    on: Annotated[str, typer.Option("--on", metavar="DATE", help="The day the application was filed.")],
    ref: Annotated[
        str | None, typer.Option("--ref", metavar="RECEIPT", help="The application's receipt number.")
    ] = None,
    license_path: FileOpt = None,
    wait: WaitOpt = DEFAULT_WAIT,
    holidays: HolidaysOpt = None,
) -> None:
    """Record that the renewal application was filed (90 days before expiry: 令42号 第二十七条).

    A filing by the deadline makes the renewal `pending` until it is decided; a later one is
    recorded but stays `missed` (a late application is not renewed). After the expiry nothing
    can be filed: the licence has lapsed.

    Example: licensecli renewal filed --on 2025-10-20 -l b2.yaml
    """
    from licensecli import records

    path = loader.one_file(license_path)
    done = records.renewal_filed(
        path,
        calendar_day(on, "--on"),
        today=china_today(),
        calendar=make_calendar(holidays, False),
        ref=ref,
        lock_timeout=wait,
    )
    _say(f"{shown(path)}: {done.what}")


@renewal_app.command("granted")
@handled
def renewal_granted(
    valid_until: Annotated[
        str, typer.Option("--valid-until", metavar="DATE", help="The renewed licence's last valid day.")
    ],
    on: Annotated[
        str | None, typer.Option("--on", metavar="DATE", help="The day of the decision.", show_default=False)
    ] = None,
    ref: Annotated[
        str | None, typer.Option("--ref", metavar="RECEIPT", help="The decision's number.")
    ] = None,
    license_path: FileOpt = None,
    wait: WaitOpt = DEFAULT_WAIT,
    holidays: HolidaysOpt = None,
) -> None:
    """Record that the renewal was granted: a new validity period up to --valid-until.

    Without --on the grant is taken to have come in time (the licence valid without a break).

    Example: licensecli renewal granted --valid-until 2031-01-21 --on 2025-12-15 -l x.yaml
    """
    from licensecli import records

    path = loader.one_file(license_path)
    done = records.renewal_granted(
        path,
        calendar_day(valid_until, "--valid-until"),
        today=china_today(),
        calendar=make_calendar(holidays, False),
        on=_day(on, "--on"),
        ref=ref,
        lock_timeout=wait,
    )
    _say(f"{shown(path)}: {done.what}")
