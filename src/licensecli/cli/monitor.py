"""What the monitoring commands (renew-check, check) share: a monitoring plugin's plumbing.

Whatever goes wrong, the answer is UNKNOWN (3) in the format asked for, never a traceback and
never 2, which would read as CRITICAL. Nothing goes to stderr while stdout can be written:
Icinga 2 merges stderr into the service output.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, NoReturn, TypeVar

import typer
import typer.core

from licensecli import __version__, loader
from licensecli.cli.common import DEBUG_ENV, UsageError
from licensecli.errors import LicenseCliError, OutputError, ReaderGoneError
from licensecli.thresholds import Range
from licensecli.writing import refuse_licence_target

if TYPE_CHECKING:
    from licensecli.renewal import CheckStatus

FORMATS = ("text", "json", "prometheus")
UNKNOWN = 3

# (format, message, scope) -> the UNKNOWN answer in that format
UnknownRenderer = Callable[[str, str, str], str]
R = TypeVar("R")


# The options renew-check and check share (their thresholds and --format say each its own).
TimeoutOpt = Annotated[
    int,
    typer.Option(
        "-t", "--timeout", metavar="SECONDS", min=1, max=86400, help="Give up with UNKNOWN after SECONDS."
    ),
]
QuietWhenOkOpt = Annotated[
    bool,
    typer.Option("-q", "--quiet", help="Print nothing on stdout when OK (cron mails only on trouble)."),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "-o",
        "--output",
        metavar="FILE",
        help="Write to FILE instead of stdout, atomically and whatever the status (the exit "
        "code is still the check's).",
        show_default=False,
    ),
]


def print_version(value: bool) -> None:
    """--version: the version on stdout (a failure to write it is UNKNOWN, like any other)."""
    if value:
        write_stdout(f"licensecli {__version__}\n")
        raise typer.Exit(0)


VersionOpt = Annotated[
    bool,
    typer.Option(
        "-V", "--version", callback=print_version, is_eager=True, help="Print the version and exit."
    ),
]


class Answer(NamedTuple):
    """A check's rendered answer: the text for stdout or -o (or its pieces, read once: a
    folder's JSON from its spools), its status and its exit code."""

    text: str | Iterable[str]
    status: str
    code: int


class MonitoringCommand(typer.core.TyperCommand):
    """A monitoring command answers usage errors with UNKNOWN (3), not 2, in the format asked
    for. Subclasses name how their UNKNOWN looks (`render_unknown`)."""

    @staticmethod
    def render_unknown(fmt: str, message: str, scope: str) -> str:
        """The command's UNKNOWN answer in `fmt`."""
        raise NotImplementedError

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            parsed: list[str] = super().parse_args(ctx, list(args))  # click consumes its list
        except UsageError as exc:
            fmt, target, paths = peek(args)
            message = f"bad usage: {exc.format_message()}"  # type: ignore[attr-defined]
            emit_unknown(self.render_unknown, fmt, message, target, scope_of(paths))
            # No usage block on stderr: Icinga 2 would add it to the service output.
            raise typer.Exit(UNKNOWN) from None
        return parsed


_VALUED = {"-w", "--warning", "-c", "--critical", "-t", "--timeout", "--format", "--as-of", "--holidays"}


def peek(args: list[str]) -> tuple[str, str | None, list[Path]]:
    """The format, -o target and paths of a command line that failed to parse, as far as they show."""
    fmt, target, paths = "text", None, []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            paths += [Path(a) for a in rest]
        elif arg == "--json":
            fmt = "json"
        elif arg == "--format":
            fmt = next(rest, fmt) if fmt != "json" else fmt
        elif arg.startswith("--format=") and fmt != "json":
            fmt = arg.partition("=")[2]
        elif arg in ("-o", "--output"):
            target = next(rest, None)
        elif arg.startswith("--output="):
            target = arg.partition("=")[2]
        elif arg.startswith("-o") and len(arg) > 2:
            target = arg[2:]
        elif arg in _VALUED:
            next(rest, None)
        elif not arg.startswith("-") or arg == "-":
            paths.append(Path(arg))
    return (fmt if fmt in FORMATS else "text"), target, paths


