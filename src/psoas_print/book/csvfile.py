"""Reading the files people bring: class rosters and buyer lists (CSV), and the text of
clients' programme files."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from psoas_print.errors import BookError, Problem
from psoas_print.files import Unreadable, read_limited
from psoas_print.limits import MAX_FILE_BYTES

if TYPE_CHECKING:
    from _csv import Reader  # the type of what csv.reader returns, with its line_num


@dataclass(frozen=True)
class Row:
    """One record with the file line it starts on."""

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


RowCheck = Callable[[Row], list[str]]  # what is wrong with one row, in words


@dataclass(frozen=True)
class Limit:
    """At most ``rows`` rows, each one ``what`` (a student, a buyer), for the message."""

    rows: int
    what: str
    advice: str


def read_csv(
    path: Path,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    limit: Limit | None = None,
    check: RowCheck | None = None,
) -> list[Row]:
    """Every row, with the ``required`` columns present and filled in; else a BookError
    listing every bad row (``check`` says what else is wrong with a row)."""
    reader = csv.reader(read_text(path).splitlines(keepends=True))
    header = [name.strip().lower() for name in _next(reader, path) or []]
    missing = [column for column in required if column not in header]
    if missing:
        wanted = ", ".join(required + optional)
        raise BookError.at(
            path, 1, f"no '{missing[0]}' column (columns found: {', '.join(header) or 'none'}; "
            f"expected: {wanted})",
        )  # fmt: skip
    rows, problems = [], []
    for row in _rows(reader, header, path, limit):
        problems += [Problem(path, row.line, f"blank {c}") for c in required if not row[c]]
        problems += [Problem(path, row.line, message) for message in (check(row) if check else [])]
        rows.append(row)
    if not rows and not problems:
        problems.append(Problem(path, 2, "no rows after the header line"))
    if problems:
        raise BookError(problems)
    return rows


def _rows(reader: Reader, header: list[str], path: Path, limit: Limit | None) -> Iterator[Row]:
    """The rows that are not blank, each with the line it starts on; at most the limit."""
    line = reader.line_num + 1
    count = 0
    while (record := _next(reader, path)) is not None:
        values = {name: value.strip() for name, value in zip(header, record, strict=False)}
        if any(values.values()):
            count += 1
            if limit is not None and count > limit.rows:
                message = f"more than {limit.rows:,} {limit.what}; {limit.advice}"
                raise BookError.at(path, line, message)
            yield Row(line, values)
        line = reader.line_num + 1


def _next(reader: Reader, path: Path) -> list[str] | None:
    """The next record, or None at the end; a record the csv module refuses is an error."""
    try:
        return next(reader, None)
    except csv.Error as error:  # a field over the module's size limit, a NUL byte …
        line = reader.line_num
        raise BookError.at(path, line, f"not a readable CSV line: {error}") from None


def read_text(path: Path, limit: int = MAX_FILE_BYTES, what: str = "a CSV file") -> str:
    """A file a user brings (a CSV file, a programme file) as text, at most ``limit``
    bytes of UTF-8; else a BookError at the line of the first byte that is not."""
    try:
        data = read_limited(path, limit, what)
    except Unreadable as error:
        raise BookError.at(path, None, str(error)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BookError.at(
            path, line, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        ) from None
    if not text.strip():  # nothing but white space, or only a byte-order mark
        raise BookError.at(path, 1, "file is empty")
    return text
