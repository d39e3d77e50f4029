"""The only writer of licence files: round-trip edits that keep the user's comments, key order and
layout, made under a lock and checked before the original is atomically replaced.

ruamel.yaml (round-trip mode, indentation taken from the file's first nested mapping and block
list) keeps comments, blank lines, key order, quotes, block scalars, anchors, tags and the spelling
of numbers such as 1_000. What it re-spells when it writes a file back: `---`/`...` markers and
`? key` syntax (dropped); `~` and `null` (written as nothing); True (true); +5 (5); `{ a: 1 }` and
`[ 1, 2 ]` (inner spaces dropped); flow collections and plain scalars over several lines (joined);
several spaces after a colon; trailing spaces; "\\u4e2d" (written 中); a second indentation style.
None of that is lost: only the lines the change touched are taken from ruamel's text (found by
comparing it with ruamel's text of the unchanged file), every other line is the file's own, byte
for byte; should that merge not read back as the same data, ruamel's whole text is used.

A byte-order mark and CRLF line endings are kept; a file mixing line endings is refused. The lock
is an flock(2) on a hidden sidecar `.<name>.lock` beside the (symlink-resolved) file, never deleted.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import stat
import time
from collections.abc import Callable, Iterator
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from licensecli.errors import DataFileError, InputError, LockBusyError, OutputError
from licensecli.writing import write_atomic
from licensecli.yamlfile import excerpt, read_bytes, shown, stat_path

LOCK_TIMEOUT = 10.0  # seconds
_POLL = 0.05  # seconds between tries of a busy lock
_BOM = b"\xef\xbb\xbf"
_MARK = CommentMark(0)  # where a moved comment starts: its own text carries the indentation


Document = CommentedMap  # what a change receives: the file's top-level mapping, editable in place


class Edited(NamedTuple):
    """A file's text before and after an edit, as on disk (line endings kept, no byte-order mark)."""

    old_text: str
    new_text: str


