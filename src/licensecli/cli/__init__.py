"""The command line: parse, call the core, hand the result to the output layer for its audience.

The only package that imports typer. `common` holds the application, the shared options and the
error handling; each other module registers its commands, in the order `--help` lists them.
"""

from licensecli.cli.common import app

# isort: off
from licensecli.cli import licence, life, deadlines, grids, export, renew, check, calendar, report  # noqa: F401 - registers commands
# isort: on

__all__ = ["app"]
