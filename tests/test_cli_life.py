"""A licence's life by command: init, event add/done/list/remove, renewal filed/granted.

Every expected date is counted by hand from docs/counting-rules.md (R1–R10) and the State
Council's 2025/2026 holiday notices; the counts are written next to the assertions.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from licensecli import loader

from .conftest import BUNDLED, licence_text, run, run_process


def now(day: str) -> dict[str, str]:
    """The environment that makes `day` today (10:00 China time)."""
    return {"LICENSECLI_NOW": f"{day}T10:00"}


SERVICE = "信息服务业务（不含互联网信息服务）:全国"


def init_args(path: str, *, issued: str, valid: str, number: str = "B2-20230701") -> list[str]:
    return [
        "init",
        path,
        "--number",
        number,
        "--holder",
        "示例信息服务有限公司",
        "--legal-representative",
        "张三",
        "--issued-on",
        issued,
        "--valid-until",
        valid,
        "--service",
        SERVICE,
    ]


def make_licence(path: str, *, issued: str, valid: str, today: str) -> Path:
    result = run(*init_args(path, issued=issued, valid=valid), env=now(today))
    assert result.exit_code == 0, result.stderr
    return Path(path).resolve()


def comments(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.lstrip().startswith("#")]


def events_json(path: Path, today: str) -> list[dict[str, Any]]:
    result = run("event", "list", "--json", "-l", str(path), env=now(today))
    assert result.exit_code == 0, result.stderr
    events: list[dict[str, Any]] = json.loads(result.stdout)["events"]
    return events


def deadlines_json(path: Path, today: str, *extra: str) -> dict[str, Any]:
    result = run("deadlines", "--json", *extra, str(path), env=now(today))
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def rows(document: dict[str, Any], obligation: str) -> list[dict[str, Any]]:
    return [d for d in document["deadlines"] if d["obligation"] == obligation]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path, so that messages name files as given."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def b2(here: Path) -> Path:
    """A licence made by init: issued 2023-07-01, valid until 2028-06-30 (today 2026-11-28)."""
    return make_licence("b2.yaml", issued="2023-07-01", valid="2028-06-30", today="2026-11-28")


@pytest.fixture
def short(here: Path) -> Path:
    """Like the bundled licence: issued 2023-05-31, valid until 2026-01-21, made by init."""
    return make_licence("short.yaml", issued="2023-05-31", valid="2026-01-21", today="2025-11-01")


# --- init, not interactive ------------------------------------------------------------------


def test_init_cross_region_writes_a_short_valid_file_that_works_at_once(here: Path) -> None:
    result = run(*init_args("b2.yaml", issued="2023-07-01", valid="2028-06-30"), env=now("2025-11-01"))
    assert result.exit_code == 0, result.stderr
    assert "b2.yaml" in result.stdout
    text = (here / "b2.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert len(lines) < 40
    assert len(comments(here / "b2.yaml")) >= 5
    data = yaml.safe_load(text)
    assert data["template"] == "cross-region"
    assert data["number"] == "B2-20230701"
    assert data["issuer"] == "工业和信息化部"  # the cross-region default
    assert data["services"] == [{"service": "信息服务业务（不含互联网信息服务）", "coverage": "全国"}]
    assert data["issued_on"] == dt.date(2023, 7, 1)
    assert data["valid_until"] == dt.date(2028, 6, 30)

    assert run("validate", "b2.yaml", env=now("2025-11-01")).exit_code == 0
    assert run("deadlines", "b2.yaml", env=now("2025-11-01")).exit_code == 0
    # Renewal deadline: 2028-06-30 minus 90 days — back 30 to 05-31, 31 to 04-30, 29 to 04-01 —
    # is Sat 2028-04-01 (2028-01-01 is a Saturday, 04-01 is 91 days later); R6 moves it back to
    # Fri 2028-03-31 (an estimated year: no holiday there in the estimate).
    result = run("renew-check", "b2.yaml", env=now("2025-11-01"))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("LICENSE OK")
    assert "2028-03-31" in result.stdout


def test_init_provincial_with_all_options(here: Path) -> None:
    args = init_args("p.yaml", issued="2024-03-01", valid="2029-02-28", number="京B2-20240001")
    result = run(*args, "--kind", "provincial", "--issuer", "北京市通信管理局", env=now("2025-11-01"))
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load((here / "p.yaml").read_text(encoding="utf-8"))
    assert data["template"] == "provincial"
    assert data["kind"] == "增值电信业务经营许可证"
    assert data["issuer"] == "北京市通信管理局"
    assert len((here / "p.yaml").read_text(encoding="utf-8").splitlines()) < 40
    assert run("validate", "p.yaml", env=now("2025-11-01")).exit_code == 0
    assert run("deadlines", "p.yaml", env=now("2025-11-01")).exit_code == 0
    assert run("renew-check", "p.yaml", env=now("2025-11-01")).exit_code == 0
    clauses = json.loads(run("show", "--json", "p.yaml", env=now("2025-11-01")).stdout)["licenses"][0][
        "clauses"
    ]
    assert "十三" not in [c["ref"] for c in clauses]


def test_init_as_a_real_process_with_stdin_not_a_terminal(here: Path) -> None:
    result = run_process(
        *init_args("b2.yaml", issued="2023-07-01", valid="2028-06-30"), env=now("2025-11-01"), input=""
    )
    assert result.returncode == 0, result.stderr
    assert run_process("validate", "b2.yaml", env=now("2025-11-01"), input="").returncode == 0
    result = run_process("init", "other.yaml", env=now("2025-11-01"), input="")
    assert result.returncode == 2
    assert not (here / "other.yaml").exists()


def test_init_missing_options_is_one_usage_line_naming_them_all(here: Path) -> None:
    result = run("init", "b2.yaml", "--holder", "示例有限公司", env=now("2025-11-01"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    named = result.stderr.split("(")[0]
    for option in ("--number", "--legal-representative", "--issued-on", "--valid-until", "--service"):
        assert option in named
    assert "--holder" not in named
    assert "--issuer" not in named  # cross-region: 工业和信息化部 by default
    assert not (here / "b2.yaml").exists()


def test_init_refuses_an_existing_file_without_force(b2: Path) -> None:
    before = b2.read_bytes()
    args = init_args("b2.yaml", issued="2024-01-02", valid="2029-01-01", number="B2-20240102")
    result = run(*args, env=now("2026-11-28"))
    assert result.exit_code == 1
    assert "--force" in result.stderr
    assert b2.read_bytes() == before
    result = run(*args, "--force", env=now("2026-11-28"))
    assert result.exit_code == 0, result.stderr
    assert yaml.safe_load(b2.read_text(encoding="utf-8"))["number"] == "B2-20240102"


def test_init_service_without_a_colon_is_a_clear_error(here: Path) -> None:
    args = init_args("b2.yaml", issued="2023-07-01", valid="2028-06-30")
    args[args.index(SERVICE)] = "信息服务业务"
    result = run(*args, env=now("2025-11-01"))
    assert result.exit_code == 1
    assert "--service '信息服务业务'" in result.stderr
    assert "NAME:COVERAGE" in result.stderr
    assert not (here / "b2.yaml").exists()


@pytest.mark.parametrize(
    ("option", "value"), [("--issued-on", "2023-02-30"), ("--valid-until", "2028-13-01")]
)
def test_init_bad_date_names_the_option(here: Path, option: str, value: str) -> None:
    args = init_args("b2.yaml", issued="2023-07-01", valid="2028-06-30")
    args[args.index(option) + 1] = value
    result = run(*args, env=now("2025-11-01"))
    assert result.exit_code == 1
    assert option in result.stderr
    assert value in result.stderr
    assert not (here / "b2.yaml").exists()


# --- init, interactive, on a real pseudo-terminal ------------------------------------------


class Terminal:
    """`python -m licensecli ARGS` with stdin, stdout and stderr on a pseudo-terminal."""

    def __init__(self, *args: str, cwd: Path, env: dict[str, str]) -> None:
        master, slave = os.openpty()
        self.master = master
        self.output = b""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "licensecli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
            start_new_session=True,
        )
        os.close(slave)
        self.deadline = time.monotonic() + 60

    def expect(self, text: str) -> str:
        """Read until `text` appears; what was read up to it is returned (and dropped)."""
        wanted = text.encode("utf-8")
        while wanted not in self.output:
            left = self.deadline - time.monotonic()
            ready, _, _ = select.select([self.master], [], [], max(left, 0))
            if not ready:
                raise AssertionError(
                    f"timed out waiting for {text!r}; got {self.output.decode(errors='replace')!r}"
                )
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # EIO: the child has gone
                chunk = b""
            if not chunk:
                raise AssertionError(f"ended before {text!r}; got {self.output.decode(errors='replace')!r}")
            self.output += chunk
        end = self.output.index(wanted) + len(wanted)
        seen, self.output = self.output[:end], self.output[end:]
        return seen.decode("utf-8", errors="replace")

    def answer(self, prompt: str, text: str) -> str:
        seen = self.expect(prompt)
        os.write(self.master, text.encode("utf-8") + b"\n")
        return seen

    def rest(self) -> str:
        """Everything until the child closes the terminal."""
        while time.monotonic() < self.deadline:
            ready, _, _ = select.select([self.master], [], [], max(self.deadline - time.monotonic(), 0))
            if not ready:
                break
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.output += chunk
        return self.output.decode("utf-8", errors="replace")

    def close(self) -> int:
        try:
            return self.process.wait(timeout=max(self.deadline - time.monotonic(), 1))
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            os.close(self.master)


def test_init_asks_on_a_terminal_and_asks_again_for_a_bad_date(here: Path) -> None:
    term = Terminal("init", "x.yaml", cwd=here, env=now("2025-11-01"))
    try:
        issued_prompt = "Issued on 发证日期 (YYYY-MM-DD): "
        term.answer("Licence number 许可证编号 (e.g. B2-20210247): ", "B2-20230701")
        term.answer("Holder 公司名称: ", "终端测试有限公司")
        term.answer("Legal representative 法定代表人: ", "李四")
        term.answer(issued_prompt, "2023-02-30")  # no such day
        complaint = term.expect(issued_prompt)  # asked again
        assert "2023-02-30" in complaint
        assert "not a real date" in complaint
        os.write(term.master, b"2023-07-01\n")
        valid_prompt = "Valid until 有效期至 (YYYY-MM-DD): "
        term.answer(valid_prompt, "2022-06-01")  # before the issue day
        complaint = term.expect(valid_prompt)  # asked again at once, not at the end
        assert "must be after the issue day (2023-07-01)" in complaint
        os.write(term.master, b"2028-06-30\n")
        # NAME:COVERAGE in one answer, as --service takes it: coverage is not asked for then.
        term.answer(
            "Service 业务种类, or NAME:COVERAGE (e.g. 信息服务业务（不含互联网信息服务）:全国): ",
            "信息服务业务（不含互联网信息服务）:全国",
        )
        tail = term.rest()
    finally:
        code = term.close()
    assert code == 0, tail
    assert "wrote x.yaml" in tail
    assert run("validate", "x.yaml", env=now("2025-11-01")).exit_code == 0
    data = yaml.safe_load((here / "x.yaml").read_text(encoding="utf-8"))
    assert data["number"] == "B2-20230701"
    assert data["holder"] == "终端测试有限公司"
    assert data["legal_representative"] == "李四"
    assert data["issuer"] == "工业和信息化部"  # not asked: the cross-region default
    assert data["issued_on"] == dt.date(2023, 7, 1)
    assert data["valid_until"] == dt.date(2028, 6, 30)
    assert data["services"] == [{"service": "信息服务业务（不含互联网信息服务）", "coverage": "全国"}]


# --- events ---------------------------------------------------------------------------------


def test_event_add_done_list_remove_keep_the_comments(b2: Path) -> None:
    today = "2026-11-28"
    kept = comments(b2)
    assert kept

    result = run(
        "event",
        "add",
        "illegal-info-report",
        "--on",
        "2026-11-20",
        "--note",
        "处置记录",
        "--ref",
        "2026-118",
        "-l",
        "b2.yaml",
        env=now(today),
    )
    assert result.exit_code == 0, result.stderr
    assert "event #1" in result.stdout
    assert comments(b2) == kept
    # A clause reference names the one counted duty of 九: illegal-info-report.
    result = run("event", "add", "9", "--on", "2026-10-30", "-l", "b2.yaml", env=now(today))
    assert result.exit_code == 0, result.stderr
    result = run(
        "event", "add", "security-assessment-report", "--on", "2026-10-01", "-l", "b2.yaml", env=now(today)
    )
    assert result.exit_code == 0, result.stderr
    assert comments(b2) == kept

    events = events_json(b2, today)
    assert [e["number"] for e in events] == [1, 2, 3]
    assert [e["obligation"] for e in events] == [
        "illegal-info-report",
        "illegal-info-report",
        "security-assessment-report",
    ]
    assert (events[0]["note"], events[0]["ref"]) == ("处置记录", "2026-118")
    # Fri 2026-11-20 + 10 working days: 11-23 … 11-27 (1–5), 11-30 … 12-04 (6–10) → 2026-12-04.
    assert events[0]["due_date"] == "2026-12-04"
    assert events[0]["status"] != "done"
    # Fri 2026-10-30 + 10 working days: 11-02 … 11-06 (1–5), 11-09 … 11-13 (6–10) → 2026-11-13.
    assert (events[1]["due_date"], events[1]["status"]) == ("2026-11-13", "overdue")
    # 2026-10-01 + 30 days = Sat 10-31 (R2); Sun 11-01 is a rest day too → Mon 2026-11-02 (R3).
    assert (events[2]["due_date"], events[2]["status"]) == ("2026-11-02", "overdue")

    result = run("event", "done", "1", "--done-on", "2026-11-25", "-l", "b2.yaml", env=now(today))
    assert result.exit_code == 0, result.stderr
    assert comments(b2) == kept
    events = events_json(b2, today)
    assert (events[0]["status"], events[0]["done_on"]) == ("done", "2026-11-25")

    result = run("event", "remove", "3", "-l", "b2.yaml", env=now(today))
    assert result.exit_code == 0, result.stderr
    assert comments(b2) == kept
    result = run(
        "event", "remove", "illegal-info-report", "--on", "2026-10-30", "-l", "b2.yaml", env=now(today)
    )
    assert result.exit_code == 0, result.stderr
    assert comments(b2) == kept
    events = events_json(b2, today)
    assert [(e["number"], e["obligation"], e["on"]) for e in events] == [
        (1, "illegal-info-report", "2026-11-20")
    ]
    assert run("validate", "b2.yaml", env=now(today)).exit_code == 0


REFUSED_EVENTS = {
    "unknown obligation": ["event", "add", "no-such-duty", "--on", "2026-11-20"],
    "not started by an event": ["event", "add", "renewal-application", "--on", "2026-11-20"],
    "promptly, no period": ["event", "add", "illegal-app-handling", "--on", "2026-11-20"],
    "before the licence was issued": ["event", "add", "illegal-info-report", "--on", "2023-06-30"],
    "in the future": ["event", "add", "illegal-info-report", "--on", "2026-11-29"],
    "done before it happened": ["event", "done", "1", "--done-on", "2026-11-19"],
    "done in the future": ["event", "done", "1", "--done-on", "2026-11-29"],
    "no such event": ["event", "remove", "2"],
}


@pytest.mark.parametrize("args", REFUSED_EVENTS.values(), ids=REFUSED_EVENTS.keys())
def test_refused_event_edits_leave_the_file_byte_identical(b2: Path, args: list[str]) -> None:
    result = run(
        "event", "add", "illegal-info-report", "--on", "2026-11-20", "-l", "b2.yaml", env=now("2026-11-28")
    )
    assert result.exit_code == 0, result.stderr
    before = b2.read_bytes()
    result = run(*args, "-l", "b2.yaml", env=now("2026-11-28"))
    assert result.exit_code == 1, result.stdout
    assert result.stderr.startswith("error: ")
    assert b2.read_bytes() == before


def test_refusal_messages_say_why(b2: Path) -> None:
    today = now("2026-11-28")
    result = run("event", "add", "renewal-application", "--on", "2026-11-20", "-l", "b2.yaml", env=today)
    assert "not started by an event" in result.stderr
    result = run("event", "add", "illegal-info-report", "--on", "2026-11-29", "-l", "b2.yaml", env=today)
    assert "future" in result.stderr
    result = run("event", "add", "illegal-info-report", "--on", "2023-06-30", "-l", "b2.yaml", env=today)
    assert "is before licence B2-20230701 was issued" in result.stderr and "first_granted_on" in result.stderr
    assert "2023-07-01" in result.stderr


def test_an_edit_whose_result_would_not_validate_is_refused(b2: Path) -> None:
    # The request passes every check of its own, but the note holds an escape sequence, which a
    # licence file refuses: the edited text fails validation, so the original stays as it was.
    before = b2.read_bytes()
    result = run(
        "event",
        "add",
        "illegal-info-report",
        "--on",
        "2026-11-20",
        "--note",
        "bad\x1b[2J",
        "-l",
        "b2.yaml",
        env=now("2026-11-28"),
    )
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "events[0].note" in result.stderr
    assert "would not be valid; nothing was changed" in result.stderr
    assert b2.read_bytes() == before
    assert not [p for p in b2.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_file_that_does_not_validate_is_not_edited(b2: Path) -> None:
    text = b2.read_text(encoding="utf-8").replace("valid_until: 2028-06-30", "valid_until: 2022-06-30")
    b2.write_text(text, encoding="utf-8")
    before = b2.read_bytes()
    result = run(
        "event", "add", "illegal-info-report", "--on", "2026-11-20", "-l", "b2.yaml", env=now("2026-11-28")
    )
    assert result.exit_code == 1
    assert "valid_until" in result.stderr
    assert "nothing was changed" in result.stderr
    assert b2.read_bytes() == before


def test_the_bundled_licence_is_never_edited(here: Path) -> None:
    before = BUNDLED.read_bytes()
    lock = BUNDLED.with_name(f".{BUNDLED.name}.lock")
    had_lock = lock.exists()
    for args in (
        ["event", "add", "illegal-info-report", "--on", "2025-11-20"],
        ["event", "add", "illegal-info-report", "--on", "2025-11-20", "-l", str(BUNDLED)],
        ["renewal", "filed", "--on", "2025-10-20"],
        ["renewal", "granted", "--valid-until", "2031-01-21"],
    ):
        result = run(*args, env=now("2025-11-28"))
        assert result.exit_code == 1, args
        assert "bundled" in result.stderr
        assert "copy" in result.stderr
    assert BUNDLED.read_bytes() == before
    assert lock.exists() == had_lock


def test_an_event_after_the_licence_lapsed_is_refused(here: Path) -> None:
    lic = make_licence("lapsed.yaml", issued="2023-05-31", valid="2026-01-21", today="2026-11-28")
    before = lic.read_bytes()
    result = run(
        "event",
        "add",
        "illegal-info-report",
        "--on",
        "2026-03-02",
        "-l",
        "lapsed.yaml",
        env=now("2026-11-28"),
    )
    assert result.exit_code == 1
    assert "lapsed" in result.stderr
    assert "2026-01-21" in result.stderr
    assert lic.read_bytes() == before


def test_twenty_parallel_event_adds_all_land(b2: Path) -> None:
    env = {**os.environ, **now("2026-11-28")}
    command = [
        sys.executable,
        "-m",
        "licensecli",
        "event",
        "add",
        "illegal-info-report",
        "--on",
        "2026-11-20",
    ]
    processes = [
        subprocess.Popen(
            [*command, "--ref", f"R-{i:02d}", "--wait", "60", "-l", str(b2)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for i in range(20)
    ]
    outcomes = []
    try:
        for process in processes:
            _, err = process.communicate(timeout=120)
            outcomes.append((process.returncode, err.decode("utf-8", errors="replace")))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert [code for code, _ in outcomes] == [0] * 20, [err for code, err in outcomes if code]
    lic = loader.load_license(b2)
    assert len(lic.events) == 20
    assert sorted(e.ref or "" for e in lic.events) == [f"R-{i:02d}" for i in range(20)]
    assert run("validate", str(b2), env=now("2026-11-28")).exit_code == 0


def test_a_held_lock_makes_the_edit_give_up_with_75(b2: Path) -> None:
    before = b2.read_bytes()
    lock = b2.resolve().with_name(f".{b2.name}.lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        started = time.monotonic()
        result = run(
            "event",
            "add",
            "illegal-info-report",
            "--on",
            "2026-11-20",
            "--wait",
            "0.5",
            "-l",
            "b2.yaml",
            env=now("2026-11-28"),
        )
        waited = time.monotonic() - started
    finally:
        os.close(fd)
    assert result.exit_code == 75
    assert result.stderr.count("\n") == 1, result.stderr
    assert "another licensecli" in result.stderr
    assert waited >= 0.5
    assert b2.read_bytes() == before


@pytest.mark.parametrize("call", ["replace", "fsync"])
def test_a_failed_write_leaves_the_file_and_no_temp_file(
    b2: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    before = b2.read_bytes()
    names = sorted(p.name for p in b2.parent.iterdir())

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(os, call, full)
        result = run(
            "event",
            "add",
            "illegal-info-report",
            "--on",
            "2026-11-20",
            "-l",
            "b2.yaml",
            env=now("2026-11-28"),
        )
    assert result.exit_code == 1
    assert os.strerror(errno.ENOSPC) in result.stderr
    assert b2.read_bytes() == before
    # Only the lock file may have been added (it is never deleted); no temporary file is left.
    left = sorted(p.name for p in b2.parent.iterdir())
    assert [n for n in left if n not in names] in ([], [f".{b2.name}.lock"])


# --- renewal ----------------------------------------------------------------------------------
#
# The licence `short` is valid until 2026-01-21. Renewal deadline (R5): back 21 days to 2025-12-31,
# 31 to 11-30, 30 to 10-31, 8 to 2025-10-23 — a Thursday and a working day, so R6 leaves it.


def test_renewal_filed_in_time_is_pending_and_watched_against_the_expiry(short: Path) -> None:
    kept = comments(short)
    result = run("renewal", "filed", "--on", "2025-10-20", "-l", "short.yaml", env=now("2025-11-01"))
    assert result.exit_code == 0, result.stderr
    assert "late" not in result.stdout
    assert comments(short) == kept

    # 2025-11-01 → 2026-01-21: 30 days to 12-01, 31 to 2026-01-01, 20 more = 81 days.
    result = run("renew-check", "short.yaml", env=now("2025-11-01"))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("LICENSE OK")
    assert "'days_to_expiry'=81;60:;0:;;" in result.stdout
    checked = json.loads(run("renew-check", "--json", "short.yaml", env=now("2025-11-01")).stdout)
    assert checked["licenses"][0]["days_to_expiry"] == 81
    assert checked["licenses"][0]["state"] == "pending"

    document = deadlines_json(short, "2025-11-01")
    assert document["licenses"][0]["state"] == "pending"
    assert document["licenses"][0]["renewal_deadline"] == "2025-10-23"
    assert document["licenses"][0]["renewal_filed_in_time"] is True
    [renewal] = rows(document, "renewal-application")
    assert (renewal["due_date"], renewal["status"]) == ("2025-10-23", "pending")

    # 2025-12-01 → 2026-01-21: 31 + 20 = 51 days, inside the default warning range (60).
    result = run("renew-check", "--as-of", "2025-12-01", "short.yaml", env=now("2025-11-01"))
    assert result.exit_code == 1, result.stdout
    assert result.stdout.startswith("LICENSE WARNING")
    assert "'days_to_expiry'=51;60:;0:;;" in result.stdout


def test_pending_past_the_expiry_is_critical_under_article_50(short: Path) -> None:
    assert (
        run("renewal", "filed", "--on", "2025-10-20", "-l", "short.yaml", env=now("2025-11-01")).exit_code
        == 0
    )
    # 2026-01-21 → 2026-02-01: 11 days past the expiry, filed in time, no decision recorded.
    result = run("renew-check", "short.yaml", env=now("2026-02-01"))
    assert result.exit_code == 2, result.stdout
    assert "第五十条" in result.stdout
    assert "'days_to_expiry'=-11;" in result.stdout
    # The licence has not lapsed while the decision waits: an event after the expiry is recorded.
    result = run(
        "event", "add", "illegal-info-report", "--on", "2026-01-30", "-l", "short.yaml", env=now("2026-02-01")
    )
    assert result.exit_code == 0, result.stderr


def test_renewal_granted_moves_the_watch_to_the_next_period(short: Path) -> None:
    kept = comments(short)
    assert (
        run("renewal", "filed", "--on", "2025-10-20", "-l", "short.yaml", env=now("2025-11-01")).exit_code
        == 0
    )
    result = run(
        "renewal",
        "granted",
        "--valid-until",
        "2031-01-21",
        "--on",
        "2025-12-15",
        "-l",
        "short.yaml",
        env=now("2025-12-20"),
    )
    assert result.exit_code == 0, result.stderr
    assert comments(short) == kept
    assert yaml.safe_load(short.read_text(encoding="utf-8"))["renewals"] == [
        {
            "filed_on": dt.date(2025, 10, 20),
            "granted_on": dt.date(2025, 12, 15),
            "valid_until": dt.date(2031, 1, 21),
        }
    ]

    # Next deadline: 2031-01-21 minus 90 days — back 21 to 2030-12-31, 31 to 11-30, 30 to 10-31,
    # 8 to 2030-10-23. 2025-10-23 was a Thursday; five years later, with 2028-02-29 between, is
    # 1826 days = 260 weeks + 6 days → a Wednesday, and no holiday in the 2030 estimate: it stays.
    # 2026-06-01 → 2030-06-01 is 1461 days, then 122 to 10-01 and 22 to 10-23: 1605 days.
    result = run("renew-check", "--as-of", "2026-06-01", "short.yaml", env=now("2025-12-20"))
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("LICENSE OK")
    assert "2030-10-23" in result.stdout
    assert "'days_to_renewal_deadline'=1605;60:;14:;;" in result.stdout

    # The 2025 filing belongs to the first period: it must not silence the next renewal (issue 13).
    # 2030-10-01 → 2030-10-23 is 22 days: WARNING (fewer than 60), not OK.
    result = run("renew-check", "--as-of", "2030-10-01", "short.yaml", env=now("2025-12-20"))
    assert result.exit_code == 1, result.stdout
    assert result.stdout.startswith("LICENSE WARNING")
    assert "'days_to_renewal_deadline'=22;60:;14:;;" in result.stdout
    checked = json.loads(
        run("renew-check", "--json", "--as-of", "2030-10-01", "short.yaml", env=now("2025-12-20")).stdout
    )
    assert checked["licenses"][0]["renewal_filed_on"] is None
    assert checked["licenses"][0]["valid_until"] == "2031-01-21"


def annual_reports(path: Path, today: str) -> list[str]:
    document = deadlines_json(path, today, "--all", "--as-of", today)
    return [d["due_date"] for d in rows(document, "annual-report")]


def test_annual_reports_follow_the_validity(here: Path) -> None:
    # R10 on a licence like the bundled one (issued 2023-05-31, valid until 2026-01-21, not renewed):
    # 2023: not valid on 2022-12-31 → none. 2024: 03-31 is a Sunday, 03-30 a Saturday → Fri 03-29.
    # 2025: 03-31 is a Monday. 2026: the validity ends inside the window, on Wed 2026-01-21 (a
    # working day; 元旦 is 01-01 – 01-03). 2027: not valid on 2026-12-31 → none.
    lic = here / "b2.yaml"
    lic.write_bytes(BUNDLED.read_bytes())
    assert annual_reports(lic, "2026-11-28") == ["2024-03-29", "2025-03-31", "2026-01-21"]
    result = run("due", "annual-report", "--year", "2027", "-l", "b2.yaml", env=now("2026-11-28"))
    assert result.exit_code == 1
    assert "2027" in result.stderr

    # Renewed without a break (no --on): 2026's window is the whole first quarter again (Tue
    # 2026-03-31), and 2027's is owed: Wed 2027-03-31 (2026-03-31 + 365 days), estimated.
    result = run("renewal", "granted", "--valid-until", "2031-01-21", "-l", "b2.yaml", env=now("2026-11-28"))
    assert result.exit_code == 0, result.stderr
    assert annual_reports(lic, "2026-11-28") == ["2024-03-29", "2025-03-31", "2026-03-31", "2027-03-31"]


def test_a_late_filing_is_recorded_but_missed(short: Path) -> None:
    kept = comments(short)
    result = run("renewal", "filed", "--on", "2025-11-01", "-l", "short.yaml", env=now("2025-11-01"))
    assert result.exit_code == 0, result.stderr
    assert "2025-10-23" in result.stdout
    assert "令42号 第二十七条" in result.stdout
    assert comments(short) == kept
    assert yaml.safe_load(short.read_text(encoding="utf-8"))["renewals"] == [
        {"filed_on": dt.date(2025, 11, 1)}
    ]

    document = deadlines_json(short, "2025-11-05")
    [renewal] = rows(document, "renewal-application")
    assert (renewal["status"], renewal["done_on"]) == ("missed", "2025-11-01")
    assert document["licenses"][0]["renewal_filed_in_time"] is False
    result = run("renew-check", "short.yaml", env=now("2025-11-05"))
    assert result.exit_code == 2, result.stdout
    assert result.stdout.startswith("LICENSE CRITICAL")


def test_filing_after_the_expiry_is_refused(short: Path) -> None:
    before = short.read_bytes()
    result = run("renewal", "filed", "--on", "2026-01-22", "-l", "short.yaml", env=now("2026-11-28"))
    assert result.exit_code == 1
    assert "2026-01-21" in result.stderr
    assert short.read_bytes() == before


def test_a_second_filing_is_refused(short: Path) -> None:
    assert (
        run("renewal", "filed", "--on", "2025-10-20", "-l", "short.yaml", env=now("2025-11-01")).exit_code
        == 0
    )
    before = short.read_bytes()
    result = run("renewal", "filed", "--on", "2025-10-22", "-l", "short.yaml", env=now("2025-11-01"))
    assert result.exit_code == 1
    assert "already filed on 2025-10-20" in result.stderr
    assert short.read_bytes() == before


def test_a_second_filing_dated_before_the_first_is_refused_as_a_second_filing(short: Path) -> None:
    assert (
        run("renewal", "filed", "--on", "2025-10-20", "-l", "short.yaml", env=now("2025-11-01")).exit_code
        == 0
    )
    before = short.read_bytes()
    result = run("renewal", "filed", "--on", "2025-10-10", "-l", "short.yaml", env=now("2025-11-01"))
    assert result.exit_code == 1
    assert short.read_bytes() == before
    assert "already filed on 2025-10-20" in result.stderr


def test_an_old_format_filing_keeps_working_and_the_grant_goes_into_renewals(here: Path) -> None:
    lic = here / "old.yaml"
    lic.write_text(licence_text(renewal_filed_on="2025-10-20"), encoding="utf-8")
    kept = comments(lic)
    document = deadlines_json(lic, "2025-11-01")
    assert document["licenses"][0]["state"] == "pending"
    [renewal] = rows(document, "renewal-application")
    assert renewal["status"] == "pending"

    result = run(
        "renewal",
        "granted",
        "--valid-until",
        "2031-01-21",
        "--on",
        "2025-12-15",
        "-l",
        "old.yaml",
        env=now("2025-12-20"),
    )
    assert result.exit_code == 0, result.stderr
    text = lic.read_text(encoding="utf-8")
    # The older key stays as written (it is the first period's filing); the grant gets an entry.
    assert "\nrenewal_filed_on: 2025-10-20\n" in text
    assert "renewals:\n  - {granted_on: 2025-12-15, valid_until: 2031-01-21}\n" in text
    assert comments(lic) == kept
    assert run("validate", "old.yaml", env=now("2025-12-20")).exit_code == 0
    # 90 days before 2031-01-21 is Thu 2030-10-23: the next renewal, not silenced by the old filing.
    check = run("renew-check", "old.yaml", "--as-of", "2030-10-01", env=now("2025-12-20"))
    assert "due in 22 days, by 2030-10-23" in check.stdout


def test_an_old_format_filing_in_the_header_keeps_every_comment(here: Path) -> None:
    # The old bundled file invited uncommenting `renewal_filed_on:` in place, between comments.
    text = licence_text().replace(
        "valid_until: 2026-01-21\n",
        "valid_until: 2026-01-21\nrenewal_filed_on: 2025-10-20   # receipt 2025-RX-77\n"
        "# the rest of the header follows\n",
    )
    lic = here / "legacy.yaml"
    lic.write_text(text, encoding="utf-8")
    before = lic.read_text(encoding="utf-8").splitlines()
    result = run(
        "renewal",
        "granted",
        "--valid-until",
        "2031-01-21",
        "--on",
        "2025-12-15",
        "-l",
        "legacy.yaml",
        env=now("2025-12-20"),
    )
    assert result.exit_code == 0, result.stderr
    after = lic.read_text(encoding="utf-8").splitlines()
    # Every line of the file is still there, in order; only the renewals lines are new, at the end.
    assert after[: len(before)] == before
    assert after[len(before) :] == ["renewals:", "  - {granted_on: 2025-12-15, valid_until: 2031-01-21}"]


EVENTS_WITH_COMMENTS = """events:
  # first incident, from the ops log
  - obligation: illegal-info-report   # ticket 1
    on: 2025-11-20
  # second incident: keep this note
  - {obligation: illegal-info-report, on: 2025-11-24}  # ticket 2
