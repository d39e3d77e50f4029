"""edit.py: round-trip edits that keep the file's layout, under a lock, atomic and all-or-nothing."""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from ruamel.yaml.comments import CommentedMap

from licensecli import edit
from licensecli.edit import Edited, block_list, edit_yaml, flow_map, locked
from licensecli.errors import DataFileError, InputError, LicenseCliError, LockBusyError, OutputError
from licensecli.yamlfile import read_document

BUNDLED = Path(__file__).resolve().parents[1] / "data" / "license_b2_20210247.yaml"

# A hand-kept file: 4-space indentation, comments at the top, between keys and at line ends, a `|-`
# block scalar, quoted strings, keys in no alphabetical order.
FOUR_SPACES = """\
# Licence of 示例 Co., kept by hand.
# A second line of the header.

number: B2-00000000      # the number on the certificate
holder: "示例有限公司"
issued_on: 2023-05-31
services:
    - service: '信息服务业务'   # quoted on purpose
      coverage: 全国

# Clauses follow.
clauses:
    - ref: 一
      # a comment inside an item
      text: |-
          第一行
          second line: with a colon
      obligations:
          - id: lawful-operation
            rule: {kind: ongoing}
renew_check:
    warn: 90
    crit: "30"
events: []
# the end
"""

# Items with the dash flush left and the text four columns in.
DASH_FLUSH = """\
number: B2-00000001
services:
-   service: 信息服务业务
    coverage: 全国
title:
    zh: 标题
events: []
"""

# What ruamel writes back differently: a document marker, `~`, True, +5, spaced flow collections.
RESPELLED = """\
---
# top
renewal_filed_on: ~
title:    { zh: 标题, en: Title }   # spaced
flags: [ a, b ]
strict: True
count: +5
events: []
last: 1
"""


def event(note: str | None = "处置记录 2026-118", on: dt.date = dt.date(2025, 11, 20)) -> CommentedMap:
    return flow_map(obligation="illegal-info-report", on=on, note=note, done_on=None)


def add_event(note: str | None = "处置记录 2026-118") -> Any:
    return lambda doc: block_list(doc, "events").append(event(note))


def no_check(text: str) -> None:
    pass


