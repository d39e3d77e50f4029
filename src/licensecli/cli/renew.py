"""renew-check: the renewal check for cron and monitoring systems (a monitoring plugin).

Whatever goes wrong, the answer is UNKNOWN (3) in the format asked for, never a traceback and
never 2, which would read as CRITICAL.
"""

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import typer.core

from licensecli import __version__, loader
from licensecli.cli.common import (
    DEBUG_ENV,
    AsOfOpt,
    HolidaysOpt,
    JsonOpt,
    PathsArg,
    StrictOpt,
    UsageError,
    app,
    as_of_date,
    make_calendar,
    refuse_future_filings,
)
from licensecli.errors import LicenseCliError, OutputError, ReaderGoneError
from licensecli.thresholds import Range
from licensecli.writing import refuse_licence_target

if TYPE_CHECKING:
    from licensecli.renewal import CheckSummary

FORMATS = ("text", "json", "prometheus")
UNKNOWN = 3


class _MonitoringCommand(typer.core.TyperCommand):
    """renew-check answers usage errors with UNKNOWN (3), not 2, in the format asked for."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            parsed: list[str] = super().parse_args(ctx, list(args))  # click consumes its list
        except UsageError as exc:
            fmt, target, paths = _peek(args)
            message = f"bad usage: {exc.format_message()}"  # type: ignore[attr-defined]
            _emit_unknown(fmt, message, target, _scope(paths))
            # No usage block on stderr: Icinga 2 would add it to the service output.
            raise typer.Exit(UNKNOWN) from None
        return parsed


_VALUED = {"-w", "--warning", "-c", "--critical", "-t", "--timeout", "--format", "--as-of", "--holidays"}


def _peek(args: list[str]) -> tuple[str, str | None, list[Path]]:
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


def _scope(paths: list[Path] | None) -> str:
    """What this check covers, for the overall status metric: the paths as given, else the
    $LICENSECLI_LICENSE value, else 'bundled'."""
    if paths:
        return ",".join(str(p) for p in paths)
    return os.environ.get(loader.LICENSE_ENV, "").strip() or "bundled"


def _threshold(text: str) -> Range:
    """typer's parser for -w/-c: a bad range is a usage error."""
    from licensecli import thresholds

    try:
        return thresholds.parse(text, "")
    except LicenseCliError as exc:
        raise typer.BadParameter(exc.message.strip()) from None


def _format(value: str) -> str:
    if value not in FORMATS:
        raise typer.BadParameter(f"'{value}': use text, json or prometheus")
    return value


def _version(value: bool) -> None:
    if value:
        _write_stdout(f"licensecli {__version__}\n")
        raise typer.Exit(0)


