"""The plain subset (yamlfile.plain_subset, issue 17) reads what the YAML parser reads.

A licence file written in plain `key: value` lines is read without the parser. Wherever the
shortcut answers, its data and the line of every value must be the parser's; wherever it cannot
be sure, it must step aside (None) rather than guess. Generated documents mix what it reads with
what only the parser reads (quotes, numbers written 030, dates that do not exist, a value
continued on the next line, lists level with their key …).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licensecli import loader, yamlfile
from licensecli.errors import DataFileError

from .conftest import BUNDLED, REPO

HERE = Path("licence.yaml")

# Scalars: plain text, and every kind of value that is not (or is not only) text.
SCALARS = [
    "全国",
    "B2-20210247",
    "示例信息服务有限公司（虚构）",
    "a b  c",
    "a:b",
    "a#b",
    "x\u00a0y",
    "it's",
    "http://example.cn/a?b=c",
    "a, b",
    "a [b]",
    "ends with colon:",
    "a: b",
    "a # comment",
    "1",
    "0",
    "30",
    "030",
    "1_000",
    "0x1e",
    "1:30",
    "-4",
    "+4",
    "3e1",
    "1.5",
    ".inf",
    "12345678901234567890123456789012",
    "true",
    "false",
    "True",
    "FALSE",
    "yes",
    "no",
    "on",
    "Off",
    "y",
    "~",
    "null",
    "Null",
    "",
    "2024-05-01",
    "2024-02-30",
    "2024-5-1",
    "2024-05-01 10:00",
    "2024-05-01T10:00:00Z",
    "[]",
    "{}",
    "[a, b]",
    "{a: 1}",
    "{a: 1, b: 全国}",
    "{a: 1,}",
    "{a: b: c}",
    "{a: x #y}",
    "{on: 2024-05-01, note: 处置记录 1}",
    "'quoted'",
    '"double"',
    '"esc\\n"',
    "&anchor x",
    "*alias",
    "!tag x",
    "|",
    ">-",
    "%x",
    "@x",
    "`x`",
    "-",
    "- x",
    "? x",
    "<<",
    "=",
    "a\tb",
    "é\u2028x",
    "a\u0085b",
    "\ufeffx",
]
PLAIN = ["全国", "B2-20210247", "测试 1", "2024-05-01", "30", "true", "~", "a, b", "x-y"]
KEYS = [
    "number",
    "holder",
    "on",
    "yes",
    "_x",
    "a1",
    "events",
    "services",
    "note",
    "1a",
    "a b",
    "a-b",
    "number",
]
COMMENTS = ["", "  # a comment", " #", "#not a comment", "   # 注释 `x` 'q' &*!"]


def document(pick: Callable[[Sequence[Any]], Any]) -> str:
    """A YAML text in and around the plain subset, as people write licence files; `pick`
    chooses among options (hypothesis, or a seeded random)."""
    out: list[str] = []
    if pick([True, False]):
        out.append(pick(["# Licence (FICTIONAL)", "", "  # indented comment", "---"]))

    def mapping(indent: int, depth: int, first_prefix: str = "") -> None:
        for n in range(pick([1, 2, 3, 4])):
            pad = first_prefix if n == 0 and first_prefix else " " * indent
            key = pick([f"key_{n}", f"key_{n}", pick(KEYS)])
            shape = pick(["scalar", "scalar", "scalar", "scalar", "map", "list", "empty", "odd"])
            if depth >= 3 and shape in ("map", "list"):
                shape = "scalar"
            if shape == "scalar":
                out.append(f"{pad}{key}: {pick([pick(PLAIN), pick(PLAIN), pick(SCALARS)])}{pick(COMMENTS)}")
            elif shape == "empty":
                out.append(f"{pad}{key}:{pick(COMMENTS)}")
            elif shape == "map":
                out.append(f"{pad}{key}:")
                mapping(indent + pick([2, 2, 4, 1]), depth + 1)
            elif shape == "list":
                out.append(f"{pad}{key}:")
                inner = indent + pick([2, 2, 4, 0])
                for _ in range(pick([1, 2, 3])):
                    kind = pick(["map", "scalar", "flow"])
                    if kind == "map":
                        mapping(inner + 2, depth + 1, first_prefix=" " * inner + pick(["- ", "-  "]))
                    elif kind == "flow":
                        out.append(
                            f"{' ' * inner}- {{obligation: x, on: {pick([pick(PLAIN), pick(SCALARS)])}}}"
                        )
                    else:
                        out.append(f"{' ' * inner}- {pick([pick(PLAIN), pick(SCALARS)])}")
            else:  # what people get wrong or write unusually
                out.append(
                    pick(
                        [
                            f"{pad}{key}: first line",
                            f"{pad}  continued",
                            f"{pad}{key}:value",
                            f"{pad}{key} : value",
                            f"{pad}\t{key}: tab",
                            f"{pad}{key}: |",
                            f"{pad}  block text",
                            f"{pad}- level with the key",
                            f"{pad}{key}: x\r",
                            "",
                            f"{pad}# a comment line",
                        ]
                    )
                )

    mapping(0, 0)
    return "\n".join(out) + pick(["\n", "", "\n\n", "\n# end\n"])


@st.composite
def documents(draw: st.DrawFn) -> str:
    return document(lambda options: draw(st.sampled_from(options)))


def parser(text: str, path: Path = HERE) -> str:
    """The YAML parser's reading (see `reading`), or its error."""
    try:
        return reading(yamlfile.parse_text(text, path))
    except DataFileError as exc:
        return f"error: {exc}"


def reading(found: tuple[Any, ...]) -> str:
    """A reading as text, so that it is compared exactly: `True == 1` and `1 == 1.0` in Python,
    and dicts compare without their order. The lines in their order too; no problems noted."""
    data, lines, *problems = found
    return repr((data, list(lines.items()), *problems))


