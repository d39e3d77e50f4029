"""Bounded, safe reading of the YAML files licensecli takes (licences and holiday files).

Only plain data is accepted: mappings, lists, strings, numbers, booleans, null and dates. Files
over MAX_BYTES are refused before parsing, anchors/aliases (and so "billion laughs") and tags
(such as !!python/object) are refused, nesting is bounded, nothing is ever executed. Every value
keeps the line it came from, so errors can say `file:line`.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
from collections.abc import Callable
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
    # A number written as YAML 1.1 would misread it (030, 0x1e): kept as its text, so that a text
    # field takes it as written; a reader of numbers reports the problem.
    number: bool = False

    def describe(self, path: Path) -> str:
        """`file:line: field: what is wrong`."""
        return printable(f"{shown(path)}:{self.line}: {dotted(self.loc) or '(top level)'}: {self.message}")


def dotted(loc: Loc) -> str:
    """A location as people write it: clauses[3].obligations[0].rule.days."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = excerpt(part)  # a key as written in the file: bounded, escaped
            out += f".{name}" if out else name
    return out


_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


# Characters that must never reach a terminal raw from an error message: C0 controls (line breaks
# and tabs included: a message is one line), DEL, C1 controls, bidirectional overrides and marks,
# line/paragraph separators and the byte-order mark.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def one_line(value: object) -> str:
    """A value as YAML writes it on one line, quoted only where YAML needs it (for text we
    write into a licence or holiday file)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1 << 20)
    return text.removesuffix("\n").removesuffix("\n...")


def printable(text: str) -> str:
    """`text` with every control character escaped (\\x1b, \\n, \\u202e): safe on one terminal line."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


def excerpt(text: str, limit: int = 40) -> str:
    """A short, escaped excerpt of text from a file, for error messages: never more than
    `limit` characters of it, never a control character raw."""
    cut = text if len(text) <= limit else text[:limit] + "…"
    return printable(cut)


def shown(path: Path | str) -> str:
    """A path as an error message may print it: control characters escaped, a very long path
    shortened to its start and end."""
    text = printable(str(path))
    return text if len(text) <= 200 else f"{text[:120]}…{text[-60:]}"


_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str:
    """What a non-regular file is, as people say it: 'a FIFO', 'a character device' …"""
    return next((name for test, name in _KINDS if test(mode)), "a special file")


def stat_path(path: Path) -> os.stat_result:
    """`os.stat(path)` (following symlinks), every failure a DataFileError naming the path:
    no such file, a broken symlink, a symlink loop, a path too long or with a NUL byte, permission."""
    try:
        return os.stat(path)
    except ValueError:  # "embedded null byte": only a script (due --batch) can give one
        raise DataFileError(f"{shown(path)}: a path cannot contain a NUL byte") from None
    except FileNotFoundError:
        target = _link_target(path)
        if target is not None:
            raise DataFileError(
                f"{shown(path)}: a broken symlink (it points to {shown(target)}, which does not exist)"
            ) from None
        raise DataFileError(f"{shown(path)}: no such file") from None
    except PermissionError:
        raise DataFileError(f"{shown(path)}: not readable (permission denied)") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise DataFileError(
                f"{shown(path)}: the path is too long ({len(str(path)):,} characters)"
            ) from None
        if exc.errno == errno.ELOOP:
            raise DataFileError(
                f"{shown(path)}: a symlink loop (too many levels of symbolic links)"
            ) from None
        if exc.errno == errno.ENOTDIR:
            raise DataFileError(f"{shown(path)}: no such file (a part of the path is not a folder)") from None
        raise DataFileError(f"{shown(path)}: cannot be read ({exc.strerror or exc})") from None


