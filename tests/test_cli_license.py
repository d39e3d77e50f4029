"""`show`, `validate`, `schema` and `--version` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from licensecli import __version__

from .conftest import BUNDLED, licence_text, run


def test_show_prints_the_licence_and_all_clauses() -> None:
    result = run("show")
    assert result.exit_code == 0
    assert "B2-20210247" in result.stdout and "北京怡生乐居信息服务有限公司" in result.stdout
    for ref in ("一", "十四", "十五（八）", "十五（十四）"):
        assert f"│ {ref} " in result.stdout
    assert result.stderr == ""


def test_show_json_is_the_model() -> None:
    result = run("show", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    (data,) = data["licenses"]
    assert data["number"] == "B2-20210247"
    assert data["valid_until"] == "2026-01-21"
    assert data["clause_count"] == 30
    assert len(data["clauses"]) == 17


def test_show_uses_the_license_env(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(licence_text(number="B2-20990001"), encoding="utf-8")
    result = run("show", "--json", env={"LICENSECLI_LICENSE": str(other)})
    assert json.loads(result.stdout)["licenses"][0]["number"] == "B2-20990001"


def test_validate_ok() -> None:
    result = run("validate", str(BUNDLED))
    assert result.exit_code == 0
    assert result.stdout == "1 file valid\n"


def test_validate_bad_file_exits_1_with_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(licence_text(valid_until="20260121", holder=""), encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[-1] == "2 problems found"
    assert all(line.startswith(f"{bad}:") for line in lines[:-1])
    assert "Traceback" not in result.stderr


def test_a_bad_file_in_show_is_one_error_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a list\n", encoding="utf-8")
    result = run("show", str(bad))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bad}:1: a licence file is a mapping")
    assert result.stderr.count("\n") == 1


def test_schema_describes_the_licence_file() -> None:
    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert "valid_until" in schema["required"] and "clauses" in schema["properties"]
    assert schema["additionalProperties"] is False


def test_version() -> None:
    result = run("--version")
    assert result.stdout.strip() == f"licensecli {__version__}"


def test_unknown_option_is_a_usage_error() -> None:
    result = run("show", "--nope")
    assert result.exit_code == 2


def test_the_program_builds_only_the_invoked_command_and_falls_back() -> None:
    from .conftest import run_process

    ok = run_process("workdays", "is", "2026-02-14", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["kind"] == "adjusted_workday"
    unknown = run_process("nope")
    assert unknown.returncode == 2 and "No such command 'nope'" in unknown.stderr
    bad_option = run_process("renew-check", "--bogus")
    assert bad_option.returncode == 3 and bad_option.stdout.startswith("LICENSE UNKNOWN - bad usage")
    assert run_process("--version").stdout.strip() == f"licensecli {__version__}"


def test_validate_refuses_what_the_computing_commands_refuse_today(tmp_path: Path) -> None:
    now = {"LICENSECLI_NOW": "2026-11-28T10:00:00+08:00"}
    future = tmp_path / "future.yaml"
    # Valid until 2027-01-21: the filing deadline is 2026-10-23, so a filing on 2026-12-01 would
    # be late but possible — except that 2026-12-01 has not come yet.
    future.write_text(licence_text(valid_until="2027-01-21", renewal_filed_on="2026-12-01"), encoding="utf-8")
    late = tmp_path / "late.yaml"
    # 30 days after 2099-12-20 runs past the calendar's last day, 2099-12-31.
    late.write_text(
        # valid_until 2099-12-31: the event must fall while the licence is valid.
        licence_text(valid_until="2099-12-31").replace(
            "events: []", "events:\n  - {obligation: entity-change-application, on: 2099-12-20}"
        ),
        encoding="utf-8",
    )
    for path, message in (
        (
            future,
            "renewal_filed_on: 2026-12-01 is in the future (after 2026-11-28); record the filing once it has happened",
        ),
        (
            late,
            "events[0].on: the deadline of this event (2099-12-20) would fall after 2099-12-31, where the calendar ends; it cannot be dated",
        ),
    ):
        result = run("validate", str(path), env=now)
        assert result.exit_code == 1
        line = result.stderr.splitlines()[0]
        assert line.startswith(f"{path}:") and line.endswith(message), line
        assert run("deadlines", str(path), env=now).exit_code == 1


@pytest.mark.parametrize("count", [0, 1, 2])
def test_streamed_show_json_is_the_document_json_dumps_would_write(count: int) -> None:
    import io

    from licensecli.loader import load_license
    from licensecli.output import documents

    licenses = [load_license(BUNDLED)] * count
    streamed = io.StringIO()
    documents.write_show_json(licenses, streamed)
    whole = {"schema_version": 1, "licenses": [documents.license_json(lic) for lic in licenses]}
    assert streamed.getvalue() == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
