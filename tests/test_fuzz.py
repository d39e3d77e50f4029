"""Fuzzing with hypothesis: random, often broken, licence documents and random command lines.

The process must never raise an unhandled exception, never print a traceback or an internal
error, and never exit with a code outside the contract. CI runs a small number of examples; for a
longer run:

    LICENSECLI_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import BUNDLED, run

EXAMPLES = int(os.environ.get("LICENSECLI_FUZZ_EXAMPLES", "40"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=False
)
VALID: dict[str, Any] = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.text(max_size=20),
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)),
    st.sampled_from(["2026-02-30", "after", "workdays_after", "window", "event", "valid_until", "-1"]),
)
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node[:4]):
            found += _paths(value, (*prefix, i))
    return found


PATHS = _paths(VALID)[1:]


@st.composite
def broken_licences(draw: st.DrawFn) -> str:
    """The bundled licence with a few random edits, or random YAML, or random text."""
    kind = draw(st.sampled_from(["edit", "edit", "edit", "yaml", "text"]))
    if kind == "text":
        return draw(st.text(max_size=200))
    if kind == "yaml":
        return yaml.safe_dump(draw(values), allow_unicode=True)
    import copy

    data = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = data
        try:
            for step in path[:-1]:
                parent = parent[step]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(values)
        except (KeyError, IndexError, TypeError):
            continue
    return yaml.safe_dump(data, allow_unicode=True)


COMMANDS = [
    ["show"],
    ["show", "--json"],
    ["validate"],
    ["deadlines"],
    ["deadlines", "--json", "--all"],
    ["due", "renewal-application", "-l"],
    ["due", "9", "--on", "2026-02-12", "--explain", "-l"],
    ["renew-check"],
    ["renew-check", "--format", "prometheus"],
]
ALLOWED = {"renew-check": {0, 1, 2, 3}}


def check_result(args: list[str], result: Any) -> None:
    allowed = ALLOWED.get(args[0], {0, 1, 2})
    assert result.exit_code in allowed, (args, result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, (args, result.stderr)
    if args[0] == "renew-check" and "--help" not in args:
        assert result.exit_code != 2 or "CRITICAL" in result.stdout, (args, result.stdout)


@SETTINGS
@given(broken_licences(), st.sampled_from(COMMANDS))
def test_random_licence_documents(text: str, command: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lic.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))  # lone surrogates: not UTF-8
        result = run(*command, str(path))
    check_result(command, result)


TOKENS = st.sampled_from(
    [
        "deadlines",
        "due",
        "renew-check",
        "workdays",
        "is",
        "add",
        "count",
        "holidays",
        "show",
        "validate",
        "schema",
        "export",
        "--json",
        "--all",
        "--within",
        "--as-of",
        "--on",
        "--year",
        "--explain",
        "--lang",
        "zh",
        "en",
        "xx",
        "--strict-calendar",
        "--holidays",
        "/nonexistent",
        "-w",
        "-c",
        "--quiet",
        "--format",
        "ics",
        "csv",
        "prometheus",
        "-o",
        "-",
        "--batch",
        "--remind",
        "2026-02-30",
        "2026-01-21",
        "2027-12-25",
        "2003-01-01",
        "1999",
        "2027",
        "10",
        "-5",
        "0",
        "1000000000",
        "9",
        "十五（八）",
        "12",
        "renewal-application",
        "--",
        "-l",
        "--soon",
        "--help",
    ]
)


@SETTINGS
@given(st.lists(st.one_of(TOKENS, st.text(max_size=12)), min_size=1, max_size=7))
def test_random_command_lines(args: list[str]) -> None:
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)  # an export with a random -o lands here, not in the repository
        try:
            result = run(*args, input="")
        finally:
            os.chdir(here)
    check_result(args, result)