def _link_target(path: Path) -> str | None:
    try:
        return os.readlink(path)
    except (OSError, ValueError):
        return None


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)  # Windows: no CRLF


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing folders, FIFOs, devices, unreadable and oversized files with a
    clear message. Nothing but a regular file is opened, so a FIFO never makes us wait."""
    info = stat_path(path)
    if stat.S_ISDIR(info.st_mode):
        raise DataFileError(f"{shown(path)}: is a folder, not a file (give a .yaml file)")
    if not stat.S_ISREG(info.st_mode):
        raise DataFileError(f"{shown(path)}: not a regular file ({kind_of(info.st_mode)})")
    if info.st_size > MAX_BYTES:
        raise DataFileError(
            f"{shown(path)}: file is {info.st_size:,} bytes; files over {MAX_BYTES:,} bytes are refused "
            "(is this the right file?)"
        )
    try:
        # A descriptor, not a file object (a folder of thousands of files pays for each one).
        handle = os.open(path, _READ_FLAGS)
        try:
            # As large as the file said it was (asking for MAX_BYTES would allocate a megabyte
            # a file), then on to its end if it grew since or the read came short (a network
            # file system); exactly that size, one byte short of the asking, is its end.
            data = os.read(handle, info.st_size + 1)
            while len(data) != info.st_size and len(data) <= MAX_BYTES:
                more = os.read(handle, MAX_BYTES + 1 - len(data))
                if not more:
                    break
                data += more
        finally:
            os.close(handle)
    except FileNotFoundError:  # removed since we looked
        raise DataFileError(f"{shown(path)}: no such file") from None
    except PermissionError:
        raise DataFileError(f"{shown(path)}: not readable (permission denied)") from None
    except OSError as exc:
        raise DataFileError(f"{shown(path)}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:  # the file grew while we looked at it
        raise DataFileError(f"{shown(path)}: files over {MAX_BYTES:,} bytes are refused")
    return data


def read_document(path: Path) -> tuple[Any, dict[Loc, int], list[Problem]]:
    """Parse one YAML document into plain Python data, a map of location → line number, and the
    values that could not be taken as written (kept in the data as their text)."""
    return parse_document(read_bytes(path), path)


def parse_document(raw: bytes, path: Path) -> tuple[Any, dict[Loc, int], list[Problem]]:
    """read_document for content already read (an edit's result, checked before it is written);
    `path` names it in messages."""
    if len(raw) > MAX_BYTES:
        raise DataFileError(f"{shown(path)}: files over {MAX_BYTES:,} bytes are refused")
    where = shown(path)
    if b"\x00" in raw:
        raise DataFileError(f"{where}: binary data, not a YAML text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataFileError(f"{where}:{line}: not UTF-8 text (save the file as UTF-8)") from None
    if not text.strip():
        raise DataFileError(f"{where}: the file is empty")
    quick = plain_subset(text)
    if quick is not None:
        return quick[0], quick[1], []
    return parse_text(text, path)


def parse_text(text: str, path: Path) -> tuple[Any, dict[Loc, int], list[Problem]]:
    """The YAML parser's reading of a non-empty text (parse_document without the plain subset's
    shortcut: tests compare the two)."""
    where = shown(path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise DataFileError(f"{where}: the file has no YAML document (only comments?)")
        lines: dict[Loc, int] = {}
        builder = _Builder(path, loader, lines)
        data = builder.build(node, (), 0)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"{where}:{mark.line + 1}" if mark is not None else where
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataFileError(f"{at}: not valid YAML: {excerpt(problem, 120)}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        # The first such character is where reading stopped (libyaml counts its position in
        # bytes, the pure-Python reader in characters).
        first = text.find(char)
        line = text[: first if first >= 0 else exc.position].count("\n") + 1
        raise DataFileError(
            f"{where}:{line}: not valid YAML: the character U+{ord(char):04X} is not allowed "
            "(a control character?)"
        ) from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"{where}: not valid YAML: {excerpt(str(exc), 120)}") from None
    finally:
        loader.dispose()
    return data, lines, builder.problems


_CANONICAL_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"([-+]?)([0-9][0-9_]*)")
_RADIX = re.compile(r"([-+]?)0([xob])([0-9a-fA-F_]+)")
_BASE_60 = re.compile(r"([-+]?)([1-9][0-9_]*(?::[0-5]?[0-9])+)")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?")
_RADIX_NAMES = {"x": ("hexadecimal", 16), "o": ("octal", 8), "b": ("binary", 2)}
MAX_DIGITS = 30


def number_hint(raw: str) -> str | None:
    """Why a number as written (030, 0x1e, 1_000, +30, 1:30, 3e1) is not taken, with what to write
    instead ("has a leading zero …; write 30"); None when it is a plain whole number (30, -4, 0)
    or does not look like a number at all."""
    if _CANONICAL_INT.fullmatch(raw):
        return None
    if match := _DECIMAL.fullmatch(raw):
        sign, digits = match.groups()
        plain = digits.replace("_", "")
        value = int(plain) if len(plain) <= MAX_DIGITS else None
        write = (
            f"write {'-' if sign == '-' and value else ''}{value}"
            if value is not None
            else "write it plainly"
        )
        if len(plain) > 1 and plain.startswith("0"):
            return f"has a leading zero, which YAML 1.1 takes as octal; {write}"
        if "_" in digits:
            return f"has digit separators (_); {write}"
        return f"has a plus sign; {write}"  # the one spelling left: +30
    if match := _RADIX.fullmatch(raw):
        sign, radix, digits = match.groups()
        name, base = _RADIX_NAMES[radix]
        try:
            value = int(sign + digits.replace("_", ""), base)
        except ValueError:
            return "is not a whole number written in decimal; write it in decimal digits"
        return f"is {name}; write {value} in decimal"
    if match := _BASE_60.fullmatch(raw):
        sign, parts = match.groups()
        total = 0
        for part in parts.replace("_", "").split(":"):
            total = total * 60 + int(part)
        value = -total if sign == "-" else total
        return f"is read by YAML 1.1 as the base-60 number {value}; write {value}"
    if any(c.isdigit() for c in raw) and _FLOAT.fullmatch(raw):
        try:
            value_f = float(raw.replace("_", ""))
        except ValueError:
            return None
        if value_f.is_integer() and abs(value_f) < 10**MAX_DIGITS:
            return f"is not written as a whole number; write {int(value_f)}"
        return "is not a whole number"
    return None


class _Builder:
    """Turns a node tree into data, refusing aliases, tags, duplicate keys and deep nesting."""

    def __init__(self, path: Path, loader: Any, lines: dict[Loc, int]) -> None:
        self.path = path
        self.loader = loader
        self.lines = lines
        self.seen: set[int] = set()
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node, message: str) -> DataFileError:
        return DataFileError(f"{shown(self.path)}:{node.start_mark.line + 1}: {printable(message)}")

    def build(self, node: yaml.Node, loc: Loc, depth: int) -> Any:
        if id(node) in self.seen:
            raise self.fail(node, "YAML anchors and aliases (&, *) are not allowed; write it out")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested deeper than {MAX_DEPTH} levels")
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(node, f"the tag {excerpt(node.tag, 80)} is not allowed (plain data only)")
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, loc)

    def _scalar(self, node: yaml.Node, loc: Loc) -> Any:
        line = node.start_mark.line + 1
        raw = str(node.value)
        if node.tag == _INT:
            # Read as written or refused: YAML 1.1 reads 030 as octal 24, 0x1e as 30, 1_000 as
            # 1000, 1:30 as 90; none of them is what a licence file means by a number.
            hint = number_hint(raw)
            if hint is not None:
                self.problems.append(Problem(loc, line, f"'{excerpt(raw)}' {hint}", number=True))
                return raw
            if not _CANONICAL_INT.fullmatch(raw):  # !!int abc
                self.problems.append(Problem(loc, line, f"'{excerpt(raw)}' is not a whole number"))
                return raw
            if len(raw.lstrip("-")) > MAX_DIGITS:
                self.problems.append(
                    Problem(
                        loc,
                        line,
                        f"'{excerpt(raw, 12)}' is a number of {len(raw.lstrip('-')):,} digits: far too large",
                    )
                )
                return raw
            return int(raw)
        if node.tag == _BOOL and raw.lower() not in ("true", "false"):
            # yes/no/on/off are text, as YAML 1.2 and people read them; true and false stay booleans.
            return raw
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, TypeError, AttributeError):
            if node.tag == _TIMESTAMP:
                message = f"'{excerpt(raw)}' is not a real date (YYYY-MM-DD)"
            else:
                message = f"'{excerpt(raw)}' cannot be read as {node.tag.rpartition(':')[2]}"
            self.problems.append(Problem(loc, line, message))
            return raw
        if isinstance(value, dt.datetime):
            self.problems.append(
                Problem(loc, line, f"'{excerpt(raw)}' has a time; give a date only (YYYY-MM-DD)")
            )
            return raw
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
                raise self.fail(key_node, f"the key '{excerpt(key)}' appears twice")
            self.lines[(*loc, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*loc, key), depth + 1)
        return result


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """The line of the deepest known location on the path `loc`."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


