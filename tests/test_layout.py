"""The house in order: imports run one way, each audience's library has one importer, and
nothing in the repository points outside it."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "licensecli"


def core_modules() -> list[str]:
    """Every module outside the command line and the output layer: the engine a script can use."""
    return sorted(
        name
        for name in modules()
        if not name.startswith(("cli", "output")) and name not in ("__init__", "__main__")
    )


# Libraries that one module owns: the one place to change when the library changes.
OWNERS = {
    "typer": "cli",
    "rich": "output.tables",
    "prometheus_client": "output.monitoring",
    "icalendar": "output.files",
    "chinese_calendar": "workdays",
    "lunardate": "workdays",
    "ruamel": "edit",  # the only writer of licence files
    "jinja2": "output.report",  # the HTML report's template engine
}


def imports_of(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules() -> dict[str, set[str]]:
    return {
        str(path.relative_to(PACKAGE).with_suffix("")).replace("/", "."): imports_of(path)
        for path in PACKAGE.rglob("*.py")
    }


def test_only_the_cli_imports_typer() -> None:
    offenders = [
        m for m, imported in modules().items() if not m.startswith("cli") and _uses(imported, "typer")
    ]
    assert offenders == []


def test_only_the_people_renderer_imports_rich() -> None:
    offenders = [m for m, imported in modules().items() if m != "output.tables" and _uses(imported, "rich")]
    assert offenders == []


def test_the_core_does_not_import_the_shell_or_the_output() -> None:
    found = modules()
    core = core_modules()
    assert {
        "models",
        "engine",
        "renewal",
        "rules",
        "workdays",
        "holidayfiles",
        "loader",
        "batch",
        "life",
        "templates",
        "edit",
        "records",
    } <= set(core)
    offenders = {
        name: sorted(n for n in found[name] if n.startswith(("licensecli.cli", "licensecli.output")))
        for name in core
        if _uses(found[name], "licensecli.cli") or _uses(found[name], "licensecli.output")
    }
    assert offenders == {}


@pytest.mark.parametrize(("library", "owner"), sorted(OWNERS.items()))
def test_each_library_has_one_importer(library: str, owner: str) -> None:
    users = sorted(name for name, imported in modules().items() if _uses(imported, library))
    assert users and all(name == owner or name.startswith(owner + ".") for name in users), users


def test_the_models_import_nothing_of_ours_but_errors() -> None:
    ours = {n for n in modules()["models"] if n.startswith("licensecli")}
    assert all(n == "licensecli.errors" or n.startswith("licensecli.errors.") for n in ours), ours


def test_the_output_layer_does_not_import_the_cli() -> None:
    offenders = [
        m for m, imported in modules().items() if m.startswith("output") and _uses(imported, "licensecli.cli")
    ]
    assert offenders == []


def _uses(imported: set[str], package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in imported)


def tracked_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    return [REPO / name for name in listed.stdout.splitlines()]


OUTSIDE = re.compile(
    r"\.\./shared|shared/(seed|legal-rules|CONTRACT|STYLE)|legal-rules\.md|CONTRACT\.md|/work/"
)


def test_nothing_points_outside_the_repository() -> None:
    hits = []
    for path in tracked_files():
        if (
            path.suffix in (".py", ".md", ".yaml", ".yml", ".toml", ".txt", ".json", ".1", "")
            and path.is_file()
        ):
            for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                if OUTSIDE.search(line) and path.name != "test_layout.py":
                    hits.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert hits == []


def test_no_virtual_environment_is_committed() -> None:
    names = {path.relative_to(REPO).parts[0] for path in tracked_files()}
    assert not names & {".venv", "venv", "env"}


def test_every_relative_link_in_the_docs_resolves() -> None:
    broken = []
    for doc in [
        REPO / "README.md",
        REPO / "SECURITY.md",
        REPO / "BENCHMARKS.md",
        *(REPO / "docs").glob("*.md"),
    ]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if "://" not in target and not (doc.parent / target).exists():
                broken.append(f"{doc.relative_to(REPO)} -> {target}")
    assert broken == []
