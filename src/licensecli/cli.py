"""The command line: parse, call the core, render, map errors to exit codes.

The only module that imports typer. Every command is a few lines over the core.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from licensecli import __version__, loader, render
from licensecli.errors import LicenseCliError

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="licensecli",
    help=(
        "Deadlines of Chinese telecom business licences (增值电信业务经营许可证), counted in "
        "Chinese working days.\n\n"
        "Without a licence file every command uses the bundled licence B2-20210247."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# --- shared options -------------------------------------------------------------------------

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Licence YAML files or folders of them. Default: $LICENSECLI_LICENSE, else the "
        "bundled licence B2-20210247.",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON document on stdout; messages go to stderr.")]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language of labels and messages: zh or en. Default: zh if LC_ALL/LANG starts with zh, else en.",
        show_default=False,
    ),
]


def resolve_lang(lang: str | None) -> str:
    """The label language: the option, else the locale (zh* → zh), else English."""
    if lang is not None:
        if lang not in ("zh", "en"):
            raise typer.BadParameter(f"'{lang}' is not a language here; use zh or en", param_hint="--lang")
        return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def fail(error: LicenseCliError, code: int | None = None) -> typer.Exit:
    """Print `error: …` (and any detail lines) on stderr; the Exit to raise."""
    sys.stderr.write(f"error: {error.message}\n")
    for line in error.details[1:]:
        sys.stderr.write(f"error: {line}\n")
    return typer.Exit(error.exit_code if code is None else code)


def handled(func: F) -> F:
    """Turn licensecli's errors into one line on stderr and the documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LicenseCliError as exc:
            raise fail(exc) from None
        except KeyboardInterrupt:
            sys.stderr.write("error: interrupted\n")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"licensecli {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Deadlines of Chinese telecom business licences, counted in Chinese working days."""


# --- licence commands -----------------------------------------------------------------------


@app.command()
@handled
def show(paths: PathsArg = None, json_output: JsonOpt = False, lang: LangOpt = None) -> None:
    """Show the licence and a table of its clauses and obligations.

    Example: licensecli show · licensecli show my-licences/ --json
    """
    language = resolve_lang(lang)
    licenses = loader.load_licenses(paths)
    if json_output:
        documents = [render.license_json(lic) for lic in licenses]
        render.write_json(documents[0] if len(documents) == 1 else documents)
    else:
        render.show_license(licenses, language)


@app.command()
@handled
def validate(paths: PathsArg = None, lang: LangOpt = None) -> None:
    """Check licence files; exit 0 when valid, 1 with every problem listed as file:line.

    Example: licensecli validate data/license_b2_20210247.yaml
    """
    language = resolve_lang(lang)
    files = loader.expand_paths(paths)
    problems = loader.validate_files(files)
    render.print_problems(problems, len(files), language)
    if problems:
        raise typer.Exit(1)


@app.command()
@handled
def schema() -> None:
    """Print the JSON Schema of the licence file (for editors' YAML plugins).

    Example: licensecli schema > licence.schema.json
    """
    from licensecli.models import License

    document = License.model_json_schema()
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}
    render.write_json(document)
