"""The application, the options every command shares, and the one place where errors become
an `error:` line and an exit code. Only the cli package imports typer."""

import atexit
import codecs
import contextlib
import datetime as dt
import errno
import functools
import gc
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
import typer.core

from licensecli import __version__
from licensecli.dates import parse_date
from licensecli.errors import CalendarError, InputError, LicenseCliError, OutputError, ReaderGoneError
from licensecli.models import License
from licensecli.output import words
from licensecli.workdays import Calendar
from licensecli.writing import detach_stdout

F = TypeVar("F", bound=Callable[..., Any])

# typer's UsageError (vendored click in new typer, click's in old): the parent of BadParameter.
UsageError: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


class _StartupTyper(typer.Typer):
    """A Typer that, when run as a program, builds only the command being invoked.

    typer turns every registered command into click objects before parsing (~25 ms for ours).
    Cron jobs and shell loops start us thousands of times for one command each, so `__call__`
    builds the group with just that command; `licensecli --help`, a mistyped command and anything
    unusual still get the whole application. (Tests use typer's CliRunner, which builds it all.)
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # The last thing before the process ends: Python's own shutdown would otherwise search every
        # object the imports made (pydantic's schemas above all) for reference cycles, several
        # times over: some 80 ms, a fifth of a cold start, to free memory the system takes back
        # anyway. Frozen objects are skipped; what we write is flushed and closed by then (stdout
        # explicitly below, files when they are written), so no finalizer of ours waits on it.
        atexit.unregister(gc.freeze)  # once, however often the app is called
        atexit.register(gc.freeze)  # registered first, so it runs after every other exit handler
        argv = kwargs.get("args")
        given = list(argv) if argv is not None else sys.argv[1:]
        # renew-check and check are monitoring plugins: whatever goes wrong is UNKNOWN (3), never 1.
        command = next((w for w in given if not w.startswith("-")), None)
        failure = 3 if command in ("renew-check", "check") else 1
        _usable_streams(failure)
        try:
            return self._dispatch(*args, **kwargs)
        except OSError as exc:  # click's own writes (--help, --version) to a full disk or a bad device
            detach_stdout()
            _say(f"error: cannot write the output: {exc.strerror or exc}")
            raise SystemExit(failure) from None
        finally:
            _flush_stdout(failure)

    def _dispatch(self, *args: Any, **kwargs: Any) -> Any:
        argv = kwargs.get("args")
        given = list(argv) if argv is not None else sys.argv[1:]
        name = next((w for w in given if not w.startswith("-")), None)
        commands = [c for c in self.registered_commands if _command_name(c) == name]
        groups = [g for g in self.registered_groups if g.name == name]
        if name is None or not (commands or groups):
            return super().__call__(*args, **kwargs)
        import copy

        slim = copy.copy(self)
        slim.registered_commands, slim.registered_groups = commands, groups
        return typer.Typer.__call__(slim, *args, **kwargs)


BROKEN_PIPE_EXIT = 141  # 128 + SIGPIPE: what a shell reports for `yes | head -1`


def _flush_stdout(failure: int) -> None:
    """Flush what is left for stdout; a reader that went away (`| head -1`) ends us quietly."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        detach_stdout()
        raise SystemExit(failure if failure == 3 else BROKEN_PIPE_EXIT) from None
    except (OSError, ValueError) as exc:
        detach_stdout()
        _say(f"error: cannot write the output: {getattr(exc, 'strerror', None) or exc}")
        raise SystemExit(failure) from None


def _usable_streams(failure: int) -> None:
    """Standard streams that cannot fail on what we write: text that the locale's encoding cannot
    hold (令42号 under ISO-8859-1 or PYTHONIOENCODING=ascii) becomes \\u escapes — still valid
    JSON — instead of a crash; a closed stdout (`>&-`) is one error line, not a silent exit 0."""
    if sys.stderr is None:  # nowhere to complain: write complaints to nothing
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as we do
    codecs.register_error(_ESCAPE, _json_escape)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors=_ESCAPE)
    if sys.stdout is None:
        _say("error: standard output is closed; there is nowhere to write the answer")
        raise SystemExit(failure)


_ESCAPE = "licensecli-escape"


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    """Characters the stream's encoding cannot hold, as \\uXXXX escapes (a surrogate pair beyond
    U+FFFF), which JSON reads back as the characters themselves."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escaped = []
    for char in error.object[error.start : error.end]:
        units = char.encode("utf-16-be", "surrogatepass")
        escaped += [f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in range(0, len(units), 2)]
    return "".join(escaped), error.end


def _say(line: str) -> None:
    """One line on stderr, whatever state stderr is in."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


