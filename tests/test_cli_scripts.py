"""What scripts and shells rely on: JSON that matches its published schema, one status set,
jq, closed pipes, --quiet for cron, completion, negative N, help that fits 80 columns."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import BUNDLED, licence_text, run, run_process

CALENDAR_LICENCE = Path(__file__).parent / "data" / "calendar-licence.yaml"

NOW = {"LICENSECLI_NOW": "2026-11-28T10:00:00+08:00"}


def schema_of(name: str) -> Draft202012Validator:
    result = run("schema", "--output", name)
    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def assert_valid(name: str, document: Any) -> None:
    errors = sorted(schema_of(name).iter_errors(document), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def json_of(*args: str) -> Any:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --- every --json document matches its published schema ----------------------------------------


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("deadlines", ["deadlines", "--json", "--as-of", "2026-11-28"]),
        ("deadlines", ["deadlines", "--json", "--as-of", "2025-06-01", "--all"]),
        ("due", ["due", "renewal-application", "--json", "--explain"]),
        ("due", ["due", "9", "--on", "2026-02-12", "--json"]),
        # 2026, not 2027: R10, the bundled licence owes no 2027 report (not valid on 2026-12-31).
        ("due", ["due", "annual-report", "--year", "2026", "--json"]),
        ("due", ["due", "network-security-filing", "--json"]),
        ("show", ["show", "--json"]),
        ("validate", ["validate", "--json"]),
        ("renew-check", ["renew-check", "--json", "--as-of", "2025-06-01"]),
        ("renew-check", ["renew-check", "--json", "--as-of", "2026-11-28"]),
        ("check", ["check", "--json", "--as-of", "2026-11-28"]),
        ("check", ["check", "--json", "--as-of", "2025-06-01"]),
        ("workdays-is", ["workdays", "is", "2026-02-14", "--json"]),
        ("workdays-add", ["workdays", "add", "2026-12-25", "10", "--json"]),
        ("workdays-count", ["workdays", "count", "2026-09-30", "2026-10-12", "--json"]),
        ("holidays", ["holidays", "--json", "--as-of", "2026-11-28"]),
        ("holidays-year", ["holidays", "2026", "--json"]),
        ("holidays-year", ["holidays", "2027", "--json"]),
        ("calendar", ["calendar", "2026-10", "--json", "-l", str(CALENDAR_LICENCE), "--as-of", "2026-09-01"]),
        ("calendar", ["calendar", "2027-02", "--json", "--as-of", "2026-11-28"]),
    ],
)
def test_json_output_matches_its_schema(name: str, args: list[str]) -> None:
    result = run(*args)
    document = json.loads(result.stdout)
    # renew-check's exit code is its status (2: the bundled licence expired on 2026-01-21).
    assert result.exit_code == document.get("exit_code", 0), result.stderr
    assert document["schema_version"] == 1
    assert next(iter(document)) == "schema_version"
    assert_valid(name, document)


def test_renew_check_unknown_json_matches_its_schema(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    for args in (["-w", "abc"], ["/no/such.yaml"], [str(BUNDLED), str(copy)]):
        result = run("renew-check", "--json", *args)
        assert result.exit_code == 3, args
        document = json.loads(result.stdout)
        assert document["status"] == "UNKNOWN" and document["message"]
        assert_valid("renew-check", document)


def test_a_schema_rejects_a_wrong_document() -> None:
    document = json_of("deadlines", "--json", "--as-of", "2026-11-28")
    document["deadlines"][0]["status"] = "late"
    with pytest.raises(AssertionError):
        assert_valid("deadlines", document)


def test_batch_lines_match_their_schema(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"obligation": "9", "on": "2026-11-20"}\n{"obligation": "nope"}\n', encoding="utf-8"
    )
    result = run("due", "--batch", str(questions))
    assert result.exit_code == 1
    answer, error = (json.loads(line) for line in result.stdout.splitlines())
    assert answer["due_date"] == "2026-12-04"
    assert error["line"] == 2
    for line in (answer, error):
        assert_valid("due-batch-line", line)


def test_show_json_has_one_shape_for_one_licence_or_many(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(licence_text(number="B2-20990001"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(licence_text(number="B2-20990002"), encoding="utf-8")
    one = json_of("show", "--json")
    two = json_of("show", "--json", str(tmp_path))
    assert list(one) == list(two) == ["schema_version", "licenses"]
    assert [lic["number"] for lic in two["licenses"]] == ["B2-20990001", "B2-20990002"]
    assert_valid("show", two)


def test_validate_json_lists_the_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(licence_text(valid_until="2026-02-30"), encoding="utf-8")
    result = run("validate", "--json", str(bad))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["valid"] is False and document["files"] == 1
    (problem,) = document["problems"]
    assert problem.startswith(f"{bad}:") and "'2026-02-30' is not a real date" in problem
    assert_valid("validate", document)


def test_unknown_schema_name_is_a_usage_error() -> None:
    result = run("schema", "--output", "nope")
    assert result.exit_code == 2
    assert "'nope' is not a document here" in result.stderr


# --- one status set --------------------------------------------------------------------------


def test_expired_licence_and_missed_renewal_have_their_own_statuses() -> None:
    # 2025-12-01: the filing deadline 2025-10-23 passed with no filing recorded, the licence still
    # valid: missed. 2026-11-28: it expired on 2026-01-21 and lapsed; the expiry says so, and the
    # renewal deadline is only passed (missed until the licence is renewed or lapses).
    document = json_of("deadlines", "--json", "--as-of", "2025-12-01")
    statuses = {d["obligation"]: d["status"] for d in document["deadlines"]}
    assert (statuses["renewal-application"], statuses["license-expiry"]) == ("missed", "upcoming")
    assert "MISSED" in run("deadlines", "--as-of", "2025-12-01").stdout
    document = json_of("deadlines", "--json", "--as-of", "2026-11-28")
    statuses = {d["obligation"]: d["status"] for d in document["deadlines"]}
    assert (statuses["renewal-application"], statuses["license-expiry"]) == ("passed", "expired")
    assert "EXPIRED" in run("deadlines", "--as-of", "2026-11-28").stdout


def test_readme_jq_filter_finds_what_needs_attention() -> None:
    jq = shutil.which("jq")
    if jq is None:
        pytest.skip("jq is not installed (.ci/run installs it)")
    for day, expected in (("2025-12-01", ["renewal-application"]), ("2026-11-28", ["license-expiry"])):
        produced = run_process("deadlines", "--json", "--as-of", day)
        assert produced.returncode == 0
        filtered = subprocess.run(
            [jq, "-r", '.deadlines[] | select(.status | IN("overdue", "missed", "expired")) | .obligation'],
            input=produced.stdout,
            capture_output=True,
            text=True,
            check=True,
        )
        assert filtered.stdout.split() == expected


# --- closed pipes ------------------------------------------------------------------------------


def _pipe_to_head(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    script = f'{command} | head -1 >/dev/null; echo "status=${{PIPESTATUS[0]}}"'
    return subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=cwd, timeout=120, check=False
    )


def test_a_closed_pipe_ends_a_batch_quietly(tmp_path: Path) -> None:
    lines = "".join(
        f'{{"obligation": "9", "on": "2026-{m:02d}-{d:02d}"}}\n' for m in range(1, 13) for d in range(1, 29)
    )
    (tmp_path / "q.jsonl").write_text(
        lines * 20, encoding="utf-8"
    )  # ~6,700 answers: far past a pipe's buffer
    result = _pipe_to_head(f"{sys.executable} -m licensecli due --batch q.jsonl", tmp_path)
    assert result.stdout.strip() == "status=141"
    assert result.stderr == ""


def test_a_closed_pipe_ends_a_table_quietly(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        (folder / f"l{i:03d}.yaml").write_text(licence_text(number=f"B2-2099{i:04d}"), encoding="utf-8")
    result = _pipe_to_head(f"{sys.executable} -m licensecli show many", tmp_path)
    assert result.stdout.strip() == "status=141"
    assert result.stderr == ""


# --- --quiet for cron --------------------------------------------------------------------------


def test_quiet_deadlines_prints_nothing_when_nothing_needs_attention() -> None:
    # 2025-05-01: renewal filing 2025-10-23 and expiry 2026-01-21 are months away, the 2025 annual
    # report window has closed and the 2026 one is far off.
    result = run("deadlines", "--quiet", "--as-of", "2025-05-01")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == ""


def test_quiet_deadlines_prints_the_table_but_no_warning_when_something_is_due(tmp_path: Path) -> None:
    # The bundled licence lapsed in 2026 and owes nothing in 2027 (R10); a licence valid until
    # 2027-06-30 has its 2027 report window open on 2027-03-01, a date estimated (2027 unpublished).
    path = tmp_path / "lic.yaml"
    path.write_text(licence_text(valid_until="2027-06-30"), encoding="utf-8")
    loud = run("deadlines", "--as-of", "2027-03-01", str(path))
    assert "warning: no published holiday schedule for 2027" in loud.stderr
    quiet = run("deadlines", "--quiet", "--as-of", "2027-03-01", str(path))
    assert quiet.exit_code == 0
    assert quiet.stderr == ""
    # The same table; its footnote does not send the reader to a warning --quiet left out.
    assert "(see the warning on stderr)" in loud.stdout
    assert quiet.stdout == loud.stdout.replace(" (see the warning on stderr).", ".")


# --- messages ----------------------------------------------------------------------------------


def test_no_none_in_the_message_for_a_duty_without_a_period() -> None:
    result = run("due", "network-security-filing", "--on", "2026-03-02")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: network-security-filing has no fixed period to count (promptly); give no event date (--on)\n"
    )


# --- shell -------------------------------------------------------------------------------------


def _complete(shell: str, words: str, **extra: str) -> str:
    env = {"_LICENSECLI_COMPLETE": f"complete_{shell}", **extra}
    if shell == "bash":
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": words}
    result = run_process(env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_bash_completes_an_obligation_id() -> None:
    # 九 has illegal-info-handling then illegal-info-report; 十五（十一） illegal-app-handling.
    assert _complete("bash", "licensecli due ill").split() == [
        "illegal-info-handling",
        "illegal-info-report",
        "illegal-app-handling",
    ]


def test_zsh_completes_clause_references_with_their_titles() -> None:
    out = _complete("zsh", "licensecli due 15.")
    assert '"15.8":"' in out
    assert '"renewal-application"' not in out


def test_fish_completes_from_the_licence_named_with_l(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(
        # The full format: the bundled file refers to the template and holds no obligation ids.
        licence_text().replace("renewal-application", "renewal-filing"),
        encoding="utf-8",
    )
    out = _complete("fish", f"licensecli due -l {other} ren", _TYPER_COMPLETE_FISH_ACTION="get-args")
    assert out.split("\t")[0] == "renewal-filing"


def test_completion_scripts_are_offered() -> None:
    for shell in ("bash", "zsh", "fish"):
        result = run_process("--show-completion", shell)
        assert result.returncode == 0, result.stderr
        assert "_LICENSECLI_COMPLETE" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        # 10-08 is the first working day back; 09-25…09-27 are 中秋 (2026 notice), so the fifth
        # working day before 10-09 is 09-24.
        (["2026-10-09", "-5"], "2026-10-09 - 5 working days = 2026-09-24 (Thu)\n"),
        (["--", "2026-10-09", "-5"], "2026-10-09 - 5 working days = 2026-09-24 (Thu)\n"),
        # 10-10 is an adjusted working Saturday.
        (["2026-10-12", "-1"], "2026-10-12 - 1 working day = 2026-10-10 (Sat)\n"),
    ],
)
def test_workdays_add_counts_back_without_a_double_dash(args: list[str], expected: str) -> None:
    result = run("workdays", "add", *args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected


def test_an_unknown_option_is_still_refused_by_workdays_add() -> None:
    result = run("workdays", "add", "2026-10-09", "3", "--bogus")
    assert result.exit_code == 2


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


COMMANDS = [
    [],
    ["show"],
    ["validate"],
    ["schema"],
    ["deadlines"],
    ["due"],
    ["export"],
    ["report"],
    ["renew-check"],
    ["check"],
    ["holidays"],
    ["holidays", "show"],
    ["holidays", "import"],
    ["holidays", "diff"],
    ["init"],
    ["event"],
    ["event", "add"],
    ["event", "done"],
    ["event", "list"],
    ["event", "remove"],
    ["renewal"],
    ["renewal", "filed"],
    ["renewal", "granted"],
    ["workdays"],
    ["workdays", "is"],
    ["workdays", "add"],
    ["workdays", "count"],
    ["calendar"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "licensecli")
def test_help_fits_80_columns_and_shows_no_python_types(command: list[str]) -> None:
    result = run_process(*command, "--help", env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    wide = [line for line in result.stdout.splitlines() if _width(line) > 80]
    assert wide == []
    assert "<list[" not in result.stdout and "<Path>" not in result.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", [40, 60, 80, 100, 140])
def test_tables_fit_the_terminal_and_never_break_an_id(columns: int, lang: str) -> None:
    document = json_of("deadlines", "--json", "--all", "--as-of", "2026-11-28")
    ids = [d["obligation"] for d in document["deadlines"]] + [
        r["obligation"] for r in document["event_rules"]
    ]
    assert "provincial-license-cancellation" in ids and "registration-change-application" in ids
    table = run_process(
        "deadlines",
        "--all",
        "--as-of",
        "2026-11-28",
        "--lang",
        lang,
        env={"COLUMNS": str(columns), "NO_COLOR": "1"},
    )
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert max(_width(line) for line in lines) <= columns
    # A table row that rich had to crop loses its right border.
    rows = [line.rstrip() for line in lines if line.startswith(("│", "┃", "┏", "┡", "└"))]
    assert all(row.endswith(("│", "┃", "┓", "┩", "┘")) for row in rows), rows
    for obligation in ids:
        assert obligation in table.stdout, obligation


def test_env_is_not_leaking_between_tests() -> None:
    assert "LICENSECLI_LICENSE" not in os.environ
