"""Commands on licence files: show, validate, schema."""

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from licensecli import loader
from licensecli.cli.common import (
    HolidaysOpt,
    JsonOpt,
    LangOpt,
    PathsArg,
    app,
    china_today,
    handled,
    resolve_lang,
    write_text,
)
from licensecli.errors import DataFileError
from licensecli.models import License
from licensecli.workdays import Calendar


@app.command()
@handled
def show(paths: PathsArg = None, json_output: JsonOpt = False, lang: LangOpt = None) -> None:
    """Show the licence and a table of its clauses and obligations.

    Example: licensecli show · licensecli show my-licences/ --json
    """
    language = resolve_lang(lang)
    if json_output:
        _show_json(paths)
        return
    from licensecli.output import tables

    tables.show_license(loader.load_licenses(paths), language)


def _show_json(paths: list[Path] | None) -> None:
    """One licence in memory at a time, into a spooled buffer: stdout gets the whole document or,
    when a file fails, nothing (a script never reads half a document)."""
    import tempfile

    from licensecli.output import documents

    seen: dict[str, Path] = {}

    def each() -> Iterator[License]:
        for path in loader.expand_paths(paths):
            lic = loader.load_license(path)
            key = loader.number_key(lic.number)
            if key in seen:
                raise DataFileError(loader.duplicate_message(lic.number, [seen[key], path]))
            seen[key] = path
            yield lic

    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024, mode="w+", encoding="utf-8") as buffer:
        documents.write_show_json(each(), buffer)
        buffer.seek(0)
        while chunk := buffer.read(1 << 16):
            write_text(chunk)


@app.command()
@handled
def validate(
    paths: PathsArg = None, holidays: HolidaysOpt = None, json_output: JsonOpt = False, lang: LangOpt = None
) -> None:
    """Check licence and holiday files; exit 0 when valid, 1 with every problem as file:line.

    Holiday files are those given with --holidays plus those every computing command reads
    ($LICENSECLI_HOLIDAYS and the user config folder): a file that `deadlines` would refuse,
    `validate` reports.

    \b
    Examples:
      licensecli validate data/license_b2_20210247.yaml
      licensecli validate licences/ --json | jq -r '.problems[]'
      licensecli validate --holidays 2027.yaml
    """
    from licensecli import engine
    from licensecli.holidayfiles import check_holiday_files

    language = resolve_lang(lang)
    files = loader.expand_paths(paths)
    held = check_holiday_files(holidays or ())
    # What a computing command would refuse today: a filing recorded in the future, a deadline
    # beyond the calendar. Holiday files are checked above, so this uses the package's data.
    calendar = Calendar()
    today = china_today()

    def more(lic: License) -> list[tuple[tuple[str | int, ...], str]]:
        return [(p.loc, p.message) for p in engine.license_problems(lic, today, calendar)]

    problems = loader.validate_files(files, more) + held.problems
    count = len(files) + len(held.files)
    if json_output:
        from licensecli.output import documents

        write_text(documents.dumps(documents.validate_json(problems, count)))
    else:
        from licensecli.output import tables

        tables.print_problems(problems, count, language)
    if problems:
        raise typer.Exit(1)


OUTPUT_SCHEMAS = (
    "deadlines",
    "due",
    "due-batch-line",
    "show",
    "validate",
    "workdays-is",
    "workdays-add",
    "workdays-count",
    "holidays",
    "holidays-year",
    "renew-check",
    "check",
    "event-list",
    "calendar",
)


@app.command()
@handled
def schema(
    output: Annotated[
        str,
        typer.Option(
            "--output",
            metavar="NAME",
            autocompletion=lambda: ["licence", *OUTPUT_SCHEMAS],
            help="Which document: licence (the licence file, the default) or the --json output "
            "of a command (the names are listed above).",
        ),
    ] = "licence",
) -> None:
    """Print a JSON Schema: of the licence file (for editors), or of a command's --json output.

    Every --json document carries "schema_version"; its schema says what each field means.

    \b
    NAME is licence (the default) or one of:
      deadlines        due              due-batch-line   show
      validate         workdays-is      workdays-add     workdays-count
      holidays         holidays-year    renew-check      check
      event-list       calendar

    \b
    Examples:
      licensecli schema > licence.schema.json
      licensecli schema --output deadlines > deadlines.schema.json
      licensecli deadlines --json > d.json
      check-jsonschema --schemafile deadlines.schema.json d.json
    """
    if output in ("licence", "license"):
        from licensecli.models import License
        from licensecli.output import documents

        document = License.model_json_schema()
        document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}
        write_text(documents.dumps(document))
        return
    if output not in OUTPUT_SCHEMAS:
        raise typer.BadParameter(
            f"'{output}' is not a document here; use licence or one of {', '.join(OUTPUT_SCHEMAS)}",
            param_hint="--output",
        )
    write_text(loader.data_file("schemas", f"{output}.schema.json").read_text(encoding="utf-8"))