# trailing comment after events
"""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["event", "remove", "1"],
            "events:\n  # first incident, from the ops log\n  # second incident: keep this note\n"
            "  - {obligation: illegal-info-report, on: 2025-11-24}  # ticket 2\n# trailing comment after events\n",
        ),
        (
            ["event", "remove", "2"],
            "events:\n  # first incident, from the ops log\n  - obligation: illegal-info-report   # ticket 1\n"
            "    on: 2025-11-20\n  # second incident: keep this note\n# trailing comment after events\n",
        ),
        (
            ["event", "done", "1", "--done-on", "2025-11-26"],
            "events:\n  # first incident, from the ops log\n  - obligation: illegal-info-report   # ticket 1\n"
            "    on: 2025-11-20\n    done_on: 2025-11-26\n  # second incident: keep this note\n"
            "  - {obligation: illegal-info-report, on: 2025-11-24}  # ticket 2\n# trailing comment after events\n",
        ),
    ],
    ids=["remove the first", "remove the last", "done in a block item"],
)
def test_comments_between_events_stay_with_what_follows(b2: Path, args: list[str], expected: str) -> None:
    # A comment line after an event introduces what comes next: removing the event or adding its
    # done_on leaves it above the next event (or the next key), and the event's own end-of-line
    # comment goes with it.
    text = b2.read_text(encoding="utf-8")
    head = text[: text.index("events: []")]
    b2.write_text(head + EVENTS_WITH_COMMENTS, encoding="utf-8")
    result = run(*args, "-l", "b2.yaml", env=now("2026-11-28"))
    assert result.exit_code == 0, result.stderr
    assert b2.read_text(encoding="utf-8") == head + expected


def test_removing_the_only_event_keeps_the_comments(b2: Path) -> None:
    text = b2.read_text(encoding="utf-8")
    head = text[: text.index("events: []")]
    b2.write_text(
        head + "events:\n  # the one\n  - {obligation: illegal-info-report, on: 2025-11-20}\n# after\n"
    )
    result = run("event", "remove", "1", "-l", "b2.yaml", env=now("2026-11-28"))
    assert result.exit_code == 0, result.stderr
    after = b2.read_text(encoding="utf-8")
    assert after.startswith(head + "events: []\n")
    assert "# the one" in after and after.endswith("# after\n")
    assert run("validate", "b2.yaml", env=now("2026-11-28")).exit_code == 0


def test_a_lapsed_licence_says_so_first(here: Path) -> None:
    lic = here / "b2.yaml"
    lic.write_bytes(BUNDLED.read_bytes())
    result = run("deadlines", "b2.yaml", env=now("2026-11-28"))
    assert result.exit_code == 0, result.stderr
    assert "has lapsed" in result.stdout
    assert result.stdout.index("has lapsed") < result.stdout.index("Deadlines as of 2026-11-28")
    result = run("deadlines", "--lang", "zh", "b2.yaml", env=now("2026-11-28"))
    assert result.exit_code == 0, result.stderr
    assert "已失效" in result.stdout
    assert result.stdout.index("已失效") < result.stdout.index("截至 2026-11-28 的期限")

    document = deadlines_json(lic, "2026-11-28")
    assert document["licenses"][0]["state"] == "lapsed"
    [expiry] = rows(document, "license-expiry")
    assert (expiry["due_date"], expiry["status"]) == ("2026-01-21", "expired")


def test_a_filing_is_in_time_up_to_the_90th_day_for_every_command(here: Path) -> None:
    # Valid until 2027-01-01: 90 days before is Sat 2026-10-03 (back 1 to 12-31, 31 to 11-30, 30 to
    # 10-31, 28 to 10-03), inside 国庆 10-01 – 10-07; R6 moves the reminder back to Wed 2026-09-30.
    # Whether a filing WAS in time is judged against the 90th day itself (docs: a licence's life),
    # the same way by deadlines, event add and validate: 2026-10-02 is in time.
    lic = make_licence("q.yaml", issued="2022-01-02", valid="2027-01-01", today="2026-10-02")
    result = run("renewal", "filed", "--on", "2026-10-02", "-l", "q.yaml", env=now("2026-10-02"))
    assert result.exit_code == 0, result.stderr
    assert "late" not in result.stdout
    document = deadlines_json(lic, "2027-02-01")
    assert document["licenses"][0]["state"] == "pending"
    assert document["licenses"][0]["decision_overdue"] is True
    added = run(
        "event", "add", "illegal-info-report", "--on", "2027-01-15", "-l", "q.yaml", env=now("2027-02-01")
    )
    assert added.exit_code == 0, added.stderr
    assert run("validate", "q.yaml", env=now("2027-02-01")).exit_code == 0


def test_a_filing_after_the_90th_day_lapses_the_licence_for_every_command(here: Path) -> None:
    # The same licence filed on Mon 2026-10-05, after the 90th day (2026-10-03): late (令42号
    # 第二十七条), so after 2027-01-01 the licence has lapsed.
    lic = make_licence("q.yaml", issued="2022-01-02", valid="2027-01-01", today="2026-10-05")
    result = run("renewal", "filed", "--on", "2026-10-05", "-l", "q.yaml", env=now("2026-10-05"))
    assert result.exit_code == 0, result.stderr
    assert "2026-10-03" in result.stdout and "第二十七条" in result.stdout
    document = deadlines_json(lic, "2027-02-01")
    assert document["licenses"][0]["state"] == "lapsed"
    refused = run(
        "event", "add", "illegal-info-report", "--on", "2027-01-15", "-l", "q.yaml", env=now("2027-02-01")
    )
    assert refused.exit_code == 1
    assert "lapsed" in refused.stderr
    # The same event written by hand does not pass `validate`.
    text = lic.read_text(encoding="utf-8").replace(
        "events: []", "events:\n  - {obligation: illegal-info-report, on: 2027-01-15}"
    )
    lic.write_text(text, encoding="utf-8")
    result = run("validate", "q.yaml", env=now("2027-02-01"))
    assert result.exit_code == 1, result.stdout


# --- found in review ---------------------------------------------------------------------------


def test_pending_past_the_expiry_is_not_shown_as_expired(short: Path) -> None:
    # Filed in time on 2025-10-20, no decision recorded, as of 2026-02-01: deemed renewed
    # (第五十条), so the expiry row says pending, not expired, and the notice says what to record.
    run("renewal", "filed", "--on", "2025-10-20", "-l", "short.yaml", env=now("2025-11-01"))
    document = deadlines_json(short, "2026-02-01")
    [expiry] = rows(document, "license-expiry")
    assert (expiry["due_date"], expiry["status"]) == ("2026-01-21", "pending")
    [state] = document["licenses"]
    assert (state["state"], state["decision_overdue"]) == ("pending", True)
    assert "第五十条" in state["message"] and "renewal granted" in state["message"]


def test_r10_counts_with_what_the_as_of_day_knew(short: Path) -> None:
    # Granted on 2025-12-15 until 2031-01-21. As of 2025-10-01 the grant had not happened: the
    # 2026 window (report for 2025) is cut at the last valid day then known, Wed 2026-01-21. As of
    # 2026-01-01 the licence runs on: 2026-03-31 (Tue), the window's own end.
    short.write_text(
        short.read_text(encoding="utf-8").replace(
            "renewals: []",
            "renewals:\n  - {filed_on: 2025-10-20, granted_on: 2025-12-15, valid_until: 2031-01-21}",
        ),
        encoding="utf-8",
    )
    today = now("2026-11-28")
    before = run(
        "due", "annual-report", "--year", "2026", "--as-of", "2025-10-01", "-l", "short.yaml", env=today
    )
    assert "Due: 2026-01-21 (Wed)" in before.stdout, before.stdout + before.stderr
    after = run(
        "due", "annual-report", "--year", "2026", "--as-of", "2026-01-01", "-l", "short.yaml", env=today
    )
    assert "Due: 2026-03-31 (Tue)" in after.stdout, after.stdout + after.stderr


def test_a_late_grant_leaves_a_gap_and_the_old_renewal_missed(short: Path) -> None:
    # Never filed; lapsed after 2026-01-21; a new grant on 2026-11-20 until 2031-11-19 starts a
    # period on its own day: 2026-01-22 … 2026-11-19 the licence had lapsed.
    result = run(
        "renewal",
        "granted",
        "--valid-until",
        "2031-11-19",
        "--on",
        "2026-11-20",
        "-l",
        "short.yaml",
        env=now("2026-11-28"),
    )
    assert result.exit_code == 0, result.stderr
    refused = run(
        "event", "add", "illegal-info-report", "--on", "2026-03-01", "-l", "short.yaml", env=now("2026-11-28")
    )
    assert refused.exit_code == 1
    assert (
        "falls between two validity periods" in refused.stderr and "2026-01-21 … 2026-11-20" in refused.stderr
    )
    document = deadlines_json(short, "2026-11-28", "--all")
    old, new = rows(document, "renewal-application")
    # The old period's deadline (2025-10-23) was missed: no filing, and the licence lapsed.
    assert (old["due_date"], old["status"], old["done_on"]) == ("2025-10-23", "missed", None)
    # The new one: 90 days before Wed 2031-11-19 is Thu 2031-08-21 (estimated year, a weekday).
    assert (new["due_date"], new["status"]) == ("2031-08-21", "upcoming")
    assert document["licenses"][0]["period_start"] == "2026-11-20"


def test_an_unquoted_decimal_reference_in_omit_is_one_clear_error(here: Path) -> None:
    lic = here / "o.yaml"
    lic.write_text(BUNDLED.read_text(encoding="utf-8") + "omit: [15.8]\n", encoding="utf-8")
    result = run("validate", "o.yaml")
    assert result.exit_code == 1
    line, summary = result.stderr.splitlines()
    assert summary == "1 problem found"
    assert "omit[0]: 15.8 is read as a number; write it in quotes ('15.8')" in line
    lic.write_text(BUNDLED.read_text(encoding="utf-8") + "omit: ['15.8']\n", encoding="utf-8")
    assert run("validate", "o.yaml").exit_code == 0


def test_an_unknown_template_is_one_problem(here: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8").replace("template: cross-region", "template: nonsense")
    text = "\n".join(line for line in text.splitlines() if not line.startswith(("kind:", "issuer:"))) + "\n"
    (here / "t.yaml").write_text(text, encoding="utf-8")
    result = run("validate", "t.yaml")
    assert result.exit_code == 1
    line, summary = result.stderr.splitlines()
    assert summary == "1 problem found"
    assert "template: no template 'nonsense'" in line


def test_init_refuses_a_header_field_on_two_lines(here: Path) -> None:
    args = init_args("x.yaml", issued="2023-07-01", valid="2028-06-30", number="B2-1\nx")
    result = run(*args, env=now("2026-11-28"))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: --number: must be one line")
    assert not (here / "x.yaml").exists() and not list(here.iterdir())
