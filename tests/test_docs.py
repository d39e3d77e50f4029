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
    help_text = run("holidays", "show", "--help").stdout
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


def test_statuses_and_states_are_one_set_everywhere() -> None:
    """Issue 13: one enumerated set of statuses (and of licence states): the engine's values, the
    table words, the JSON Schemas and the documented tables all list the same ones."""
    import json
    import typing

    from licensecli.engine import Status
    from licensecli.life import State
    from licensecli.output.tables import STATUS_STYLES
    from licensecli.output.words import STATE_LABELS, STATUS_LABELS

    statuses = set(typing.get_args(Status))
    assert set(STATUS_LABELS) == statuses == set(STATUS_STYLES)
    schema = json.loads((REPO / "data" / "schemas" / "deadlines.schema.json").read_text(encoding="utf-8"))
    deadline = schema["properties"]["deadlines"]["items"]["properties"]
    assert set(deadline["status"]["enum"]) == statuses
    documented = (REPO / "docs" / "commands.md").read_text(encoding="utf-8")
    table = documented[documented.index("## Deadline statuses") : documented.index("## JSON output")]
    for status in statuses:
        en, zh = STATUS_LABELS[status]
        assert f"| `{status}` | {en} / {zh} |" in table
    states = set(typing.get_args(State))
    assert set(STATE_LABELS) == states
    assert set(schema["properties"]["licenses"]["items"]["properties"]["state"]["enum"]) == states
    for state in states:
        en, zh = STATE_LABELS[state]
        assert f"`{state}` / {zh}" in table
