"""Writing files so that a reader never sees half of one: a temporary file beside the target,
flushed to disk, then renamed over it. On any error the old file is left byte-identical."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from licensecli.errors import LicenseCliError, OutputError, ReaderGoneError


def write_atomic(target: str, data: bytes) -> None:
    """Write all of `data` to `target` or nothing; `-` writes to stdout.

    A symlink is followed: the file it points to is replaced and the link stays. A special file
    (/dev/null, /dev/stdout, a terminal, a named pipe) is written to directly: renaming a file
    over it would replace the device.
    """
    import stat
    import tempfile

    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        mode = os.stat(target).st_mode  # through any symlink: /dev/stdout is one
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        _write_through(Path(target), data)
        return
    path = Path(os.path.realpath(target))
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name, e.g. {path / 'deadlines.ics'}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {folder} does not exist")
    temp_name = None
    try:
        with tempfile.NamedTemporaryFile(
            "wb", dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False
        ) as temp:
            temp_name = temp.name
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        if path.exists():
            os.chmod(temp_name, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temp_name, 0o666 & ~_umask())
        os.replace(temp_name, path)
        temp_name = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror or exc})") from None
    finally:
        if temp_name is not None and os.path.exists(temp_name):
            os.unlink(temp_name)


def _write_through(path: Path, data: bytes) -> None:
    """Write to a special file as it is (no temporary file, no rename)."""
    try:
        with open(path, "wb") as device:
            device.write(data)
            device.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror or exc})") from None


def read_existing(target: str) -> bytes | None:
    """The current content of an output file (to carry state such as SEQUENCE forward), if any."""
    if target == "-":
        return None
    path = Path(target)
    if not path.is_file():
        return None
    try:
        return path.read_bytes()
    except OSError:
        return None


def write_stdout(text: str) -> None:
    """Write and flush `text` on stdout. A reader that has gone raises ReaderGoneError; any other
    failure (a full disk, a closed or unencodable stream) an OutputError saying why. Either way
    stdout is then pointed at /dev/null, so that Python's own flush at exit cannot fail again."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        detach_stdout()
        raise ReaderGoneError("the reader of standard output has gone") from None
    except (OSError, ValueError) as exc:  # ENOSPC, EIO, a closed stream, an encoding that cannot
        detach_stdout()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OutputError(f"cannot write the output: {reason}") from None


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
        raise OutputError(f"{path}: will not write {what} over a .yaml/.yml file (licences live there)")
    if not path.is_file():
        return
    from licensecli import loader

    try:
        loader.load_license(path)
    except LicenseCliError:
        return  # not a licence: an earlier output, or anything else the user chose to replace
    raise OutputError(f"{path}: holds a licence; will not write {what} over it")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
