"""YAML licence files → models. Finds the bundled licence and turns every problem into
`file:line: field: what is wrong`."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from licensecli.errors import DataFileError, InputError
from licensecli.models import License
from licensecli.yamlfile import Loc, dotted, line_of, read_document

BUNDLED_NAME = "license_b2_20210247.yaml"
LICENSE_ENV = "LICENSECLI_LICENSE"


def bundled_license_path() -> Path:
    """The licence shipped with the package (B2-20210247)."""
    return data_file(BUNDLED_NAME)


def data_file(*parts: str) -> Path:
    """A file of the package's data folder (the bundled licence, the JSON Schemas)."""
    # Run from a source checkout (an editable install), the top-level data/ file is the source of
    # truth; an editable install's packaged copy would be stale after an edit.
    here = Path(__file__).resolve().parent
    source_tree = here.parents[1].joinpath("data", *parts)
    if source_tree.is_file():
        return source_tree
    installed = here.joinpath("data", *parts)  # the usual wheel install: a plain file beside us
    if installed.is_file():
        return installed
    from importlib import resources  # zip imports and other loaders; slow to import, so last

    packaged = resources.files("licensecli").joinpath("data", *parts)
    if packaged.is_file():
        return Path(str(packaged))
    raise DataFileError(f"{'/'.join(parts)} is missing from this installation of licensecli")


def default_paths() -> list[Path]:
    """Paths from LICENSECLI_LICENSE (separated by the OS path separator), else the bundled one."""
    env = os.environ.get(LICENSE_ENV, "").strip()
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    return [bundled_license_path()]


def expand_paths(paths: Sequence[Path] | None) -> list[Path]:
    """Licence files named by `paths` (folders give their *.yaml/*.yml files), or the default."""
    chosen = list(paths) if paths else default_paths()
    files: list[Path] = []
    for path in chosen:
        if path.is_dir():
            found = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
            found = [p for p in found if p.is_file()]
            if not found:
                raise DataFileError(f"{path}: the folder has no licence files (*.yaml, *.yml)")
            files.extend(found)
        else:
            files.append(path)
    return _once_each(files)


def _once_each(files: list[Path]) -> list[Path]:
    """The same file named twice (`lic.yaml ./lic.yaml`, a folder and a file in it, a symlink to
    a file also listed) is read once: it is one licence, not two with the same number."""
    seen: set[Path] = set()
    unique: list[Path] = []
    for path in files:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop: let the reader report it
            key = path
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def load_license(path: Path) -> License:
    """Read and validate one licence file; raises DataFileError listing every problem."""
    data, lines, unreadable = read_document(path)
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else f"a single value ({data!r:.40})"
        raise DataFileError(
            f"{path}:1: a licence file is a mapping of fields (number:, valid_until:, clauses: …), not {what}"
        )
    found = [(p.line, p.describe(path)) for p in unreadable]
    try:
        lic = License.model_validate(data)
    except ValidationError as exc:
        # A value already reported as unreadable (a date that does not exist) is not reported
        # a second time by the model.
        places = {p.loc for p in unreadable}
        for err in exc.errors():
            if tuple(err["loc"]) not in places:
                described = _describe(path, lines, err)
                found.append((line_of(lines, tuple(err["loc"])) or 0, described))
    if not found:
        return lic
    problems = tuple(text for _, text in sorted(found, key=lambda item: item[0]))
    count = len(problems)
    head = problems[0] if count == 1 else f"{problems[0]} (and {count - 1} more)"
    raise DataFileError(head, details=problems)


def load_licenses(paths: Sequence[Path] | None = None) -> list[License]:
    """Load every licence named by `paths` (or the default); the first bad file raises."""
    return [load_license(path) for path in expand_paths(paths)]


def load_with_paths(paths: Sequence[Path] | None = None) -> list[tuple[Path, License]]:
    """Like load_licenses, each licence with the file it came from."""
    return [(path, load_license(path)) for path in expand_paths(paths)]


def load_one(path: Path | None) -> License:
    """The one licence a command such as `due` works on: a file, or a folder holding one."""
    files = expand_paths([path] if path is not None else None)
    if len(files) != 1:
        raise InputError(
            f"this command works on one licence; {path} holds {len(files)} (name one file with -l)"
        )
    return load_license(files[0])


def duplicate_numbers(loaded: Sequence[tuple[Path, License]]) -> dict[str, list[Path]]:
    """Licence numbers that more than one file claims (a copy, an old version), with the files."""
    files: dict[str, list[Path]] = {}
    for path, lic in loaded:
        files.setdefault(lic.number, []).append(path)
    return {number: paths for number, paths in files.items() if len(paths) > 1}


def validate_files(paths: Iterable[Path]) -> list[str]:
    """Every problem in the given licence files, one `file:line: …` string each."""
    problems: list[str] = []
    for path in paths:
        try:
            load_license(path)
        except DataFileError as exc:
            problems.extend(exc.details or (exc.message,))
    return problems


_HINTS = {
    "missing": "missing (this field is required)",
    "extra_forbidden": "unknown key (check the spelling; `licensecli schema` lists the fields)",
    "date_type": "should be a date written YYYY-MM-DD (without quotes)",
    "int_type": "should be a whole number",
    "string_type": "should be text",
}


def _describe(path: Path, lines: dict[Loc, int], err: Any) -> str:
    loc: Loc = tuple(err["loc"])
    message = str(err["msg"])
    if err["type"] == "value_error":
        message = message.removeprefix("Value error, ")
        if message.startswith("@"):  # a model validator naming a place below its field
            sub, _, message = message[1:].partition(": ")
            loc = loc + tuple(int(p) if p.isdigit() else p for p in sub.split("."))
    elif err["type"] in _HINTS:
        message = _HINTS[err["type"]]
    elif err["type"] == "literal_error":
        message = f"{message}, not {err.get('input')!r}"
    line = line_of(lines, loc)
    where = f"{path}:{line}" if line is not None else str(path)
    field = dotted(loc) or "(top level)"
    return f"{where}: {field}: {message}"
