"""The benchmark's own measuring parts (bench/run.py): what its ratios rest on must read what it
says it reads, and time what it says it times."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


@pytest.mark.parametrize("broken", [None, 0, 1, 4, 5])
def test_the_floor_on_two_processes_reads_every_file(bench: Any, tmp_path: Path, broken: int | None) -> None:
    """Each process reads every other file: a file that is not YAML fails the floor whichever
    process reads it (the parent the even ones, the forked child the odd ones), so neither half
    is skipped; a folder of good files ends with 0, as the one-process floor does."""
    for i in range(6):
        (tmp_path / f"l{i}.yaml").write_text(f"number: B2-{i}\nvalid_until: 2027-01-01\n", encoding="utf-8")
    if broken is not None:
        (tmp_path / f"l{broken}.yaml").write_text("number: [unclosed\n", encoding="utf-8")
    for floor in (bench.PORTFOLIO_FLOOR, bench.PORTFOLIO_FLOOR_TWO):
        done = subprocess.run(
            [sys.executable, "-c", floor, str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (done.returncode == 0) == (broken is None), done.stderr


def test_the_floor_on_two_processes_reads_each_file_once_in_two_processes(bench: Any, tmp_path: Path) -> None:
    """With a stand-in for PyYAML that notes which process read what: every file is read once,
    half of them by each of two processes."""
    folder, stub, reads = tmp_path / "folder", tmp_path / "stub", tmp_path / "reads.txt"
    folder.mkdir()
    stub.mkdir()
    for i in range(7):
        (folder / f"l{i}.yaml").write_text(f"file {i}\n", encoding="utf-8")
    (stub / "yaml.py").write_text(
        "import os\n"
        "CSafeLoader = None\n"
        "def load(data, Loader=None):\n"
        f"    with open({str(reads)!r}, 'a', encoding='utf-8') as out:\n"
        "        out.write(f'{os.getpid()} {data.decode().strip()}\\n')\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(stub)}
    subprocess.run(
        [sys.executable, "-c", bench.PORTFOLIO_FLOOR_TWO, str(folder)], env=env, check=True, timeout=60
    )
    rows = [line.split(" ", 1) for line in reads.read_text(encoding="utf-8").splitlines()]
    assert sorted(text for _, text in rows) == [f"file {i}" for i in range(7)]
    by_process: dict[str, list[str]] = {}
    for pid, text in rows:
        by_process.setdefault(pid, []).append(text)
    assert sorted(len(texts) for texts in by_process.values()) == [3, 4]


def test_timings_run_in_turns_and_keep_each_ones_best(bench: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """per_call_us times one of each, then again: a slow spell falls on every side of a ratio, not
    on one. Each keeps its best timing, per call, in microseconds."""
    order: list[str] = []
    seconds = iter([3.0, 8.0, 1.0, 9.0, 2.0, 4.0])  # the timings in the order taken: a, b, a, b, a, b

    def fake_timeit(func: Any, number: int) -> float:
        func()
        return next(seconds)

    monkeypatch.setattr(bench.timeit, "timeit", fake_timeit)
    best = bench.per_call_us([(lambda: order.append("a"), 2), (lambda: order.append("b"), 4)], repeat=3)
    assert order == ["a", "b"] * 3
    assert best == [pytest.approx(1.0 / 2 * 1e6), pytest.approx(4.0 / 4 * 1e6)]
