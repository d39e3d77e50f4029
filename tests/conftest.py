"""Shared helpers: run the CLI in-process or as a real subprocess, write temporary files."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from licensecli.cli import app

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "data" / "license_b2_20210247.yaml"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No user config, no env overrides, English labels: every test starts from the same place."""
    for var in (
        "LICENSECLI_LICENSE",
        "LICENSECLI_HOLIDAYS",
        "LICENSECLI_JOBS",
        "LC_ALL",
        "LC_MESSAGES",
        "LANG",
    ):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("COLUMNS", "100")
    # The tests' hand-worked expectations take 2027 as the first year without a published
    # schedule (true of chinese-calendar 1.11); keep it so when a newer package knows 2027.
    monkeypatch.setenv("LICENSECLI_DATA_UNTIL", "2026")
    monkeypatch.setenv("NO_COLOR", "1")


def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """Invoke the CLI in-process; the result has exit_code, stdout and stderr apart."""
    return CliRunner().invoke(app, list(args), input=input, env=env, catch_exceptions=False)


def run_process(
    *args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `python -m licensecli` as a separate process; one that hangs past `timeout` seconds
    is killed and fails the test."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "licensecli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=input,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def bench() -> Any:
    """The benchmark script (bench/run.py) as a module: its folder writer and its floors."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import run  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "bench"))
    return run


@pytest.fixture
def deny_reading(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make one file unreadable (PermissionError on open), as for a user without the right; the
    tests run as root, where chmod would not stop the read."""
    real_open = Path.open
    denied: set[Path] = set()

    def opener(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self in denied:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    real_os_open = os.open

    def os_opener(path: Any, *args: Any, **kwargs: Any) -> int:  # a licence is read by descriptor
        if isinstance(path, str | os.PathLike) and Path(path) in denied:
            raise PermissionError(13, "Permission denied")
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", opener)
    monkeypatch.setattr(os, "open", os_opener)
    return denied.add


TEMPLATE = REPO / "data" / "templates" / "cross-region.yaml"


def full_licence_text() -> str:
    """The bundled licence as one self-contained file in the full format: its header without the
    `template:` line, then the cross-region template's clauses written out. Tests that edit a
    clause's text start from it (a file that refers to the template holds no clause to edit)."""
    header = [
        line for line in BUNDLED.read_text(encoding="utf-8").splitlines() if not line.startswith("template:")
    ]
    clauses = TEMPLATE.read_text(encoding="utf-8").partition("\nclauses:\n")[2]
    return "\n".join(header) + "\n\nclauses:\n" + clauses


def licence_text(**replace: str) -> str:
    """The bundled licence, in the full format (full_licence_text), with top-level `key: value`
    lines replaced, removed ('') or added."""
    lines = []
    left = dict(replace)
    for line in full_licence_text().splitlines():
        key = line.split(":", 1)[0]
        if key in replace:
            value = left.pop(key)
            if value:
                lines.append(f"{key}: {value}")
            continue
        lines.append(line)
    lines.extend(f"{key}: {value}" for key, value in left.items() if value)  # new top-level keys
    return "\n".join(lines) + "\n"