@app.command("renew-check", cls=_MonitoringCommand)
def renew_check(
    paths: PathsArg = None,
    warning: Annotated[
        Range | None,
        typer.Option(
            "-w",
            "--warning",
            metavar="RANGE",
            parser=_threshold,
            help="WARNING when the days left to the filing deadline are outside RANGE; a number "
            "N means N: (fewer than N days left). Default: the licence file's "
            "renew_check.warning, else 60.",
            show_default=False,
        ),
    ] = None,
    critical: Annotated[
        Range | None,
        typer.Option(
            "-c",
            "--critical",
            metavar="RANGE",
            parser=_threshold,
            help="CRITICAL likewise. Default: the licence file's renew_check.critical, else 14.",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        int,
        typer.Option(
            "-t",
            "--timeout",
            metavar="SECONDS",
            min=1,
            max=86400,
            help="Give up with UNKNOWN after SECONDS.",
        ),
    ] = 10,
    verbose: Annotated[
        int,
        typer.Option(
            "-v",
            "--verbose",
            count=True,
            show_default=False,
            help="More detail after the status line: -v thresholds, file and estimates per "
            "licence; -vv also where the calendar came from.",
        ),
    ] = 0,
    quiet: Annotated[
        bool,
        typer.Option("-q", "--quiet", help="Print nothing on stdout when OK (cron mails only on trouble)."),
    ] = False,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="text|json|prometheus",
            autocompletion=lambda: list(FORMATS),
            callback=_format,
            help="text: the monitoring-plugin status line; json; prometheus: a node_exporter "
            "textfile-collector file.",
        ),
    ] = "text",
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Write to FILE instead of stdout, atomically and whatever the status (the exit "
            "code is still the check's).",
            show_default=False,
        ),
    ] = None,
    json_output: JsonOpt = False,
    as_of: AsOfOpt = None,
    holidays: HolidaysOpt = None,
    strict_calendar: StrictOpt = False,
    version: Annotated[
        bool,
        typer.Option("-V", "--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Check renewal deadlines for cron and monitoring (Nagios, Icinga, Zabbix, Prometheus).

    Exit codes: 0 OK · 1 WARNING · 2 CRITICAL · 3 UNKNOWN (bad file, bad option, two files with
    the same licence number, refused estimate, timeout). Days are calendar days from today
    (China) to the renewal filing deadline (R5/R6). CRITICAL when the licence has lapsed or the
    filing deadline has passed (令42号 第二十七条: no renewal), whatever -w/-c say. Once a timely
    filing is recorded (licensecli renewal filed), the days left to the expiry are watched
    instead: WARNING within -w days while the decision is outstanding. Several licences: the
    worst status wins.

    \b
    Thresholds (-w, -c), the monitoring-plugin range syntax:
      a range alerts when the days left are OUTSIDE it; @ alerts INSIDE it
      60      same as 60:  alert when FEWER than 60 days are left
      60:     59 days alert, 60 days are OK: the boundary itself is OK
      ~:10    alert when more than 10 days are left
      10:20   alert outside 10..20 (10 and 20 are inside: OK)
      @10:20  alert from 10 to 20 days, ends included
      With two numbers, -c must not be above -w.

    \b
    Perfdata (no unit; thresholds written in range syntax):
      'days_to_renewal_deadline'=144;60:;14:;; 'days_to_expiry'=234;;;;
      several licences: 'B2-20210247_days_to_renewal_deadline'=...
      estimated years are said in the licence's line, never on stderr

    \b
    Examples:
      licensecli renew-check --as-of 2025-06-01
          LICENSE OK - B2-20210247 renewal application due in 144 days,
          by 2025-10-23 (licence valid until 2026-01-21) | ...
      licensecli renew-check -w 90 -c 30 /etc/licenses/
      0 8 * * * licensecli renew-check -q /etc/licenses/   # cron
      licensecli renew-check --format prometheus \\
          -o /var/lib/node_exporter/textfile/licensecli.prom
    """
    fmt = "json" if json_output else output_format
    scope = _scope(paths)
    try:
        if output is not None:
            refuse_licence_target(output, "the check's output")
        with _time_limit(timeout), _terminate_as_interrupt():
            summary, notes = _check(paths, warning, critical, as_of, holidays, strict_calendar, verbose)
    except _TimedOut:
        _emit_unknown(fmt, f"timed out after {timeout} s", output, scope)
        raise typer.Exit(UNKNOWN) from None
    except KeyboardInterrupt:  # Ctrl-C, or the monitoring system's SIGTERM: still one answer
        _emit_unknown(fmt, "interrupted before the check was done", output, scope)
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
        _emit_unknown(fmt, message, None if isinstance(exc, OutputError) else output, scope)
        raise typer.Exit(UNKNOWN) from None
    from licensecli.output import documents, monitoring

    if fmt == "json":
        text = documents.dumps(
            documents.renew_check_json(summary.status, summary.code, summary.checks, summary.problem)
        )
    elif fmt == "prometheus":
        text = monitoring.renew_check_prometheus(summary.status, summary.checks, scope).decode("utf-8")
    else:
        text = monitoring.renew_check_text(summary, verbose, notes)
    if output is not None and output != "-":
        try:
            _write_file(output, text)
        except OutputError as exc:
            _emit_unknown(fmt, exc.message, None, scope)
            raise typer.Exit(UNKNOWN) from None
    elif not (quiet and summary.status == "OK"):
        _write_stdout(text, fmt)
    raise typer.Exit(summary.code)


def _check(
    paths: list[Path] | None,
    warning: Range | None,
    critical: Range | None,
    as_of: str | None,
    holidays: list[Path] | None,
    strict: bool,
    verbose: int,
) -> "tuple[CheckSummary, list[str]]":
    """The check itself (the part the timeout covers) and the -v notes."""
    from licensecli import renewal

    calendar = make_calendar(holidays, strict)
    day = as_of_date(as_of)
    loaded = loader.load_with_paths(paths)
    refuse_future_filings(lic for _, lic in loaded)
    summary = renewal.renew_check(
        loaded, day, calendar, warning=warning, critical=critical, duplicates=loader.duplicate_numbers(loaded)
    )
    notes: list[str] = []
    if verbose >= 1:
        from licensecli.output import monitoring

        notes += monitoring.estimate_notes(calendar.estimated_years_used)
        if verbose >= 2:
            from licensecli.workdays import package_version, package_years

            notes += monitoring.calendar_notes(
                package_version(), package_years(), calendar.holiday_files, calendar.estimated_years_used
            )
    return summary, notes


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
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


class _TimedOut(BaseException):
    """Raised by SIGALRM; a BaseException so that no `except Exception` on the way swallows it."""


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Raise _TimedOut after `seconds` (POSIX, main thread; elsewhere no limit)."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> NoReturn:
        raise _TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _emit_unknown(fmt: str, message: str, target: str | None, scope: str) -> None:
    """UNKNOWN in the format asked for: to -o FILE if given (falling back to stdout), else stdout."""
    from licensecli.output import monitoring

    if fmt == "json":
        from licensecli.output import documents

        text = documents.dumps(
            documents.renew_check_json("UNKNOWN", UNKNOWN, [], monitoring.printable(message))
        )
    elif fmt == "prometheus":
        text = monitoring.renew_check_prometheus("UNKNOWN", [], scope).decode("utf-8")
    else:
        text = monitoring.unknown_text(message)
    if target is not None and target != "-":
        with contextlib.suppress(OutputError):
            refuse_licence_target(target, "the check's output")
            _write_file(target, text)
            return
    _write_stdout(text, fmt)


def _write_file(target: str, text: str) -> None:
    from licensecli.writing import write_atomic

    write_atomic(target, text.encode("utf-8"))


def _write_stdout(text: str, fmt: str = "text") -> None:
    """Write stdout; a failure is UNKNOWN (3): one line on stderr (stdout cannot carry it), or
    none for a closed pipe (the reader left: nobody to tell)."""
    from licensecli.writing import write_stdout

    try:
        write_stdout(text, utf8=fmt == "prometheus")
    except ReaderGoneError:
        raise typer.Exit(UNKNOWN) from None
    except OutputError as exc:
        sys.stderr.write(f"error: {exc.message}\n")
        raise typer.Exit(UNKNOWN) from None
