"""Reading the CSV files people bring: class rosters and buyer lists."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from psoas_print.errors import BookError, Problem


@dataclass(frozen=True)
class Row:
    """One record with the file line it starts on."""

    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


def read_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[Row]:
    """Every row, with the ``required`` columns present and filled in; else a BookError."""
    text = _text(path)
    reader = csv.reader(text.splitlines(keepends=True))
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [column for column in required if column not in header]
    if missing:
        wanted = ", ".join(required + optional)
        raise BookError.at(
            path, 1, f"no '{missing[0]}' column (columns found: {', '.join(header) or 'none'}; "
            f"expected: {wanted})",
        )  # fmt: skip
    rows, problems = [], []
    line = reader.line_num + 1
    for record in reader:
        values = {name: value.strip() for name, value in zip(header, record, strict=False)}
        if any(values.values()):
            for column in required:
                if not values.get(column):
                    problems.append(Problem(path, line, f"blank {column}"))
            rows.append(Row(line, values))
        line = reader.line_num + 1
    if not rows and not problems:
        problems.append(Problem(path, 2, "no rows after the header line"))
    if problems:
        raise BookError(problems)
    return rows


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BookError.at(path, None, "file not found") from None
    except OSError as error:
        raise BookError.at(path, None, f"cannot read it: {error.strerror}") from None
    if not data.strip():
        raise BookError.at(path, 1, "file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise BookError.at(
            path, line, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8"
        ) from None
