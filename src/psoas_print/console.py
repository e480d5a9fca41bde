"""What the command line shows: progress, warnings, tables and the build's summary.

On a terminal, rich draws tables and a live progress line; piped or logged, the output
is plain columns, one row to a line, and rich is not even loaded (it costs start-up time
that a script running ``check`` in a loop would pay every time).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import typer

from psoas_print.errors import Problem, display_path
from psoas_print.products.settings import ProductName
from psoas_print.runner.jobs import Result


def say(text: str) -> None:
    typer.echo(text)


def complain(text: str) -> None:
    typer.echo(text, err=True)


@dataclass
class Table:
    """Rows under headed columns, shown by ``show``."""

    columns: tuple[str, ...]
    title: str | None = None
    rows: list[tuple[str, ...]] = field(default_factory=list)

    def add_row(self, *cells: str) -> None:
        self.rows.append(cells)


def table(*columns: str, title: str | None = None) -> Table:
    return Table(columns, title)


def show(*tables: Table) -> None:
    """Print tables: drawn by rich on a terminal, plain columns when piped or logged.

    Nothing is ever cut short: on a narrow terminal a long cell wraps inside its column,
    and plain columns are as wide as their longest cell, one row to a line, for grep.
    """
    if not sys.stdout.isatty():
        say("\n\n".join(_plain(shown) for shown in tables))
        return
    from rich.console import Console  # only on a terminal: see the module's note
    from rich.table import Table as RichTable

    drawn = []
    for shown in tables:
        rich_table = RichTable(title=shown.title, title_justify="left")
        for index, column in enumerate(shown.columns):
            # The first column names the row (an id, a file): kept whole while the others
            # wrap. A word too long for its column folds rather than ending in an ellipsis.
            rich_table.add_column(column, no_wrap=index == 0, overflow="fold")
        for row in shown.rows:
            rich_table.add_row(*row)
        drawn.append(rich_table)
    Console(highlight=False).print(*drawn)


def _plain(shown: Table) -> str:
    body = plain_table(shown.columns, shown.rows)
    return f"{shown.title}\n{body}" if shown.title else body


def plain_table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(line[i]) for line in (columns, *rows)) for i in range(len(columns))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in (columns, *rows)
    ]
    return "\n".join(line.rstrip() for line in lines)


def print_warnings(warnings: tuple[Problem, ...]) -> None:
    for warning in warnings:
        where, _, message = str(warning).partition(": ")
        complain(f"{where}: warning: {message}")


def print_summary(results: list[Result], started: float) -> None:
    """A row per file made, up to date or skipped; licensed copies in one line."""
    copies = [result for result in results if result.product == ProductName.LICENSED]
    rows = [summary_row(result) for result in results if result not in copies]
    if rows:
        summary = table("file", "pages", "size", "seconds", "notes")
        for row in rows:
            summary.add_row(*row)
        show(summary)
    if copies:
        say(_copies_line(copies, started))
    say(f"Done in {time.perf_counter() - started:.1f} s.")


def _copies_line(copies: list[Result], started: float) -> str:
    folder = display_path(copies[0].target.parent)
    count = f"{len(copies)} licensed {'copy' if len(copies) == 1 else 'copies'}"
    if all(result.summary.up_to_date for result in copies):
        return f"{count} in {folder}: up to date."
    seconds = time.perf_counter() - started
    return f"{count} in {folder}: {len(copies) / seconds:.0f} copies a second, written."


def summary_row(result: Result) -> tuple[str, ...]:
    summary, notes = result.summary, ""
    if summary.skipped is not None:
        return (display_path(result.target), "-", "-", "-", f"skipped: {summary.skipped}")
    if summary.up_to_date:
        notes = "up to date"
    elif summary.copies:
        noun = "copy" if summary.copies == 1 else "copies"
        notes = f"{summary.copies} {noun}, {summary.per_sheet} per sheet, {summary.renders} renders"
    elif summary.relaid:
        noun = "spread" if summary.relaid == 1 else "spreads"
        notes = f"{summary.relaid} {noun} laid out again, the rest of {summary.parts} parts kept"
    elif summary.parts:
        notes = f"laid out in {summary.parts} parts"
    elif summary.epub:
        notes = f"EPUB 3, {result.pages} documents"
    elif summary.renders:
        notes = f"fitted in {summary.renders} renders at scale {summary.scale}"
    return (
        display_path(result.target),
        str(result.pages),
        size(result.size),
        f"{result.seconds:.1f}",
        notes,
    )


@contextmanager
def status() -> Iterator[Callable[[str], None]]:
    """A live progress line on a terminal; silent (and rich not even loaded) when piped."""
    if not sys.stderr.isatty():
        yield lambda message: None
        return
    from rich.console import Console  # only on a terminal: see the module's note

    with Console(stderr=True).status("Starting") as progress:
        yield lambda message: progress.update(f"{message}…")


def size(count: int) -> str:
    return f"{count / 1024:.0f} KB" if count < 1024 * 1024 else f"{count / 1024 / 1024:.1f} MB"


def file_row(target: Path, shows: str) -> tuple[str, str, str]:
    return display_path(target), size(target.stat().st_size), shows
