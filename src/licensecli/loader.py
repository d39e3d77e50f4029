"""YAML licence files → models. Finds the bundled licence and turns every problem into
`file:line: field: what is wrong`."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from licensecli import templates
from licensecli.errors import DataFileError, InputError
from licensecli.models import License
from licensecli.yamlfile import (
    Loc,
    dotted,
    excerpt,
    line_of,
    number_hint,
    parse_document,
    printable,
    read_document,
    shown,
    stat_path,
)

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
    """Paths from LICENSECLI_LICENSE (separated by the OS path separator), else the bundled one.
    An empty entry (":", "a::b", "a:") is an error: it would otherwise silently mean nothing."""
    env = os.environ.get(LICENSE_ENV, "").strip()
    if not env:
        return [bundled_license_path()]
    entries = env.split(os.pathsep)
    if "" in entries:
        raise InputError(
            f"{LICENSE_ENV}='{excerpt(env, 80)}' has an empty entry; separate the licence paths with "
            f"one '{os.pathsep}' and none at either end"
        )
    return [Path(p) for p in entries]


def expand_paths(paths: Sequence[Path] | None) -> list[Path]:
    """Licence files named by `paths` (folders give their *.yaml/*.yml files), or the default.

    A path that is not a folder is passed on as it is, whatever it is: the reader says what is
    wrong with it (no such file, a FIFO …), so that `validate` can list it among other problems.
    In a folder, hidden files (.x.yaml, macOS's ._x.yaml) and sub-folders are skipped; every
    other *.yaml/*.yml entry is a licence, a broken symlink included (the reader reports it)."""
    chosen = list(paths) if paths else default_paths()
    files: list[tuple[Path, str | None]] = []
    for path in chosen:
        try:
            is_folder = stat.S_ISDIR(stat_path(path).st_mode)
        except DataFileError:
            is_folder = False  # the reader reports it
        if is_folder:
            files.extend(_folder_entries(path))
        else:
            files.append((path, None))
    return _once_each(files)


def folder_licences(folder: Path) -> list[Path]:
    """The licence files of a folder, in name order; an error if it cannot be read or has none."""
    return [path for path, _ in _folder_entries(folder)]


def _folder_entries(folder: Path) -> list[tuple[Path, str | None]]:
    """folder_licences, each with its resolved path (as text) where the listing gives it (a plain
    file: the folder resolved once, then its name), None for a symlink (_once_each resolves it):
    a folder of thousands is listed without a look at each file, and without hashing its paths."""
    try:
        real = os.path.normcase(folder.resolve())
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except PermissionError:
        raise DataFileError(f"{shown(folder)}: the folder cannot be opened (permission denied)") from None
    except OSError as exc:
        raise DataFileError(f"{shown(folder)}: the folder cannot be read ({exc.strerror or exc})") from None
    found: list[tuple[Path, str | None]] = []
    for entry in entries:
        name = entry.name
        if name.startswith(".") or not name.endswith((".yaml", ".yml")):
            continue
        path = folder / name
        identity: str | None = None  # a symlink: _once_each resolves it
        try:
            if entry.is_symlink():  # where it points decides
                if stat.S_ISDIR(os.stat(path).st_mode):
                    continue
            elif entry.is_dir(follow_symlinks=False):
                continue
            else:
                identity = os.path.join(real, os.path.normcase(name))  # no second Path
        except (OSError, ValueError):
            pass  # a broken symlink, a loop …: a licence file the reader will report
        found.append((path, identity))
    if not found:
        raise DataFileError(f"{shown(folder)}: the folder has no licence files (*.yaml, *.yml)")
    return found


def _once_each(files: list[tuple[Path, str | None]]) -> list[Path]:
    """The same file named twice (`lic.yaml ./lic.yaml`, a folder and a file in it, a symlink to
    a file also listed) is read once: it is one licence, not two with the same number. Each file
    comes with its resolved path where a folder's listing gave it, else None."""
    seen: set[str] = set()
    unique: list[Path] = []
    for path, key in files:
        if key is None:
            try:
                key = os.path.normcase(path.resolve())  # as Path compares: by case on Windows
            except (OSError, RuntimeError, ValueError):  # a loop, a NUL byte: the reader reports it
                key = os.path.normcase(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def load_license(path: Path) -> License:
    """Read and validate one licence file; raises DataFileError listing every problem."""
    return _load(path)[0]


def license_from_text(text: str, path: Path) -> License:
    """Validate a licence's would-be content (an edit, before it replaces `path`) exactly as
    load_license would the file; raises DataFileError listing every problem."""
    return _load(path, text.encode("utf-8"))[0]


def _load(path: Path, raw: bytes | None = None) -> tuple[License, dict[Loc, int]]:
    """The licence of one file (or of `raw`, its would-be content) and the line of each value."""
    data, lines, unreadable = read_document(path) if raw is None else parse_document(raw, path)
    where = shown(path)
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else f"a single value ('{excerpt(str(data))}')"
        raise DataFileError(
            f"{where}:1: a licence file is a mapping of fields (number:, valid_until:, clauses: …), not {what}"
        )
    resolved = templates.resolve(data)
    errors: list[Any] = []
    lic: License | None = None
    try:
        lic = License.model_validate(resolved.data)
    except ValidationError as exc:
        errors = [_in_file(err, resolved.origin, data.get("template")) for err in exc.errors()]
    if any(loc == ("template",) for loc, _ in resolved.problems):  # what the template would have given
        given = {("clauses",), ("kind",), ("issuer",)}
        errors = [err for err in errors if not (tuple(err["loc"]) in given and err["type"] == "missing")]
    if errors and "profile" in data:
        errors = _without_pack_echoes(data, errors)
    error_locs = [tuple(err["loc"]) for err in errors]
    # A number written 030 or 0x1e is kept as its text: a text field takes it as written (the
    # model accepts it there), a number field refuses it with the reader's hint ("write 30"),
    # an unknown key is reported as one.
    refused = [loc for loc, err in zip(error_locs, errors, strict=True) if err["type"] != "extra_forbidden"]
    kept = [p for p in unreadable if not p.number or any(_under(loc, p.loc) for loc in refused)]
    # An event's time written 9:5 is not a number to write differently: the model says what to write.
    kept = [p for p in kept if not (p.loc[:1] == ("events",) and p.loc[-1:] == ("at",))]
    found = [(p.line, p.describe(path)) for p in kept]
    for loc, message in resolved.problems:
        line = line_of(lines, loc) or 0
        found.append((line, printable(f"{shown(path)}:{line}: {dotted(loc)}: {message}")))
    # A value already reported by the reader (a date that does not exist, a number written 030)
    # is not reported a second time by the model.
    places = {p.loc for p in kept}
    for err, loc in zip(errors, error_locs, strict=True):
        if not any(_under(loc, place) for place in places):
            found.append((line_of(lines, loc) or 0, _describe(path, lines, err)))
    if not found and lic is not None:
        return lic, lines
    problems = tuple(text for _, text in sorted(found, key=lambda item: item[0]))
    raise DataFileError.listing(problems)


def _without_pack_echoes(data: dict[str, Any], errors: list[Any]) -> list[Any]:
    """With a profile that does not validate, the pack adds nothing, so every event of a pack duty
    would also be reported as naming an unknown obligation: only the profile's own error is kept,
    since fixing it fixes them."""
    from licensecli import pack

    if pack.profile_of(data) is not None:
        return errors
    ids = pack.obligation_ids()
    return [
        err
        for err in errors
        if not (
            tuple(err["loc"])[:1] == ("events",)
            and any(f"no obligation '{i}'" in str(err["msg"]) for i in ids)
        )
    ]


def _in_file(err: Any, origin: list[int | None], template: object) -> Any:
    """A model error on the resolved licence, placed in the file: the clauses a template gave
    are named as the template's (`template cross-region: clauses[3]…`), the file's own clauses
    by their index in the file."""
    loc = tuple(err["loc"])
    if len(loc) < 2 or loc[0] != "clauses" or not isinstance(loc[1], int) or loc[1] >= len(origin):
        return err
    own = origin[loc[1]]
    if own == templates.PACK:
        return {**err, "loc": ("regulation pack: clauses", loc[1], *loc[2:])}
    if own is not None:
        return {**err, "loc": ("clauses", own, *loc[2:])}
    return {**err, "loc": (f"template {template}: clauses", loc[1], *loc[2:])}


def _under(loc: Loc, place: Loc) -> bool:
    """Whether `loc` is `place` or inside it."""
    return loc[: len(place)] == place


def load_licenses(paths: Sequence[Path] | None = None) -> list[License]:
    """Load every licence named by `paths` (or the default); the first bad file raises, and so
    do two files with the same licence number (see refuse_duplicates)."""
    loaded = load_with_paths(paths)
    refuse_duplicates(loaded)
    return [lic for _, lic in loaded]


def load_with_paths(paths: Sequence[Path] | None = None) -> list[tuple[Path, License]]:
    """Like load_licenses, each licence with the file it came from; duplicates are not refused
    (renew-check reports them itself, a line per licence)."""
    return [(path, load_license(path)) for path in expand_paths(paths)]


def load_one(path: Path | None) -> License:
    """The one licence a command such as `due` works on: a file, or a folder holding one."""
    return load_license(one_file(path))


def one_file(path: Path | None) -> Path:
    """The one licence file named by `path` (or the default): a file, or a folder holding one."""
    files = expand_paths([path] if path is not None else None)
    if len(files) != 1:
        where = shown(path) if path is not None else f"${LICENSE_ENV}"
        raise InputError(
            f"this command works on one licence; {where} holds {len(files)} (name one file with -l)"
        )
    return files[0]


def number_key(number: str) -> str:
    """A licence number as compared for duplicates: case and character width ignored."""
    import unicodedata

    return unicodedata.normalize("NFKC", number).casefold()


def duplicate_numbers(loaded: Sequence[tuple[Path, License]]) -> dict[str, list[Path]]:
    """Licence numbers that more than one file claims (a copy, an old version), with the files.
    Numbers that differ only in case or width (b2-…, Ｂ2-…) are the same licence."""
    return numbers_twice((path, lic.number) for path, lic in loaded)


def numbers_twice(numbers: Iterable[tuple[Path, str]]) -> dict[str, list[Path]]:
    """duplicate_numbers from each file's licence number (a folder's results hold the number,
    not the licence)."""
    files: dict[str, list[Path]] = {}
    first: dict[str, str] = {}
    for path, number in numbers:
        key = number_key(number)
        first.setdefault(key, number)
        files.setdefault(key, []).append(path)
    return {first[key]: paths for key, paths in files.items() if len(paths) > 1}


def duplicate_message(number: str, paths: Sequence[Path]) -> str:
    """'B2-20210247 is in 2 files: a.yaml, b.yaml (a copy or an old version? keep one)'."""
    names = ", ".join(shown(p) for p in paths)
    return f"{printable(number)} is in {len(paths)} files: {names} (a copy or an old version? keep one)"


def refuse_duplicates(loaded: Sequence[tuple[Path, License]]) -> None:
    """Raise DataFileError when two of the loaded files hold the same licence number: the run
    would show it twice (two table rows, two Prometheus series, two calendar UIDs)."""
    refuse_numbers_twice([(path, lic.number) for path, lic in loaded])


def refuse_numbers_twice(numbers: Sequence[tuple[Path, str]]) -> None:
    """refuse_duplicates from each file's licence number."""
    messages = tuple(duplicate_message(number, paths) for number, paths in numbers_twice(numbers).items())
    if messages:
        more = f" (and {len(messages) - 1} more)" if len(messages) > 1 else ""
        raise DataFileError(messages[0] + more, details=messages)


def validate_files(
    paths: Iterable[Path], more: Callable[[License], Iterable[tuple[Loc, str]]] | None = None
) -> list[str]:
    """Every problem in the given licence files, one `file:line: …` string each; a licence number
    held by more than one of them is a problem too, reported at its `number:` line in the last.
    `more` finds what a valid licence still cannot be used for (the engine's checks against the
    calendar and today), each as (field location, message)."""
    problems: list[str] = []
    loaded: list[tuple[Path, License]] = []
    number_lines: dict[Path, int | None] = {}
    for path in paths:
        try:
            lic, lines = _load(path)
        except DataFileError as exc:
            problems.extend(exc.details or (exc.message,))
            continue
        loaded.append((path, lic))
        number_lines[path] = lines.get(("number",))
        for loc, message in more(lic) if more is not None else ():
            line = line_of(lines, loc)
            where = f"{shown(path)}:{line}" if line is not None else shown(path)
            problems.append(f"{where}: {dotted(loc) or '(top level)'}: {message}")
    for number, files in duplicate_numbers(loaded).items():
        last = files[-1]
        line = number_lines[last]
        where = f"{shown(last)}:{line}" if line is not None else shown(last)
        problems.append(f"{where}: number: {duplicate_message(number, files)}")
    return problems


_HINTS = {
    "missing": "missing (this field is required)",
    "extra_forbidden": "unknown key (check the spelling; `licensecli schema` lists the fields)",
    "date_type": "should be a date written YYYY-MM-DD (without quotes)",
    "int_type": "should be a whole number",
    "string_type": "should be text",
    "tuple_type": "should be a list: [a, b] on one line, or one `- item` per line ([] for none)",
}


def _describe(path: Path, lines: dict[Loc, int], err: Any) -> str:
    loc: Loc = tuple(err["loc"])
    message = str(err["msg"])
    if err["type"] == "value_error":
        message = message.removeprefix("Value error, ")
        if message.startswith("@"):  # a model validator naming a place below its field
            sub, _, message = message[1:].partition(": ")
            loc = loc + tuple(int(p) if p.isdigit() else p for p in sub.split("."))
    elif err["type"] == "int_type":
        message = _int_hint(err.get("input"))
    elif err["type"] == "string_type" and isinstance(err.get("input"), int | float):
        message = "should be text (write it in quotes)"  # holder: 30, or true
    elif err["type"] == "extra_forbidden" and loc[:1] == ("profile",):
        from licensecli.models import Profile

        message = f"unknown profile key (the keys are: {', '.join(Profile.model_fields)})"
    elif err["type"] in _HINTS:
        message = _HINTS[err["type"]]
    elif err["type"] == "literal_error":
        message = f"{message}, not {_shown_value(err.get('input'))}"
    line = line_of(lines, loc)
    where = f"{shown(path)}:{line}" if line is not None else shown(path)
    field = dotted(loc) or "(top level)"
    return printable(f"{where}: {field}: {message}")


def _int_hint(value: Any) -> str:
    """'should be a whole number', with what to write when the value is one written otherwise:
    days: "030" or 090 (text to YAML) → "'090' has a leading zero …; write 90"; 30.0 → write 30."""
    if isinstance(value, str) and (hint := number_hint(value)) is not None:
        return f"'{excerpt(value)}' {hint}"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e30:
        return f"should be a whole number; write {int(value)}"
    return _HINTS["int_type"]


def _shown_value(value: Any) -> str:
    """A value from the file in a message: short and escaped ('…' for text)."""
    if isinstance(value, str):
        return f"'{excerpt(value)}'"
    return excerpt(repr(value))
