"""Bounded, safe reading of the YAML files licensecli takes (licences and holiday files).

Only plain data is accepted: mappings, lists, strings, numbers, booleans, null and dates. Files
over MAX_BYTES are refused before parsing, anchors/aliases (and so "billion laughs") and tags
(such as !!python/object) are refused, nesting is bounded, nothing is ever executed. Every value
keeps the line it came from, so errors can say `file:line`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from licensecli.errors import DataFileError

MAX_BYTES = 1_000_000
MAX_DEPTH = 32

Loc = tuple[str | int, ...]


class Problem(NamedTuple):
    """A value that could not be taken as written (a date that does not exist): the file is
    still read to the end, so that `validate` can list every problem at once."""

    loc: Loc
    line: int
    message: str

    def describe(self, path: Path) -> str:
        """`file:line: field: what is wrong`."""
        return f"{path}:{self.line}: {dotted(self.loc) or '(top level)'}: {self.message}"


def dotted(loc: Loc) -> str:
    """A location as people write it: clauses[3].obligations[0].rule.days."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing folders, unreadable and oversized files with a clear message."""
    try:
        if path.is_dir():
            raise DataFileError(f"{path}: is a folder, not a file (give a .yaml file)")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataFileError(
                f"{path}: file is {size:,} bytes; files over {MAX_BYTES:,} bytes are refused "
                "(is this the right file?)"
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise DataFileError(f"{path}: no such file") from None
    except PermissionError:
        raise DataFileError(f"{path}: not readable (permission denied)") from None
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:  # the file grew while we looked at it
        raise DataFileError(f"{path}: files over {MAX_BYTES:,} bytes are refused")
    return data


def read_document(path: Path) -> tuple[Any, dict[Loc, int], list[Problem]]:
    """Parse one YAML document into plain Python data, a map of location → line number, and the
    values that could not be taken as written (kept in the data as their text)."""
    raw = read_bytes(path)
    if b"\x00" in raw:
        raise DataFileError(f"{path}: binary data, not a YAML text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataFileError(f"{path}:{line}: not UTF-8 text (save the file as UTF-8)") from None
    if not text.strip():
        raise DataFileError(f"{path}: the file is empty")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise DataFileError(f"{path}: the file has no YAML document (only comments?)")
        lines: dict[Loc, int] = {}
        builder = _Builder(path, loader, lines)
        data = builder.build(node, (), 0)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataFileError(f"{where}: not valid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return data, lines, builder.problems


class _Builder:
    """Turns a node tree into data, refusing aliases, tags, duplicate keys and deep nesting."""

    def __init__(self, path: Path, loader: Any, lines: dict[Loc, int]) -> None:
        self.path = path
        self.loader = loader
        self.lines = lines
        self.seen: set[int] = set()
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node, message: str) -> DataFileError:
        return DataFileError(f"{self.path}:{node.start_mark.line + 1}: {message}")

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        if id(node) in self.seen:
            raise self.fail(node, "YAML anchors and aliases (&, *) are not allowed; write it out")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested deeper than {MAX_DEPTH} levels")
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, f"the tag {node.tag} is not allowed (plain data only)")
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        line = node.start_mark.line + 1
        try:
            value = self.loader.construct_object(node, deep=True)
        except ValueError:
            self.problems.append(Problem(loc, line, f"'{node.value}' is not a real date (YYYY-MM-DD)"))
            return node.value
        if isinstance(value, dt.datetime):
            self.problems.append(
                Problem(loc, line, f"'{node.value}' has a time; give a date only (YYYY-MM-DD)")
            )
            return node.value
        return value

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys (<<) are not allowed")
            # Keys are names, taken as written: YAML 1.1 would read `on:` as the boolean true.
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                raise self.fail(key_node, "a key must be a plain name")
            key = str(key_node.value)
            if key in result:
                raise self.fail(key_node, f"the key '{key}' appears twice")
            self.lines[(*loc, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*loc, key), depth + 1)
        return result


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of the deepest known location on the path `loc`."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None
