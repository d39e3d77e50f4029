"""The bundled licence ships inside the wheel and is found there (not only in the source tree)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import BUNDLED, REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("licensecli-*.whl")
    return built


def test_wheel_contains_the_bundled_licence(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        data = archive.read("licensecli/data/license_b2_20210247.yaml")
        names = archive.namelist()
    assert data == BUNDLED.read_bytes()
    assert "licensecli/cli/__init__.py" in names
    assert "licensecli/output/tables.py" in names
    assert "licensecli/output/templates/report.html.j2" in names  # the report's template
    assert any(n.endswith("entry_points.txt") for n in names)


def test_unpacked_wheel_finds_its_own_data(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    code = (
        "import licensecli.loader as l; print(l.bundled_license_path()); print(l.load_licenses()[0].number)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, check=True
    )
    path, number = result.stdout.split()
    assert Path(path).is_relative_to(tmp_path)
    assert number == "B2-20210247"


def test_unpacked_wheel_renders_the_report_from_its_own_template(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    code = (
        "from licensecli.output import report; t = report._environment().get_template('report.html.j2'); "
        "print(t.filename)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, check=True
    )
    assert Path(result.stdout.strip()).is_relative_to(tmp_path)