class _NotAList(InputError):
    """block_list found something else under the key; edit_yaml adds the file name."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.bare = message


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the exclusive lock on `path` (a sidecar `.<name>.lock`), waiting up to `timeout` seconds."""
    real = Path(os.path.realpath(path))  # a link and its target share one lock
    lock = real.with_name(f".{real.name}.lock")
    try:
        fd = os.open(lock, os.O_RDONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise OutputError(
            f"{shown(real.parent)}: cannot create the lock file {shown(lock.name)} there "
            f"({exc.strerror or exc})"
        ) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise LockBusyError(
                        f"{shown(path)}: another licensecli is editing this file (lock {shown(lock.name)} "
                        f"held for {timeout:g} s); try again when it has finished"
                    ) from None
                time.sleep(min(_POLL, left))
            except OSError as exc:  # ENOLCK: a file system without locks
                raise OutputError(f"{shown(lock)}: cannot be locked ({exc.strerror or exc})") from None
        yield
    finally:
        os.close(fd)  # releases the lock


def edit_yaml(
    path: Path,
    change: Callable[[CommentedMap], None],
    *,
    check: Callable[[str], None],
    lock_timeout: float = LOCK_TIMEOUT,
) -> Edited:
    """Apply `change` to the mapping in `path`, `check` the new text, then replace the file atomically;
    on any failure the file is left byte-identical."""
    if not stat.S_ISREG(stat_path(path).st_mode):  # before a lock file is made beside it
        read_bytes(path)  # refuses a folder, a FIFO, a device, saying which
    with locked(path, lock_timeout):
        raw = read_bytes(path)
        bom = raw.startswith(_BOM)
        old_text = _decode(path, raw[len(_BOM) :] if bom else raw)
        newline = _newline(path, old_text)
        text = old_text.replace("\r\n", "\n")
        rt = _yaml()
        doc = _parse(path, rt, text)
        _indent_like(rt, doc)
        before = _dump(rt, doc)
        try:
            change(doc)
        except _NotAList as exc:
            raise InputError(f"{shown(path)}:{exc.line}: {exc.bare}") from None
        new_text = _merge(text, before, _dump(rt, doc), doc)
        new_text = new_text.replace("\n", newline)
        check(new_text)
        if new_text != old_text:
            write_atomic(str(path), (_BOM if bom else b"") + new_text.encode("utf-8"))
    return Edited(old_text, new_text)


def block_list(doc: CommentedMap, key: str) -> CommentedSeq:
    """The list under `key`, added as an empty block list if missing; `[]` is turned into a block
    list so that items are written one per line."""
    value = doc.get(key)
    if value is None:  # missing, or `key:` with nothing after it
        value = CommentedSeq()
        value.fa.set_block_style()
        doc[key] = value
    elif not isinstance(value, CommentedSeq):
        line = doc.lc.value(key)[0] + 1
        raise _NotAList(line, f"{excerpt(key)} is not a list; cannot add to it")
    elif not value:
        value.fa.set_block_style()
    return value


def remove_item(parent: CommentedMap, key: str, index: int) -> None:
    """Delete item `index` of the list `parent[key]`, keeping the comment lines that follow it
    (ruamel files them under the item, but they belong to what comes after): they move to the
    end of the item before, or above the first item. The item's own end-of-line comment goes."""
    items = parent[key]
    rest = _split(_trailing(items, index).take())[1]
    del items[index]
    if not items:
        items.fa.set_flow_style()  # written `key: []`
    if not rest and items:
        return
    if index > 0:
        _trailing(items, index - 1).add(rest)
        return
    if not items:  # an emptied list (`key: []`): every comment it held follows the key's line
        slots = parent.ca.items.setdefault(key, [None, None, None, None])
        above = "".join(token.value for token in slots[3] or [])
        below = "".join(token.value for token in getattr(items.ca, "end", None) or [])
        slots[3] = None
        items.ca.end = []  # comments at the end of the document, kept by the list
        _trailing_of_key(parent, key).add(above + rest + below)
        return
    slots = parent.ca.items.setdefault(key, [None, None, None, None])
    slots[3] = [*(slots[3] or []), CommentToken(rest, _MARK, None)]  # above the (new) first item


def add_key(mapping: CommentedMap, key: str, value: Any) -> None:
    """Add `key: value` at the end of a mapping; in a block mapping, comment lines that followed
    its last key (they belong to what comes next) move below the new one."""
    if key in mapping or mapping.fa.flow_style() or not mapping:
        mapping[key] = value
        return
    last = _trailing_of_key(mapping, list(mapping)[-1])
    eol, rest = _split(last.take())
    last.put(eol)
    mapping[key] = value
    if rest:
        _trailing_of_key(mapping, key).add(rest)


class _Slot(NamedTuple):
    """Where ruamel keeps the comment after a node: a comment list and its slot."""

    slots: list[Any]
    at: int

    def take(self) -> str:
        token = self.slots[self.at]
        self.slots[self.at] = None
        return token.value if isinstance(token, CommentToken) else ""

    def put(self, text: str) -> None:
        self.slots[self.at] = CommentToken(text, _MARK, None) if text.strip() else None

    def add(self, lines: str) -> None:
        """Append whole comment lines after whatever ends the node's line."""
        current = self.take()
        self.put((current if current.endswith("\n") else current + "\n") + lines)


def _trailing(items: CommentedSeq, index: int) -> _Slot:
    """The comment after list item `index`: in its last key when it is a block mapping."""
    item = items[index]
    if isinstance(item, CommentedMap) and item and not item.fa.flow_style():
        return _trailing_of_key(item, list(item)[-1])
    return _Slot(items.ca.items.setdefault(index, [None, None, None, None]), 0)


def _trailing_of_key(mapping: CommentedMap, key: Any) -> _Slot:
    return _Slot(mapping.ca.items.setdefault(key, [None, None, None, None]), 2)


def _split(text: str) -> tuple[str, str]:
    """A trailing comment's end-of-line part (through its first line break) and the lines after."""
    eol, newline, rest = text.partition("\n")
    return eol + newline, rest


def flow_map(**fields: Any) -> CommentedMap:
    """A mapping written on one line, `{key: value, …}`, in the order given; None values left out."""
    result = CommentedMap((key, _quoted(value)) for key, value in fields.items() if value is not None)
    result.fa.set_flow_style()
    return result


def _quoted(value: Any) -> Any:
    """A string quoted where YAML 1.1 readers (PyYAML: our loader, the user's scripts) need it:
    ruamel writes YAML 1.2, where `yes`, `on`, `1:30` and `?x` may stay plain."""
    if not isinstance(value, str):
        return value
    if not value.isprintable():  # a line break, a tab: escaped, so that the mapping stays on one line
        return DoubleQuotedScalarString(value)
    dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=1 << 20)
    return SingleQuotedScalarString(value) if dumped.startswith(("['", '["')) else value


def _yaml() -> YAML:
    rt = YAML(typ="rt")
    rt.preserve_quotes = True
    rt.width = 4096  # never re-wrap a line
    rt.allow_unicode = True  # Chinese as written, not \u escapes
    return rt


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataFileError(f"{shown(path)}:{line}: not UTF-8 text (save the file as UTF-8)") from None


def _newline(path: Path, text: str) -> str:
    """The file's line ending, CRLF or LF; a file that mixes them is refused."""
    crlf = text.count("\r\n")
    if crlf != text.count("\r") or crlf not in (0, text.count("\n")):
        raise DataFileError(f"{shown(path)}: mixes line endings (CRLF, LF or CR); save it with one kind")
    return "\r\n" if crlf else "\n"