@settings(max_examples=1500, deadline=None)
@given(documents())
def test_where_the_plain_subset_answers_it_reads_what_the_parser_reads(text: str) -> None:
    quick = yamlfile.plain_subset(text)
    if quick is None:
        return
    assert parser(text) == reading((*quick, []))


def test_generated_documents_are_often_in_the_plain_subset() -> None:
    """Not a vacuous comparison: many generated documents are read by the shortcut, and many are not."""
    rng = random.Random(17)
    texts = [document(rng.choice) for _ in range(300)]
    read = sum(yamlfile.plain_subset(t) is not None for t in texts)
    assert 60 < read < 240  # 78 of 300 when written


@pytest.mark.parametrize(
    "text",
    [
        "number: B2-1\nholder: 甲\n",
        "a:\n  b:\n    c: 1\n  d: [] # none\ne:\n  - {x: 2024-05-01, note: 处置, on: 1}\n  -   y: 1\n      z: ~\n",
        "# c\n\n  # c2\nlist:\n  - 全国\n  - 2024-05-01\n  - yes\n  - true\nempty:\nlast: {}\n",
        "a: b\n   # an indented comment\nc: d\n",
        "a: # a comment, then the value\n  b: 1\nc:   # nothing\nd: e#f # g\n",
        "k" * 1024 + ": x\n",  # the longest key libyaml takes
        "t: true\nf: false\nn: 1\n",  # a boolean stays a boolean, not 1 or 0
    ],
)
def test_plain_documents_are_read_without_the_parser(text: str) -> None:
    quick = yamlfile.plain_subset(text)
    assert quick is not None
    assert parser(text) == reading((*quick, []))


@pytest.mark.parametrize(
    "text",
    [
        "a: 'x'\n",  # quoted
        "a: 030\n",  # a number the reader reports
        "a: 2024-02-30\n",  # a date that does not exist
        "a: first\n  continued\n",  # a value on two lines
        "a:\n- x\n",  # a list level with its key
        "a: 1\na: 2\n",  # a key twice: the parser's error names the line
        "a: |\n  text\n",  # a block scalar
        "a: 1\r\nb: 2\r\n",  # Windows line ends
        "  a: 1\n",  # an indented root
        "- a\n",  # not a mapping
        "a: x\n---\nb: y\n",  # two documents
        "a: &x 1\nb: *x\n",
        "a: 1.5\n",
        "a: {b: c: d}\n",  # flow mappings the parser refuses
        "a: {b: x #y}\n",
        "a:\n  - {b: 1, b: 2}\n",
        "a: {b: 1,}\n",
        "a: {b: c:d}\n",  # read by the parser as c:d, but a colon in a flow value is left to it
        "a: {b: c?}\n",  # PyYAML's own parser (where libyaml is missing) ends a flow value at ?
        "k" * 1025 + ": x\n",  # libyaml refuses a key of more than 1024 characters
        "a:\n  - {" + "k" * 1025 + ": x}\n",
    ],
)
def test_what_only_the_parser_reads_is_left_to_it(text: str) -> None:
    assert yamlfile.plain_subset(text) is None


def test_the_characters_left_to_the_parser_are_those_outside_what_yaml_reads_plainly() -> None:
    """_NOT_PLAIN names the few characters it matches; it is the set that is none of the line
    break, the printable ASCII and the printable Unicode YAML reads (without NEL, LS, PS and the
    byte-order mark), checked on every code point."""
    import re

    outside = re.compile(
        r"[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    )
    differ = [
        c for c in range(0x110000) if bool(outside.match(chr(c))) != bool(yamlfile._NOT_PLAIN.match(chr(c)))
    ]
    assert differ == []
    assert all(yamlfile._NOT_PLAIN.match(c) for c in "\t\r\x85\u2028\u2029\ufeff\x00")


def test_every_yaml_file_of_the_project_reads_the_same_both_ways() -> None:
    read = 0
    for path in sorted(REPO.rglob("*.y*ml")):
        if ".git" in path.parts or ".venv" in path.parts:
            continue
        text = path.read_bytes().decode("utf-8-sig")
        quick = yamlfile.plain_subset(text)
        if quick is not None:
            read += 1
            assert parser(text, path) == reading((*quick, [])), path
    assert yamlfile.plain_subset(BUNDLED.read_text(encoding="utf-8")) is not None
    assert read >= 1


def test_the_benchmarks_licence_files_are_read_both_ways_alike(bench: Any, tmp_path: Path) -> None:
    bench.write_portfolio(tmp_path, 300)
    for path in sorted(tmp_path.iterdir()):
        text = path.read_text(encoding="utf-8")
        quick = yamlfile.plain_subset(text)
        assert quick is not None, path.name
        assert parser(text, path) == reading((*quick, []))


def test_a_licence_the_shortcut_reads_names_the_same_lines_in_its_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plain file the model refuses: the error lines (file:line) are those the parser's
    reading gives."""
    text = BUNDLED.read_text(encoding="utf-8")
    rng = random.Random(17)
    broken = text.replace(
        "valid_until: 2026-01-21", "valid_until: 2019-01-21\nvalid_unti: 2026-01-21"
    ).replace("number: B2-20210247", f"number: B2-2021024{rng.randrange(10)}\nsheme_version: 2")
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    assert yamlfile.plain_subset(broken) is not None
    with pytest.raises(DataFileError) as quick:
        loader.load_license(path)
    monkeypatch.setattr(yamlfile, "plain_subset", lambda text: None)
    with pytest.raises(DataFileError) as parsed:
        loader.load_license(path)
    assert str(quick.value) == str(parsed.value)
    assert f"{path}:" in str(quick.value)
