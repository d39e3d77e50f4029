"""The examples in the README, the docs and --help are files licensecli accepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import run

REPO = Path(__file__).resolve().parents[1]


def holiday_examples() -> list[tuple[str, str]]:
    found = []
    for doc in ("README.md", "docs/holiday-file.md"):
        for block in re.findall(r"```yaml\n(.*?)```", (REPO / doc).read_text(encoding="utf-8"), re.S):
            if "\nyears:" in "\n" + block:
                found.append((doc, block))
    help_text = run("holidays", "--help").stdout
    block = help_text[help_text.index("# FICTIONAL") : help_text.index("春节调休}") + len("春节调休}")]
    found.append(
        (
            "holidays --help",
            "\n".join(
                line.strip()
                if line.strip().startswith(("#", "source", "years", "days_off", "working_days"))
                else line
                for line in block.splitlines()
            )
            + "\n",
        )
    )
    return found


@pytest.mark.parametrize(
    ("where", "text"), holiday_examples(), ids=lambda v: v if v.endswith(("md", "help")) else ""
)
def test_holiday_file_examples_are_valid(tmp_path: Path, where: str, text: str) -> None:
    path = tmp_path / "2027.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", "--holidays", str(path))
    assert result.exit_code == 0, (where, result.stderr)
    # And the schedule is read as written: 2027-02-20 is a working Saturday, 2027-02-08 a day off.
    saturday = run("workdays", "is", "2027-02-20", "--holidays", str(path), "--json")
    assert '"kind": "adjusted_workday"' in saturday.stdout
    assert "FICTIONAL" in text
