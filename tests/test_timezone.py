""" "Today" is China's date (UTC+8) whatever the machine's time zone, at the edges of the day.

Two clocks: the real system clock under libfaketime's `faketime` (installed by .ci/run; skipped
where it is missing), and the injectable clock LICENSECLI_NOW (always available).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

EDGES = [
    # machine TZ, local wall-clock time, the date in China
    ("America/Los_Angeles", "2026-01-21 10:00:00", "2026-01-22"),  # 02:00 on the 22nd in Beijing
    ("America/Los_Angeles", "2026-01-21 07:59:59", "2026-01-21"),  # 23:59:59 in Beijing
    ("America/Los_Angeles", "2026-01-21 08:00:00", "2026-01-22"),  # midnight in Beijing
    ("UTC", "2026-01-21 15:59:59", "2026-01-21"),
    ("UTC", "2026-01-21 16:00:00", "2026-01-22"),  # a UTC cron at 17:00 is already the 22nd in China
    ("Asia/Shanghai", "2026-01-21 00:00:00", "2026-01-21"),
    ("Asia/Shanghai", "2026-01-21 23:59:59", "2026-01-21"),
    ("Pacific/Kiritimati", "2026-01-22 05:59:59", "2026-01-21"),  # UTC+14: a day ahead of UTC
    ("Europe/London", "2025-12-31 16:30:00", "2026-01-01"),  # year end
]


def as_of_in_china(extra_env: dict[str, str], prefix: list[str]) -> str:
    env = {**os.environ, **extra_env}
    if "LICENSECLI_NOW" not in extra_env:
        env.pop("LICENSECLI_NOW", None)
    result = subprocess.run(
        [*prefix, sys.executable, "-m", "licensecli", "holidays", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    as_of: str = json.loads(result.stdout)["as_of"]
    return as_of


@pytest.mark.skipif(shutil.which("faketime") is None, reason="libfaketime's faketime is not installed")
@pytest.mark.parametrize(("tz", "wall", "china"), EDGES)
def test_system_clock_under_faketime(tz: str, wall: str, china: str) -> None:
    # -f with an absolute time freezes the clock there (the process takes time to start).
    assert as_of_in_china({"TZ": tz}, ["faketime", "-f", wall]) == china


@pytest.mark.parametrize(("tz", "wall", "china"), EDGES)
def test_injected_clock(tz: str, wall: str, china: str) -> None:
    assert as_of_in_china({"TZ": tz, "LICENSECLI_NOW": wall.replace(" ", "T")}, []) == china


def test_renew_check_uses_china_today_on_a_utc_server() -> None:
    # 17:00 UTC on 2026-01-21 is already 01-22 in Beijing: the licence has expired.
    env = {**os.environ, "TZ": "UTC", "LICENSECLI_NOW": "2026-01-21T17:00:00"}
    result = subprocess.run(
        [sys.executable, "-m", "licensecli", "renew-check", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    data = json.loads(result.stdout)
    assert (result.returncode, data["licenses"][0]["days_to_expiry"]) == (2, -1)
