"""export --format csv as spreadsheets read it: Python's csv with and without the BOM, and
LibreOffice Calc headless (where installed) for the cells that must not become formulas."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from licensecli.output.files import spreadsheet_safe

from .conftest import licence_text, run

HYPERLINK = '=HYPERLINK("http://x","y")'


def export_csv(tmp_path: Path, *args: str) -> Path:
    """The hostile licence (its number a formula) as of 2025-10-28: the renewal 5 days late."""
    licence = tmp_path / "lic.yaml"
    licence.write_text(licence_text(number=f"'{HYPERLINK}'"), encoding="utf-8")
    target = tmp_path / ("plain.csv" if "--no-bom" in args else "bom.csv")
    result = run("export", str(licence), "--format", "csv", "-o", str(target), "--as-of", "2025-10-28", *args)
    assert result.exit_code == 0, result.stderr
    return target


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+86 10 6666", "'+86 10 6666"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        (-5, -5),
        ("-5", "-5"),
        ("+3", "+3"),
        ("-1.5", "-1.5"),
        ("B2-20210247", "B2-20210247"),
        ("2025-10-23", "2025-10-23"),
        (" =1", " =1"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(value: object, expected: object) -> None:
    assert spreadsheet_safe(value) == expected


def test_python_csv_with_and_without_bom(tmp_path: Path) -> None:
    with_bom = export_csv(tmp_path).read_bytes()
    without = export_csv(tmp_path, "--no-bom").read_bytes()
    assert with_bom == b"\xef\xbb\xbf" + without
    assert not without.startswith(b"\xef\xbb\xbf")
    # utf-8-sig drops the BOM; plain utf-8 keeps it in the first header, as a BOM-unaware tool would.
    assert next(csv.reader(io.StringIO(with_bom.decode("utf-8"))))[0] == "\ufefflicense"
    for raw, encoding in ((with_bom, "utf-8-sig"), (without, "utf-8"), (without, "utf-8-sig")):
        rows = list(csv.DictReader(io.StringIO(raw.decode(encoding), newline="")))
        renewal = rows[0]
        assert renewal["obligation"] == "renewal-application"
        assert renewal["license"] == "'" + HYPERLINK
        assert (renewal["due_date"], renewal["days_left"], renewal["status"]) == (
            "2025-10-23",
            "-5",
            "missed",
        )


def _libreoffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (Debian: libreoffice-calc-nogui) is not installed")
    return found


def _cells(fods: Path) -> list[list[tuple[str, str | None, str]]]:
    """Each row's cells as (value type, formula or None, shown text) from a flat ODS file."""
    ns = {
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    }
    table = f"{{{ns['table']}}}"
    office = f"{{{ns['office']}}}"
    rows = []
    for row in ET.parse(fods).getroot().iter(f"{table}table-row"):
        cells = []
        for cell in row.iter(f"{table}table-cell"):
            text = "".join("".join(p.itertext()) for p in cell.iter(f"{{{ns['text']}}}p"))
            cells.append((cell.get(f"{office}value-type", ""), cell.get(f"{table}formula"), text))
        rows.append(cells)
    return rows


def test_libreoffice_reads_formula_cells_as_text(tmp_path: Path) -> None:
    soffice = _libreoffice()
    sheets = [export_csv(tmp_path), export_csv(tmp_path, "--no-bom")]
    control = tmp_path / "control.csv"  # the same cell unguarded: proves this test sees formulas
    control.write_text(
        f'license,days_left\n"{HYPERLINK.replace(chr(34), chr(34) * 2)}",-5\n', encoding="utf-8"
    )
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--infilter=CSV:44,34,76,1",  # comma, double quote, UTF-8, from line 1
            "--convert-to",
            "fods",
            "--outdir",
            str(out),
            *map(str, [*sheets, control]),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    unguarded = _cells(out / "control.fods")[1]
    assert unguarded[0][1] is not None and unguarded[0][1].startswith("of:=HYPERLINK(")
    for sheet in sheets:
        header, renewal, *_ = _cells(out / f"{sheet.stem}.fods")
        assert [text for _, _, text in header[:3]] == ["license", "obligation", "clause"]  # no BOM
        assert renewal[0] == ("string", None, "'" + HYPERLINK)
        days_left = header.index(("string", None, "days_left"))
        assert renewal[days_left] == ("float", None, "-5")
        assert all(formula is None for row in _cells(out / f"{sheet.stem}.fods") for _, formula, _ in row)
