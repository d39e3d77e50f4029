"""The man page, generated from the commands' own help so that the two never disagree.

python -m licensecli.cli.manpage > docs/licensecli.1
man -l docs/licensecli.1
"""

from __future__ import annotations

import sys
from typing import Any

import typer
import typer.main

from licensecli import __version__
from licensecli.cli import app

EXIT_STATUS = (
    "renew-check and check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (bad input and usage errors included).",
    "Every other command: 0 success, 1 bad input or data, 2 usage error, 130 interrupted, 141 the "
    "reader of standard output went away (a closed pipe).",
)
ENVIRONMENT = (
    ("LICENSECLI_LICENSE", "Licence files or folders used when a command is given none (separated by ':')."),
    ("LICENSECLI_HOLIDAYS", "Holiday files read by every command (separated by ':')."),
    ("LICENSECLI_NOW", "An ISO date-time to use as now (tests)."),
    ("LICENSECLI_DEBUG", "Set to 1 to print a traceback with an internal error."),
    (
        "LICENSECLI_DATA_UNTIL",
        "A year: treat the package's holiday data as ending there (later years are estimated).",
    ),
    ("LC_ALL, LC_MESSAGES, LANG", "zh* gives Chinese labels, anything else English."),
)
SEE_ALSO = (
    "docs/commands.md, docs/counting-rules.md, docs/licence-file.md and docs/holiday-file.md in the "
    "licensecli source."
)


def _escape(text: str) -> str:
    """Text safe for roff: backslashes doubled, a leading dot or quote made literal."""
    lines = []
    for line in text.replace("\\", "\\e").splitlines():
        lines.append("\\&" + line if line.startswith((".", "'")) else line)
    return "\n".join(lines)


def _help(command: Any, path: list[str], parent: Any = None) -> str:
    # 72 columns: man indents by 7, and the page must read at 80.
    ctx = typer.Context(
        command, info_name=" ".join(path), parent=parent, terminal_width=72, max_content_width=72
    )
    return str(command.get_help(ctx))


def _commands(group: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found: list[tuple[list[str], Any]] = []
    ctx = typer.Context(group, info_name=" ".join(path))
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        found.append(([*path, name], command))
        if hasattr(command, "list_commands"):  # a group such as `workdays`
            found.extend(_commands(command, [*path, name]))
    return found


def render() -> str:
    """The whole man page in roff (section 1)."""
    root = typer.main.get_command(app)
    out = [
        f'.TH LICENSECLI 1 "" "licensecli {__version__}" "User Commands"',
        ".SH NAME",
        "licensecli \\- deadlines of Chinese telecom business licences, counted in Chinese working days",
        ".SH SYNOPSIS",
        ".B licensecli",
        "COMMAND [OPTIONS] [ARGS]...",
        ".SH DESCRIPTION",
        ".nf",
        ".in 0",
        _escape(_help(root, ["licensecli"])),
        ".in",
        ".fi",
        ".SH COMMANDS",
    ]
    for path, command in _commands(root, ["licensecli"]):
        out += [f".SS {' '.join(path[1:])}", ".nf", ".in 0", _escape(_help(command, path)), ".in", ".fi"]
    out.append(".SH EXIT STATUS")
    for paragraph in EXIT_STATUS:
        out += [".PP", _escape(paragraph)]
    out.append(".SH ENVIRONMENT")
    for name, meaning in ENVIRONMENT:
        out += [".TP", f".B {_escape(name)}", _escape(meaning)]
    out += [".SH SEE ALSO", _escape(SEE_ALSO)]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
