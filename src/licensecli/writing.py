"""Writing files so that a reader never sees half of one: a temporary file beside the target,
flushed to disk, then renamed over it. On any error the old file is left byte-identical."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from licensecli.errors import LicenseCliError, OutputError, ReaderGoneError
from licensecli.yamlfile import shown


def write_atomic(target: str, data: bytes | Iterable[bytes], example: str = "deadlines.ics") -> None:
    """Write all of `data` (bytes, or pieces of them: a folder's output, never whole in memory)
    to `target` or nothing; `-` writes to stdout. `example` is the file name suggested when
    `target` is a folder.

    A symlink is followed — the file it points to is replaced and the link stays — but only a
    link of our own or of the folder's owner: a link someone else planted in a shared folder such
    as /tmp could otherwise make a root cron job replace any file (the rule the kernel's
    fs.protected_symlinks applies to `>`). A special file (/dev/null, /dev/stdout, a terminal, a
    named pipe) is written to directly: renaming a file over it would replace the device.
    """
    if target == "-":
        for piece in _pieces(data):
            sys.stdout.buffer.write(piece)
        sys.stdout.buffer.flush()
        return
    try:
        _write_file(target, data, example)
    except OSError as exc:  # a path too long, a folder we may not enter, …
        raise OutputError(f"{shown(target)}: cannot be written ({exc.strerror or exc})") from None


def _write_file(target: str, data: bytes | Iterable[bytes], example: str) -> None:
    import stat
    import tempfile

    _refuse_foreign_link(target)
    try:
        mode = os.stat(target).st_mode  # through any symlink: /dev/stdout is one
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        _write_through(Path(target), data)
        return
    path = Path(os.path.realpath(target))
    if path.is_dir():
        raise OutputError(f"{shown(path)}: is a folder; give a file name, e.g. {path / example}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{shown(path)}: the folder {folder} does not exist")
    temp_name = None
    try:
        with tempfile.NamedTemporaryFile(
            "wb", dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False
        ) as temp:
            temp_name = temp.name
            for piece in _pieces(data):
                temp.write(piece)
            temp.flush()
            os.fsync(temp.fileno())
        if path.exists():
            os.chmod(temp_name, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temp_name, 0o666 & ~_umask())
        os.replace(temp_name, path)
        temp_name = None
    except OSError as exc:
        raise OutputError(f"{shown(path)}: cannot be written ({exc.strerror or exc})") from None
    finally:
        if temp_name is not None and os.path.exists(temp_name):
            os.unlink(temp_name)


def _refuse_foreign_link(target: str) -> None:
    """Refuse to follow a symlink owned by neither us nor the owner of the folder holding it."""
    try:
        link = os.lstat(target)
    except FileNotFoundError:
        return
    import stat

    if not stat.S_ISLNK(link.st_mode) or link.st_uid == os.geteuid():
        return
    folder = os.path.dirname(os.path.abspath(target))
    if link.st_uid == os.stat(folder).st_uid:
        return
    raise OutputError(
        f"{shown(target)}: is a symlink that another user (uid {link.st_uid}) made here; licensecli does "
        "not follow it — give the file itself"
    )


def _pieces(data: bytes | Iterable[bytes]) -> Iterable[bytes]:
    return (data,) if isinstance(data, bytes) else data


def _write_through(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write to a special file as it is (no temporary file, no rename)."""
    try:
        with open(path, "wb") as device:
            for piece in _pieces(data):
                device.write(piece)
            device.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"{shown(path)}: cannot be written ({exc.strerror or exc})") from None


def read_existing(target: str) -> bytes | None:
    """The current content of an output file (to carry state such as SEQUENCE forward), if any."""
    if target == "-":
        return None
    path = Path(target)
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:  # unreadable, a folder we may not enter, a path too long: nothing to carry
        return None


def write_stdout(text: str | bytes, *, utf8: bool = False) -> None:
    """Write and flush `text` on stdout (with `utf8`, as UTF-8 bytes whatever the locale: the
    Prometheus format demands it; bytes, already encoded: see stdout_takes_utf8). A reader that
    has gone raises ReaderGoneError; any other failure (a full disk, a closed or unencodable
    stream) an OutputError saying why. Either way stdout is then pointed at /dev/null, so that
    Python's own flush at exit cannot fail again."""
    try:
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        elif utf8 and hasattr(sys.stdout, "buffer"):  # a format that is UTF-8 whatever the locale
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except BrokenPipeError:
        detach_stdout()
        raise ReaderGoneError("the reader of standard output has gone") from None
    except (OSError, ValueError) as exc:  # ENOSPC, EIO, a closed stream, an encoding that cannot
        detach_stdout()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OutputError(f"cannot write the output: {reason}") from None


def stdout_takes_utf8() -> bool:
    """Whether UTF-8 bytes written under stdout's text layer are what the layer itself would
    write: it encodes UTF-8 and leaves line ends alone. Then a large output that is UTF-8
    already (a folder's JSON, from the workers' files) is written as it is."""
    import codecs

    encoding = getattr(sys.stdout, "encoding", None)
    if not encoding or not hasattr(sys.stdout, "buffer") or os.linesep != "\n":
        return False
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def stdout_bytes(text: str) -> bytes:
    """`text` as stdout's text layer would encode it (with its error handler); the OutputError of
    write_stdout when it cannot be (a path that is not UTF-8, on a strict stream)."""
    try:
        return text.encode("utf-8", getattr(sys.stdout, "errors", None) or "strict")
    except UnicodeEncodeError as exc:
        detach_stdout()
        raise OutputError(f"cannot write the output: {exc}") from None


def detach_stdout() -> None:
    """Point stdout at /dev/null (after a write to it failed)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def refuse_licence_target(target: str, what: str) -> None:
    """Never write `what` (an export, a check's output) over a licence: `-o lic.yaml` is almost
    surely a slip. Refuses a .yaml/.yml name, and an existing file that reads as a licence."""
    if target == "-":
        return
    path = Path(target)
    if path.suffix.lower() in (".yaml", ".yml"):
        raise OutputError(
            f"{shown(path)}: will not write {what} over a .yaml/.yml file (licences live there)"
        )
    try:
        if not path.is_file():
            return
    except OSError as exc:  # a path too long, a folder we may not enter: writing will say why
        raise OutputError(f"{shown(target)}: cannot be written ({exc.strerror or exc})") from None
    from licensecli import loader

    try:
        loader.load_license(path)
    except LicenseCliError:
        return  # not a licence: an earlier output, or anything else the user chose to replace
    raise OutputError(f"{shown(path)}: holds a licence; will not write {what} over it")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