def _parse(path: Path, rt: YAML, text: str) -> CommentedMap:
    where = shown(path)
    try:
        doc = rt.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"{where}:{mark.line + 1}" if mark is not None else where
        raise DataFileError(
            f"{at}: not valid YAML: {excerpt(exc.problem or exc.context or '', 120)}"
        ) from None
    except ReaderError as exc:  # a control character
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        line = text[: exc.position].count("\n") + 1
        raise DataFileError(f"{where}:{line}: the character U+{ord(char):04X} is not allowed") from None
    except YAMLError as exc:
        raise DataFileError(f"{where}: not valid YAML: {excerpt(str(exc), 120)}") from None
    except ValueError as exc:  # a date that does not exist, such as 2026-02-30
        raise DataFileError(
            f"{where}: cannot be edited: {excerpt(str(exc), 80)} (`licensecli validate` shows where)"
        ) from None
    if doc is None:
        raise DataFileError(f"{where}: the file has no YAML document (empty, or only comments?)")
    if not isinstance(doc, CommentedMap):
        raise DataFileError(f"{where}:1: a licence file is a mapping of fields (number:, clauses: …)")
    return doc


def _indent_like(rt: YAML, doc: CommentedMap) -> None:
    """Indent as the file does: from its first nested block mapping and its first block list."""
    found: dict[str, int] = {}
    _find_indents(doc, found)
    mapping = found.get("mapping", 2)
    offset = found.get("offset", mapping)
    rt.indent(mapping=mapping, sequence=found.get("sequence", offset + 2), offset=offset)


def _find_indents(node: Any, found: dict[str, int]) -> None:
    if isinstance(node, CommentedSeq):
        for item in node:
            _find_indents(item, found)
    if not isinstance(node, CommentedMap):
        return
    for value in node.values():
        if len(found) == 3:
            return
        if isinstance(value, CommentedMap | CommentedSeq) and value and not value.fa.flow_style():
            if isinstance(value, CommentedMap):
                found.setdefault("mapping", value.lc.col - node.lc.col)
            elif "offset" not in found:
                found["offset"] = value.lc.col - node.lc.col
                found["sequence"] = value.lc.item(0)[1] - node.lc.col
        _find_indents(value, found)


def _dump(rt: YAML, doc: CommentedMap) -> str:
    out = io.StringIO()
    rt.dump(doc, out)
    return out.getvalue()


def _merge(original: str, before: str, after: str, doc: CommentedMap) -> str:
    """`after` (ruamel's text of the changed document), with every line that ruamel re-spelled
    (`before` is its text of the unchanged one) but the change did not touch taken from `original`."""
    if before == original:  # ruamel writes the file as it was: nothing to take back
        return after
    if before == after:  # the change changed nothing
        return original
    base = _lines(before)
    sides = (_lines(original), _lines(after))
    hunks = sorted([(*h, 0) for h in _hunks(base, sides[0])] + [(*h, 1) for h in _hunks(base, sides[1])])
    out: list[str] = []
    pos, k, delta = 0, 0, [0, 0]
    while k < len(hunks):
        lo, hi, reach = hunks[k][0], hunks[k][1], _reach(hunks[k])
        group = [hunks[k]]
        k += 1
        while k < len(hunks) and 2 * hunks[k][0] < reach:  # overlapping: one region
            hi, reach = max(hi, hunks[k][1]), max(reach, _reach(hunks[k]))
            group.append(hunks[k])
            k += 1
        side = max(h[4] for h in group)  # where the change is, its text wins
        start = lo + delta[side]
        for i1, i2, j1, j2, which in group:
            delta[which] += (j2 - j1) - (i2 - i1)
        out += base[pos:lo] + sides[side][start : hi + delta[side]]
        pos = hi
    merged = "".join(out + base[pos:])
    try:
        same = _yaml().load(merged) == doc
    except (YAMLError, ValueError):
        same = False
    return merged if same else after


def _reach(hunk: tuple[int, ...]) -> int:
    """Where a hunk ends, in half lines: an insertion takes the half line before its place."""
    return 2 * hunk[1] if hunk[1] > hunk[0] else 2 * hunk[0] + 1


def _lines(text: str) -> list[str]:
    return io.StringIO(text).readlines()  # split at \n only, each line with its ending


def _hunks(a: list[str], b: list[str]) -> list[tuple[int, int, int, int]]:
    """Where `b` differs from `a`: (a from, a to, b from, b to) of each changed run of lines."""
    hunks = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:  # line for line: each line a hunk of its own
            hunks += [(i1 + n, i1 + n + 1, j1 + n, j1 + n + 1) for n in range(i2 - i1)]
        elif tag != "equal":
            hunks.append((i1, i2, j1, j2))
    return hunks