def _command_name(info: Any) -> str:
    return str(info.name or info.callback.__name__.replace("_", "-"))


app = _StartupTyper(
    name="licensecli",
    help=(
        "\b\nDeadlines of Chinese telecom business licences (增值电信业务经营许可证),\n"
        "counted in Chinese working days.\n\n"
        "Without a licence file every command uses the bundled licence B2-20210247.\n\n"
        "\b\nExamples:\n"
        "  licensecli deadlines                  what is due, as of today in China\n"
        "  licensecli due 9 --on 2026-11-20      when one obligation is due\n"
        "  licensecli renew-check my-licences/   for cron and monitoring\n"
        "  licensecli COMMAND --help             each command, with examples\n\n"
        "Shell completion: licensecli --install-completion (bash, zsh, fish)."
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_usage_error(self: Any, file: Any = None) -> None:
    """A usage error as one line, like every other error: `error: … (see 'licensecli X --help')`.
    (click prints three: the usage, a hint and `Error: …`.)"""
    if type(self).__name__ == "NoArgsIsHelpError":  # `licensecli` alone: the help itself
        _ORIGINAL_SHOW(self, file)
        return
    hint = ""
    if self.ctx is not None:
        hint = f" (see '{self.ctx.command_path} --help')"
    _say(f"error: {self.format_message()}{hint}")


_ORIGINAL_SHOW = UsageError.show  # type: ignore[attr-defined]
UsageError.show = _show_usage_error  # type: ignore[attr-defined]

# typer prints an argument's Python type beside its metavar ("PATHS <list[Path]>"); the metavar
# already says what to give, so show it alone.
typer.core.TyperArgument.display_type_rich = lambda self, ctx: None  # type: ignore[method-assign]


def _usage_name(self: typer.core.TyperArgument) -> str:
    """A required argument as Unix usage lines write it (DATE, not typer's {DATE})."""
    name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
    return name + ("..." if self.nargs != 1 else "")


typer.core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]

# --- shared options -------------------------------------------------------------------------

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="PATHS",
        help="Licence YAML files or folders of them. Default: $LICENSECLI_LICENSE, else the "
        "bundled licence B2-20210247.",
        show_default=False,
        readable=False,  # the reader says what is wrong with a path (exit 1), not the parser (2)
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON document on stdout; messages go to stderr.")]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="zh|en",
        autocompletion=lambda: ["zh", "en"],
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
        "config folder licensecli/holidays/. Format: see `licensecli holidays show --help`.",
        show_default=False,
        readable=False,
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
        help="Compute as if today were DATE (YYYY-MM-DD). Default: today in China (Asia/Shanghai).",
        show_default=False,
    ),
]

CHINA_ZONE = "Asia/Shanghai"
NOW_ENV = "LICENSECLI_NOW"  # an injectable clock for tests: an ISO date-time, local if naive


def now() -> dt.datetime:
    """Now, as an aware date-time; $LICENSECLI_NOW fixes it (local time if it has no offset)."""
    fixed = os.environ.get(NOW_ENV)
    if fixed:
        try:
            moment = dt.datetime.fromisoformat(fixed).astimezone()
            moment.astimezone(dt.UTC) + dt.timedelta(days=1)  # a moment every zone can show
        except ValueError:
            raise InputError(f"{NOW_ENV}={fixed!r} is not an ISO date-time") from None
        except OverflowError:
            raise InputError(f"{NOW_ENV}={fixed!r} is outside the dates licensecli can handle") from None
        return moment
    return dt.datetime.now(dt.UTC)


def china_today() -> dt.date:
    """Today's date in China, whatever the machine's time zone (a day ends at 24:00 China time)."""
    from zoneinfo import ZoneInfo

    return now().astimezone(ZoneInfo(CHINA_ZONE)).date()


def china_clock(as_of: str | None) -> dt.datetime | None:
    """China's wall clock now (naive, UTC+8) for duties counted in hours, or None with --as-of
    (a day, not a moment: such a duty is then judged by its date)."""
    if as_of is not None:
        return None
    from zoneinfo import ZoneInfo

    return now().astimezone(ZoneInfo(CHINA_ZONE)).replace(tzinfo=None)


def now_utc() -> dt.datetime:
    """Now in UTC to the second (an export's LAST-MODIFIED)."""
    return now().astimezone(dt.UTC).replace(microsecond=0)


def as_of_date(as_of: str | None) -> dt.date:
    """--as-of, or today in China; a day the calendar covers."""
    return calendar_day(as_of if as_of is not None else china_today(), "--as-of")


