"""The man page is generated from --help and must be current; it renders with man(1)."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from licensecli.cli import manpage

PAGE = Path(__file__).resolve().parents[1] / "docs" / "licensecli.1"


def test_man_page_is_current() -> None:
    assert PAGE.read_text(encoding="utf-8") == manpage.render(), (
        "docs/licensecli.1 is stale: python -m licensecli.cli.manpage > docs/licensecli.1"
    )


def test_man_page_names_every_command() -> None:
    text = manpage.render()
    for command in ("show", "validate", "schema", "deadlines", "due", "export", "renew-check", "holidays"):
        assert f"\n.SS {command}\n" in text
    for sub in ("is", "add", "count"):
        assert f"\n.SS workdays {sub}\n" in text


def test_man_page_renders_without_warnings() -> None:
    man = shutil.which("man")
    if man is None:
        pytest.skip("man is not installed")
    result = subprocess.run(
        [man, "--warnings", "-l", str(PAGE)],
        capture_output=True,
        text=True,
        env={"MANWIDTH": "80", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "licensecli workdays add 2026-10-09 -5" in result.stdout
    assert result.stderr == ""
    wide = [line for line in result.stdout.splitlines() if _width(line) > 80]
    assert wide == []


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
