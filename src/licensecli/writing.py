"""Writing files so that a reader never sees half of one: a temporary file beside the target,
flushed to disk, then renamed over it. On any error the old file is left byte-identical."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from licensecli.errors import OutputError


def write_atomic(target: str, data: bytes) -> None:
    """Write all of `data` to `target` or nothing; `-` writes to stdout."""
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(target)
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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
