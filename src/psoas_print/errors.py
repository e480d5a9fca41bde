"""The one exception for mistakes in a book, as opposed to bugs in the tool."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when near it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    far = relative.startswith(os.path.join(os.pardir, os.pardir))
    return str(Path(path).absolute()) if far else relative


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the book, located as precisely as it can be."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line is not None:
            where = f"{where}:{self.line}"
        return one_line(f"{where}: {self.message}")


def one_line(text: str) -> str:
    """``text`` with its line breaks and other control characters shown as escapes: a
    problem quotes what the author wrote, and must still be one line."""
    return "".join(
        repr(char)[1:-1] if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char
        for char in text
    )


class BookError(Exception):
    """One or more problems in the user's book, layouts or options.

    The command line prints each problem on a line of its own and exits with
    status 2; anything else that escapes is a bug and keeps its traceback.
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    def __reduce__(self) -> tuple[type[BookError], tuple[list[Problem]]]:
        # Keep the problems when a worker process sends the error back.
        return BookError, (self.problems,)

    @classmethod
    def at(cls, path: Path, line: int | None, message: str) -> BookError:
        return cls([Problem(path, line, message)])