# --- the plain subset -----------------------------------------------------------------------------
#
# Most licence files are written in a small part of YAML: `key: value` lines, nested by indenting,
# lists of `- key: value` items, one-line `{key: value, …}` items, `[]` and `{}`, comments. For
# those, plain_subset gives what the parser above gives (the same data, the same line of every
# value) at a fraction of the cost, which matters for a folder of thousands of files. Anything
# else — quotes, block scalars, a value continued on the next line, tags, anchors, tabs, a number
# or date the reader would report, a duplicate key, a key that is not a plain name — is left to
# the parser, which reads it or says what is wrong at which line. Tests compare the two on
# generated documents and on every YAML file of the project.

# A key is a plain name of at most 1024 characters (libyaml refuses a longer one).
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,1023}):(?:[ ]+(.*))?")
# What only the parser reads right: tabs, carriage returns, the line breaks of YAML 1.1 (NEL,
# LS, PS), every character YAML refuses, a byte-order mark. (Written as the few characters it
# matches, not as "none of" the many it lets through: the same set, compiled at every start in
# a tenth of the time; tests/test_plain_subset.py compares the two.)
_NOT_PLAIN = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# A value starting so is not a plain scalar: a list, a flow collection, a comment, an anchor or
# alias, a tag, a block scalar, a quoted scalar, a reserved character.
_STARTS_NODE = frozenset("-?:,[]{}#&*!|>'\"%@`")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_QUICK_DEPTH = 8
_RESOLVER = yaml.resolver.Resolver()
_RESOLVE: Callable[[Any, str, tuple[bool, bool]], str] = _RESOLVER.resolve  # the tag of a value
# The first characters of the values the resolver may take for something other than text (None
# if it has a resolver for any first character): every other plain value is text.
_RESOLVED_FIRST = (
    None if None in _RESOLVER.yaml_implicit_resolvers else frozenset(_RESOLVER.yaml_implicit_resolvers)
)
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str": "str",
    _INT: "int",
    _BOOL: "bool",
    "tag:yaml.org,2002:null": "null",
    _TIMESTAMP: "date",
}