def mapping_check(text: str) -> None:
    if not isinstance(yaml.safe_load(text), dict):
        raise DataFileError("not a mapping")


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """The lines a diff removes and adds."""
    diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0))
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def write(tmp_path: Path, text: str | bytes, name: str = "lic.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    return write(tmp_path, BUNDLED.read_bytes())


# --- 1. the file's layout survives ------------------------------------------------------------


def test_bundled_licence_gains_one_event_line_and_nothing_else(bundled: Path) -> None:
    before = bundled.read_text(encoding="utf-8")
    result = edit_yaml(bundled, add_event(), check=mapping_check)
    after = bundled.read_text(encoding="utf-8")
    assert result == Edited(before, after)
    removed, added = changed_lines(before, after)
    assert removed == ["events: []"]
    assert added == [
        "events:",
        "  - {obligation: illegal-info-report, on: 2025-11-20, note: 处置记录 2026-118}",
    ]


def test_bundled_licence_edited_still_loads_with_the_real_loader(bundled: Path, tmp_path: Path) -> None:
    from licensecli.loader import load_license

    def real_check(text: str) -> None:
        load_license(write(tmp_path, text, "candidate.yaml"))

    edit_yaml(bundled, add_event(), check=real_check)
    edit_yaml(bundled, add_event("second"), check=real_check)
    events = load_license(bundled).events
    assert [(e.on, e.note) for e in events] == [
        (dt.date(2025, 11, 20), "处置记录 2026-118"),
        (dt.date(2025, 11, 20), "second"),
    ]


@pytest.mark.parametrize(
    ("text", "item"),
    [
        (FOUR_SPACES, "    - {obligation: illegal-info-report, on: 2025-11-20, note: 处置记录 2026-118}"),
        (DASH_FLUSH, "-   {obligation: illegal-info-report, on: 2025-11-20, note: 处置记录 2026-118}"),
    ],
    ids=["four-spaces", "dash-flush"],
)
def test_hand_written_layout_is_kept_and_new_items_indent_like_it(
    tmp_path: Path, text: str, item: str
) -> None:
    path = write(tmp_path, text)
    edit_yaml(path, add_event(), check=mapping_check)
    removed, added = changed_lines(text, path.read_text(encoding="utf-8"))
    assert removed == ["events: []"]
    assert added == ["events:", item]


@pytest.mark.parametrize(
    "text",
    [FOUR_SPACES, DASH_FLUSH, BUNDLED.read_text(encoding="utf-8")],
    ids=["four-spaces", "dash-flush", "bundled"],
)
def test_ruamel_writes_common_layouts_back_unchanged(text: str) -> None:
    # The common case needs no merge: ruamel itself writes these files back byte for byte.
    rt = edit._yaml()
    doc = rt.load(text)
    edit._indent_like(rt, doc)
    assert edit._dump(rt, doc) == text


def test_lines_ruamel_would_respell_are_kept_when_the_change_is_elsewhere(tmp_path: Path) -> None:
    path = write(tmp_path, RESPELLED)
    edit_yaml(path, add_event(), check=mapping_check)
    removed, added = changed_lines(RESPELLED, path.read_text(encoding="utf-8"))
    assert removed == ["events: []"]
    assert added == [
        "events:",
        "  - {obligation: illegal-info-report, on: 2025-11-20, note: 处置记录 2026-118}",
    ]


def test_a_changed_line_that_ruamel_respells_takes_its_spelling_alone(tmp_path: Path) -> None:
    path = write(tmp_path, RESPELLED)
    edit_yaml(path, lambda doc: doc.__setitem__("strict", False), check=mapping_check)
    assert changed_lines(RESPELLED, path.read_text(encoding="utf-8")) == (["strict: True"], ["strict: false"])


def test_a_second_indentation_style_is_kept_outside_the_change(tmp_path: Path) -> None:
    text = "a:\n  b: 1\nc:\n    d: 2\nl:\n  - 1\nm:\n- 2\nevents: []\nz: 1\n"
    path = write(tmp_path, text)
    edit_yaml(path, add_event("x"), check=mapping_check)
    assert changed_lines(text, path.read_text(encoding="utf-8")) == (
        ["events: []"],
        ["events:", "  - {obligation: illegal-info-report, on: 2025-11-20, note: x}"],
    )


def test_a_file_without_a_final_newline_gets_one_only_where_the_change_ends(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nz: 2")
    edit_yaml(path, add_event("x"), check=mapping_check)
    assert path.read_text(encoding="utf-8") == (
        "a: 1\nz: 2\nevents:\n  - {obligation: illegal-info-report, on: 2025-11-20, note: x}\n"
    )


def test_a_merge_that_would_not_read_back_falls_back_to_ruamels_text(tmp_path: Path) -> None:
    # A new key after a `...` end marker would start a second document: ruamel's own text is used.
    path = write(tmp_path, "a: ~\nb: +5\n...\n")
    edit_yaml(path, lambda doc: doc.__setitem__("c", 1), check=mapping_check)
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"a": None, "b": 5, "c": 1}


def test_an_edit_that_changes_nothing_does_not_rewrite_the_file(bundled: Path) -> None:
    inode = bundled.stat().st_ino
    result = edit_yaml(bundled, lambda doc: None, check=mapping_check)
    assert result.old_text == result.new_text
    assert bundled.stat().st_ino == inode


def test_check_sees_exactly_the_text_that_is_written(tmp_path: Path) -> None:
    seen: list[str] = []
    path = write(tmp_path, FOUR_SPACES)
    result = edit_yaml(path, add_event(), check=seen.append)
    assert seen == [result.new_text] == [path.read_text(encoding="utf-8")]


# --- block_list and flow_map ------------------------------------------------------------------


def test_block_list_adds_a_missing_key_at_the_end_as_a_block_list(tmp_path: Path) -> None:
    text = FOUR_SPACES.replace("events: []\n", "")
    path = write(tmp_path, text)
    edit_yaml(path, add_event("x"), check=mapping_check)
    new = path.read_text(encoding="utf-8")
    assert new == text + "events:\n    - {obligation: illegal-info-report, on: 2025-11-20, note: x}\n"


def test_block_list_fills_a_key_with_nothing_after_it(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nevents:\nb: 2\n")
    edit_yaml(path, add_event("x"), check=mapping_check)
    assert path.read_text(encoding="utf-8") == (
        "a: 1\nevents:\n  - {obligation: illegal-info-report, on: 2025-11-20, note: x}\nb: 2\n"
    )


def test_block_list_appends_to_an_existing_block_list(tmp_path: Path) -> None:
    text = "events:\n  - {obligation: a, on: 2025-01-02}   # first\nb: 2\n"
    path = write(tmp_path, text)
    edit_yaml(path, add_event("x"), check=mapping_check)
    assert changed_lines(text, path.read_text(encoding="utf-8")) == (
        [],
        ["  - {obligation: illegal-info-report, on: 2025-11-20, note: x}"],
    )


@pytest.mark.parametrize("value", ["3", "text", "{a: 1}"])
def test_block_list_refuses_a_value_that_is_not_a_list(tmp_path: Path, value: str) -> None:
    text = f"a: 1\n\nevents: {value}\n"
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        edit_yaml(path, add_event(), check=mapping_check)
    assert str(info.value) == f"{path}:3: events is not a list; cannot add to it"
    assert path.read_text(encoding="utf-8") == text


def test_flow_map_keeps_the_order_given_and_leaves_out_none() -> None:
    mapping = flow_map(z=1, a=None, m=dt.date(2026, 11, 20), b="x")
    assert list(mapping) == ["z", "m", "b"]
    assert mapping.fa.flow_style()


def test_dates_are_written_as_plain_yaml_dates(tmp_path: Path) -> None:
    path = write(tmp_path, "events: []\n")
    edit_yaml(path, add_event("处置记录"), check=mapping_check)
    assert path.read_text(encoding="utf-8") == (
        "events:\n  - {obligation: illegal-info-report, on: 2025-11-20, note: 处置记录}\n"
    )


# --- 2. Chinese and quoting -------------------------------------------------------------------


def test_chinese_is_written_as_utf8_characters(tmp_path: Path) -> None:
    path = write(tmp_path, "events: []\n")
    edit_yaml(path, add_event("处置记录 2026-118"), check=mapping_check)
    raw = path.read_bytes()
    assert "处置记录 2026-118".encode() in raw
    assert b"\\u" not in raw and b"\\x" not in raw


NOTES = [
    "处置: 记录",  # ": " inside
    "a: b",
    "- leading dash",
    "# leading hash",
    "x #y",
    "处置记录 #3",
    "a, b",
    "{braces}",
    "[brackets]",
    "it's",
    'say "hi"',
    " leading space",
    "?question",
    "yes",  # YAML 1.1 readers (PyYAML) take these as booleans and numbers when plain
    "on",
    "1:30",
    "030",
    "2026-01-02",
    "null",
    "",
    "two\nlines",
    "tab\there",
]


@pytest.mark.parametrize("note", NOTES)
def test_a_note_round_trips_to_the_same_string(tmp_path: Path, note: str) -> None:
    path = write(tmp_path, "a: 1\nevents: []\n")
    edit_yaml(path, add_event(note), check=mapping_check)
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") == 3  # the new item is on one line
    assert yaml.safe_load(text)["events"][0]["note"] == note
    data, _, problems = read_document(path)  # as the licence loader reads it
    assert data["events"][0]["note"] == note
    assert problems == []


# --- 3. all or nothing -------------------------------------------------------------------------


def refuse(text: str) -> None:
    raise DataFileError("lic.yaml:27: events[0].on: not a licence any more")


def test_check_refusing_leaves_the_file_byte_identical(bundled: Path, tmp_path: Path) -> None:
    before = bundled.read_bytes()
    with pytest.raises(DataFileError, match="not a licence any more"):
        edit_yaml(bundled, add_event(), check=refuse)
    assert bundled.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == [".lic.yaml.lock", "lic.yaml"]


def test_change_refusing_leaves_the_file_byte_identical(bundled: Path, tmp_path: Path) -> None:
    before = bundled.read_bytes()

    def change(doc: CommentedMap) -> None:
        block_list(doc, "events").append(event())
        raise InputError("no such obligation")

    with pytest.raises(InputError, match="no such obligation"):
        edit_yaml(bundled, change, check=no_check)
    assert bundled.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == [".lic.yaml.lock", "lic.yaml"]


@pytest.mark.parametrize("call", ["fsync", "replace"])
def test_a_full_disk_leaves_the_file_byte_identical(
    bundled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    before = bundled.read_bytes()

    def full(*args: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, call, full)
    with pytest.raises(OutputError, match="No space left on device"):
        edit_yaml(bundled, add_event(), check=mapping_check)
    monkeypatch.undo()
    assert bundled.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == [".lic.yaml.lock", "lic.yaml"]


HOLDER = """\
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(60)
"""


@pytest.fixture
def lock_held(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the lock of tmp_path/lic.yaml until it is killed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / ".lic.yaml.lock")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "locked\n"
        yield proc
    finally:
        proc.kill()
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def test_a_lock_held_by_another_process_times_out(
    bundled: Path, lock_held: subprocess.Popen[str], tmp_path: Path
) -> None:
    before = bundled.read_bytes()
    start = time.monotonic()
    with pytest.raises(LockBusyError) as info:
        edit_yaml(bundled, add_event(), check=mapping_check, lock_timeout=0.5)
    assert 0.5 <= time.monotonic() - start < 5
    assert str(info.value) == (
        f"{bundled}: another licensecli is editing this file (lock .lic.yaml.lock held for 0.5 s); "
        "try again when it has finished"
    )
    assert info.value.exit_code == 75
    assert bundled.read_bytes() == before
    lock_held.kill()
    lock_held.wait()
    edit_yaml(bundled, add_event(), check=mapping_check, lock_timeout=5)  # released when it died
    assert bundled.read_bytes() != before


def test_the_lock_excludes_another_open_file_in_the_same_process(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\n")
    with locked(path), pytest.raises(LockBusyError), locked(path, timeout=0.1):
        pass
    with locked(path, timeout=0.1):  # released on leaving
        pass


def test_a_folder_where_no_lock_can_be_made_is_named(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as info, locked(tmp_path / "gone" / "lic.yaml"):
        pass
    assert str(info.value).startswith(f"{tmp_path / 'gone'}: cannot create the lock file .lic.yaml.lock")


INVALID = [
    (b"a: [1, 2\nb: 3\n", "lic.yaml:2: not valid YAML"),
    (b"a: 1\na: 2\n", "lic.yaml:2: not valid YAML"),
    (b"a: 1\n  b: 2\n", "lic.yaml:2: not valid YAML"),
    (b"a: 1\nb: \x01\n", "lic.yaml:2: the character U+0001 is not allowed"),
    (b"a: 1\nb: \xff\n", "lic.yaml:2: not UTF-8 text"),
    (b"- 1\n- 2\n", "lic.yaml:1: a licence file is a mapping of fields"),
    (b"just text\n", "lic.yaml:1: a licence file is a mapping of fields"),
    (b"", "lic.yaml: the file has no YAML document"),
    (b"# only a comment\n", "lic.yaml: the file has no YAML document"),
    (b"a: 2026-02-30\n", "lic.yaml: cannot be edited: day is out of range for month"),
    (b"a: 1\r\nb: 2\n", "lic.yaml: mixes line endings"),
]


@pytest.mark.parametrize(("content", "message"), INVALID)
def test_a_file_that_cannot_be_edited_is_refused_clearly(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(DataFileError) as info:
        edit_yaml(path, add_event(), check=no_check)
    assert str(info.value).startswith(f"{tmp_path}/{message}")
    assert "\n" not in str(info.value)
    assert path.read_bytes() == content


def test_a_missing_file_is_refused_without_leaving_a_lock_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="no such file"):
        edit_yaml(tmp_path / "lic.yaml", add_event(), check=no_check)
    assert os.listdir(tmp_path) == []


def test_a_folder_is_refused_without_leaving_a_lock_file(tmp_path: Path) -> None:
    (tmp_path / "lic.yaml").mkdir()
    with pytest.raises(DataFileError, match="is a folder"):
        edit_yaml(tmp_path / "lic.yaml", add_event(), check=no_check)
    assert os.listdir(tmp_path) == ["lic.yaml"]


def test_every_refusal_is_a_licensecli_error(tmp_path: Path) -> None:
    path = write(tmp_path, "- 1\n")
    with pytest.raises(LicenseCliError):
        edit_yaml(path, add_event(), check=no_check)


# --- 4. parallel writers ----------------------------------------------------------------------

WRITER = """\
import datetime, sys, time
from pathlib import Path
from licensecli.edit import block_list, edit_yaml, flow_map
path, n, go = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
deadline = time.monotonic() + 30
while not go.exists() and time.monotonic() < deadline:  # all start at once
    time.sleep(0.005)
item = flow_map(obligation="illegal-info-report", on=datetime.date(2025, 11, 20), note=f"writer {n}")
edit_yaml(path, lambda doc: block_list(doc, "events").append(item), check=lambda text: None, lock_timeout=30)
"""


def test_twenty_parallel_writers_each_add_their_event(bundled: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(bundled), str(n), str(go)], stderr=subprocess.PIPE
        )
        for n in range(20)
    ]
    time.sleep(0.3)  # let most of them get as far as waiting for the start
    go.touch()
    errors = [proc.communicate(timeout=60)[1] for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * 20, errors
    events = yaml.safe_load(bundled.read_text(encoding="utf-8"))["events"]
    assert sorted(e["note"] for e in events) == sorted(f"writer {n}" for n in range(20))
    removed, added = changed_lines(BUNDLED.read_text(encoding="utf-8"), bundled.read_text(encoding="utf-8"))
    assert removed == ["events: []"]
    assert len(added) == 21


# --- 5. permissions and symlinks --------------------------------------------------------------


def test_the_files_mode_is_kept(bundled: Path) -> None:
    bundled.chmod(0o640)
    edit_yaml(bundled, add_event(), check=mapping_check)
    assert bundled.stat().st_mode & 0o7777 == 0o640


def test_a_symlink_stays_a_link_and_its_target_is_updated(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = write(tmp_path / "real", BUNDLED.read_bytes())
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    edit_yaml(link, add_event(), check=mapping_check)
    assert link.is_symlink() and link.resolve() == target
    assert "note: 处置记录 2026-118" in target.read_text(encoding="utf-8")
    assert (tmp_path / "real" / ".lic.yaml.lock").exists()  # one lock for the link and its target
    assert not (tmp_path / ".link.yaml.lock").exists()


# --- 6. byte-order mark and CRLF: kept ----------------------------------------------------------


def test_crlf_line_endings_are_kept(tmp_path: Path) -> None:
    text = FOUR_SPACES.replace("\n", "\r\n")
    path = write(tmp_path, text.encode())
    result = edit_yaml(path, add_event(), check=mapping_check)
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") == FOUR_SPACES.count("\n") + 1
    assert result.old_text == text and result.new_text == raw.decode()
    assert changed_lines(FOUR_SPACES, raw.decode().replace("\r\n", "\n"))[0] == ["events: []"]


def test_a_byte_order_mark_is_kept(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbf" + FOUR_SPACES.encode())
    result = edit_yaml(path, add_event(), check=mapping_check)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    assert raw[3:].decode() == result.new_text
    assert changed_lines(FOUR_SPACES, result.new_text)[0] == ["events: []"]
