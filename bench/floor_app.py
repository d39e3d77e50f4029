"""The cold-start floor of our own stack: a minimal typer app of two commands that imports
pydantic, yaml and chinese_calendar and prints {} (bench/run.py compares licensecli against it)."""

import chinese_calendar  # noqa: F401
import pydantic  # noqa: F401
import typer
import yaml  # noqa: F401

app = typer.Typer()


@app.command()
def first(json_output: bool = typer.Option(False, "--json")) -> None:
    print("{}")


@app.command()
def second(json_output: bool = typer.Option(False, "--json")) -> None:
    print("{}")


if __name__ == "__main__":
    app()
