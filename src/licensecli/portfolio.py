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
output in temporary files until it is written. A `Stash` spares the parent the bulk of that
output: a worker writes the text it made to a temporary file of its own and passes back only
where it is, so the parent neither receives nor re-spools it, and reads it once, to write it.
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
# Files a worker takes at a time, at most: each chunk is a round trip that wakes this process,
# which then takes a core from the workers (over 10 000 files, 25 a chunk made some 1 800 context
# switches, 100 some 500). The last chunks, and a small folder's, are smaller (_chunks).
CHUNK = 100
SPOOL_ITEMS = 1000  # items a Spool keeps in memory before it writes them to a temporary file
RUN_ITEMS = 5000  # items a SortedSpool sorts in memory into one run
STOP_WAIT = 1.0  # seconds a given-up pool's workers have to finish their current files
WORKER_GC_OBJECTS = 10_000  # new objects between a worker's collections of its youngest ones
PICKLE_BATCH = 4096  # bytes of small items a spool's temporary file pickles together

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


def each(
    files: Sequence[Path],
    work: Callable[[Path], R],
    calendar: Calendar | None = None,
    stash: Stash | None = None,
) -> Iterator[R]:
    """`work(path)` for every file, in the files' order; on several processes when there are
    PARALLEL_FROM files or more and more than one job. The estimated years a worker's calendar
    used are added to `calendar`'s, as if the work had been done here. With a `stash`, what
    `work` puts in it in a worker stays in that worker's file until the stash is read."""
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
    # The workers inherit the list of files too: they are sent where a chunk starts and ends.
    _WORK = (work, calendar, os.getpid(), stash, stash.open(count) if stash is not None else None, files)
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
        for results, years in executor.map(_work_chunk, _chunks(1, len(files), count)):
            if calendar is not None and years:
                calendar.estimated_years_used.update(years)
            yield from results
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


# While `each` runs: the work, the calendar, this process's id, the stash and its slot counter,
# the files.
_Work = tuple[Callable[[Path], Any], Calendar | None, int, "Stash | None", Any, Sequence[Path]]
_WORK: _Work | None = None


def _stop(executor: Any, finished: bool) -> None:
    """The workers end: when the answer was given up (a timeout, Ctrl-C, an error), the work not
    yet started is cancelled and the workers end once their current files are read (a fraction
    of a second), or at once after STOP_WAIT seconds (a worker stuck on a file).

    Ended cleanly, the pool's thread closes its pipes before Python's exit wakes it: ended at once
    (terminated), Python 3.11's pool thread and exit can print "Exception in thread" or
    "Exception ignored … Bad file descriptor" on stderr, which a monitoring system would show
    after the UNKNOWN line."""
    if finished:
        executor.shutdown(wait=True)
        return
    thread = getattr(executor, "_executor_manager_thread", None)  # CPython's own, as are
    processes = list((getattr(executor, "_processes", None) or {}).values())  # these
    executor.shutdown(wait=False, cancel_futures=True)
    if thread is not None:
        thread.join(timeout=STOP_WAIT)
    if thread is None or thread.is_alive():
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
    # A licence's work makes many short-lived objects, nearly all gone when it ends: the youngest
    # generation is collected every WORKER_GC_OBJECTS of them, not every 700 (some 2% fewer
    # instructions a licence under callgrind; memory stays flat).
    gc.set_threshold(WORKER_GC_OBJECTS, 10, 10)
    slots = _WORK[4]
    if slots is not None:  # this worker's own file of the stash
        with slots.get_lock():
            slot, slots.value = slots.value, slots.value + 1
        _WORKER_STASH[0] = (slot, 0, [])


