"""Commands on licence files: show, validate, schema."""

import typer

from licensecli import loader
from licensecli.cli.common import (
    JsonOpt,
    LangOpt,
    PathsArg,
    app,
    handled,
    resolve_lang,
    write_text,
)


@app.command()
@handled
def show(paths: PathsArg = None, json_output: JsonOpt = False, lang: LangOpt = None) -> None:
    """Show the licence and a table of its clauses and obligations.

    Example: licensecli show · licensecli show my-licences/ --json
    """
    language = resolve_lang(lang)
    licenses = loader.load_licenses(paths)
    if json_output:
        from licensecli.output import documents

        write_text(documents.dumps(documents.show_json(licenses)))
    else:
        from licensecli.output import tables

        tables.show_license(licenses, language)


@app.command()
@handled
def validate(paths: PathsArg = None, lang: LangOpt = None) -> None:
    """Check licence files; exit 0 when valid, 1 with every problem listed as file:line.

    Example: licensecli validate data/license_b2_20210247.yaml
    """
    language = resolve_lang(lang)
    files = loader.expand_paths(paths)
    problems = loader.validate_files(files)
    from licensecli.output import tables

    tables.print_problems(problems, len(files), language)
    if problems:
        raise typer.Exit(1)


@app.command()
@handled
def schema() -> None:
    """Print the JSON Schema of the licence file (for editors' YAML plugins).

    Example: licensecli schema > licence.schema.json
    """
    from licensecli.models import License
    from licensecli.output import documents

    document = License.model_json_schema()
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}

    write_text(documents.dumps(document))