class _NotPlain(Exception):
    """Raised inside plain_subset: this text is the parser's."""


def plain_subset(text: str) -> tuple[dict[str, Any], dict[Loc, int]] | None:
    """The data and the line of every value of `text`, when it is written in the plain subset
    (see above); None when it is not, and only the parser can read it."""
    if _NOT_PLAIN.search(text):
        return None
    rows: list[tuple[int, int, str]] = []  # (line, indent, content) of every line with content
    for number, raw in enumerate(text.split("\n"), 1):
        content = raw.lstrip(" ")
        if content and content[0] != "#":
            rows.append((number, len(raw) - len(content), content.rstrip(" ")))
    if not rows or rows[0][1] != 0:
        return None
    lines: dict[Loc, int] = {(): rows[0][0]}
    try:
        data, end = _quick_mapping(rows, 0, 0, (), lines)
    except _NotPlain:
        return None
    return (data, lines) if end == len(rows) else None


def _quick_mapping(
    rows: list[tuple[int, int, str]], at: int, indent: int, loc: Loc, lines: dict[Loc, int]
) -> tuple[dict[str, Any], int]:
    if len(loc) > _QUICK_DEPTH:
        raise _NotPlain
    result: dict[str, Any] = {}
    while at < len(rows):
        number, column, content = rows[at]
        if column < indent:
            break
        match = _KEY_LINE.fullmatch(content)
        if column > indent or match is None:
            raise _NotPlain
        key, rest = match.groups()
        if key in result:
            raise _NotPlain
        here = (*loc, key)
        lines[here] = number
        at += 1
        rest = _uncommented(rest or "")
        if rest:  # (a value continued on the next line is refused by the next round: too deep)
            result[key] = _quick_inline(rest, here, number, lines)
            continue
        if at < len(rows) and rows[at][1] > indent:
            inner = rows[at][1]
            if rows[at][2][:2] == "- " or rows[at][2] == "-":
                result[key], at = _quick_list(rows, at, inner, here, lines)
            else:
                result[key], at = _quick_mapping(rows, at, inner, here, lines)
        elif at < len(rows) and rows[at][1] == indent and rows[at][2][:1] == "-":
            raise _NotPlain  # a list written level with its key
        else:
            result[key] = None
    return result, at


