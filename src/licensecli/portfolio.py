"""A folder of licences, file by file: one licence in memory at a time, and on every core when
the folder is large enough to pay for more processes.

`each(files, work)` calls `work(path)` for every file and yields the results in the order of
the files, whichever process computed them. `work` reads one licence and returns what the
command needs of it (a renewal check, the JSON of its deadlines): small, plain values, never
the licence itself, so memory does not grow with the folder. Errors a person must see are
returned, not raised (`Failed`, with the step that failed), so that the command can report the
same error a one-file-at-a-time run reports: the first file that cannot be read before any
licence that cannot be judged.

Processes are forked (Linux): each inherits the loaded modules, the calendar and the
template's validated clauses, so it starts with nothing to import or build. Elsewhere, and for
fewer than PARALLEL_FROM files, everything runs in this process. $LICENSECLI_JOBS sets how many
processes may run (1: only this one). Spools (`Spool`, `SortedSpool`) keep a large folder's
output in temporary files until it is written.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TypeVar

from licensecli.errors import InputError, LicenseCliError, OutputError
from licensecli.workdays import Calendar

if TYPE_CHECKING:
    import datetime as dt

    from licensecli.models import License

JOBS_ENV = "LICENSECLI_JOBS"
# Below this many files (some 0.1–0.3 s of work) a second process would save little: starting
# workers and passing results back has its own cost, and a small folder's answer is quick anyway.
PARALLEL_FROM = 200
CHUNK = 25  # files a worker takes at a time: few round trips, and the order is kept cheaply
SPOOL_ITEMS = 1000  # items a Spool keeps in memory before it writes them to a temporary file
RUN_ITEMS = 5000  # items a SortedSpool sorts in memory into one run

R = TypeVar("R")


class Failed(NamedTuple):
    """A file whose work stopped on an error for people: `step` says how far it got (0 reading
    the file, then the command's own steps), so that the earliest kind of error is reported."""

    step: int
    error: LicenseCliError


def jobs() -> int:
    """How many processes may work on a folder: $LICENSECLI_JOBS, else the cores this process
    may use."""
    given = os.environ.get(JOBS_ENV, "").strip()
    if given:
        if not given.isdecimal() or int(given) < 1 or len(given) > 4:
            raise InputError(
                f"${JOBS_ENV}={given[:20]!r}: give a whole number of processes, 1 or more (1: one process)"
            )
        return int(given)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def each(files: Sequence[Path], work: Callable[[Path], R], calendar: Calendar | None = None) -> Iterator[R]:
    """`work(path)` for every file, in the files' order; on several processes when there are
    PARALLEL_FROM files or more and more than one job. The estimated years a worker's calendar
    used are added to `calendar`'s, as if the work had been done here."""
    count = min(jobs(), len(files) // PARALLEL_FROM)
    if count < 2 or sys.platform != "linux":
        yield from map(work, files)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # The first file here: the workers then inherit what it warmed (lazy imports, the template's
    # validated clauses, the calendar's index) instead of each building its own.
    yield work(files[0])
    global _WORK
    _WORK = (work, calendar, os.getpid())
    # What the workers inherit is kept out of their garbage collector's way: its passes would
    # touch every inherited object, and so copy the pages they share with this process.
    gc.freeze()
    # An executor, not a multiprocessing.Pool: a worker that dies (the OOM killer, kill -9)
    # breaks the executor, where a Pool would wait for its work for ever.
    executor = ProcessPoolExecutor(
        count, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start
    )
    finished = False
    try:
        for result, years in executor.map(_work_one, files[1:], chunksize=CHUNK):
            if calendar is not None and years:
                calendar.estimated_years_used.update(years)
            yield result
        finished = True
    except BrokenProcessPool:
        raise LicenseCliError(
            "a worker process ended before its licences were read (killed, or out of memory?); "
            f"run again, or with {JOBS_ENV}=1 to read them in this process"
        ) from None
    finally:
        _WORK = None
        _stop(executor, finished)
        gc.unfreeze()


_WORK: tuple[Callable[[Path], Any], Calendar | None, int] | None = None


def _stop(executor: Any, finished: bool) -> None:
    """The workers end: at once when the answer was given up (a timeout, Ctrl-C, an error)."""
    if finished:
        executor.shutdown(wait=True)
        return
    processes = list((getattr(executor, "_processes", None) or {}).values())  # CPython's own
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def _worker_start() -> None:
    """In a worker: Ctrl-C and the monitoring system's SIGTERM are the parent's to handle (it
    answers UNKNOWN and ends the workers). A worker ends with its parent (Linux's
    PR_SET_PDEATHSIG), and writes nothing on stderr, which a monitoring system would show: what
    goes wrong in its work is raised in the parent."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if _WORK is None or os.getppid() != _WORK[2]:  # the parent is already gone
        os._exit(0)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)


def _work_one(path: Path) -> tuple[Any, tuple[int, ...]]:
    assert _WORK is not None
    work, calendar, _ = _WORK
    result = work(path)
    return result, tuple(calendar.estimated_years_used) if calendar is not None else ()


def first_failure(failures: Sequence[Failed]) -> LicenseCliError | None:
    """The error to report of several files' failures: the earliest step's, in file order."""
    if not failures:
        return None
    return min(enumerate(failures), key=lambda item: (item[1].step, item[0]))[1].error


def judge_each(
    files: Sequence[Path],
    judge: Callable[[Path, License], R],
    calendar: Calendar,
    today: dt.date,
    *,
    refuse_numbers: Callable[[list[tuple[Path, str]]], None] | None = None,
) -> Iterator[R]:
    """`judge(path, licence)` for every licence file, in order (see `each`), then the error a
    command reading every file first would raise: the first file that cannot be read, else what
    `refuse_numbers` says of every file's licence number (two files with one number), else the
    first renewal filing recorded after `today` (engine.refuse_future_filing), else the first
    licence `judge` refused. Results already yielded are then not an answer."""
    failures: list[Failed] = []
    numbers: list[tuple[Path, str]] = []
    for path, (number, result) in zip(files, each(files, _Judge(judge, today), calendar), strict=True):
        if number is not None and refuse_numbers is not None:
            numbers.append((path, number))
        if isinstance(result, Failed):
            failures.append(result)
        else:
            yield result
    unreadable = first_failure([f for f in failures if f.step == 0])
    if unreadable is not None:
        raise unreadable
    if refuse_numbers is not None:
        refuse_numbers(numbers)
    error = first_failure(failures)
    if error is not None:
        raise error


class _Judge:
    """One file's steps, each failure returned with its step (see Failed), with the licence's
    number once it is read."""

    def __init__(self, judge: Callable[[Path, License], Any], today: dt.date) -> None:
        self.judge = judge
        self.today = today

    def __call__(self, path: Path) -> tuple[str | None, Any]:
        from licensecli.engine import refuse_future_filing
        from licensecli.loader import load_license

        try:
            lic = load_license(path)
        except LicenseCliError as exc:
            return None, Failed(0, exc)
        try:
            refuse_future_filing(lic, self.today)
        except LicenseCliError as exc:
            return lic.number, Failed(1, exc)
        try:
            return lic.number, self.judge(path, lic)
        except LicenseCliError as exc:
            return lic.number, Failed(2, exc)


class _Closing:
    """A spool's temporary files are closed (so deleted) when it is read to the end or when the
    `with` block it was opened in ends, an error included."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: S) -> S:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # an answer never written (quiet and OK): its files go too
        self.close()


S = TypeVar("S", bound=_Closing)


class Spool(_Closing):
    """Items kept in the order given: in memory up to `limit`, then in a temporary file, so that
    a folder's output does not have to be held whole."""

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit or SPOOL_ITEMS
        self._items: list[Any] = []
        self._file: IO[bytes] | None = None

    def add(self, item: Any) -> None:
        self._items.append(item)
        if len(self._items) >= self.limit:
            self._spill()

    def _spill(self) -> None:
        if self._file is None:
            self._file = _temporary_file()
        _write_items(self._items, self._file)
        self._items = []

    def __iter__(self) -> Iterator[Any]:
        if self._file is not None:
            self._file.seek(0)
            yield from _read_items(self._file)
            self.close()
        yield from self._items
        self._items = []

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class SortedSpool(_Closing):
    """Items yielded sorted by `key` (stably: equal keys in the order given), holding at most
    `run` of them in memory: full runs are sorted and written to temporary files, then merged."""

    def __init__(self, key: Callable[[Any], Any], run: int | None = None) -> None:
        self.key = key
        self.run = run or RUN_ITEMS
        self._items: list[Any] = []
        self._runs: list[IO[bytes]] = []

    def add(self, item: Any) -> None:
        self._items.append(item)
        if len(self._items) >= self.run:
            self._spill()

    def _spill(self) -> None:
        self._items.sort(key=self.key)
        handle = _temporary_file()
        _write_items(self._items, handle)
        handle.seek(0)
        self._runs.append(handle)
        self._items = []

    def __iter__(self) -> Iterator[Any]:
        if not self._runs:
            self._items.sort(key=self.key)
            yield from self._items
            self._items = []
            return
        import heapq

        if self._items:
            self._spill()
        try:
            yield from heapq.merge(*(_read_items(handle) for handle in self._runs), key=self.key)
        finally:
            self.close()

    def close(self) -> None:
        for handle in self._runs:
            handle.close()
        self._runs = []


def _temporary_file() -> IO[bytes]:
    """A temporary file for a spool (closed, and so deleted, once read); OutputError naming the
    folder when none can be made there."""
    import tempfile

    try:
        return tempfile.TemporaryFile()
    except OSError as exc:
        raise OutputError(
            f"cannot make a temporary file in {tempfile.gettempdir()} for a large folder's output "
            f"({exc.strerror or exc}); set TMPDIR to a writable folder"
        ) from None


def _write_items(items: list[Any], handle: IO[bytes]) -> None:
    """Each item pickled on its own, to be read back one at a time (`_read_items`): never an
    allocation the size of a whole run."""
    import pickle

    pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
    for item in items:
        pickler.dump(item)
        pickler.clear_memo()


def _read_items(handle: IO[bytes]) -> Iterator[Any]:
    import pickle

    # An unpickler for each item: one unpickler would keep every item it read in its memo (and
    # clearing that memo costs some 50 µs a time).
    while True:
        try:
            yield pickle.load(handle)
        except EOFError:
            return
