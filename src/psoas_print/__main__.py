"""Allow ``python -m psoas_print``."""

from psoas_print.cli import app

app(prog_name="psoas-print")