def _chunks(start: int, end: int, workers: int) -> Iterator[tuple[int, int]]:
    """The files from `start` to `end` in chunks of at most CHUNK, each an eighth (for two
    workers) of what remains: the last ones small, so that the workers finish at nearly the same
    time, and a small folder's chunks small, so that each worker gets several."""
    while start < end:
        size = max(1, min(CHUNK, (end - start) // (workers * 4)))
        yield start, min(end, start + size)
        start += size


def _work_chunk(chunk: tuple[int, int]) -> tuple[list[Any], tuple[int, ...]]:
    """In a worker: the work of a chunk of files (from, to), its stashed pieces written, and the
    estimated years its calendar has used so far."""
    assert _WORK is not None
    work, calendar, files = _WORK[0], _WORK[1], _WORK[5]
    results = [work(path) for path in files[chunk[0] : chunk[1]]]
    if _WORKER_STASH[0] is not None:
        _flush_stash()
    return results, tuple(calendar.estimated_years_used) if calendar is not None else ()


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
    stash: Stash | None = None,
) -> Iterator[R]:
    """`judge(path, licence)` for every licence file, in order (see `each`, and its `stash`), then
    the error a command reading every file first would raise: the first file that cannot be read, else what
    `refuse_numbers` says of every file's licence number (two files with one number), else the
    first renewal filing recorded after `today` (engine.refuse_future_filing), else the first
    licence `judge` refused. Results already yielded are then not an answer."""
    failures: list[Failed] = []
    numbers: list[tuple[Path, str]] = []
    for path, (number, result) in zip(files, each(files, _Judge(judge, today), calendar, stash), strict=True):
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


# Where a worker put a text of its stash: which worker's file, from which byte, how many bytes.
# (A plain tuple: a large folder's spools pickle tens of thousands of them.)
Stashed = tuple[int, int, int]

# In a worker of a stash: its file's slot, the bytes placed in it so far (written or pending), and
# the pieces not yet written (written after each chunk of files, before its results are sent, so the
# parent can always read them).
_WORKER_STASH: list[tuple[int, int, list[bytes]] | None] = [None]


class Stash(_Closing):
    """Large texts made by the workers (a licence's JSON), kept by them in temporary files of
    their own: `add` gives a worker a small `Stashed` to pass back in place of the text, so the
    parent receives and spools only that, and reads the text when it writes it (`text`, or
    `data` for its UTF-8 bytes, which spares decoding and encoding it again). In the parent, and
    with no workers, `add` gives the text itself. The files are deleted when the stash is closed
    (at the end of the `with` block it was opened in)."""

    def __init__(self) -> None:
        self._files: list[IO[bytes]] = []

    def open(self, count: int) -> Any:
        """Before the workers start: a new file for each, and the counter each takes its own by."""
        import multiprocessing

        first = len(self._files)
        self._files += [_temporary_file() for _ in range(count)]
        return multiprocessing.get_context("fork").Value("i", first)

    def add(self, text: str | bytes) -> str | bytes | Stashed:
        """In a worker, where `text` (or its UTF-8 bytes) was put; elsewhere `text` itself. A text
        with no UTF-8 form (a lone surrogate: a file name that is not UTF-8) is passed on as it
        is, to be written as stdout writes any text."""
        mine = _WORKER_STASH[0]
        if mine is None or not self._files or not text:
            return text
        if isinstance(text, bytes):
            data = text
        else:
            try:
                data = text.encode("utf-8")
            except UnicodeEncodeError:
                return text
        slot, written, pending = mine
        pending.append(data)
        _WORKER_STASH[0] = (slot, written + len(data), pending)
        return slot, written, len(data)

    def data(self, item: str | bytes | Stashed, encode: Callable[[str], bytes]) -> bytes:
        """The UTF-8 bytes of what `add` was given (a text by `encode`)."""
        if isinstance(item, bytes):
            return item
        if isinstance(item, str):
            return encode(item)
        return self._read(item)

    def text(self, item: str | bytes | Stashed) -> str:
        """The text that `add` was given."""
        if isinstance(item, str):
            return item
        if isinstance(item, bytes):
            return item.decode("utf-8")
        return self._read(item).decode("utf-8")

    def _read(self, place: Stashed) -> bytes:
        slot, offset, size = place
        found = os.pread(self._files[slot].fileno(), size, offset)
        if len(found) != size:  # never, unless the file was cut short under us
            raise _stash_error(f"{len(found):,} of {size:,} bytes read back")
        return found

    def close(self) -> None:
        for handle in self._files:
            handle.close()
        self._files = []


def _flush_stash() -> None:
    """A worker's pending pieces, written to its file: OutputError naming the folder when they
    cannot be (a full disk, which may also show as a write that comes short)."""
    assert _WORK is not None and _WORKER_STASH[0] is not None
    stash = _WORK[3]
    assert stash is not None
    slot, written, pending = _WORKER_STASH[0]
    if not pending:
        return
    data = memoryview(b"".join(pending))
    _WORKER_STASH[0] = (slot, written, [])
    offset = written - len(data)
    try:
        while data:
            done = os.pwrite(stash._files[slot].fileno(), data, offset)
            if done <= 0:
                raise _stash_error("a write came short: a full disk?")
            data, offset = data[done:], offset + done
    except OSError as exc:
        raise _stash_error(str(exc.strerror or exc)) from None


def _stash_error(reason: str) -> OutputError:
    import tempfile

    return OutputError(
        f"cannot write a temporary file in {tempfile.gettempdir()} for a large folder's output "
        f"({reason}); set TMPDIR to a folder with room"
    )


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
    """The items pickled a few at a time (so small items do not each pay for a pickle of their
    own), to be read back a batch at a time (`_read_items`): a batch is as many items as fit in
    PICKLE_BATCH bytes by the size of its first (one at least, 256 at most), so a merge of many
    runs holds a small batch of each, not a run (the items of a spool are of much one size)."""
    import pickle

    pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
    start = 0
    while start < len(items):
        size = len(pickle.dumps(items[start], protocol=pickle.HIGHEST_PROTOCOL))
        end = start + max(1, min(PICKLE_BATCH // size, 256))
        pickler.dump(items[start:end])
        pickler.clear_memo()
        start = end


def _read_items(handle: IO[bytes]) -> Iterator[Any]:
    import pickle

    # An unpickler for each batch: one unpickler would keep every item it read in its memo.
    while True:
        try:
            batch = pickle.load(handle)
        except EOFError:
            return
        yield from batch
