"""Errors with a message for people; the CLI prints them as one line and exits with `exit_code`."""

from __future__ import annotations

from collections.abc import Sequence


class LicenseCliError(Exception):
    """Base of every error licensecli raises on purpose; `str(error)` is the user-facing line."""

    exit_code = 1

    def __init__(self, message: str, *, details: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        # Further lines (one per problem) for commands such as `validate` that list them all.
        self.details = details

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled whole (a folder's worker process sends it back): message and details.
        return (_rebuilt, (type(self), self.message, self.details))


def _rebuilt(cls: type[LicenseCliError], message: str, details: tuple[str, ...]) -> LicenseCliError:
    return cls(message, details=details)


class DataFileError(LicenseCliError):
    """A licence or holiday file cannot be read or is not valid; details hold `file:line: …`."""

    @classmethod
    def listing(cls, problems: Sequence[str]) -> DataFileError:
        """Every problem found in a file: the first (and how many more) as the message, all of
        them as details (`validate` lists them)."""
        count = len(problems)
        head = problems[0] if count == 1 else f"{problems[0]} (and {count - 1} more)"
        return cls(head, details=tuple(problems))


class InputError(LicenseCliError):
    """A value given on the command line (a date, a number, a reference) is not usable."""


class UnknownObligationError(InputError):
    """An obligation id or clause reference that the licence does not have."""


class CalendarError(LicenseCliError):
    """A date outside the years the working-day calendar can answer for."""


class EstimateRefusedError(CalendarError):
    """--strict-calendar was given and the answer needs estimated holiday data."""


class OutputError(LicenseCliError):
    """An output file, or standard output, could not be written."""


class ReaderGoneError(OutputError):
    """Standard output is a pipe whose reader has gone (`| head -1`): nobody left to tell."""


class LockBusyError(LicenseCliError):
    """Another licensecli is editing the same licence file and did not finish in time."""

    exit_code = 75  # EX_TEMPFAIL (sysexits.h): try again later