def _quick_list(
    rows: list[tuple[int, int, str]], at: int, indent: int, loc: Loc, lines: dict[Loc, int]
) -> tuple[list[Any], int]:
    if len(loc) > _QUICK_DEPTH:
        raise _NotPlain
    result: list[Any] = []
    while at < len(rows):
        number, column, content = rows[at]
        if column < indent:
            break
        if column > indent or content[:2] != "- ":
            raise _NotPlain
        item = content[2:].lstrip(" ")
        here = (*loc, len(result))
        lines[here] = number
        if _KEY_LINE.fullmatch(item):  # an item that is a mapping: its keys line up after "- "
            rows[at] = (number, column + len(content) - len(item), item)
            value, at = _quick_mapping(rows, at, rows[at][1], here, lines)
            result.append(value)
            continue
        item = _uncommented(item)
        if not item:
            raise _NotPlain
        result.append(_quick_inline(item, here, number, lines))
        at += 1  # (a line deeper than the item is refused by the next round)
    return result, at


def _uncommented(text: str) -> str:
    """`text` without a trailing comment (` # …`)."""
    if text[:1] == "#":
        return ""
    cut = text.find(" #")
    return text if cut < 0 else text[:cut].rstrip(" ")


def _quick_inline(text: str, loc: Loc, number: int, lines: dict[Loc, int]) -> Any:
    """A value written on its key's line: a plain scalar, [] or {}, or {key: value, …}."""
    if text == "[]":
        return []
    if text == "{}":
        return {}
    if text[0] == "{" and text[-1] == "}":
        result: dict[str, Any] = {}
        for entry in text[1:-1].split(","):
            key, colon, value = entry.strip(" ").partition(": ")
            if not colon or not _KEY_LINE.fullmatch(f"{key}:") or key in result:
                raise _NotPlain
            value = value.strip(" ")
            # (PyYAML's own parser, used where libyaml is missing, also ends a value at "?".)
            if not value or value[0] in _STARTS_NODE or any(c in value for c in "[]{}:#?"):
                raise _NotPlain
            lines[(*loc, key)] = number
            result[key] = _quick_scalar(value)
        if not result:
            raise _NotPlain
        return result
    if text[0] in _STARTS_NODE or ": " in text or text[-1] == ":":
        raise _NotPlain
    return _quick_scalar(text)


def _quick_scalar(text: str) -> Any:
    """A plain scalar as the parser reads it, or _NotPlain where the reader would note a problem
    (a number written 030, a date that does not exist) or the value is not text, a whole
    number, a boolean, null or a date."""
    if _RESOLVED_FIRST is not None and text[0] not in _RESOLVED_FIRST:
        return text
    # The two kinds a licence is full of, known without asking the resolver (whose loop over its
    # patterns takes them for a timestamp and an int, and for nothing else).
    if match := _DATE.fullmatch(text):
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            raise _NotPlain from None
    if _CANONICAL_INT.fullmatch(text) and len(text) <= MAX_DIGITS:
        return int(text)
    kind = _SCALAR_TAGS.get(_RESOLVE(yaml.ScalarNode, text, (True, False)))
    if kind == "str":
        return text
    if kind == "int" and _CANONICAL_INT.fullmatch(text) and len(text.lstrip("-")) <= MAX_DIGITS:
        return int(text)
    if kind == "bool":
        lowered = text.lower()
        return text if lowered not in ("true", "false") else lowered == "true"
    if kind == "null":
        return None
    if kind == "date" and (match := _DATE.fullmatch(text)):
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    raise _NotPlain
