"""`python -m licensecli`."""

from licensecli.cli import app

app(prog_name="licensecli")