def calendar_day(given: str | dt.date, what: str) -> dt.date:
    """A date from the command line (or the clock) that the calendar covers (2004–2099), or an
    InputError naming the option and saying why."""
    from licensecli.workdays import check_date

    day = parse_date(given, what) if isinstance(given, str) else given
    try:
        check_date(day)
    except CalendarError as exc:
        raise InputError(f"{what} {day}: {exc.message}") from None
    return day


def event_moment(given: str, what: str) -> tuple[dt.date, dt.time]:
    """An event's date and time from the command line ("2026-11-28 14:05", China time), or an
    InputError saying what to write."""
    import re

    match = re.fullmatch(r"\s*(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})\s*", given)
    if match is None:
        raise InputError(f'{what} {given!r}: write the date and time as "YYYY-MM-DD HH:MM" (China time)')
    hour, minute = int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise InputError(f"{what} {given!r}: {hour:02d}:{minute:02d} is not a time of day (00:00 to 23:59)")
    return calendar_day(match.group(1), what), dt.time(hour, minute)


def event_time(given: str, what: str) -> str:
    """A time of day from the command line as HH:MM, or an InputError."""
    import re

    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", given)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InputError(f"{what} {given!r}: write the time of day as HH:MM (00:00 to 23:59, China time)")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def refuse_future_filings(licenses: Iterable[License]) -> None:
    """A renewal filing recorded after today (the real day, not --as-of) cannot have been made:
    the file is wrong, and every computing command says so rather than trust it."""
    from licensecli.engine import refuse_future_filing

    today = china_today()
    for lic in licenses:
        refuse_future_filing(lic, today)


def write_text(text: str | bytes) -> None:
    """Text (or its bytes, see writing.stdout_takes_utf8) for stdout, flushed so that a failure to write shows here, not at exit."""
    from licensecli.writing import write_stdout

    write_stdout(text)


def make_calendar(holidays: list[Path] | None, strict: bool) -> Calendar:
    """The working-day calendar with every holiday file the user supplies."""
    return Calendar.from_environment(holidays or (), strict=strict)


WithinOpt = Annotated[
    int | None,
    typer.Option(
        "--within",
        metavar="DAYS",
        min=0,
        help="Only deadlines up to DAYS days from the as-of day.",
        show_default=False,
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option("-q", "--quiet", help="No warning lines on stderr (for cron); errors are still printed."),
]


def warn_estimates(calendar: Calendar, lang: str, quiet: bool = False, today: dt.date | None = None) -> None:
    """Say in one line on stderr which years were estimated and how to import the schedules; with
    `today`, when nothing was estimated but the data is about to run out (from 1 November of its
    last year), say that next year's schedule is missing — once either way."""
    if quiet:
        return
    if not calendar.estimated_years_used:
        from licensecli.workdays import stale_from

        last = calendar.published_through
        if today is not None and stale_from(last) <= today:
            sys.stderr.write(f"warning: {words.missing_schedule_warning(last + 1, lang)}\n")
        return
    from licensecli.workdays import describe_years

    sys.stderr.write(words.estimate_warning(describe_years(calendar.estimated_years_used), lang) + "\n")


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
    from licensecli.yamlfile import printable

    # Whatever a message quotes (a file name, a value) reaches the terminal escaped.
    sys.stderr.write(f"error: {printable(error.message)}\n")
    for line in error.details[1:]:
        sys.stderr.write(f"error: {printable(line)}\n")
    return typer.Exit(error.exit_code if code is None else code)


_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT, errno.EBADF})


def handled(func: F) -> F:
    """Turn licensecli's errors into one line on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ReaderGoneError:  # the reader has gone (`| head -1`): nothing to say, no one to hear
            raise typer.Exit(BROKEN_PIPE_EXIT) from None
        except LicenseCliError as exc:
            raise fail(exc) from None
        except KeyboardInterrupt:
            sys.stderr.write("error: interrupted\n")
            raise typer.Exit(130) from None
        except BrokenPipeError:  # from a write that did not go through write_stdout (rich)
            detach_stdout()
            raise typer.Exit(BROKEN_PIPE_EXIT) from None
        except OSError as exc:
            if exc.errno not in _OUTPUT_ERRNOS:
                raise internal_error(exc, 1) from None
            detach_stdout()  # rich's write to a full disk or a failing device
            raise fail(OutputError(f"cannot write the output: {exc.strerror}")) from None
        except (typer.Exit, UsageError):
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
    from licensecli.yamlfile import excerpt

    sys.stderr.write(
        f"error: internal error ({type(exc).__name__}: {excerpt(str(exc), 200)}); please report it "
        f"with the command line (set {DEBUG_ENV}=1 for details)\n"
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
