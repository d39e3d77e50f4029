"""`deadlines` and `due` through the command line: golden tables, exact JSON, batch, errors.

Golden files live in tests/golden/. After a reviewed change to the output, regenerate them with
    LICENSECLI_UPDATE_GOLDEN=1 python -m pytest tests/test_cli_deadlines.py
and read the diff before committing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import licence_text, run

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("LICENSECLI_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}; set LICENSECLI_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("deadlines-2026-11-28", ["deadlines", "--as-of", "2026-11-28"]),
        ("deadlines-2025-10-01", ["deadlines", "--as-of", "2025-10-01"]),
        ("due-11-explain", ["due", "11", "--on", "2025-12-02", "--explain"]),
        ("due-9-explain", ["due", "9", "--on", "2026-02-12", "--explain"]),
        ("due-renewal-explain", ["due", "renewal-application", "--explain"]),
    ],
)
def test_golden_output(name: str, args: list[str], lang: str) -> None:
    result = run(*args, "--lang", lang, env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    check_golden(f"{name}.{lang}.txt", result.stdout)


def test_deadlines_json_is_exact() -> None:
    result = run("deadlines", "--as-of", "2025-06-01", "--json", "--within", "150")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["as_of"] == "2025-06-01"
    assert data["calendar"] == {"estimated_years": [], "holiday_files": []}
    (renewal,) = data["deadlines"]
    steps = renewal.pop("steps")
    assert renewal == {
        "license": "B2-20210247",
        "obligation": "renewal-application",
        "clause": "十二",
        "title": {"zh": "提出续办申请", "en": "File the renewal application"},
        "due_date": "2025-10-23",
        "weekday": "Thu",
        "days_left": 144,
        # June 20 (06-02 is Dragon Boat), July 23, August 21, September 22 + Sun 09-28 adjusted,
        # October 09, 10, Sat 11 adjusted, 13–17, 20–23 = 12: 20 + 23 + 21 + 23 + 12.
        "working_days_left": 99,
        "working_days_left_estimated": False,
        "status": "upcoming",
        "estimated": False,
        "window_start": None,
        "grace_until": None,
        "due_at": None,
        "event_date": None,
        "event_at": None,
        "done_on": None,
        "source": "license",
        "basis": [],
        "rule": {
            "kind": "before",
            "days": 90,
            "unit": "days",
            "rollover": "backward",
            "anchor": "valid_until",
        },
    }
    assert [s["rule"] for s in steps] == ["R5", "R6"]
    assert {r["obligation"] for r in data["event_rules"]} >= {"illegal-info-report", "major-incident-report"}


def test_deadlines_today_shows_the_lapsed_licence_with_no_2027_report() -> None:
    # R10: the bundled licence lapsed on 2026-01-21, so it was not valid on 2026-12-31 and owes
    # no 2027 report: nothing rests on 2027's unpublished schedule, so no estimate warning.
    result = run("deadlines", "--json", env={"LICENSECLI_NOW": "2026-11-28T09:00:00+08:00"})
    data = json.loads(result.stdout)
    statuses = {d["obligation"]: (d["due_date"], d["status"], d["estimated"]) for d in data["deadlines"]}
    assert statuses == {
        "renewal-application": ("2025-10-23", "passed", False),  # missed only until the lapse
        "license-expiry": ("2026-01-21", "expired", False),
    }
    assert [(lic["number"], lic["state"]) for lic in data["licenses"]] == [("B2-20210247", "lapsed")]
    assert data["calendar"]["estimated_years"] == []
    # Nothing was estimated, but the data ends with 2026 and it is past 1 November 2026: one line
    # says that the 2027 schedule is missing and how to import it (issue 14).
    assert result.stderr.count("warning:") == 1
    assert "2027 holiday schedule is not known yet" in result.stderr
    assert "licensecli holidays import 2027.json" in result.stderr


def test_the_missing_next_year_is_said_from_1_november_only() -> None:
    # Data through 2026 (conftest): on 2026-10-31 nothing is said; from 2026-11-01 one line.
    for moment, lines in (("2026-10-31T23:00:00+08:00", 0), ("2026-11-01T00:30:00+08:00", 1)):
        result = run("deadlines", "--json", "--as-of", "2025-06-01", env={"LICENSECLI_NOW": moment})
        assert result.exit_code == 0
        assert result.stderr.count("warning:") == lines, (moment, result.stderr)
        assert run("holidays", env={"LICENSECLI_NOW": moment}).stderr.count("warning:") == lines


def test_deadlines_today_marks_the_2027_estimate_on_stderr(tmp_path: Path) -> None:
    # A licence valid until 2027-06-30 owes the 2027 report (valid on 2026-12-31, R10), due
    # 2027-03-31 (Wed): R7 asks 2027's schedule, not published, so it is estimated.
    path = tmp_path / "lic.yaml"
    path.write_text(licence_text(valid_until="2027-06-30"), encoding="utf-8")
    result = run("deadlines", "--json", str(path), env={"LICENSECLI_NOW": "2026-11-28T09:00:00+08:00"})
    data = json.loads(result.stdout)
    statuses = {d["obligation"]: (d["due_date"], d["status"], d["estimated"]) for d in data["deadlines"]}
    assert statuses["annual-report"] == ("2027-03-31", "upcoming", True)
    assert data["calendar"]["estimated_years"] == [2027]
    assert result.stderr.count("warning:") == 1


def test_due_json_is_exact() -> None:
    result = run("due", "11", "--on", "2025-12-02", "--json")
    data = json.loads(result.stdout)
    assert [s["rule"] for s in data.pop("steps")] == ["R1", "R2", "R3"]
    assert data == {
        "schema_version": 1,
        "license": "B2-20210247",
        "obligation": "entity-change-application",
        "clause": "十一",
        "title": {"zh": "经营主体变更申请", "en": "Apply for a change of operating entity"},
        "event_date": "2025-12-02",
        "window_start": None,
        "due_date": "2026-01-04",
        "due_at": None,
        "grace_until": None,
        "estimated": False,
        "source": "license",
        "basis": [],
        "rule": {"kind": "after", "days": 30, "unit": "days", "rollover": "forward", "anchor": "event"},
    }


def test_json_survives_a_narrow_terminal_and_a_pipe() -> None:
    env = {**os.environ, "COLUMNS": "40", "LICENSECLI_NOW": "2026-11-28T12:00:00+08:00"}
    first = subprocess.run(
        [sys.executable, "-m", "licensecli", "deadlines", "--json"], capture_output=True, env=env, check=True
    )
    tool = subprocess.run(
        [sys.executable, "-m", "json.tool"], input=first.stdout, capture_output=True, check=True
    )
    assert json.loads(tool.stdout)["as_of"] == "2026-11-28"
    wide = subprocess.run(
        [sys.executable, "-m", "licensecli", "deadlines", "--json"],
        capture_output=True,
        env={**env, "COLUMNS": "250"},
        check=True,
    )
    assert wide.stdout == first.stdout


def test_recorded_event_in_a_licence_file(tmp_path: Path) -> None:
    path = tmp_path / "lic.yaml"
    events = "events:\n  - {obligation: illegal-info-report, on: 2026-11-20}"
    # The bundled licence lapsed on 2026-01-21: an event after that is refused.
    path.write_text(licence_text().replace("events: []", events), encoding="utf-8")
    refused = run("deadlines", str(path), "--as-of", "2026-11-28", "--json")
    assert (
        refused.exit_code == 1
        and "events[0].on" in refused.stderr
        and "after the licence lapsed" in refused.stderr
    )
    # On a licence valid then, the event is dated: 10 working days after 2026-11-20 (Fri).
    path.write_text(licence_text(valid_until="2031-01-21").replace("events: []", events), encoding="utf-8")
    data = json.loads(run("deadlines", str(path), "--as-of", "2026-11-28", "--json").stdout)
    found = [d for d in data["deadlines"] if d["obligation"] == "illegal-info-report"]
    assert [(d["due_date"], d["status"], d["event_date"]) for d in found] == [
        ("2026-12-04", "due_soon", "2026-11-20")
    ]


def test_batch_answers_in_order_with_error_lines(tmp_path: Path) -> None:
    lines = [
        {"obligation": "9", "on": "2026-02-12"},
        {"obligation": "nope", "on": "2026-02-12"},
        {"obligation": "11", "on": "2026-02-30"},
        {"obligation": "renewal-application"},
        {"obligation": "annual-report", "year": 2024},
        {"obligation": "11"},
    ]
    text = "\n".join(json.dumps(q) for q in lines) + "\nnot json\n"
    result = run("due", "--batch", "-", input=text)
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 7
    assert out[0]["due_date"] == "2026-03-04"
    assert out[1]["line"] == 2 and "neither an obligation id" in out[1]["error"]
    assert out[2]["line"] == 3 and "not a real date" in out[2]["error"]
    assert out[3]["due_date"] == "2025-10-23"
    assert out[4]["due_date"] == "2024-03-29"
    assert out[5]["line"] == 6 and "--on" in out[5]["error"]
    assert out[6]["line"] == 7 and out[6]["error"].startswith("not JSON")
    good = run("due", "--batch", "-", input=json.dumps(lines[0]) + "\n")
    assert good.exit_code == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["due", "nope"], 1, "neither an obligation id nor a clause"),
        (["due", "12"], 1, "has 2 obligations"),
        (["due", "9"], 1, "--on"),
        (["due", "9", "--on", "2026-02-30"], 1, "not a real date"),
        (["deadlines", "--as-of", "2026-13-01"], 1, "not a real date"),
        (["deadlines", "--as-of", "1999-01-01"], 1, "before 2004"),
        (["due"], 2, "OBLIGATION"),
        (["due", "9", "--batch", "-"], 2, "--batch"),
        (["deadlines", "--within", "x"], 2, "--within"),
    ],
)
def test_errors(args: list[str], code: int, message: str) -> None:
    result = run(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