def scope_of(paths: list[Path] | None) -> str:
    """What a check covers, for the overall status metric: the paths as given, else the
    $LICENSECLI_LICENSE value, else 'bundled'."""
    if paths:
        return ",".join(str(p) for p in paths)
    return os.environ.get(loader.LICENSE_ENV, "").strip() or "bundled"


def threshold(text: str) -> Range:
    """typer's parser for -w/-c: a bad range is a usage error."""
    from licensecli import thresholds

    try:
        return thresholds.parse(text, "")
    except LicenseCliError as exc:
        raise typer.BadParameter(exc.message.strip()) from None


def output_format(value: str) -> str:
    """typer's callback for --format."""
    if value not in FORMATS:
        raise typer.BadParameter(f"'{value}': use text, json or prometheus")
    return value


def answer(
    *,
    fmt: str,
    output: str | None,
    timeout: int,
    quiet: bool,
    scope: str,
    compute: Callable[[], R],
    render: Callable[[R], Answer],
    render_unknown: UnknownRenderer,
) -> NoReturn:
    """Run a check within `timeout` seconds and answer it: to -o FILE (atomically, whatever the
    status) or stdout (nothing when `quiet` and OK); anything that stops an honest answer is
    UNKNOWN, in the format asked for. Ends with the check's exit code."""
    try:
        if output is not None:
            refuse_licence_target(output, "the check's output")
        with time_limit(timeout), terminate_as_interrupt():
            done = render(compute())
    except TimedOut:
        emit_unknown(render_unknown, fmt, f"timed out after {timeout} s", output, scope)
        raise typer.Exit(UNKNOWN) from None
    except KeyboardInterrupt:  # Ctrl-C, or the monitoring system's SIGTERM: still one answer
        emit_unknown(render_unknown, fmt, "interrupted before the check was done", output, scope)
        raise typer.Exit(UNKNOWN) from None
    except Exception as exc:  # anything that stops an honest answer is UNKNOWN, never OK
        if isinstance(exc, LicenseCliError):
            message = exc.message
        else:
            message = f"internal error ({type(exc).__name__}: {exc}); please report it"
            if os.environ.get(DEBUG_ENV):
                import traceback

                traceback.print_exception(exc)
        # The reason is in the status line; nothing on stderr, which Icinga 2 would append to it.
        emit_unknown(render_unknown, fmt, message, None if isinstance(exc, OutputError) else output, scope)
        raise typer.Exit(UNKNOWN) from None
    if output is not None and output != "-":
        try:
            write_file(output, done.text)
        except OutputError as exc:
            emit_unknown(render_unknown, fmt, exc.message, None, scope)
            raise typer.Exit(UNKNOWN) from None
    elif not (quiet and done.status == "OK"):
        write_stdout(done.text, fmt)
    raise typer.Exit(done.code)


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a scheduler stopping the check) is treated as Ctrl-C, so it still gets an answer."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> NoReturn:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class TimedOut(BaseException):
    """Raised by SIGALRM; a BaseException so that no `except Exception` on the way swallows it."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise TimedOut after `seconds` (POSIX, main thread; elsewhere no limit)."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> NoReturn:
        raise TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def emit_unknown(render: UnknownRenderer, fmt: str, message: str, target: str | None, scope: str) -> None:
    """UNKNOWN in the format asked for: to -o FILE if given (falling back to stdout), else stdout."""
    text = render(fmt, message, scope)
    if target is not None and target != "-":
        with contextlib.suppress(OutputError):
            refuse_licence_target(target, "the check's output")
            write_file(target, text)
            return
    write_stdout(text, fmt)


def write_file(target: str, text: str | Iterable[str]) -> None:
    """Write -o FILE atomically."""
    from licensecli.writing import write_atomic

    pieces = (text,) if isinstance(text, str) else text
    write_atomic(target, (piece.encode("utf-8") for piece in pieces))


def write_stdout(text: str | Iterable[str], fmt: str = "text") -> None:
    """Write stdout; a failure is UNKNOWN (3): one line on stderr (stdout cannot carry it), or
    none for a closed pipe (the reader left: nobody to tell)."""
    from licensecli.writing import write_stdout as write

    try:
        for piece in (text,) if isinstance(text, str) else text:
            write(piece, utf8=fmt == "prometheus")
    except ReaderGoneError:
        raise typer.Exit(UNKNOWN) from None
    except OutputError as exc:
        sys.stderr.write(f"error: {exc.message}\n")
        raise typer.Exit(UNKNOWN) from None


# --- a folder's checks, shared by renew-check and check -------------------------------------


class Judged(NamedTuple):
    """A folder's checks as the answer needs them: the overall status (UNKNOWN, with the reason
    in `problem`, when two files claim one number) and, for the text and Prometheus answers,
    every licence's check; for JSON, the licences' JSON items spooled and what `keep` kept."""

    status: CheckStatus
    problem: str | None
    checks: list[Any]
    items: Iterable[str]
    kept: list[Any]


def judge_folder(
    files: list[Path],
    judge: Callable[[Path, Any], Any],
    calendar: Any,
    today: Any,
    *,
    item: Callable[[Any], str | bytes] | None = None,
    keep: Callable[[Any], list[Any]] | None = None,
) -> Judged:
    """Every licence's check (`judge` returns one with its `number` and `status`), a licence at
    a time, on every core for a large folder (portfolio.judge_each). With `item` (JSON), each
    check is turned into its JSON item in the worker and spooled, and only its number, status
    and what `keep` returns of it are held: memory does not grow with the folder."""
    from licensecli import portfolio, renewal

    checks: list[Any] = []
    statuses: list[CheckStatus] = []
    numbers: list[str] = []
    kept: list[Any] = []
    spool: Iterable[str] = ()
    if item is None:
        checks = list(portfolio.judge_each(files, judge, calendar, today))
        numbers, statuses = [c.number for c in checks], [c.status for c in checks]
    else:
        made, stash, spooled = item, portfolio.Stash(), portfolio.Spool()

        def judge_json(path: Path, lic: Any) -> tuple[str, Any, Any, list[Any]]:
            found = judge(path, lic)
            return found.number, found.status, stash.add(made(found)), keep(found) if keep is not None else []

        try:
            for number, status, text, extra in portfolio.judge_each(
                files, judge_json, calendar, today, stash=stash
            ):
                numbers.append(number)
                statuses.append(status)
                spooled.add(text)
                kept += extra
        except BaseException:  # no answer: its temporary files go now, not when collected
            stash.close()
            spooled.close()
            raise
        spool = _read_back(stash, spooled)
    duplicates = loader.numbers_twice(zip(files, numbers, strict=True))
    status, problem = renewal.overall(statuses, duplicates)
    return Judged(status, problem, checks, spool, kept)


def _read_back(stash: Any, spool: Iterable[Any]) -> Iterator[str]:
    """The spooled items' texts, from the stash the workers put them in (closed once read)."""
    with stash:
        yield from map(stash.text, spool)


def verbose_notes(calendar: Any, verbose: int) -> list[str]:
    """The lines -v (estimated years) and -vv (where the calendar came from) add."""
    if verbose < 1:
        return []
    from licensecli.output import monitoring

    notes = monitoring.estimate_notes(calendar.estimated_years_used)
    if verbose >= 2:
        from licensecli.workdays import package_version, package_years

        notes += monitoring.calendar_notes(
            package_version(), package_years(), calendar.holiday_files, calendar.estimated_years_used
        )
    return notes
